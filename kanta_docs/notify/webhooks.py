"""Signed webhooks (Standard Webhooks, https://www.standardwebhooks.com/).

A firm registers endpoints (`WebhookEndpoint`) with the event types it wants. An event becomes one
`NotificationDelivery` per subscribed, enabled endpoint of the firm (channel "webhook", recipient
= the endpoint id, idempotency key `<event key>:<endpoint id>`), written in the transaction of
what caused it; `deliveries.deliver_due` sends it through `send_webhook`, retries it with the
delivery log's exponential backoff, and never marks it sent before the receiver answered 2xx.

The request: POST, JSON body `{"type", "timestamp", "data"}`, and the headers
- `webhook-id`: the delivery's idempotency key, the same on every retry (and on the resend after
  a worker died between the send and the commit): receivers discard a duplicate by it;
- `webhook-timestamp`: the attempt's time, unix seconds;
- `webhook-signature`: `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`, where the key
  is the base64-decoded part of the endpoint's `whsec_...` secret.
No redirects are followed (3xx is a failure); the timeout is 10 s; every attempt is written to
the endpoint's log (`WebhookAttempt`).

Disable rule: an endpoint is disabled when it has failed DISABLE_AFTER_FAILURES (15) attempts in
a row *and* the first failure of that run is at least DISABLE_AFTER (3 days) old, i.e. it has
not answered 2xx for three days whatever the number of events; or at once when it answers
410 Gone (the receiver says it wants no more). Its pending deliveries are abandoned and the
firm's active administrators are told in French: an in-app notification each and, when mail
is configured, an e-mail each.
Test events ("webhook.test") are logged but neither count as failures nor reset the count.

SSRF: only http(s) URLs without credentials; unless `KANTA_WEBHOOK_ALLOW_PRIVATE`, the host must
resolve to public addresses only (checked when the URL is saved and again before each attempt).
The check and the connection resolve the name separately, so a DNS answer that changes between
the two (rebinding) is not caught: deployments that need more route the workers' egress through
a filtering proxy (HTTPS_PROXY is honoured) or a subnet without access to internal services.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import html
import ipaddress
import json
import secrets
import socket
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select

from kanta_docs.errors import ConfigError
from kanta_docs.logs import get_logger
from kanta_docs.notify.deliveries import (
    ABANDONED,
    ATTEMPT_AT,
    PENDING,
    DeliveryFailed,
    attempt_time,
    enqueue,
    mark_failed,
    mark_sent,
    register_sender,
)
from kanta_docs.notify.email import email_enabled, queue_email
from kanta_docs.notify.inapp import add_notification
from kanta_docs.notify.secrets import webhook_secret_box
from kanta_docs.store.tables import (
    Alert,
    Document,
    NotificationDelivery,
    OutboxEvent,
    User,
    UserRole,
    WebhookAttempt,
    WebhookEndpoint,
)

if TYPE_CHECKING:
    import ssl
    from collections.abc import Mapping

    from sqlalchemy.orm import Session

    from kanta_docs.config import Settings
    from kanta_docs.tasks import Runtime

log = get_logger(__name__)

CHANNEL = "webhook"
ALERT_OPENED, ALERT_RESOLVED = "alert.opened", "alert.resolved"
RISK_CHANGED = "risk.changed"
DOCUMENT_PROCESSED, DOCUMENT_EXPIRING = "document.processed", "document.expiring"
WEBHOOK_TEST = "webhook.test"
EVENT_TYPES = (ALERT_OPENED, ALERT_RESOLVED, RISK_CHANGED, DOCUMENT_PROCESSED,
               DOCUMENT_EXPIRING, WEBHOOK_TEST)
ALL_EVENTS = "*"  # an endpoint subscribed to "*" receives every event type

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
TOLERANCE_S = 300
TIMEOUT_S = 10.0
USER_AGENT = "kanta-docs-webhooks/1"
DISABLE_AFTER_FAILURES = 15
DISABLE_AFTER = timedelta(days=3)
# A message id must hold no "." (the signed content is "{id}.{timestamp}.{body}") and fit the
# attempt log's column (100) once ":<endpoint uuid>" (37) is appended.
MAX_EVENT_KEY = 60
DISABLED_KIND = "webhook_disabled"

# What `data` may hold, per event type: ids, types, levels, dates; never personal data (names,
# file names, document numbers). Other keys are dropped, with a warning.
DATA_KEYS: dict[str, frozenset[str]] = {
    ALERT_OPENED: frozenset({"alert_id", "dossier_id", "alert_type", "severity", "reopened"}),
    ALERT_RESOLVED: frozenset({"alert_id", "dossier_id", "alert_type", "severity",
                               "resolution"}),
    RISK_CHANGED: frozenset({"dossier_id", "level"}),
    DOCUMENT_PROCESSED: frozenset({"document_id", "dossier_id", "state", "doc_type"}),
    DOCUMENT_EXPIRING: frozenset({"document_id", "dossier_id", "doc_type",
                                  "effective_expiry_date", "days_left"}),
    WEBHOOK_TEST: frozenset({"endpoint_id", "message"}),
}

# Outbox topics (kanta_docs/tasks.py, api/routes/*) -> webhook event types.
OUTBOX_TOPICS: dict[str, str] = {
    "alert.open": ALERT_OPENED,
    "alert.reopen": ALERT_OPENED,
    "alert.auto_resolve": ALERT_RESOLVED,
    "alert.resolve": ALERT_RESOLVED,
    "alert.dismiss": ALERT_RESOLVED,
    "risk.changed": RISK_CHANGED,
    "document.processed": DOCUMENT_PROCESSED,
}


class WebhookVerificationError(Exception):
    """A webhook whose headers are missing, whose timestamp is outside the tolerance, or whose
    signatures all fail."""


class UnsafeUrl(ValueError):
    """A URL webhooks must not be sent to (scheme, credentials, or a non-public address)."""


# -- signing ----------------------------------------------------------------------------------


def new_secret() -> str:
    """A new endpoint secret: "whsec_" + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def _key(secret: str) -> bytes:
    raw = secret[len(SECRET_PREFIX):] if secret.startswith(SECRET_PREFIX) else secret
    try:
        key = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("a webhook secret is 'whsec_' followed by base64") from None
    if not key:
        raise ValueError("empty webhook secret")
    return key


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: "v1," + base64(HMAC-SHA256(key, "{id}.{ts}.{body}"))."""
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def verify(secret: str, headers: Mapping[str, str], body: bytes, *,
           tolerance_s: int = TOLERANCE_S, now: float | None = None) -> None:
    """Check a received webhook: the three headers are there, the timestamp is within
    `tolerance_s` of `now` (unix seconds, default the clock), and one of the space-separated
    "v1," signatures matches (constant-time comparison).

    Raises:
        WebhookVerificationError: otherwise.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    msg_id = lowered.get("webhook-id", "")
    stamp = lowered.get("webhook-timestamp", "")
    signatures = lowered.get("webhook-signature", "")
    if not (msg_id and stamp and signatures):
        raise WebhookVerificationError("missing webhook-id, webhook-timestamp or "
                                       "webhook-signature header")
    try:
        timestamp = int(stamp)
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not an integer") from None
    current = time.time() if now is None else now
    if timestamp < current - tolerance_s:
        raise WebhookVerificationError("message timestamp too old")
    if timestamp > current + tolerance_s:
        raise WebhookVerificationError("message timestamp too new")
    expected = base64.b64decode(sign(secret, msg_id, timestamp, body)[3:])
    for candidate in signatures.split(" "):
        version, _, value = candidate.partition(",")
        if version != "v1":
            continue
        try:
            given = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            continue
        if hmac.compare_digest(expected, given):
            return
    raise WebhookVerificationError("no matching signature")


