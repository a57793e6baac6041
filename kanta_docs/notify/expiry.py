"""The daily lead-time scan: reminders before a document stops being valid, and the day a
dossier's newest Kbis becomes too old.

For each firm, with its own settings:
- documents whose effective expiry date is exactly `day + lead` for a lead of the firm's
  `expiry_lead_days` (0: expires that day): one indexed lookup on
  (firm_id, effective_expiry_date) for the firm's few dates;
- dossiers whose newest Kbis crosses `register_extract_max_months` that day (dated in
  [limit of the day before, limit of the day)): the indexed query of the expiry scan;

give an in-app notification to each recipient (kinds "expiry", "register_extract"; they are the
items of the day's digest) and, for expiring documents, a "document.expiring" webhook event.
Idempotency keys (`expiry:{document}:{lead}:{user}`, `register_extract:{dossier}:{day}:{user}`)
make a second run of the same day create nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from alerts.policy import months_before
from kanta_docs.logs import get_logger
from kanta_docs.notify.inapp import (
    EXPIRY,
    REGISTER_EXTRACT,
    FirmAudience,
    add_notification,
    doc_type_label,
    french_date,
)
from kanta_docs.notify.settings import firm_notification_settings
from kanta_docs.notify.webhooks import enqueue_event
from kanta_docs.store import repositories as repo
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import Document, Dossier, Firm, utc_now
from kanta_docs.vocab import DocType

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.orm import Session

    from kanta_docs.notify.settings import NotificationSettings
    from kanta_docs.tasks import Runtime

log = get_logger(__name__)

PARIS = ZoneInfo("Europe/Paris")
EXPIRING_EVENT = "document.expiring"


def paris_today(now: datetime | None = None) -> date:
    """Today's date in Paris, where the firms are."""
    return (now or utc_now()).astimezone(PARIS).date()


def parse_day(day: str, now: datetime | None = None) -> date:
    """`day` (ISO), or today in Paris when empty."""
    return date.fromisoformat(day) if day else paris_today(now)


def notify_expiries(rt: Runtime, day: str = "", *, now: datetime | None = None) -> int:
    """Run the scan of `day` (default today, Paris) over every firm; returns how many in-app
    notifications it created (0 on a second run of the same day)."""
    today = parse_day(day, now)
    created = 0
    with rt.sessions.begin() as session:
        firms = repo.firm_ids(session)
    for firm_id in firms:
        with rt.sessions.begin() as session:
            created += scan_firm(session, firm_id, today, now=now or utc_now())
    log.info("notification scan", day=today.isoformat(), firms=len(firms), created=created)
    return created


def scan_firm(session: Session, firm_id: uuid.UUID, today: date, *, now: datetime) -> int:
    """The scan of one firm, in the caller's transaction."""
    firm = session.get(Firm, firm_id)
    if firm is None:
        return 0
    settings = firm_notification_settings(firm)
    audience = FirmAudience(session, firm_id, settings)
    return (_expiring_documents(session, firm_id, settings, audience, today, now)
            + _outdated_kbis(session, firm_id, settings, audience, today, now))


def _dossier_names(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = session.execute(select(Dossier.id, Dossier.name).where(Dossier.id.in_(ids)))
    return {dossier_id: name for dossier_id, name in rows}


def _expiring_documents(session: Session, firm_id: uuid.UUID, settings: NotificationSettings,
                        audience: FirmAudience, today: date, now: datetime) -> int:
    leads = {today + timedelta(days=lead): lead for lead in settings.expiry_lead_days}
    if not leads:
        return 0
    documents = list(session.scalars(
        select(Document).where(Document.firm_id == firm_id,
                               Document.effective_expiry_date.in_(sorted(leads)))
        .order_by(Document.dossier_id, Document.id)))
    names = _dossier_names(session, {d.dossier_id for d in documents})
    created = 0
    for doc in documents:
        expiry = doc.effective_expiry_date
        assert expiry is not None
        lead = leads[expiry]
        label = doc_type_label(doc.doc_type)
        dossier_name = names.get(doc.dossier_id, "")
        title = (f"{label} : expire aujourd'hui" if lead == 0
                 else f"{label} : expire dans {lead} jour{'s' if lead > 1 else ''}")
        body = (f"« {doc.file_name} » du dossier {dossier_name} : fin de validité le "
                f"{french_date(expiry)}. Demandez une pièce en cours de validité.")
        for user in audience.for_dossier(doc.dossier_id):
            created += add_notification(
                session, firm_id=firm_id, user_id=user.id, kind=EXPIRY, title=title, body=body,
                dossier_id=doc.dossier_id, idempotency_key=f"expiry:{doc.id}:{lead}:{user.id}",
                now=now)
        _webhook_event(session, firm_id, {
            "document_id": str(doc.id), "dossier_id": str(doc.dossier_id),
            "doc_type": doc.doc_type, "effective_expiry_date": expiry.isoformat(),
            "days_left": lead,
        }, f"expiry:{doc.id}:{lead}", now)
    return created


def _outdated_kbis(session: Session, firm_id: uuid.UUID, settings: NotificationSettings,
                   audience: FirmAudience, today: date, now: datetime) -> int:
    months = settings.register_extract_max_months
    cutoff = months_before(today, months)
    since = months_before(today - timedelta(days=1), months)
    if since >= cutoff:  # month-end clamping: nobody crosses the line today
        return 0
    dossiers = FirmScope(session, firm_id).outdated_kbis_dossiers(cutoff, since)
    names = _dossier_names(session, set(dossiers))
    created = 0
    for dossier_id in dossiers:
        newest = session.scalar(select(func.max(Document.document_date)).where(
            Document.dossier_id == dossier_id, Document.doc_type == DocType.KBIS.value))
        dated = f" (daté du {french_date(newest)})" if newest else ""
        title = f"Extrait Kbis de plus de {months} mois"
        body = (f"Le dernier extrait Kbis du dossier {names.get(dossier_id, '')}{dated} a plus "
                f"de {months} mois : demandez un extrait récent.")
        for user in audience.for_dossier(dossier_id):
            created += add_notification(
                session, firm_id=firm_id, user_id=user.id, kind=REGISTER_EXTRACT, title=title,
                body=body, dossier_id=dossier_id,
                idempotency_key=f"register_extract:{dossier_id}:{today.isoformat()}:{user.id}",
                now=now)
    return created


def _webhook_event(session: Session, firm_id: uuid.UUID, data: dict[str, Any], key: str,
                   now: datetime) -> None:
    """Queue the "document.expiring" webhook event for the firm's subscribed endpoints."""
    enqueue_event(session, firm_id=firm_id, event_type=EXPIRING_EVENT, data=data,
                  idempotency_key=key, now=now)
