"""Notifications: the caller's in-app notifications (read/unread), the firm's notification
settings (admins), the caller's e-mail subscriptions, and the public unsubscribe link.

A user only ever reaches their own notifications: every query filters by the caller's user id
(and firm), so another user's notification answers 404, like a missing one. A collaborator
only sees notifications about the dossiers still assigned to them. API keys have no inbox: these
routes answer 403 to them (the firm settings excepted, for admin keys).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, MediaType, Response, get, post, put
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter
from msgspec import UNSET, Struct, UnsetType
from pydantic import ValidationError
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from api.context import ApiContext
from api.deps import caller_firm
from api.errors import ApiError, forbidden, not_found
from api.pagination import Page, PageParams, fetch_page
from api.routes.admin import ADMIN_OPT, admin_only
from api.security import Principal
from kanta_docs.notify.settings import (
    SETTINGS_KEY,
    NotificationSettings,
    firm_notification_settings,
    parse_notification_settings,
)
from kanta_docs.notify.signing import (
    EMAIL_KINDS,
    InvalidUnsubscribeToken,
    unsubscribe_key,
    verify_unsubscribe_token,
)
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import DossierAssignment, Notification, Unsubscription, User

PUBLIC: dict[str, Any] = {"public": True}
TAGS = ["notifications"]


class NotificationView(Struct):
    """An in-app notification."""

    id: uuid.UUID
    kind: str
    title: str
    body: str
    dossier_id: uuid.UUID | None
    created_at: datetime
    read: bool
    read_at: datetime | None


class ReadAll(Struct):
    """How many notifications were marked read."""

    updated: int


class NotificationSettingsView(Struct):
    """The firm's notification settings (see README "Notifications")."""

    expiry_lead_days: list[int]
    register_extract_max_months: int
    alert_types: list[str] | None
    min_severity: str
    recipients: list[str]
    immediate_high_severity: bool
    digest_hour: int


class Subscription(Struct):
    """One kind of e-mail and whether the caller receives it."""

    kind: str
    label: str
    subscribed: bool


class Subscriptions(Struct):
    """The kinds of e-mail the caller receives."""

    email: list[Subscription]


class SubscriptionsUpdate(Struct, forbid_unknown_fields=True):
    """Which kinds of e-mail to receive (absent kinds stay as they are)."""

    digest: bool | UnsetType = UNSET
    high_alert: bool | UnsetType = UNSET


def notification_view(n: Notification) -> NotificationView:
    """The notification as the API shows it."""
    return NotificationView(n.id, n.kind, n.title, n.body, n.dossier_id, n.created_at,
                            n.read_at is not None, n.read_at)


def _user_id(principal: Principal) -> uuid.UUID:
    if principal.user_id is None:
        raise forbidden("Réservé aux utilisateurs connectés (pas aux clés d'API).")
    return principal.user_id


def _own(db: Session, principal: Principal) -> Any:
    """The caller's notifications (a collaborator's: about their dossiers, or none)."""
    user_id = _user_id(principal)
    query = select(Notification).where(Notification.user_id == user_id,
                                       Notification.firm_id == principal.firm_id)
    if principal.is_collaborator:
        query = query.where(or_(Notification.dossier_id.is_(None), Notification.dossier_id.in_(
            select(DossierAssignment.dossier_id).where(DossierAssignment.user_id == user_id))))
    return query


