"""The daily digest: one mail per recipient per day, grouped by dossier, never one per document.

Items are the recipient's in-app notifications of the digest kinds (expiry, register_extract,
alert: see inapp.py) written in the last `LOOKBACK_DAYS` and not in an earlier digest (each
digest lists the notifications it carried in its payload). So an item written after today's
digest left, or by a transaction that committed late, goes into the next one; nothing is sent
twice and nothing is dropped. The digest of a day has the idempotency key
`digest:{user}:{day}`: running the task again that day queues nothing.

`send_digests(rt)` (hourly) sends each firm's digest from its `digest_hour` (Europe/Paris) on;
with an explicit `day` it ignores the hour. It runs the day's lead-time scan first
(idempotent), so whichever task the scheduler starts first, the digest holds that day's
reminders. Skipped: disabled users, users who unsubscribed from "digest", users with nothing to
report; a collaborator's digest only shows the dossiers assigned to them at sending time.
"""

from __future__ import annotations

import html
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kanta_docs.logs import get_logger
from kanta_docs.notify.email import email_enabled, queue_email
from kanta_docs.notify.expiry import PARIS, notify_expiries, parse_day
from kanta_docs.notify.inapp import DIGEST_KINDS, french_date, unsubscribed
from kanta_docs.notify.settings import firm_notification_settings
from kanta_docs.notify.signing import dossier_url, unsubscribe_url
from kanta_docs.store import repositories as repo
from kanta_docs.store.tables import (
    Dossier,
    DossierAssignment,
    Firm,
    Notification,
    NotificationDelivery,
    User,
    UserRole,
    utc_now,
)

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.orm import Session

    from kanta_docs.config import Settings
    from kanta_docs.tasks import Runtime

log = get_logger(__name__)

DIGEST = "digest"
LOOKBACK_DAYS = 14


def digest_key(user_id: uuid.UUID, day: date) -> str:
    """The idempotency key of a user's digest of a day."""
    return f"digest:{user_id}:{day.isoformat()}"


def send_digests(rt: Runtime, day: str = "", *, now: datetime | None = None) -> int:
    """Queue the digests of `day` (default today in Paris, each firm from its digest hour);
    returns how many were queued. `deliver_notifications` sends them."""
    now = now or utc_now()
    today = parse_day(day, now)
    notify_expiries(rt, today.isoformat(), now=now)
    if not email_enabled(rt.settings):
        return 0
    hour = now.astimezone(PARIS).hour
    with rt.sessions.begin() as session:
        firms = repo.firm_ids(session)
    queued = 0
    for firm_id in firms:
        with rt.sessions.begin() as session:
            firm = session.get(Firm, firm_id)
            if firm is None:
                continue
            if not day and hour < firm_notification_settings(firm).digest_hour:
                continue
            queued += _firm_digests(session, rt.settings, firm, today, now)
    log.info("digests queued", day=today.isoformat(), digests=queued)
    return queued


def _firm_digests(session: Session, settings: Settings, firm: Firm, today: date,
                  now: datetime) -> int:
    users = list(session.scalars(select(User).where(User.firm_id == firm.id,
                                                    User.disabled_at.is_(None))
                                 .order_by(User.id)))
    if not users:
        return 0
    keys = {digest_key(u.id, today): u for u in users}
    done = set(session.scalars(select(NotificationDelivery.idempotency_key).where(
        NotificationDelivery.idempotency_key.in_(list(keys)))))
    stopped = unsubscribed(session, [u.id for u in users], DIGEST)
    queued = 0
    for key, user in keys.items():
        if key in done or user.id in stopped:
            continue
        items = digest_items(session, user, today, now)
        if not items:
            continue
        subject, text, body = render_digest(settings, session, user, today, items)
        queued += queue_email(
            session, firm_id=firm.id, kind=DIGEST, to=user.email, idempotency_key=key,
            subject=subject, text=text, html=body,
            unsubscribe_url=unsubscribe_url(settings, DIGEST, user.id), now=now,
            extra={"user_id": str(user.id), "day": today.isoformat(),
                   "notification_ids": [str(n.id) for n in items]}) is not None
    return queued


