"""Index records built from the store, the source of truth: one per processed document, with its
dossier's data (client, SIREN, risk level, open-alert types, assignees) denormalised.

Records are rebuilt per dossier: any change to a dossier (a document read or deleted, an alert
raised or closed, the risk or the assignees changed) replaces the dossier's records, which keeps
the denormalised fields right without tracking which field changed.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from indexers.contract import IndexRecord, PersonEntry, PersonRole
from kanta_docs.facts import value_of
from kanta_docs.models import ExtractResult
from kanta_docs.store import facts_codec
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import AlertStatus, DocState, Dossier

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.orm import Session

    from kanta_docs.facts import DocumentFacts, PersonFacts
    from kanta_docs.store.tables import Document

ACTIVE = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


def _entry(role: PersonRole, person: PersonFacts) -> PersonEntry | None:
    last = value_of(person.last_name)
    if not last:
        return None
    return PersonEntry(role, last, value_of(person.first_names) or "",
                       value_of(person.birth_date), value_of(person.usage_name))


def _persons_from_facts(facts: DocumentFacts) -> tuple[PersonEntry, ...]:
    """The natural persons the document names, with what the facts hold beyond the contract:
    the statuts' shareholders split into surname and first names with their birth dates, usage
    names. Companies (legal-person officers and shareholders) are not persons."""
    entries = [
        *(_entry(PersonRole.BENEFICIAL_OWNER, o.person) for o in facts.beneficial_owners),
        *(_entry(PersonRole.OFFICER, o.person) for o in facts.officers if not o.is_company),
        *(_entry(PersonRole.SHAREHOLDER, h.person) for h in facts.shareholders if h.person),
        *((_entry(PersonRole.IDENTITY_HOLDER, facts.identity.person),) if facts.identity
          else ()),
    ]
    return tuple(e for e in entries if e is not None)


def _persons(result: ExtractResult) -> tuple[PersonEntry, ...]:
    """From the contract alone (no facts stored): names as the contract gives them."""
    people: list[PersonEntry] = []
    for owner in result.beneficial_owners:
        if owner.last_name:
            people.append(PersonEntry(PersonRole.BENEFICIAL_OWNER, owner.last_name,
                                      owner.first_names or "", owner.birth_date))
    for officer in result.officers:
        if officer.last_name:
            people.append(PersonEntry(PersonRole.OFFICER, officer.last_name,
                                      officer.first_names or ""))
    for holder in result.shareholders:
        people.append(PersonEntry(PersonRole.SHAREHOLDER, holder.name))
    identity = result.identity
    if identity is not None and identity.last_name:
        people.append(PersonEntry(PersonRole.IDENTITY_HOLDER, identity.last_name,
                                  identity.first_names or "", identity.birth_date))
    return tuple(people)


def document_record(document: Document, dossier: Dossier, *, risk_level: str | None,
                    open_alert_types: tuple[str, ...],
                    assignee_ids: tuple[str, ...]) -> IndexRecord:
    """The index record of one processed document."""
    result = ExtractResult.model_validate(document.result or {"file": document.file_name})
    return IndexRecord(
        document_id=str(document.id), firm_id=str(document.firm_id),
        dossier_id=str(dossier.id), client_name=dossier.name,
        doc_type=document.doc_type or result.doc_type.value, file_name=document.file_name,
        siren=dossier.siren, document_date=document.document_date,
        expiry_date=document.effective_expiry_date, pages=tuple(document.pages or ()),
        persons=(_persons_from_facts(facts_codec.from_json(document.facts))
                 if document.facts else _persons(result)),
        open_alert_types=open_alert_types, risk_level=risk_level,
        assignee_ids=assignee_ids, updated_at=dossier.updated_at)


def dossier_records(session: Session, firm_id: uuid.UUID,
                    dossier_id: uuid.UUID) -> list[IndexRecord] | None:
    """The records of a dossier's processed documents; None when the dossier is gone."""
    scope = FirmScope(session, firm_id)
    dossier = scope.get_dossier(dossier_id)
    if dossier is None:
        return None
    risk = scope.latest_risk(dossier_id)
    alert_types = tuple(sorted({a.type for a in scope.alerts_of_dossier(dossier_id).values()
                                if a.status in ACTIVE}))
    assignees = tuple(sorted(str(u.id) for u in scope.assignees(dossier_id)))
    return [document_record(d, dossier, risk_level=risk.level if risk else None,
                            open_alert_types=alert_types, assignee_ids=assignees)
            for d in scope.documents_of_dossier(dossier_id) if d.state == DocState.PROCESSED]


def firm_records(session: Session, firm_id: uuid.UUID) -> Iterator[IndexRecord]:
    """Every record of a firm, dossier by dossier (for `kanta-docs reindex`)."""
    ids = list(session.scalars(select(Dossier.id).where(Dossier.firm_id == firm_id)
                               .order_by(Dossier.id)))
    for dossier_id in ids:
        yield from dossier_records(session, firm_id, dossier_id) or []


def payload_dossier(payload: dict[str, Any]) -> uuid.UUID | None:
    """The dossier an outbox event is about, if it names one."""
    value = payload.get("dossier_id")
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None
