"""Webhook endpoints of a firm: register, change, disable, rotate the secret, send a test
event, read the delivery log (kanta_docs/notify/webhooks.py signs and sends).

Admin-only (the `admin` scope, checked by the middleware and again by the guard). Every query
goes through the caller's firm: another firm's endpoint answers 404, like a missing id. The
secret (`whsec_...`) is stored encrypted and shown once, in the answer that creates or rotates
it. Creation, deletion, secret rotation, enabling and disabling are audited in the request's
transaction.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, delete, get, patch, post
from msgspec import UNSET, Meta, Struct, UnsetType
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.context import ApiContext
from api.errors import ApiError, not_found
from api.pagination import Page, PageParams, fetch_page
from api.routes.admin import ADMIN_OPT, admin_only
from api.security import Principal
from kanta_docs.notify import webhooks as wh
from kanta_docs.notify.secrets import webhook_secret_box
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import WebhookAttempt, WebhookEndpoint

Url = Annotated[str, Meta(min_length=8, max_length=2000)]
Description = Annotated[str, Meta(max_length=300)]
EventName = Annotated[str, Meta(min_length=1, max_length=100)]
Events = Annotated[list[EventName], Meta(min_length=1, max_length=20)]
MAX_ENDPOINTS = 20  # per firm


class WebhookView(Struct):
    """An endpoint, without its secret."""

    id: uuid.UUID
    url: str
    description: str
    events: list[str]
    enabled: bool
    consecutive_failures: int
    disabled_at: datetime | None
    disabled_reason: str | None
    created_by: str
    created_at: datetime


class WebhookCreate(Struct, forbid_unknown_fields=True):
    """A new endpoint: where to post, which event types ("*" for all), a note for people."""

    url: Url
    events: Events
    description: Description = ""


class WebhookUpdate(Struct, forbid_unknown_fields=True):
    """What changes (absent fields stay); `enabled: true` re-enables and clears the failures."""

    url: Url | UnsetType = UNSET
    events: Events | UnsetType = UNSET
    description: Description | UnsetType = UNSET
    enabled: bool | UnsetType = UNSET


class WebhookSecret(Struct):
    """The endpoint and its signing secret, shown this once (only its encryption is stored)."""

    secret: str
    webhook: WebhookView


class AttemptView(Struct):
    """One HTTP attempt of a delivery."""

    id: int
    delivery_id: int
    message_id: str
    event_type: str
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int
    success: bool


class TestResult(Struct):
    """The test event's delivery: the attempt made at once (null when none could be made)."""

    delivered: bool
    message_id: str
    attempt: AttemptView | None


def webhook_view(endpoint: WebhookEndpoint) -> WebhookView:
    """The endpoint as the API shows it (never the secret)."""
    return WebhookView(endpoint.id, endpoint.url, endpoint.description, list(endpoint.events),
                       endpoint.enabled, endpoint.consecutive_failures, endpoint.disabled_at,
                       endpoint.disabled_reason, endpoint.created_by, endpoint.created_at)


def attempt_view(attempt: WebhookAttempt) -> AttemptView:
    """An attempt as the API shows it."""
    ok = attempt.status_code is not None and 200 <= attempt.status_code < 300
    return AttemptView(attempt.id, attempt.delivery_id, attempt.message_id, attempt.event_type,
                       attempt.at, attempt.status_code, attempt.error, attempt.duration_ms, ok)


