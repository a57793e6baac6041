"""The periodic tasks and their intervals, and the embedded scheduler that runs them when there
is no Celery beat (KANTA_BROKER_URL=memory: `kanta-docs serve` on its embedded defaults).

Each task is idempotent (tasks.py), so a run repeated after a restart does no harm; the
scheduler runs every task once at start-up, then at its interval.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from kanta_docs.logs import get_logger

if TYPE_CHECKING:
    from kanta_docs.queues import TaskQueue

log = get_logger(__name__)

# Seconds between runs. The expiry scan is daily; the relay and the reaper keep latency low.
INTERVALS_S: dict[str, float] = {
    "expiry_scan": 24 * 3600.0,
    "relay_outbox": 10.0,
    "recover_stuck": 60.0,
    # Notifications: the lead-time scan daily; digests hourly (each firm from its digest hour,
    # once a day by idempotency key); due e-mails and webhooks every 30 s.
    "notify_expiries": 24 * 3600.0,
    "send_digests": 3600.0,
    "deliver_notifications": 30.0,
}


class EmbeddedScheduler:
    """A daemon thread that submits the periodic tasks to the in-process queue."""

    def __init__(self, queue: TaskQueue, intervals: dict[str, float] | None = None,
                 tick_s: float = 1.0) -> None:
        self._queue = queue
        self._intervals = dict(intervals or INTERVALS_S)
        self._tick_s = tick_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="kanta-scheduler", daemon=True)

    def start(self) -> None:
        """Start submitting (every task once now, then at its interval)."""
        self._thread.start()

    def stop(self) -> None:
        """Stop after the current tick."""
        self._stop.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        due = dict.fromkeys(self._intervals, 0.0)
        while not self._stop.is_set():
            now = time.monotonic()
            for task, at in due.items():
                if now >= at:
                    try:
                        self._queue.submit(task)
                    except Exception:  # noqa: BLE001 - a failed submit must not end the loop
                        log.exception("periodic task not submitted", task=task)
                    due[task] = now + self._intervals[task]
            self._stop.wait(self._tick_s)
