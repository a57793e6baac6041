"""The periodic tasks of notifications, as `kanta_docs.tasks.TASKS` runs them (ids and days as
strings: they cross the broker)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from kanta_docs.notify import deliveries
from kanta_docs.notify.digest import send_digests as _send_digests
from kanta_docs.notify.expiry import notify_expiries as _notify_expiries

if TYPE_CHECKING:
    from datetime import datetime

    from kanta_docs.tasks import Runtime

# Most deliveries attempted by one run (the next run, 30 s later, goes on).
MAX_PER_RUN = 1000
_BATCH = 50


def notify_expiries(rt: Runtime, day: str = "") -> None:
    """The daily lead-time scan (expiry.py)."""
    _notify_expiries(rt, day)


def send_digests(rt: Runtime, day: str = "") -> None:
    """The daily digests (digest.py); hourly, each firm from its digest hour."""
    _send_digests(rt, day)


def load_senders() -> None:
    """Register every channel's sender: e-mail, and webhooks when that module is there."""
    importlib.import_module("kanta_docs.notify.email")
    try:
        importlib.import_module("kanta_docs.notify.webhooks")
    except ModuleNotFoundError as e:
        if e.name != "kanta_docs.notify.webhooks":
            raise


def deliver_notifications(rt: Runtime) -> None:
    """Send the due deliveries of every channel."""
    deliver_all(rt)


def deliver_all(rt: Runtime, now: datetime | None = None) -> int:
    """Send the due deliveries of every channel (deliveries.deliver_due), up to MAX_PER_RUN;
    returns how many were attempted."""
    load_senders()
    attempted = 0
    while attempted < MAX_PER_RUN:
        batch = deliveries.deliver_due(rt, now, limit=_BATCH)
        attempted += batch
        if batch < _BATCH:
            break
    return attempted
