"""Personal data (GDPR): what the firm holds about one natural person, erasing a person, erasing
a dossier. Admins and compliance officers only (403 otherwise); every request is audited with
counts, never with the person's name (the audit log is append-only and outlives erasures).

A person is found the way the cross-check matches persons (alerts.persons.compare_persons):
accents, case, hyphens, particles and the order of first names set aside, a few OCR slips
allowed; a record whose birth date differs from the one asked for is a namesake and is left out.
A record without a birth date (officers in a Kbis never have one) matches on the name alone:
each hit says so (`birth_date_agrees: null`).

Retention: the AML law (Code monétaire et financier, art. L.561-12) requires the firm to keep the
identification records of its clients and their beneficial owners for five years after the end
of the business relationship. Erasure is therefore for data held without a legal basis (a person
recorded by mistake, a relationship that never started, data past its retention period); the
route refuses (409) to erase a person who is a beneficial owner or officer in a dossier's latest
declaration unless `force: true` is sent, with the justification.
"""

from __future__ import annotations

import copy
import uuid
from datetime import date, datetime
from typing import Annotated, Any

from litestar import Controller, delete, get, post
from litestar.params import Parameter
from msgspec import Meta, Struct
from sqlalchemy import delete as sql_delete
from sqlalchemy import func, select

from alerts.persons import PersonRef
from api.context import ApiContext
from api.errors import ApiError, forbidden
from api.routes.dossiers import parse_declared, visible_dossier
from api.security import Principal
from kanta_docs.privacy import (
    DeclaredHit,
    Findings,
    NameTokens,
    erased_person,
    find_person,
    person_ref,
    redact_subject,
    redact_text,
    redact_value,
)
from kanta_docs.store import repositories as repo
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import (
    Alert,
    AlertEvent,
    DeclaredVersion,
    Document,
    Dossier,
    DossierAssignment,
    RiskAssessmentRow,
)

ERASURE_NOTE = "erasure"
DOCUMENT_ERASURE_REASON = "effacement de données personnelles (RGPD)"

LastName = Annotated[str, Meta(min_length=1, max_length=200)]
FirstNames = Annotated[str, Meta(min_length=1, max_length=300)]
Justification = Annotated[str, Meta(min_length=10, max_length=2000)]


def _require_manager(principal: Principal) -> None:
    if not principal.can_manage_dossiers:
        raise forbidden("Réservé aux administrateurs et responsables conformité.")


class DeclaredPersonHit(Struct):
    """The person as declared in one version of a dossier's declaration."""

    dossier_id: uuid.UUID
    version: int
    latest: bool
    role: str
    person: dict[str, Any]
    birth_date_agrees: bool | None


class ExtractedPersonHit(Struct):
    """The person as read from a document (register extract, statuts, identity document)."""

    dossier_id: uuid.UUID
    document_id: uuid.UUID
    file_name: str
    doc_type: str | None
    role: str
    person: dict[str, Any]
    birth_date_agrees: bool | None


class PersonAlertHit(Struct):
    """An alert about the person."""

    alert_id: uuid.UUID
    dossier_id: uuid.UUID
    type: str
    severity: str
    status: str
    message: str
    subject: dict[str, Any] | None
    evidence: list[dict[str, Any]]
    created_at: datetime
    birth_date_agrees: bool | None


class PersonExport(Struct):
    """Everything the firm holds about one person (right of access, GDPR art. 15)."""

    query: dict[str, Any]
    dossier_ids: list[uuid.UUID]
    declared: list[DeclaredPersonHit]
    extracted: list[ExtractedPersonHit]
    alerts: list[PersonAlertHit]
    generated_at: datetime


class PersonErasure(Struct):
    """What to erase (the name as the person gave it) and why."""

    last_name: LastName
    first_names: FirstNames
    justification: Justification
    birth_date: date | None = None
    force: bool = False


class PersonErasureResult(Struct):
    """What the erasure did."""

    dossier_ids: list[uuid.UUID]
    declared_versions_written: int
    declared_versions_redacted: int
    documents_deleted: list[uuid.UUID]
    blobs_deleted: int
    alerts_redacted: list[uuid.UUID]
    risk_assessments_redacted: int
    # Register extracts and statuts naming the person are company records and stay.
    documents_kept: list[uuid.UUID]


class DossierErasureResult(Struct):
    """What erasing a dossier removed."""

    dossier_id: uuid.UUID
    documents: int
    blobs_deleted: int
    alerts: int
    alert_events: int
    risk_assessments: int
    declared_versions: int
    assignments: int


