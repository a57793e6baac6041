from __future__ import annotations

import threading
import time

from kanta_docs.queues import InProcessQueue
from kanta_docs.schedule import INTERVALS_S, EmbeddedScheduler
from kanta_docs.tasks import TASKS


def test_every_periodic_task_exists() -> None:
    assert set(INTERVALS_S) <= set(TASKS)


def test_tasks_run_at_start_then_at_their_interval() -> None:
    ran: list[str] = []
    lock = threading.Lock()

    def run(name: str, args: tuple[str, ...]) -> None:
        with lock:
            ran.append(name)

    queue = InProcessQueue(run)
    scheduler = EmbeddedScheduler(queue, {"fast": 0.2, "slow": 3600.0}, tick_s=0.05)
    scheduler.start()
    time.sleep(0.7)
    scheduler.stop()
    queue.join()
    assert ran.count("slow") == 1
    assert 3 <= ran.count("fast") <= 5
