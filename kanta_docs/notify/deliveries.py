"""The delivery log: every outgoing message (e-mail, webhook) is a row with an idempotency key,
written in the transaction of what caused it, then sent by `deliver_due`.

- `enqueue` inserts a row unless its key is known: running the daily scan twice, or relaying an
  outbox event twice, creates nothing new.
- `deliver_due` claims due rows (FOR UPDATE SKIP LOCKED on PostgreSQL), sends each through the
  sender of its channel, and marks it sent, or failed with an exponential backoff. A worker that
  dies between the send and the commit leaves the row pending: it is sent again, with the same
  idempotency key (the webhook-id header, the e-mail's Message-ID), which lets the receiver
  discard the duplicate. Nothing is ever lost.
- Senders register themselves in `SENDERS` by channel (`email.py`, `webhooks.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kanta_docs.logs import get_logger
from kanta_docs.store.tables import NotificationDelivery, utc_now

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.orm import Session

    from kanta_docs.tasks import Runtime

log = get_logger(__name__)

PENDING, SENT, ABANDONED = "pending", "sent", "abandoned"
BACKOFF_BASE_S = 30  # 30 s, 1 min, 2 min, ... capped
BACKOFF_MAX_S = 6 * 3600
MAX_ATTEMPTS = 20  # about 2.9 days: 30 s doubling to the 6-hour cap, then every 6 hours
# session.info key: the instant `deliver_due` attempts at (its `now`, simulated in tests).
ATTEMPT_AT = "kanta_delivery_attempt_at"


class DeliveryFailed(Exception):
    """A send that did not go through; the delivery is retried later."""


Sender = Callable[["Runtime", "Session", NotificationDelivery], None]
SENDERS: dict[str, Sender] = {}


def register_sender(channel: str, sender: Sender) -> None:
    """Make `sender` deliver the rows of `channel`."""
    SENDERS[channel] = sender


def attempt_time(session: Session) -> datetime:
    """The instant of the attempt a sender is making: `deliver_due`'s, else the clock."""
    at = session.info.get(ATTEMPT_AT)
    return at if isinstance(at, datetime) else utc_now()


def enqueue(session: Session, *, firm_id: uuid.UUID, channel: str, kind: str, recipient: str,
            idempotency_key: str, payload: dict[str, Any],
            now: datetime | None = None) -> NotificationDelivery | None:
    """A new pending delivery, or None when one with this key exists already."""
    known = session.scalar(select(NotificationDelivery.id).where(
        NotificationDelivery.idempotency_key == idempotency_key))
    if known is not None:
        return None
    now = now or utc_now()
    delivery = NotificationDelivery(
        firm_id=firm_id, channel=channel, kind=kind, recipient=recipient,
        idempotency_key=idempotency_key, status=PENDING, attempts=0, payload=payload,
        created_at=now, next_attempt_at=now)
    session.add(delivery)
    session.flush()
    return delivery


def due(session: Session, now: datetime, limit: int = 50) -> list[NotificationDelivery]:
    """Pending deliveries whose time has come, oldest first, locked for this transaction."""
    query = (select(NotificationDelivery)
             .where(NotificationDelivery.status == PENDING,
                    NotificationDelivery.next_attempt_at <= now)
             .order_by(NotificationDelivery.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def mark_sent(delivery: NotificationDelivery, now: datetime) -> None:
    """The receiver acknowledged it."""
    delivery.status, delivery.sent_at, delivery.last_error = SENT, now, None
    delivery.attempts += 1


def mark_failed(delivery: NotificationDelivery, error: str, now: datetime) -> None:
    """Count a failed attempt: retried after an exponential backoff, abandoned after
    MAX_ATTEMPTS (the error stays on the row)."""
    delivery.attempts += 1
    delivery.last_error = error[:2000]
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = ABANDONED
        return
    delay = min(BACKOFF_BASE_S * 2 ** (delivery.attempts - 1), BACKOFF_MAX_S)
    delivery.next_attempt_at = now + timedelta(seconds=delay)


def deliver_due(rt: Runtime, now: datetime | None = None, limit: int = 50) -> int:
    """Send what is due, one transaction per delivery; returns how many were attempted."""
    attempted = 0
    while attempted < limit:
        with rt.sessions.begin() as session:
            batch = due(session, now or utc_now(), limit=1)
            if not batch:
                break
            delivery = batch[0]
            sender = SENDERS.get(delivery.channel)
            at = now or utc_now()
            session.info[ATTEMPT_AT] = at
            if sender is None:
                mark_failed(delivery, f"no sender for channel {delivery.channel!r}", at)
            else:
                try:
                    sender(rt, session, delivery)
                    mark_sent(delivery, at)
                except Exception as e:  # noqa: BLE001 - a bug in one sender fails one delivery
                    mark_failed(delivery, f"{type(e).__name__}: {e}", at)
                    log.warning("delivery failed", delivery_id=delivery.id,
                                channel=delivery.channel, attempts=delivery.attempts,
                                error=str(e))
        attempted += 1
    return attempted
