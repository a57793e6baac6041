"""Where tasks go: Celery on Redis at scale, an in-process worker thread by default.

Both run the same task functions (kanta_docs.tasks) by name, so the embedded default and the
Celery deployment behave the same; only the transport differs.
"""

from __future__ import annotations

import queue
import threading
from typing import TYPE_CHECKING, Protocol

from kanta_docs.logs import get_logger

if TYPE_CHECKING:
    from collections.abc import Callable

log = get_logger(__name__)


class TaskQueue(Protocol):
    """Something that runs a named task with string arguments, later."""

    def submit(self, task: str, *args: str) -> None:
        """Queue `task(*args)`; returns at once."""

    def join(self) -> None:
        """Wait until every queued task has run (embedded) or return at once (Celery)."""


class InProcessQueue:
    """One daemon thread running tasks in order: the embedded default (`KANTA_BROKER_URL=memory`).

    A failing task is logged and the thread carries on with the next one; the task code itself
    records failures in the store, as it does under Celery.
    """

    def __init__(self, run: Callable[[str, tuple[str, ...]], None]) -> None:
        self._run = run
        self._queue: queue.Queue[tuple[str, tuple[str, ...]]] = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="kanta-worker", daemon=True)
        self._thread.start()

    def submit(self, task: str, *args: str) -> None:
        """Queue a task for the worker thread."""
        self._queue.put((task, args))

    def join(self) -> None:
        """Block until the queue is empty and the running task is done."""
        self._queue.join()

    def _loop(self) -> None:
        while True:
            task, args = self._queue.get()
            try:
                self._run(task, args)
            except Exception:  # noqa: BLE001 - the worker outlives any one task
                log.exception("task failed", task=task)
            finally:
                self._queue.task_done()


class CeleryQueue:
    """Tasks sent to Celery workers through the broker."""

    def __init__(self, broker_url: str, queue_name: str) -> None:
        from kanta_docs.worker import make_celery

        self._app = make_celery(broker_url, queue_name)
        self._queue_name = queue_name

    def submit(self, task: str, *args: str) -> None:
        """Send the task to the broker."""
        self._app.send_task(f"kanta.{task}", args=list(args), queue=self._queue_name)

    def join(self) -> None:
        """Celery tasks run elsewhere: callers poll the store for document states."""