class NotificationController(Controller):
    """/notifications: the caller's in-app notifications."""

    path = "/notifications"
    tags = TAGS

    @get("/", sync_to_thread=True, summary="The caller's in-app notifications, newest first")
    def list_notifications(self, db: Session, principal: Principal, page: PageParams,
                           unread: bool | None = None) -> Page[NotificationView]:
        """`unread=true`: only unread ones; `unread=false`: only read ones."""
        query = _own(db, principal)
        if unread is True:
            query = query.where(Notification.read_at.is_(None))
        elif unread is False:
            query = query.where(Notification.read_at.is_not(None))
        rows, total = fetch_page(db, query.order_by(Notification.created_at.desc(),
                                                    Notification.id), page)
        return Page([notification_view(n) for n in rows], total, page.limit, page.offset)

    @post("/{notification_id:uuid}/read", sync_to_thread=True, status_code=200,
          summary="Mark one notification read")
    def read_one(self, db: Session, principal: Principal, ctx: ApiContext,
                 notification_id: uuid.UUID) -> NotificationView:
        """Marks it read (again: keeps the first reading time)."""
        notification = db.scalar(_own(db, principal).where(Notification.id == notification_id))
        if notification is None:
            raise not_found("Notification")
        if notification.read_at is None:
            notification.read_at = ctx.clock()
            db.flush()
        return notification_view(notification)

    @post("/read-all", sync_to_thread=True, status_code=200,
          summary="Mark every notification of the caller read")
    def read_all(self, db: Session, principal: Principal, ctx: ApiContext) -> ReadAll:
        """Marks all unread notifications read; answers how many."""
        ids = select(_own(db, principal).where(Notification.read_at.is_(None))
                     .with_only_columns(Notification.id).subquery())
        result = db.execute(update(Notification).where(Notification.id.in_(ids))
                            .values(read_at=ctx.clock()).execution_options(
                                synchronize_session=False))
        return ReadAll(int(getattr(result, "rowcount", 0) or 0))


def settings_view(settings: NotificationSettings) -> NotificationSettingsView:
    """The settings as the API shows them."""
    return NotificationSettingsView(**settings.model_dump())


class FirmNotificationController(Controller):
    """/firm/notifications: who hears about what (admins only)."""

    path = "/firm/notifications"
    tags = TAGS
    opt = ADMIN_OPT
    guards = [admin_only]

    @get("/", opt=ADMIN_OPT, sync_to_thread=True, summary="The firm's notification settings")
    def get_settings(self, store: FirmScope) -> NotificationSettingsView:
        """The settings in force (the defaults for what the firm never set)."""
        firm = caller_firm(store)
        return settings_view(firm_notification_settings(firm))

    @put("/", opt=ADMIN_OPT, sync_to_thread=True, summary="Replace the firm's notification "
         "settings")
    def put_settings(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                     address: str | None, data: dict[str, Any]) -> NotificationSettingsView:
        """Absent fields take their default; types are checked strictly and unknown fields are
        refused (400). Audited."""
        firm = caller_firm(store)
        try:
            new = parse_notification_settings(data)
        except ValidationError as e:
            details = [{"field": ".".join(str(p) for p in err["loc"]) or "settings",
                        "message": err["msg"]} for err in e.errors()]
            raise ApiError(400, "invalid_settings",
                           "Paramètres de notification invalides.", details=details) from None
        before = firm_notification_settings(firm).model_dump()
        after = new.model_dump()
        firm.settings = {**(firm.settings or {}), SETTINGS_KEY: after}
        if before != after:
            store.append_audit(principal.actor, "firm.notifications.update", "firm",
                               str(firm.id), {"from": before, "to": after}, address=address,
                               now=ctx.clock())
        store.session.flush()
        return settings_view(new)


def _subscriptions(db: Session, user_id: uuid.UUID) -> Subscriptions:
    stopped = set(db.scalars(select(Unsubscription.kind).where(
        Unsubscription.user_id == user_id)))
    return Subscriptions([Subscription(kind, label, kind not in stopped)
                          for kind, label in EMAIL_KINDS.items()])


def _set_subscription(db: Session, user: User, kind: str, subscribed: bool,
                      now: datetime) -> bool:
    """Subscribe or unsubscribe; True when it changed anything."""
    row = db.get(Unsubscription, (user.id, kind))
    if subscribed and row is not None:
        db.delete(row)
        db.flush()
        return True
    if not subscribed and row is None:
        db.add(Unsubscription(user_id=user.id, kind=kind, created_at=now))
        db.flush()
        return True
    return False