# -- routes -----------------------------------------------------------------------------------


class PersonController(Controller):
    """/persons: access and erasure of one natural person's data."""

    path = "/persons"
    tags = ["privacy"]

    @get("/export", sync_to_thread=True, summary="Everything held about one person (GDPR)")
    def export_person(
        self, store: FirmScope, principal: Principal, ctx: ApiContext, address: str | None,
        last_name: Annotated[str, Parameter(min_length=1, max_length=200)],
        first_names: Annotated[str, Parameter(min_length=1, max_length=300)],
        birth_date: Annotated[date | None, Parameter(
            description="when given, records with another birth date are left out")] = None,
    ) -> PersonExport:
        """Declared beneficial owners and officers (every version), persons read from
        documents (owners, officers, shareholders, identity holders) and alerts about the
        person, across the firm's dossiers (audited as `person.export`, counts only)."""
        _require_manager(principal)
        query = PersonRef(last_name=last_name, first_names=first_names, birth_date=birth_date)
        found = find_person(store, query)
        result = PersonExport(
            query={"last_name": last_name, "first_names": first_names,
                   "birth_date": None if birth_date is None else birth_date.isoformat()},
            dossier_ids=found.dossier_ids(),
            declared=[DeclaredPersonHit(h.dossier_id, h.version, h.latest, h.role, h.data,
                                        h.birth_date_agrees) for h in found.declared],
            extracted=[ExtractedPersonHit(h.dossier_id, h.document_id, h.file_name, h.doc_type,
                                          h.role, h.data, h.birth_date_agrees)
                       for h in found.documents],
            alerts=[PersonAlertHit(h.alert.id, h.alert.dossier_id, h.alert.type,
                                   h.alert.severity, str(h.alert.status), h.alert.message,
                                   copy.deepcopy(h.alert.subject),
                                   copy.deepcopy(list(h.alert.evidence or [])),
                                   h.alert.created_at, h.birth_date_agrees)
                    for h in found.alerts],
            generated_at=ctx.clock())
        store.append_audit(principal.actor, "person.export", "person", None, {
            "dossiers": len(result.dossier_ids), "declared": len(result.declared),
            "extracted": len(result.extracted), "alerts": len(result.alerts)},
            address=address, now=ctx.clock())
        return result

    @post("/erase", sync_to_thread=True, status_code=200,
          summary="Erase one person's data held without a legal basis (GDPR)")
    def erase_person(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                     address: str | None, data: PersonErasure) -> PersonErasureResult:
        """Erase a natural person from the firm's data.

        - the latest declaration of each dossier naming them: a new version without them
          (note "erasure"); in earlier versions their entry is reduced to "[effacé]" and the
          non-identifying fields (role, holding percentages);
        - their identity documents (the stored file too when no other document uses it);
        - their name in the alerts (subject, message, evidence, notes) and risk factor reasons
          of the dossiers where they were found, replaced by "[effacé]" (alerts about another
          person, who may be a namesake, are left as they are).

        Register extracts and statuts naming them are company records and are kept (listed in
        `documents_kept`). AML law (CMF L.561-12) requires keeping identification records five
        years after the end of the business relationship: this route is for data held without
        a legal basis. It refuses (409) when the person is a beneficial owner or officer in a
        dossier's latest declaration, unless `force` is true. Audited as `person.erase` with
        counts only (no name: the audit log cannot be erased).
        """
        _require_manager(principal)
        if not data.justification.strip():
            raise ApiError(400, "invalid_request", "Une justification est obligatoire.")
        now = ctx.clock()
        query = PersonRef(last_name=data.last_name, first_names=data.first_names,
                          birth_date=data.birth_date)
        found = find_person(store, query)
        current = [h for h in found.declared if h.latest]
        if current and not data.force:
            raise ApiError(
                409, "person_declared",
                "Cette personne est bénéficiaire effectif ou dirigeant déclaré d'un dossier : "
                "la loi impose de conserver ces données (CMF L.561-12). Confirmez avec "
                "« force » et une justification si elles sont détenues sans base légale.",
                details=[{"dossier_id": str(h.dossier_id), "role": h.role} for h in current])
        names = NameTokens.of(query, found.names())
        written, redacted_versions = self._erase_declared(store, principal, found, now)
        deleted, kept, shas = self._delete_identity_documents(store, principal, found, address,
                                                             now)
        alerts = self._redact_alerts(store, found, names, now)
        risks = self._redact_risks(store, found, names)
        store.session.flush()
        blobs = _delete_unused_blobs(store, ctx, shas)
        dossier_ids = found.dossier_ids()
        store.append_audit(principal.actor, "person.erase", "person", None, {
            "dossiers": len(dossier_ids), "declared_versions_written": written,
            "declared_versions_redacted": redacted_versions, "documents_deleted": len(deleted),
            "blobs_deleted": blobs, "alerts_redacted": len(alerts),
            "risk_assessments_redacted": risks, "documents_kept": len(kept),
            "forced": bool(current)}, address=address, now=now)
        for dossier_id in dossier_ids:  # the index holds the person's name too
            store.add_outbox("dossier.changed", {"dossier_id": str(dossier_id)})
        return PersonErasureResult(dossier_ids, written, redacted_versions, deleted, blobs,
                                   alerts, risks, kept)

    @staticmethod
    def _erase_declared(store: FirmScope, principal: Principal, found: Findings,
                        now: datetime) -> tuple[int, int]:
        by_row: dict[int, list[DeclaredHit]] = {}
        for hit in found.declared:
            by_row.setdefault(hit.row_id, []).append(hit)
        written = redacted = 0
        for row_id, hits in by_row.items():
            row = store.session.get(DeclaredVersion, row_id)
            assert row is not None
            drop = {(h.role, h.index) for h in hits}
            redacted_data = copy.deepcopy(row.data)
            without = copy.deepcopy(row.data)
            for role, key in (("beneficial_owner", "beneficial_owners"),
                              ("officer", "officers")):
                people = row.data.get(key) or []
                redacted_data[key] = [erased_person(p) if (role, i) in drop else copy.deepcopy(p)
                                      for i, p in enumerate(people)]
                without[key] = [copy.deepcopy(p) for i, p in enumerate(people)
                                if (role, i) not in drop]
            if hits[0].latest:
                store.add_declared_version(row.dossier_id, parse_declared(without),
                                           principal.actor, ERASURE_NOTE, now=now)
                written += 1
            row.data = redacted_data  # a new object: the JSON column sees the change
            redacted += 1
        return written, redacted

    @staticmethod
    def _delete_identity_documents(
            store: FirmScope, principal: Principal, found: Findings, address: str | None,
            now: datetime) -> tuple[list[uuid.UUID], list[uuid.UUID], set[str]]:
        deleted: list[uuid.UUID] = []
        shas: set[str] = set()
        for hit in found.documents:
            if hit.role != "identity" or hit.document_id in deleted:
                continue
            sha = store.delete_document(hit.document_id, principal.actor,
                                        DOCUMENT_ERASURE_REASON, address=address, now=now)
            if sha is not None:
                deleted.append(hit.document_id)
                shas.add(sha)
        kept = sorted({h.document_id for h in found.documents} - set(deleted), key=str)
        return deleted, kept, shas

    @staticmethod
    def _redact_alerts(store: FirmScope, found: Findings, names: NameTokens,
                       now: datetime) -> list[uuid.UUID]:
        about = {h.alert.id for h in found.alerts}
        changed: list[uuid.UUID] = []
        db = store.session
        dossiers = found.dossier_ids()
        query = store.alerts_query().where(Alert.dossier_id.in_(dossiers))
        for alert in db.scalars(query.order_by(Alert.created_at, Alert.id)):
            alone = alert.id in about
            if not alone and person_ref(alert.subject) is not None:
                continue  # about another person, maybe a namesake: their name is theirs
            before = (alert.message, alert.subject, alert.evidence, alert.resolution_note,
                      alert.auto_resolved_reason)
            message = redact_text(alert.message, names, last_name_alone=alone)
            subject = redact_subject(alert.subject) if alone else alert.subject
            evidence = redact_value(copy.deepcopy(alert.evidence or []), names,
                                     last_name_alone=alone)
            note = redact_value(alert.resolution_note, names, last_name_alone=alone)
            auto = redact_value(alert.auto_resolved_reason, names, last_name_alone=alone)
            events_changed = False
            for event in db.scalars(select(AlertEvent).where(AlertEvent.alert_id == alert.id)):
                redacted_note = redact_text(event.note or "", names, last_name_alone=alone)
                if redacted_note != (event.note or ""):
                    event.note = redacted_note
                    events_changed = True
            if (message, subject, evidence, note, auto) != before or events_changed:
                alert.message, alert.subject, alert.evidence = message, subject, evidence
                alert.resolution_note, alert.auto_resolved_reason = note, auto
                alert.updated_at = now
                changed.append(alert.id)
        return changed

    @staticmethod
    def _redact_risks(store: FirmScope, found: Findings, names: NameTokens) -> int:
        db = store.session
        rows = db.scalars(select(RiskAssessmentRow).join(
            Dossier, Dossier.id == RiskAssessmentRow.dossier_id)
            .where(Dossier.firm_id == store.firm_id,
                   RiskAssessmentRow.dossier_id.in_(found.dossier_ids())))
        count = 0
        for row in rows:
            factors = redact_value(copy.deepcopy(row.factors or []), names,
                                    last_name_alone=False)
            override = redact_value(copy.deepcopy(row.override), names, last_name_alone=False)
            if factors != row.factors or override != row.override:
                row.factors, row.override = factors, override
                count += 1
        return count


