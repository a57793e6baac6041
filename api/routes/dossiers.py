"""Dossiers: list with risk and open alerts, create from declared data, update the declaration,
assign collaborators, import a portfolio."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from litestar import Controller, get, post, put
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter
from msgspec import Struct
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from api.context import ApiContext
from api.deps import queue_after_commit
from api.errors import ApiError, bad_request, forbidden, not_found
from api.pagination import Page, PageParams, fetch_page
from api.security import Principal
from api.uploads import UploadForm
from api.views import DossierView, dossier_view
from kanta_docs.declared import Declared
from kanta_docs.errors import InvalidInput
from kanta_docs.ingest import import_portfolio_into
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import (
    Alert,
    AlertStatus,
    DeclaredVersion,
    DocState,
    Document,
    Dossier,
    RiskAssessmentRow,
)

ACTIVE = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
MAX_PORTFOLIO_BYTES = 10 * 1024 * 1024


class DeclaredVersionView(Struct):
    """One version of what the firm declared."""

    version: int
    data: dict[str, Any]
    changed_by: str
    changed_at: Any
    change_note: str


class DossierDetail(Struct):
    """A dossier with its current declaration."""

    dossier: DossierView
    declared: DeclaredVersionView | None


class DeclaredUpdate(Struct):
    """A new declaration, with why it changed."""

    declared: dict[str, Any]
    note: str = ""


class Assignees(Struct):
    """The collaborators assigned to a dossier (the first is the lead for new alerts)."""

    user_ids: list[uuid.UUID]


class ImportRowError(Struct):
    """A portfolio row that was refused or imported with a reservation."""

    row: int
    field: str
    message: str


class ImportResult(Struct):
    """What a portfolio import did."""

    created: int
    updated: int
    unchanged: int
    rejected: list[ImportRowError]


def _latest_risk_level() -> Any:
    return (select(RiskAssessmentRow.level)
            .where(RiskAssessmentRow.dossier_id == Dossier.id)
            .order_by(RiskAssessmentRow.id.desc())
            .limit(1).correlate(Dossier).scalar_subquery())


def _open_alerts() -> Any:
    return (select(func.count(Alert.id))
            .where(Alert.dossier_id == Dossier.id, Alert.status.in_(ACTIVE))
            .correlate(Dossier).scalar_subquery())


def _next_expiry() -> Any:
    return (select(func.min(Document.effective_expiry_date))
            .where(Document.dossier_id == Dossier.id, Document.state == DocState.PROCESSED)
            .correlate(Dossier).scalar_subquery())


def summarise(store: FirmScope, dossier: Dossier) -> DossierView:
    """A dossier with its risk, open alerts, next expiry and assignees."""
    db = store.session
    open_alerts = db.scalar(select(func.count(Alert.id)).where(
        Alert.dossier_id == dossier.id, Alert.status.in_(ACTIVE))) or 0
    next_expiry = db.scalar(select(func.min(Document.effective_expiry_date)).where(
        Document.dossier_id == dossier.id, Document.state == DocState.PROCESSED))
    return dossier_view(dossier, risk=store.latest_risk(dossier.id), open_alerts=open_alerts,
                        next_expiry=next_expiry,
                        assignee_ids=[u.id for u in store.assignees(dossier.id)])


def visible_dossier(store: FirmScope, dossier_id: uuid.UUID) -> Dossier:
    """The dossier if the caller may see it; 404 alike for missing and for not theirs."""
    dossier = store.get_dossier(dossier_id)
    if dossier is None:
        raise not_found("Dossier")
    return dossier


def _declared_view(row: DeclaredVersion | None) -> DeclaredVersionView | None:
    if row is None:
        return None
    return DeclaredVersionView(row.version, row.data, row.changed_by, row.changed_at,
                               row.change_note)


def parse_declared(data: dict[str, Any]) -> Declared:
    """The declaration, or 400 naming the field at fault."""
    from pydantic import ValidationError

    try:
        return Declared.model_validate(data)
    except ValidationError as e:
        details = [{"field": ".".join(str(p) for p in err["loc"]), "message": err["msg"]}
                   for err in e.errors()]
        raise ApiError(400, "invalid_declared", "Déclaration invalide.", details=details) from None


class DossierController(Controller):
    """/dossiers."""

    path = "/dossiers"
    tags = ["dossiers"]

    @get("/", sync_to_thread=True, summary="List the dossiers the caller may see")
    def list_dossiers(
        self, store: FirmScope, page: PageParams,
        risk_level: Literal["low", "medium", "high"] | None = None,
        has_open_alerts: bool | None = None,
        q: Annotated[str | None, Parameter(max_length=200,
                                           description="part of the name or SIREN")] = None,
        sort: Literal["name", "next_expiry", "updated_at"] = "name",
    ) -> Page[DossierView]:
        """Dossiers with their current risk level, open alerts and next expiry."""
        query = store.dossiers_query()
        if risk_level is not None:
            query = query.where(_latest_risk_level() == risk_level)
        if has_open_alerts is not None:
            query = query.where((_open_alerts() > 0) == has_open_alerts)
        if q:
            pattern = f"%{q.strip().lower()}%"
            query = query.where(or_(func.lower(Dossier.name).like(pattern),
                                    Dossier.siren.like(pattern.replace(" ", ""))))
        order = {"name": (Dossier.name, Dossier.id),
                 "next_expiry": (_next_expiry().asc().nulls_last(), Dossier.id),
                 "updated_at": (Dossier.updated_at.desc(), Dossier.id)}[sort]
        rows, total = fetch_page(store.session, query.order_by(*order), page)
        return Page([summarise(store, d) for d in rows], total, page.limit, page.offset)

    @post("/", sync_to_thread=True, summary="Create a dossier from the firm's declaration")
    def create_dossier(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                       data: dict[str, Any]) -> DossierDetail:
        """A new dossier; 409 when the firm already has one for this SIREN."""
        if not principal.can_manage_dossiers:
            raise forbidden("Seuls les administrateurs et responsables conformité créent des "
                            "dossiers.")
        declared = parse_declared(data)
        siren = declared.client.siren
        if siren is not None and FirmScope(store.session, store.firm_id).dossier_by_siren(siren):
            raise ApiError(409, "dossier_exists", "Un dossier existe déjà pour ce SIREN.")
        dossier, _ = store.upsert_dossier(siren, declared.client.name or siren or "Sans nom",
                                          now=ctx.clock())
        store.add_declared_version(dossier.id, declared, principal.actor, "created over the API",
                                   now=ctx.clock())
        store.append_audit(principal.actor, "dossier.create", "dossier", str(dossier.id))
        queue_after_commit(store.session, "reevaluate_dossier", str(store.firm_id),
                           str(dossier.id))
        return DossierDetail(summarise(store, dossier), _declared_view(
            store.latest_declared(dossier.id)))

    @get("/{dossier_id:uuid}", sync_to_thread=True, summary="One dossier")
    def get_dossier(self, store: FirmScope, dossier_id: uuid.UUID) -> DossierDetail:
        """The dossier and its current declaration."""
        dossier = visible_dossier(store, dossier_id)
        return DossierDetail(summarise(store, dossier),
                             _declared_view(store.latest_declared(dossier.id)))

    @put("/{dossier_id:uuid}/declared", sync_to_thread=True,
         summary="Replace the declaration (a new version)")
    def update_declared(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                        dossier_id: uuid.UUID, data: DeclaredUpdate) -> DossierDetail:
        """Record a new version of what the firm declares, then re-check the dossier."""
        dossier = visible_dossier(store, dossier_id)
        declared = parse_declared(data.declared)
        siren = declared.client.siren
        if siren is not None and siren != dossier.siren:
            other = FirmScope(store.session, store.firm_id).dossier_by_siren(siren)
            if other is not None:
                raise ApiError(409, "dossier_exists", "Un autre dossier porte déjà ce SIREN.")
            dossier.siren = siren
        dossier.name = declared.client.name or dossier.name
        dossier.updated_at = ctx.clock()
        try:
            store.add_declared_version(dossier.id, declared, principal.actor,
                                       data.note[:2000], now=ctx.clock())
        except IntegrityError:
            raise ApiError(409, "concurrent_update",
                           "La déclaration a été modifiée en même temps ; réessayez.") from None
        store.add_outbox("dossier.declared_changed", {"dossier_id": str(dossier.id)})
        queue_after_commit(store.session, "reevaluate_dossier", str(store.firm_id),
                           str(dossier.id))
        return DossierDetail(summarise(store, dossier),
                             _declared_view(store.latest_declared(dossier.id)))

    @get("/{dossier_id:uuid}/declared/history", sync_to_thread=True,
         summary="Every version of the declaration")
    def declared_history(self, store: FirmScope, dossier_id: uuid.UUID,
                         page: PageParams) -> Page[DeclaredVersionView]:
        """Who declared what, when, oldest first."""
        visible_dossier(store, dossier_id)
        rows = store.declared_history(dossier_id)
        chunk = rows[page.offset:page.offset + page.limit]
        return Page([v for r in chunk if (v := _declared_view(r)) is not None], len(rows),
                    page.limit, page.offset)

    @put("/{dossier_id:uuid}/assignees", sync_to_thread=True,
         summary="Assign collaborators to the dossier")
    def set_assignees(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                      address: str | None, dossier_id: uuid.UUID,
                      data: Assignees) -> DossierView:
        """Exactly these users are assigned (admins and compliance officers only)."""
        dossier = visible_dossier(store, dossier_id)
        if not principal.can_manage_dossiers:
            raise forbidden("Seuls les administrateurs et responsables conformité assignent "
                            "les dossiers.")
        try:
            added, removed = store.set_assignees(dossier.id, data.user_ids, principal.actor,
                                                 now=ctx.clock())
        except ValueError:
            raise bad_request("unknown_user",
                              "Un des utilisateurs n'appartient pas au cabinet.") from None
        store.append_audit(principal.actor, "dossier.assignment", "dossier", str(dossier.id),
                           {"added": sorted(map(str, added)),
                            "removed": sorted(map(str, removed))},
                           address=address)
        store.add_outbox("dossier.changed", {"dossier_id": str(dossier.id)})
        return summarise(store, dossier)

    @post("/import", sync_to_thread=True, opt={"upload": True},
          summary="Import the firm's client portfolio (CSV/JSON)")
    def import_portfolio(
        self, principal: Principal, ctx: ApiContext,
        data: Annotated[UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> ImportResult:
        """Dossiers keyed by SIREN: created, updated (a new declared version) or unchanged."""
        if not principal.can_manage_dossiers:
            raise forbidden("Seuls les administrateurs et responsables conformité importent "
                            "un portefeuille.")
        upload = data.data
        content = upload.file.read(MAX_PORTFOLIO_BYTES + 1)
        if len(content) > MAX_PORTFOLIO_BYTES:
            raise ApiError(413, "too_large", "Portefeuille trop volumineux (10 Mo au plus).")
        try:
            report = import_portfolio_into(ctx.runtime, content, upload.filename or "portfolio.csv",
                                           principal.firm_id, principal.actor)
        except InvalidInput as e:
            raise bad_request("invalid_portfolio", str(e)) from None
        return ImportResult(report.created, report.updated, report.unchanged,
                            [ImportRowError(e.row_number, e.field, e.reason)
                             for e in report.rejected])