def body_of(payload: Mapping[str, Any]) -> bytes:
    """The JSON body sent for a payload: compact, keys sorted, UTF-8 (stable across retries)."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True,
                      ensure_ascii=False).encode("utf-8")


# -- destinations (SSRF) ------------------------------------------------------------------------


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return _public(mapped)
    return address.is_global and not address.is_multicast


def check_url(url: str, *, allow_private: bool) -> None:
    """Refuse what is never a webhook URL: not http(s), no host, credentials in it, a bad port,
    and (unless `allow_private`) a literal non-public address or a "localhost" name.

    Raises:
        UnsafeUrl: with the reason, in English.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        raise UnsafeUrl(f"malformed URL ({e})") from None
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrl("only http and https URLs are accepted")
    host = parts.hostname
    if not host:
        raise UnsafeUrl("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl("credentials in the URL are not accepted")
    if port == 0:
        raise UnsafeUrl("port 0 is not a port")
    if allow_private:
        return
    if host == "localhost" or host.endswith(".localhost"):
        raise UnsafeUrl("loopback hosts are refused")
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        return
    if not _public(literal):
        raise UnsafeUrl(f"{literal} is not a public address")


def check_destination(url: str, *, allow_private: bool) -> None:
    """`check_url`, then (unless `allow_private`) every address the host resolves to must be
    public.

    Raises:
        UnsafeUrl: a refused URL or address.
        OSError: the name does not resolve (socket.gaierror).
    """
    check_url(url, allow_private=allow_private)
    if allow_private:
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not _public(address):
            raise UnsafeUrl(f"{host} resolves to {address}, which is not a public address")


# -- events -----------------------------------------------------------------------------------


def subscribed(endpoint: WebhookEndpoint, event_type: str) -> bool:
    """Whether the endpoint wants this event type."""
    events = endpoint.events or []
    return event_type in events or ALL_EVENTS in events


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _check_key(idempotency_key: str) -> None:
    if not idempotency_key or "." in idempotency_key or len(idempotency_key) > MAX_EVENT_KEY:
        raise ValueError(f"an event's idempotency key is 1-{MAX_EVENT_KEY} characters without "
                         f"'.': {idempotency_key!r}")


def _allowed(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """`data` without the keys its event type does not allow (personal data never leaves)."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    allowed = DATA_KEYS[event_type]
    dropped = sorted(k for k in data if k not in allowed)
    if dropped:
        log.warning("webhook data keys dropped", event_type=event_type, keys=dropped)
    return {k: v for k, v in data.items() if k in allowed}


def enqueue_for_endpoint(session: Session, endpoint: WebhookEndpoint, *, event_type: str,
                         data: dict[str, Any], idempotency_key: str, now: datetime,
                         occurred_at: datetime | None = None) -> NotificationDelivery | None:
    """One pending delivery of the event to this endpoint (None when its key is known)."""
    _check_key(idempotency_key)
    payload = {"type": event_type, "timestamp": _iso(occurred_at or now),
               "data": _allowed(event_type, data)}
    return enqueue(session, firm_id=endpoint.firm_id, channel=CHANNEL, kind=event_type,
                   recipient=str(endpoint.id), idempotency_key=f"{idempotency_key}:{endpoint.id}",
                   payload=payload, now=now)


def enqueue_event(session: Session, *, firm_id: uuid.UUID, event_type: str,
                  data: dict[str, Any], idempotency_key: str, now: datetime,
                  occurred_at: datetime | None = None) -> int:
    """Queue an event for every enabled endpoint of the firm subscribed to it (or to "*");
    returns how many deliveries were created (0 for an event already queued: the key of each
    delivery is f"{idempotency_key}:{endpoint_id}").

    `data` holds ids and types only, never personal data. `idempotency_key` identifies the
    event (1-60 characters, no "."); `occurred_at` is the payload's timestamp (default `now`).
    """
    _check_key(idempotency_key)
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    endpoints = session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.firm_id == firm_id, WebhookEndpoint.enabled.is_(True))
        .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id))
    created = 0
    for endpoint in endpoints:
        if subscribed(endpoint, event_type) and enqueue_for_endpoint(
                session, endpoint, event_type=event_type, data=data,
                idempotency_key=idempotency_key, now=now, occurred_at=occurred_at) is not None:
            created += 1
    return created


def on_outbox_event(session: Session, event: OutboxEvent, now: datetime) -> None:
    """Turn one outbox event into webhook deliveries (the outbox relay calls it for every event;
    topics that are not webhook events are ignored). Safe to call twice for the same event: the
    idempotency key is "outbox_<event id>"."""
    event_type = OUTBOX_TOPICS.get(event.topic)
    if event_type is None or event.firm_id is None:
        return
    data = _event_data(session, event)
    if data is None:
        return
    enqueue_event(session, firm_id=event.firm_id, event_type=event_type, data=data,
                  idempotency_key=f"outbox_{event.id}", now=now, occurred_at=event.created_at)


def _event_data(session: Session, event: OutboxEvent) -> dict[str, Any] | None:
    """The webhook data of an outbox event: ids, types, levels; nothing personal."""
    payload = event.payload or {}
    dossier_id = payload.get("dossier_id")
    if event.topic.startswith("alert."):
        alert_id = payload.get("alert_id")
        if alert_id is None:
            return None
        alert = session.scalar(select(Alert).where(Alert.id == uuid.UUID(str(alert_id)),
                                                   Alert.firm_id == event.firm_id))
        if dossier_id is None and alert is not None:
            dossier_id = alert.dossier_id
        data: dict[str, Any] = {
            "alert_id": str(alert_id),
            "dossier_id": None if dossier_id is None else str(dossier_id),
            "alert_type": payload.get("type") or (alert.type if alert else None),
            "severity": alert.severity if alert else None,
        }
        if event.topic in ("alert.open", "alert.reopen"):
            data["reopened"] = event.topic == "alert.reopen"
        else:
            data["resolution"] = {"alert.auto_resolve": "auto", "alert.resolve": "resolved",
                                  "alert.dismiss": "dismissed"}[event.topic]
        return data
    if event.topic == "risk.changed":
        return {"dossier_id": str(dossier_id), "level": payload.get("level")}
    if event.topic == "document.processed":
        document_id = payload.get("document_id")
        if document_id is None:
            return None
        document = session.scalar(select(Document).where(
            Document.id == uuid.UUID(str(document_id)), Document.firm_id == event.firm_id))
        return {"document_id": str(document_id), "dossier_id": str(dossier_id),
                "state": str(document.state) if document else None,
                "doc_type": document.doc_type if document else None}
    return None


# -- sending ----------------------------------------------------------------------------------


@functools.cache
def _tls() -> ssl.SSLContext:
    """The TLS context httpx would build (certificates verified), built once: building it
    costs more than a request."""
    return httpx.create_ssl_context()


def _abandon(delivery: NotificationDelivery, reason: str) -> NoReturn:
    """Stop retrying: the status stays "abandoned" when `deliver_due` then counts the failure
    (`mark_failed` only ever sets "abandoned" itself)."""
    delivery.status = ABANDONED
    raise DeliveryFailed(reason)


def _endpoint_of(session: Session, delivery: NotificationDelivery) -> WebhookEndpoint | None:
    try:
        endpoint_id = uuid.UUID(delivery.recipient)
    except ValueError:
        return None
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.firm_id != delivery.firm_id:
        return None
    return endpoint


def attempt(rt: Runtime, session: Session, delivery: NotificationDelivery,
            ) -> tuple[WebhookAttempt, bool, str]:
    """Make one HTTP attempt of a delivery and log it: (the attempt, whether it succeeded, the
    error). A delivery whose endpoint is gone, or disabled (except test events), is abandoned,
    and one whose secret cannot be decrypted (our configuration, not the receiver's fault) is
    failed: `DeliveryFailed` is raised and nothing is sent."""
    at = attempt_time(session)
    endpoint = _endpoint_of(session, delivery)
    if endpoint is None:
        _abandon(delivery, "webhook endpoint deleted")
    test = delivery.kind == WEBHOOK_TEST
    if not endpoint.enabled and not test:
        _abandon(delivery, "webhook endpoint disabled")
    body = body_of(delivery.payload)
    msg_id = delivery.idempotency_key
    stamp = int(at.timestamp())
    try:
        secret = webhook_secret_box(rt.settings).decrypt(endpoint.secret)
    except (ValueError, ConfigError) as e:
        log.error("webhook secret cannot be decrypted", endpoint_id=str(endpoint.id),
                  error=str(e))
        raise DeliveryFailed(f"cannot decrypt the endpoint's secret: {e}") from e
    status: int | None = None
    error = ""
    started = time.monotonic()
    try:
        headers = {"content-type": "application/json", "user-agent": USER_AGENT,
                   "webhook-id": msg_id, "webhook-timestamp": str(stamp),
                   "webhook-signature": sign(secret, msg_id, stamp, body)}
        check_destination(endpoint.url, allow_private=rt.settings.webhook_allow_private)
        with httpx.Client(timeout=TIMEOUT_S, follow_redirects=False, verify=_tls()) as client, \
                client.stream("POST", endpoint.url, content=body, headers=headers) as response:
            status = response.status_code  # the body is never read
    except UnsafeUrl as e:
        error = f"refused destination: {e}"
    except httpx.HTTPError as e:
        error = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
    except OSError as e:  # name resolution
        error = f"cannot resolve the host: {e}"
    ok = status is not None and 200 <= status < 300
    if status is not None and not ok:
        error = f"HTTP {status}"
    logged = WebhookAttempt(endpoint_id=endpoint.id, delivery_id=delivery.id, message_id=msg_id,
                            event_type=delivery.kind, at=at, status_code=status,
                            error=error or None,
                            duration_ms=int((time.monotonic() - started) * 1000))
    session.add(logged)
    session.flush()
    if not test:
        _count(session, endpoint, ok=ok, status=status, at=at, settings=rt.settings)
    return logged, ok, error


def send_webhook(rt: Runtime, session: Session, delivery: NotificationDelivery) -> None:
    """The sender of channel "webhook" (`deliver_due` marks the delivery sent when this returns).

    Raises:
        DeliveryFailed: anything but a 2xx answer; the delivery log retries it.
    """
    _, ok, error = attempt(rt, session, delivery)
    if not ok:
        raise DeliveryFailed(error)


def deliver_now(rt: Runtime, session: Session, delivery: NotificationDelivery,
                now: datetime) -> WebhookAttempt | None:
    """Attempt one delivery at once (the "send test event" action), in the caller's transaction,
    and mark it as `deliver_due` would: sent, or failed and retried later."""
    session.info[ATTEMPT_AT] = now
    try:
        logged, ok, error = attempt(rt, session, delivery)
    except DeliveryFailed as e:
        mark_failed(delivery, str(e), now)
        return None
    if ok:
        mark_sent(delivery, now)
    else:
        mark_failed(delivery, error, now)
    return logged


# -- failures, disabling ----------------------------------------------------------------------


def _count(session: Session, endpoint: WebhookEndpoint, *, ok: bool, status: int | None,
           at: datetime, settings: Settings) -> None:
    """Update the endpoint's run of failures, and disable it by the rule (module docstring)."""
    if session.get_bind().dialect.name == "postgresql":  # concurrent workers: one at a time
        session.refresh(endpoint, with_for_update=True)
    if ok:
        endpoint.consecutive_failures = 0
        return
    endpoint.consecutive_failures += 1
    if not endpoint.enabled:
        return
    if status == 410:
        disable_endpoint(session, endpoint, "the receiver answered 410 Gone", at,
                         settings=settings, notice="Le récepteur a répondu 410 (Gone) : il "
                         "ne veut plus recevoir d'événements.")
        return
    if endpoint.consecutive_failures < DISABLE_AFTER_FAILURES:
        return
    since = failing_since(session, endpoint)
    if since is not None and at - since >= DISABLE_AFTER:
        disable_endpoint(
            session, endpoint,
            f"{endpoint.consecutive_failures} failed attempts in a row since {_iso(since)}", at,
            settings=settings)


def failing_since(session: Session, endpoint: WebhookEndpoint) -> datetime | None:
    """When the current run of failures began: the time of the n-th most recent (non-test)
    attempt, n being the endpoint's count of consecutive failures."""
    if endpoint.consecutive_failures <= 0:
        return None
    return session.scalar(
        select(WebhookAttempt.at)
        .where(WebhookAttempt.endpoint_id == endpoint.id,
               WebhookAttempt.event_type != WEBHOOK_TEST)
        .order_by(WebhookAttempt.at.desc(), WebhookAttempt.id.desc())
        .offset(endpoint.consecutive_failures - 1).limit(1))


def abandon_pending(session: Session, endpoint_id: uuid.UUID, reason: str) -> int:
    """Abandon the endpoint's pending deliveries; returns how many. Rows another worker is
    sending right now are skipped (PostgreSQL): their sender abandons them on its next try."""
    query = select(NotificationDelivery).where(
        NotificationDelivery.channel == CHANNEL,
        NotificationDelivery.recipient == str(endpoint_id),
        NotificationDelivery.status == PENDING)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    count = 0
    for delivery in session.scalars(query):
        delivery.status = ABANDONED
        delivery.last_error = reason
        count += 1
    return count


def disable_endpoint(session: Session, endpoint: WebhookEndpoint, reason: str, now: datetime,
                     *, settings: Settings | None = None, notice: str = "") -> None:
    """Disable the endpoint and abandon its pending deliveries. With `settings` (the worker's
    automatic disabling), tell the firm's active administrators in the app and, when mail is
    configured, by e-mail; `notice` is a French sentence saying why, added to the message."""
    endpoint.enabled = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = reason
    abandoned = abandon_pending(session, endpoint.id, "webhook endpoint disabled")
    log.warning("webhook endpoint disabled", endpoint_id=str(endpoint.id),
                firm_id=str(endpoint.firm_id), reason=reason, abandoned=abandoned)
    if settings is not None:
        alert_admins(session, endpoint, now, settings=settings, notice=notice)


def _french_instant(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%d/%m/%Y à %H:%M UTC")


def disabled_message(endpoint: WebhookEndpoint, since: datetime | None, notice: str = "",
                     ) -> tuple[str, str, str, str]:
    """(title, subject, text, html) of the notice to administrators, in French."""
    label = endpoint.description.strip() or urlsplit(endpoint.url).hostname or endpoint.url
    title = f"Webhook désactivé : {label}"[:300]
    since_text = f" depuis le {_french_instant(since)}" if since is not None else ""
    at = endpoint.disabled_at or datetime.now(UTC)
    paragraphs = [
        f"Le webhook « {label} » ({endpoint.url}) n'accepte plus nos envois : "
        f"{endpoint.consecutive_failures} tentatives consécutives ont échoué{since_text}."
        + (f" {notice}" if notice else ""),
        f"Il a été désactivé le {_french_instant(at)}. Les événements en attente ne lui seront "
        "pas envoyés et aucun nouvel événement ne lui sera adressé tant qu'il restera "
        "désactivé.",
        "Pour le rétablir : corrigez le récepteur, réactivez le webhook (PATCH /webhooks/"
        f"{endpoint.id} avec « enabled » à true), puis envoyez un événement de test "
        f"(POST /webhooks/{endpoint.id}/test). Le journal des tentatives est consultable par "
        f"GET /webhooks/{endpoint.id}/attempts.",
    ]
    text = "\n\n".join(paragraphs)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    page = (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title></head><body>{body}</body></html>")
    return title, f"[kanta-docs] {title}"[:250], text, page


def alert_admins(session: Session, endpoint: WebhookEndpoint, now: datetime, *,
                 settings: Settings, notice: str = "") -> int:
    """An in-app notification and (when mail is configured) an e-mail (`email.queue_email`,
    kind "webhook_disabled") per active administrator of the endpoint's firm; idempotent per
    disabling. Returns how many administrators."""
    since = failing_since(session, endpoint)
    title, subject, text, page = disabled_message(endpoint, since, notice)
    admins = list(session.scalars(select(User).where(
        User.firm_id == endpoint.firm_id, User.role == UserRole.ADMIN,
        User.disabled_at.is_(None)).order_by(User.email)))
    stamp = (endpoint.disabled_at or now).astimezone(UTC).strftime("%Y%m%dT%H%M%S")
    mail = email_enabled(settings)
    for admin in admins:
        key = f"{DISABLED_KIND}:{endpoint.id}:{stamp}:{admin.id}"
        add_notification(session, firm_id=endpoint.firm_id, user_id=admin.id,
                         kind=DISABLED_KIND, title=title, body=text, dossier_id=None,
                         idempotency_key=key, now=now)
        if mail:
            queue_email(session, firm_id=endpoint.firm_id, kind=DISABLED_KIND, to=admin.email,
                        idempotency_key=key, subject=subject, text=text, html=page,
                        unsubscribe_url=None, now=now)
    return len(admins)


register_sender(CHANNEL, send_webhook)