def _delete_unused_blobs(store: FirmScope, ctx: ApiContext, shas: set[str]) -> int:
    """Delete the stored files no document of any firm uses any more (the last step before the
    commit, as for a single document's deletion)."""
    deleted = 0
    for sha in sorted(shas):
        if not repo.blob_in_use(store.session, sha) and ctx.runtime.blobs.delete(sha):
            deleted += 1
    return deleted


def _count(store: FirmScope, query: Any) -> int:
    return int(store.session.scalar(query) or 0)


# A plain handler, not a Controller: /dossiers/{id} already has DossierController's GET, and
# Litestar (2.x) merges a second handler into an existing path only when it brings no OPTIONS
# handler of its own, which a Controller does.
@delete("/dossiers/{dossier_id:uuid}", sync_to_thread=True, status_code=200, tags=["privacy"],
        summary="Erase a dossier and everything it holds (audited)")
def delete_dossier(
    store: FirmScope, principal: Principal, ctx: ApiContext, address: str | None,
    dossier_id: uuid.UUID,
    justification: Annotated[str, Parameter(min_length=10, max_length=2000,
                                            description="why the dossier is erased")],
) -> DossierErasureResult:
    """Deletes the dossier, its documents (and their stored files when no other document
    uses them), alerts and their history, risk history, declarations and assignments.

    AML law (CMF L.561-12) requires keeping a client's records five years after the end of
    the business relationship: erase a dossier only past that period or when it was held
    without a legal basis. Audited as `dossier.delete` with the counts and justification.
    """
    _require_manager(principal)
    dossier = visible_dossier(store, dossier_id)
    if not justification.strip():
        raise ApiError(400, "invalid_request", "Une justification est obligatoire.")
    shas = set(store.session.scalars(select(Document.sha256).where(
        Document.firm_id == store.firm_id, Document.dossier_id == dossier.id)))
    alert_ids = select(Alert.id).where(Alert.dossier_id == dossier.id)
    counts = {
        "documents": _count(store, select(func.count(Document.id)).where(
            Document.dossier_id == dossier.id)),
        "alerts": _count(store, select(func.count(Alert.id)).where(
            Alert.dossier_id == dossier.id)),
        "alert_events": _count(store, select(func.count(AlertEvent.id)).where(
            AlertEvent.alert_id.in_(alert_ids))),
        "risk_assessments": _count(store, select(func.count(RiskAssessmentRow.id)).where(
            RiskAssessmentRow.dossier_id == dossier.id)),
        "declared_versions": _count(store, select(func.count(DeclaredVersion.id)).where(
            DeclaredVersion.dossier_id == dossier.id)),
        "assignments": _count(store, select(func.count()).select_from(DossierAssignment)
                              .where(DossierAssignment.dossier_id == dossier.id)),
    }
    # The foreign keys cascade to documents, alerts (and their events), risk history,
    # declared versions and assignments.
    store.session.execute(sql_delete(Dossier).where(
        Dossier.firm_id == store.firm_id, Dossier.id == dossier.id))
    blobs = _delete_unused_blobs(store, ctx, shas)
    store.append_audit(principal.actor, "dossier.delete", "dossier", str(dossier_id),
                       {**counts, "blobs_deleted": blobs,
                        "justification": justification.strip()},
                       address=address, now=ctx.clock())
    store.add_outbox("dossier.deleted", {"dossier_id": str(dossier_id)})
    return DossierErasureResult(dossier_id=dossier_id, blobs_deleted=blobs, **counts)


ROUTES = [PersonController, delete_dossier]