def digest_items(session: Session, user: User, today: date, now: datetime) -> list[Notification]:
    """The user's notifications to report in the digest of `today`, oldest first."""
    around = [today + timedelta(days=d) for d in range(-LOOKBACK_DAYS, LOOKBACK_DAYS + 1)
              if d != 0]
    digested: set[str] = set()
    for payload in session.scalars(select(NotificationDelivery.payload).where(
            NotificationDelivery.idempotency_key.in_([digest_key(user.id, d) for d in around]))):
        digested.update(payload.get("notification_ids", []))
    query = (select(Notification)
             .where(Notification.user_id == user.id, Notification.firm_id == user.firm_id,
                    Notification.kind.in_(DIGEST_KINDS),
                    Notification.created_at > now - timedelta(days=LOOKBACK_DAYS),
                    Notification.created_at <= now)
             .order_by(Notification.created_at, Notification.id))
    if user.role == UserRole.COLLABORATOR:
        query = query.where(Notification.dossier_id.in_(
            select(DossierAssignment.dossier_id).where(DossierAssignment.user_id == user.id)))
    return [n for n in session.scalars(query) if str(n.id) not in digested]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def render_digest(settings: Settings, session: Session, user: User, today: date,
                  items: list[Notification]) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of a digest, in French, grouped by dossier."""
    groups: dict[uuid.UUID | None, list[Notification]] = defaultdict(list)
    for item in items:
        groups[item.dossier_id].append(item)
    dossiers: dict[uuid.UUID, Any] = {}
    ids = [d for d in groups if d is not None]
    if ids:
        dossiers = {d.id: d for d in session.scalars(select(Dossier).where(Dossier.id.in_(ids)))}

    def order(dossier_id: uuid.UUID | None) -> tuple[int, str, str]:
        d = dossiers.get(dossier_id) if dossier_id else None
        return (d is None, (d.name.casefold() if d else ""), str(dossier_id))

    when = french_date(today)
    subject = (f"kanta-docs : récapitulatif du {when} – "
               f"{_plural(len(items), 'point')} à suivre")
    stop = unsubscribe_url(settings, DIGEST, user.id)
    intro = (f"Voici les points à suivre au {when}, par dossier "
             f"({_plural(len(items), 'point')}, {_plural(len(groups), 'dossier')}).")
    lines = [f"Bonjour {user.display_name},", "", intro, ""]
    parts = [f"<p>Bonjour {_e(user.display_name)},</p>", f"<p>{_e(intro)}</p>"]
    for dossier_id in sorted(groups, key=order):
        dossier = dossiers.get(dossier_id) if dossier_id else None
        name = dossier.name if dossier else "Sans dossier"
        if dossier is not None and dossier.siren:
            name += f" (SIREN {dossier.siren})"
        lines.append(f"■ {name}")
        parts.append(f"<h3>{_e(name)}</h3><ul>")
        for item in groups[dossier_id]:
            lines.append(f"  - {item.title} : {item.body}")
            parts.append(f"<li><strong>{_e(item.title)}</strong> : {_e(item.body)}</li>")
        parts.append("</ul>")
        if dossier_id is not None:
            link = dossier_url(settings, dossier_id)
            lines.append(f"  Ouvrir le dossier : {link}")
            parts.append(f'<p><a href="{_e(link)}">Ouvrir le dossier</a></p>')
        lines.append("")
    footer = ("Vous recevez ce récapitulatif en tant que destinataire des notifications "
              "de votre cabinet.")
    lines += ["--", footer, f"Ne plus recevoir ce récapitulatif : {stop}"]
    parts.append(f'<hr><p style="color:#666;font-size:small">{_e(footer)} '
                 f'<a href="{_e(stop)}">Ne plus recevoir ce récapitulatif</a></p>')
    page = ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
            f"<title>{_e(subject)}</title></head><body>{''.join(parts)}</body></html>")
    return subject, "\n".join(lines) + "\n", page


def _e(text: str) -> str:
    return html.escape(text, quote=True)