def firm_endpoint(db: Session, principal: Principal, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    """An endpoint of the caller's firm; 404 alike for a missing id and another firm's."""
    endpoint = db.scalar(select(WebhookEndpoint).where(
        WebhookEndpoint.firm_id == principal.firm_id, WebhookEndpoint.id == endpoint_id))
    if endpoint is None:
        raise not_found("Webhook")
    return endpoint


def _url(ctx: ApiContext, url: str) -> str:
    url = url.strip()
    try:
        wh.check_url(url, allow_private=ctx.settings.webhook_allow_private)
    except wh.UnsafeUrl as e:
        raise ApiError(400, "invalid_url",
                       "Adresse refusée : une URL http(s) publique, sans identifiants, est "
                       "attendue.", details=[{"field": "url", "message": str(e)}]) from None
    return url


def _events(events: list[str]) -> list[str]:
    unknown = [e for e in events if e != wh.ALL_EVENTS and e not in wh.EVENT_TYPES]
    if unknown:
        raise ApiError(400, "invalid_events", "Type d'événement inconnu.",
                       details=[{"field": "events",
                                 "message": f"inconnus : {', '.join(unknown)} ; connus : "
                                 f"{', '.join((wh.ALL_EVENTS, *wh.EVENT_TYPES))}"}])
    return sorted(set(events))


class WebhookController(Controller):
    """/webhooks: where the firm receives its events."""

    path = "/webhooks"
    tags = ["webhooks"]
    opt = ADMIN_OPT
    guards = [admin_only]

    @get("/", opt=ADMIN_OPT, sync_to_thread=True, summary="List the firm's webhook endpoints")
    def list_webhooks(self, db: Session, principal: Principal,
                      page: PageParams) -> Page[WebhookView]:
        """Oldest first; never the secrets."""
        query = (select(WebhookEndpoint).where(WebhookEndpoint.firm_id == principal.firm_id)
                 .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id))
        rows, total = fetch_page(db, query, page)
        return Page([webhook_view(e) for e in rows], total, page.limit, page.offset)

    @post("/", opt=ADMIN_OPT, sync_to_thread=True, status_code=201,
          summary="Register a webhook endpoint (its secret is shown once)")
    def create_webhook(self, db: Session, principal: Principal, ctx: ApiContext,
                       address: str | None, data: WebhookCreate) -> WebhookSecret:
        """The signing secret is in this answer only; 409 past 20 endpoints per firm."""
        url = _url(ctx, data.url)
        events = _events(data.events)
        count = db.scalar(select(func.count(WebhookEndpoint.id)).where(
            WebhookEndpoint.firm_id == principal.firm_id)) or 0
        if count >= MAX_ENDPOINTS:
            raise ApiError(409, "too_many_webhooks",
                           f"Un cabinet peut enregistrer au plus {MAX_ENDPOINTS} webhooks.")
        secret = wh.new_secret()
        now = ctx.clock()
        endpoint = WebhookEndpoint(
            firm_id=principal.firm_id, url=url, description=data.description.strip(),
            secret=webhook_secret_box(ctx.settings).encrypt(secret), events=events,
            enabled=True, consecutive_failures=0, created_by=principal.actor, created_at=now)
        db.add(endpoint)
        db.flush()
        FirmScope(db, principal.firm_id).append_audit(
            principal.actor, "webhook.create", "webhook", str(endpoint.id),
            {"url": url, "events": events}, address=address, now=now)
        return WebhookSecret(secret, webhook_view(endpoint))

    @get("/{webhook_id:uuid}", opt=ADMIN_OPT, sync_to_thread=True, summary="One endpoint")
    def get_webhook(self, db: Session, principal: Principal,
                    webhook_id: uuid.UUID) -> WebhookView:
        """The endpoint (404 for another firm's)."""
        return webhook_view(firm_endpoint(db, principal, webhook_id))

    @patch("/{webhook_id:uuid}", opt=ADMIN_OPT, sync_to_thread=True,
           summary="Change an endpoint's URL, events or description; enable or disable it")
    def update_webhook(self, db: Session, principal: Principal, ctx: ApiContext,
                       address: str | None, webhook_id: uuid.UUID,
                       data: WebhookUpdate) -> WebhookView:
        """Disabling abandons its pending deliveries; enabling clears the failure count (the
        deliveries abandoned meanwhile are not resent)."""
        endpoint = firm_endpoint(db, principal, webhook_id)
        now = ctx.clock()
        store = FirmScope(db, principal.firm_id)
        changes: dict[str, Any] = {}
        if not isinstance(data.url, UnsetType):
            url = _url(ctx, data.url)
            if url != endpoint.url:
                changes["url"] = {"from": endpoint.url, "to": url}
                endpoint.url = url
        if not isinstance(data.events, UnsetType):
            events = _events(data.events)
            if events != list(endpoint.events):
                changes["events"] = {"from": list(endpoint.events), "to": events}
                endpoint.events = events
        if not isinstance(data.description, UnsetType):
            endpoint.description = data.description.strip()
        if changes:
            store.append_audit(principal.actor, "webhook.update", "webhook", str(endpoint.id),
                               changes, address=address, now=now)
        if data.enabled is True and not endpoint.enabled:
            endpoint.enabled = True
            endpoint.consecutive_failures = 0
            endpoint.disabled_at = None
            endpoint.disabled_reason = None
            store.append_audit(principal.actor, "webhook.enable", "webhook", str(endpoint.id),
                               address=address, now=now)
        elif data.enabled is False and endpoint.enabled:
            wh.disable_endpoint(db, endpoint, f"disabled by {principal.actor}", now)
            store.append_audit(principal.actor, "webhook.disable", "webhook", str(endpoint.id),
                               address=address, now=now)
        db.flush()
        return webhook_view(endpoint)

    @delete("/{webhook_id:uuid}", opt=ADMIN_OPT, sync_to_thread=True, status_code=204,
            summary="Delete an endpoint and its delivery log")
    def delete_webhook(self, db: Session, principal: Principal, ctx: ApiContext,
                       address: str | None, webhook_id: uuid.UUID) -> None:
        """Its pending deliveries are abandoned."""
        endpoint = firm_endpoint(db, principal, webhook_id)
        now = ctx.clock()
        abandoned = wh.abandon_pending(db, endpoint.id, "webhook endpoint deleted")
        FirmScope(db, principal.firm_id).append_audit(
            principal.actor, "webhook.delete", "webhook", str(endpoint.id),
            {"url": endpoint.url, "events": list(endpoint.events),
             "pending_abandoned": abandoned}, address=address, now=now)
        db.delete(endpoint)
        db.flush()

    @post("/{webhook_id:uuid}/rotate-secret", opt=ADMIN_OPT, sync_to_thread=True,
          status_code=200, summary="Replace an endpoint's secret (the new one is shown once)")
    def rotate_secret(self, db: Session, principal: Principal, ctx: ApiContext,
                      address: str | None, webhook_id: uuid.UUID) -> WebhookSecret:
        """The old secret stops at once: every attempt from now on, retries included, is
        signed with the new one."""
        endpoint = firm_endpoint(db, principal, webhook_id)
        secret = wh.new_secret()
        endpoint.secret = webhook_secret_box(ctx.settings).encrypt(secret)
        FirmScope(db, principal.firm_id).append_audit(
            principal.actor, "webhook.rotate_secret", "webhook", str(endpoint.id),
            address=address, now=ctx.clock())
        db.flush()
        return WebhookSecret(secret, webhook_view(endpoint))

    @post("/{webhook_id:uuid}/test", opt=ADMIN_OPT, sync_to_thread=True, status_code=200,
          summary="Send a webhook.test event now")
    def send_test(self, db: Session, principal: Principal, ctx: ApiContext,
                  webhook_id: uuid.UUID) -> TestResult:
        """Queues a "webhook.test" event for this endpoint (enabled or not, subscribed or
        not) and attempts it at once; a failed attempt is retried like any delivery. Test
        events do not count towards disabling the endpoint."""
        endpoint = firm_endpoint(db, principal, webhook_id)
        now = ctx.clock()
        key = f"test_{uuid.uuid4().hex}"
        delivery = wh.enqueue_for_endpoint(
            db, endpoint, event_type=wh.WEBHOOK_TEST,
            data={"endpoint_id": str(endpoint.id),
                  "message": "Événement de test envoyé depuis kanta-docs."},
            idempotency_key=key, now=now)
        assert delivery is not None  # a fresh key
        attempt = wh.deliver_now(ctx.runtime, db, delivery, now)
        ok = attempt is not None and attempt.status_code is not None and \
            200 <= attempt.status_code < 300
        return TestResult(ok, delivery.idempotency_key,
                          attempt_view(attempt) if attempt is not None else None)

    @get("/{webhook_id:uuid}/attempts", opt=ADMIN_OPT, sync_to_thread=True,
         summary="The endpoint's delivery log")
    def list_attempts(self, db: Session, principal: Principal, page: PageParams,
                      webhook_id: uuid.UUID) -> Page[AttemptView]:
        """Newest first."""
        endpoint = firm_endpoint(db, principal, webhook_id)
        query = (select(WebhookAttempt).where(WebhookAttempt.endpoint_id == endpoint.id)
                 .order_by(WebhookAttempt.at.desc(), WebhookAttempt.id.desc()))
        rows, total = fetch_page(db, query, page)
        return Page([attempt_view(a) for a in rows], total, page.limit, page.offset)


ROUTES = [WebhookController]
