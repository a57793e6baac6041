"""The Celery application: thin task wrappers around kanta_docs.tasks, run by `kanta-docs worker`
or `celery -A kanta_docs.worker worker`.

Delivery rules (ARCHITECTURE.md): acknowledged late and rejected when the worker is lost, so a
killed worker's task goes back to the queue; the task code is idempotent (a document is claimed
with a conditional update), so running it twice does nothing twice. Transient errors
(BackendUnavailable) are retried with backoff; a bad document is a result, never a retry.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from celery import Celery
from celery.signals import worker_process_init

from kanta_docs.config import load_settings
from kanta_docs.errors import BackendUnavailable
from kanta_docs.logs import configure_logging

TASK_PREFIX = "kanta."
# Longest a task may run: a 100-page scan at 2.5 s per page, with margin. Past the soft limit
# the task fails the document with a reason; the hard limit kills the child process.
SOFT_TIME_LIMIT_S = 600
HARD_TIME_LIMIT_S = 660


def make_celery(broker_url: str, queue_name: str = "kanta") -> Celery:
    """A Celery app on `broker_url` with the delivery rules above."""
    app = Celery("kanta", broker="memory://" if broker_url == "memory" else broker_url)
    app.conf.update(
        task_default_queue=queue_name,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # one long OCR task must not hold others hostage
        task_soft_time_limit=SOFT_TIME_LIMIT_S,
        task_time_limit=HARD_TIME_LIMIT_S,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        # Redis re-delivers an unacknowledged task after this; above the hard limit, so a slow
        # task is never run twice at once.
        broker_transport_options={"visibility_timeout": HARD_TIME_LIMIT_S * 2},
        beat_schedule={
            "expiry-scan": {"task": f"{TASK_PREFIX}expiry_scan", "schedule": 24 * 3600.0},
            "relay-outbox": {"task": f"{TASK_PREFIX}relay_outbox", "schedule": 10.0},
            "recover-stuck": {"task": f"{TASK_PREFIX}recover_stuck", "schedule": 60.0},
            "purge-ended-firms": {"task": f"{TASK_PREFIX}purge_ended_firms",
                                  "schedule": 24 * 3600.0},
            "notify-expiries": {"task": f"{TASK_PREFIX}notify_expiries",
                                "schedule": 24 * 3600.0},
            "send-digests": {"task": f"{TASK_PREFIX}send_digests", "schedule": 3600.0},
            "deliver-notifications": {"task": f"{TASK_PREFIX}deliver_notifications",
                                      "schedule": 30.0},
        },
    )
    _register(app)
    return app


def _register(app: Celery) -> None:
    from kanta_docs import tasks

    for name in tasks.TASKS:
        def run(self: Any, *args: str, _name: str = name) -> None:
            try:
                tasks.run_task(_runtime(), _name, tuple(args))
            except BackendUnavailable as e:
                # Exponential backoff: 10 s, 20 s, 40 s ... capped at 10 minutes.
                countdown = min(600, 10 * 2 ** self.request.retries)
                raise self.retry(exc=e, countdown=countdown, max_retries=8) from e

        app.task(name=f"{TASK_PREFIX}{name}", bind=True)(run)


@cache
def _runtime() -> Any:
    from kanta_docs.tasks import build_runtime

    return build_runtime(load_settings(), queue_factory="celery")


def _configure_child_logging(**_: Any) -> None:
    # Each pool process logs our events at KANTA_LOG_LEVEL, like the CLI does.
    import os

    configure_logging(os.environ.get("KANTA_LOG_LEVEL", "WARNING"))


worker_process_init.connect(_configure_child_logging, weak=False)


def _default_app() -> Celery:
    settings = load_settings()
    return make_celery(settings.broker_url, settings.task_queue)


# `celery -A kanta_docs.worker` looks for `app` (or `celery`) in this module.
app = _default_app()
