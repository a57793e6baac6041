"""In-app notifications and who receives them.

An in-app `Notification` is written once per (event, recipient) by its idempotency key (INSERT
... ON CONFLICT DO NOTHING on both engines, so two scans racing create one row). The notifications
of the kinds in `DIGEST_KINDS` are also the items of the recipients' daily digest (digest.py reads
them back): the scan and the outbox hook write them, the digest only reads.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from kanta_docs.store.tables import (
    Dossier,
    DossierAssignment,
    Notification,
    Unsubscription,
    User,
    UserRole,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date, datetime

    from sqlalchemy.orm import Session

    from kanta_docs.notify.settings import NotificationSettings

# Kinds of in-app notification that are digest items.
EXPIRY, REGISTER_EXTRACT, ALERT = "expiry", "register_extract", "alert"
DIGEST_KINDS = (EXPIRY, REGISTER_EXTRACT, ALERT)

DOC_TYPE_LABELS: dict[str, str] = {
    "id_card": "Carte nationale d'identité",
    "passport": "Passeport",
    "residence_permit": "Titre de séjour",
    "kbis": "Extrait Kbis",
    "rbe": "Extrait du registre des bénéficiaires effectifs",
    "statuts": "Statuts",
}
ALERT_TYPE_LABELS: dict[str, str] = {
    "be_not_declared": "Bénéficiaire effectif non déclaré",
    "be_not_in_register": "Bénéficiaire effectif absent du registre",
    "be_share_mismatch": "Détention du bénéficiaire effectif divergente",
    "be_identity_mismatch": "Identité du bénéficiaire effectif divergente",
    "company_mismatch": "Informations de la société divergentes",
    "officer_mismatch": "Dirigeants divergents",
    "id_document_missing": "Pièce d'identité manquante",
    "id_document_expired": "Pièce d'identité expirée",
    "id_document_expiring": "Pièce d'identité bientôt expirée",
    "id_document_mismatch": "Pièce d'identité divergente",
    "mrz_invalid": "Bande MRZ invalide",
    "register_extract_outdated": "Extrait Kbis trop ancien",
    "document_unreadable": "Document illisible",
}
SEVERITY_LABELS: dict[str, str] = {"low": "faible", "medium": "moyenne", "high": "élevée"}


def french_date(day: date) -> str:
    """26/11/2026."""
    return day.strftime("%d/%m/%Y")


def doc_type_label(doc_type: str | None) -> str:
    """The French name of a document type ("Document" when unknown)."""
    return DOC_TYPE_LABELS.get(doc_type or "", "Document")


def alert_type_label(alert_type: str) -> str:
    """The French name of an alert type."""
    return ALERT_TYPE_LABELS.get(alert_type, alert_type)


class FirmAudience:
    """The active users of one firm a firm's settings make recipients, read once per firm."""

    def __init__(self, session: Session, firm_id: uuid.UUID,
                 settings: NotificationSettings) -> None:
        self.session = session
        self.firm_id = firm_id
        roles = {UserRole(r) for r in settings.recipients if r != "assigned_collaborator"}
        self.assigned = "assigned_collaborator" in settings.recipients
        self.users: dict[uuid.UUID, User] = {
            u.id: u for u in session.scalars(
                select(User).where(User.firm_id == firm_id, User.disabled_at.is_(None)))}
        self.firm_wide = sorted(u.id for u in self.users.values() if u.role in roles)

    def for_dossier(self, dossier_id: uuid.UUID,
                    also: Iterable[uuid.UUID | None] = ()) -> list[User]:
        """The recipients of something about this dossier: the firm-wide roles chosen, and
        (when chosen) the users assigned to it, its lead collaborator and `also` (an alert's
        assignee). Disabled users and users of other firms never."""
        ids = set(self.firm_wide)
        if self.assigned:
            ids.update(self.session.scalars(select(DossierAssignment.user_id).where(
                DossierAssignment.dossier_id == dossier_id)))
            lead = self.session.scalar(select(Dossier.collaborator_id).where(
                Dossier.id == dossier_id, Dossier.firm_id == self.firm_id))
            ids.update(i for i in (lead, *also) if i is not None)
        return [self.users[i] for i in sorted(ids) if i in self.users]


def unsubscribed(session: Session, user_ids: Iterable[uuid.UUID], kind: str) -> set[uuid.UUID]:
    """Those of `user_ids` who stopped `kind` mails."""
    ids = list(user_ids)
    if not ids:
        return set()
    return set(session.scalars(select(Unsubscription.user_id).where(
        Unsubscription.kind == kind, Unsubscription.user_id.in_(ids))))


def add_notification(session: Session, *, firm_id: uuid.UUID, user_id: uuid.UUID, kind: str,
                     title: str, body: str, dossier_id: uuid.UUID | None,
                     idempotency_key: str, now: datetime) -> bool:
    """Write an in-app notification unless its key exists; True when written."""
    values = {"id": uuid.uuid4(), "firm_id": firm_id, "user_id": user_id, "kind": kind,
              "title": title[:300], "body": body, "dossier_id": dossier_id,
              "idempotency_key": idempotency_key, "created_at": now, "read_at": None}
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(Notification).values(**values).on_conflict_do_nothing(
            index_elements=["idempotency_key"]).returning(Notification.id)
        return session.execute(stmt).first() is not None
    if session.scalar(select(Notification.id).where(
            Notification.idempotency_key == idempotency_key)) is not None:
        return False
    session.add(Notification(**values))
    session.flush()
    return True