class SubscriptionController(Controller):
    """/me/subscriptions: the kinds of e-mail the caller receives."""

    path = "/me/subscriptions"
    tags = TAGS

    @get("/", sync_to_thread=True, summary="The kinds of e-mail the caller receives")
    def get_subscriptions(self, db: Session, principal: Principal) -> Subscriptions:
        """Digest and immediate high-severity alerts (when the firm sends them)."""
        return _subscriptions(db, _user_id(principal))

    @put("/", sync_to_thread=True, summary="Choose the kinds of e-mail the caller receives")
    def put_subscriptions(self, db: Session, principal: Principal, ctx: ApiContext,
                          address: str | None, data: SubscriptionsUpdate) -> Subscriptions:
        """`{"digest": false}` stops the daily digest; `true` resumes it. Audited."""
        user = db.get(User, _user_id(principal))
        if user is None or user.firm_id != principal.firm_id:
            raise not_found("Utilisateur")
        changes = {}
        for kind in EMAIL_KINDS:
            wanted = getattr(data, kind)
            if not isinstance(wanted, UnsetType) and _set_subscription(db, user, kind, wanted,
                                                                       ctx.clock()):
                changes[kind] = wanted
        if changes:
            FirmScope(db, user.firm_id).append_audit(
                principal.actor, "notifications.subscriptions", "user", str(user.id),
                changes, address=address, now=ctx.clock())
        return _subscriptions(db, user.id)


def _page(title: str, message: str) -> str:
    return ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title></head><body style=\"font-family:sans-serif;"
            f'max-width:36em;margin:3em auto\"><h1>{title}</h1><p>{message}</p></body></html>')


_HTML_400 = {400: ResponseSpec(data_container=str, media_type=MediaType.HTML,
                               description="Lien invalide (page HTML)")}
Token = Annotated[str, Parameter(min_length=1, max_length=500, description="signed token")]


def _unsubscribe(ctx: ApiContext, db: Session, token: str,
                 address: str | None) -> Response[str]:
    try:
        kind, user_id = verify_unsubscribe_token(unsubscribe_key(ctx.settings), token)
    except InvalidUnsubscribeToken:
        return Response(_page("Lien invalide", "Ce lien de désabonnement est invalide ou "
                              "incomplet. Copiez-le en entier depuis l'e-mail reçu."),
                        status_code=400, media_type=MediaType.HTML)
    user = db.get(User, user_id)
    if user is not None and _set_subscription(db, user, kind, False, ctx.clock()):
        FirmScope(db, user.firm_id).append_audit(
            user.email, "notifications.unsubscribe", "user", str(user.id),
            {"kind": kind, "via": "link"}, address=address, now=ctx.clock())
    label = EMAIL_KINDS[kind].lower()
    return Response(_page("Désabonnement enregistré",
                          f"Vous ne recevrez plus d'e-mails de type « {label} ». Vous pouvez "
                          "les réactiver à tout moment dans vos préférences de notification."),
                    status_code=200, media_type=MediaType.HTML)


class UnsubscribeController(Controller):
    """/unsubscribe: the public link of every mail (the signed token is the credential)."""

    path = "/unsubscribe"
    tags = TAGS

    @get("/", opt=PUBLIC, sync_to_thread=True, responses=_HTML_400, media_type=MediaType.HTML,
         summary="Stop a kind of e-mail (the link in every mail)")
    def unsubscribe(self, ctx: ApiContext, db: Session, address: str | None,
                    token: Token) -> Response[str]:
        """Public: the signed token names the user and the kind of e-mail; answers a French
        page. Following the link again is harmless."""
        return _unsubscribe(ctx, db, token, address)

    @post("/", opt=PUBLIC, sync_to_thread=True, status_code=200, responses=_HTML_400,
          media_type=MediaType.HTML,
          summary="One-click unsubscribe (RFC 8058, List-Unsubscribe-Post)")
    def unsubscribe_one_click(self, ctx: ApiContext, db: Session, address: str | None,
                              token: Token) -> Response[str]:
        """What mail clients post for `List-Unsubscribe-Post: List-Unsubscribe=One-Click`."""
        return _unsubscribe(ctx, db, token, address)


ROUTES = [NotificationController, FirmNotificationController, SubscriptionController,
          UnsubscribeController]
