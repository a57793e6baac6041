"""E-mail over SMTP: the `email` channel of the delivery log.

A mail is rendered when it is queued (`queue_email`: subject, plain text and HTML in the
delivery's payload), so a retry sends the very same message. `send_email` (the registered
sender) builds a multipart/alternative message whose Message-ID is derived from the delivery's
idempotency key: a worker that dies between the SMTP acceptance and the commit sends it again
with the same Message-ID, which mail systems use to discard the copy. `List-Unsubscribe` (and
RFC 8058 one-click) carries the signed unsubscribe link.

KANTA_SMTP_URL:
- `smtp://host:25` plain (a local relay), `smtp://user:pass@host:587?starttls=1` STARTTLS
  required, `smtps://user:pass@host:465` implicit TLS; user and password percent-encoded;
  `timeout=` seconds (default 30).
- empty: mail is off. Nothing is queued (in-app notifications still are; a warning is logged
  once per process); the day's items stay undigested and go out in the first digest after
  mail is configured (within the digest's look-back). A delivery queued earlier and due while
  the URL is empty fails and is retried with the usual backoff.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from kanta_docs.logs import get_logger
from kanta_docs.notify.deliveries import DeliveryFailed, enqueue, register_sender
from kanta_docs.store.tables import utc_now

if TYPE_CHECKING:
    import uuid
    from datetime import datetime

    from sqlalchemy.orm import Session

    from kanta_docs.config import Settings
    from kanta_docs.store.tables import NotificationDelivery
    from kanta_docs.tasks import Runtime

log = get_logger(__name__)

CHANNEL = "email"
DEFAULT_TIMEOUT_S = 30.0
_warned_off = False


@dataclass(frozen=True)
class SmtpTarget:
    """Where and how to hand mail over."""

    host: str
    port: int
    mode: str  # plain | starttls | tls
    username: str | None
    password: str | None
    timeout_s: float


def parse_smtp_url(url: str) -> SmtpTarget:
    """The target of KANTA_SMTP_URL; ValueError when it is not a usable smtp(s) URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("KANTA_SMTP_URL must look like smtp://host:port or smtps://host:port")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    starttls = query.get("starttls", "0").lower() in ("1", "true", "yes")
    mode = "tls" if parts.scheme == "smtps" else ("starttls" if starttls else "plain")
    default_port = {"tls": 465, "starttls": 587, "plain": 25}[mode]
    return SmtpTarget(
        host=parts.hostname, port=parts.port or default_port, mode=mode,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        timeout_s=float(query.get("timeout", DEFAULT_TIMEOUT_S)))


def email_enabled(settings: Settings) -> bool:
    """Whether mail is configured; warns once per process when it is not."""
    global _warned_off  # noqa: PLW0603 - one warning per process
    if settings.smtp_url:
        return True
    if not _warned_off:
        _warned_off = True
        log.warning("KANTA_SMTP_URL is not set: no e-mail is queued or sent "
                    "(in-app notifications still are)")
    return False


def queue_email(session: Session, *, firm_id: uuid.UUID, kind: str, to: str,
                idempotency_key: str, subject: str, text: str, html: str,
                unsubscribe_url: str | None, now: datetime,
                extra: dict[str, Any] | None = None) -> NotificationDelivery | None:
    """Queue a rendered mail; None when one with this key exists already."""
    payload: dict[str, Any] = {"to": to, "subject": subject, "text": text, "html": html,
                               "unsubscribe_url": unsubscribe_url, **(extra or {})}
    return enqueue(session, firm_id=firm_id, channel=CHANNEL, kind=kind, recipient=to,
                   idempotency_key=idempotency_key, payload=payload, now=now)


def message_id(idempotency_key: str, mail_from: str) -> str:
    """The Message-ID of a delivery: the same for every attempt of the same delivery."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "kanta-docs.local"
    digest = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:40]
    return f"<{digest}@{domain}>"


def build_message(settings: Settings, delivery: NotificationDelivery,
                  now: datetime | None = None) -> EmailMessage:
    """The MIME message of a queued mail: plain text, then HTML (multipart/alternative)."""
    payload = delivery.payload
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = Address(addr_spec=str(payload["to"]))
    message["Subject"] = str(payload["subject"])
    message["Date"] = format_datetime(now or utc_now())
    message["Message-ID"] = message_id(delivery.idempotency_key, settings.mail_from)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Kanta-Notification"] = delivery.kind
    if payload.get("unsubscribe_url"):
        message["List-Unsubscribe"] = f"<{payload['unsubscribe_url']}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(str(payload["text"]), subtype="plain", charset="utf-8")
    message.add_alternative(str(payload["html"]), subtype="html", charset="utf-8")
    return message


def _connect(target: SmtpTarget) -> smtplib.SMTP:
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if target.mode == "tls":
        client = smtplib.SMTP_SSL(target.host, target.port, timeout=target.timeout_s,
                                  context=context)
    else:
        client = smtplib.SMTP(target.host, target.port, timeout=target.timeout_s)
    try:
        client.ehlo()
        if target.mode == "starttls":
            client.starttls(context=context)  # SMTPNotSupportedError when the server cannot
            client.ehlo()
        if target.username:
            client.login(target.username, target.password or "")
    except BaseException:
        client.close()
        raise
    return client


def send_email(rt: Runtime, session: Session, delivery: NotificationDelivery) -> None:
    """The `email` sender: hand the mail to the SMTP server; DeliveryFailed when it is not
    accepted (the delivery log retries with a backoff)."""
    if not rt.settings.smtp_url:
        raise DeliveryFailed("KANTA_SMTP_URL is not set")
    try:
        target = parse_smtp_url(rt.settings.smtp_url)
    except ValueError as e:
        raise DeliveryFailed(str(e)) from None
    message = build_message(rt.settings, delivery)
    try:
        client = _connect(target)
        try:
            refused = client.send_message(message)
        finally:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()
    except (smtplib.SMTPException, OSError) as e:  # ssl.SSLError is an OSError
        raise DeliveryFailed(f"SMTP {target.host}:{target.port}: {type(e).__name__}: {e}") from e
    if refused:
        raise DeliveryFailed(f"recipient refused: {refused}")
    log.info("mail sent", delivery_id=delivery.id, kind=delivery.kind)


register_sender(CHANNEL, send_email)
