"""A dossier's risk: the current assessment with its factors, its history, a person's override."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from litestar import Controller, get, post
from msgspec import Meta, Struct

from alerts.risk.override import RiskOverrideRefused, override_level
from api.context import ApiContext
from api.errors import ApiError, not_found
from api.pagination import Page, PageParams
from api.routes.dossiers import visible_dossier
from api.security import Principal
from api.views import RiskView, risk_view
from kanta_docs.assessment import RiskAssessment, RiskFactor
from kanta_docs.store.repositories import FirmScope
from kanta_docs.vocab import RiskLevel, Vigilance


class Override(Struct):
    """A person's risk level, with why."""

    level: Literal["low", "medium", "high"]
    justification: Annotated[str, Meta(min_length=10, max_length=4000)]


class RiskController(Controller):
    """/dossiers/{id}/risk."""

    path = "/dossiers/{dossier_id:uuid}/risk"
    tags = ["risk"]

    @get("/", sync_to_thread=True, summary="The dossier's current risk assessment")
    def current(self, store: FirmScope, dossier_id: uuid.UUID) -> RiskView:
        """Level, vigilance, score and every factor with its reason (in French)."""
        visible_dossier(store, dossier_id)
        row = store.latest_risk(dossier_id)
        if row is None:
            raise not_found("Évaluation du risque")
        return risk_view(row)

    @get("/history", sync_to_thread=True, summary="Every assessment, oldest first")
    def history(self, store: FirmScope, dossier_id: uuid.UUID,
                page: PageParams) -> Page[RiskView]:
        """The dossier's risk history."""
        visible_dossier(store, dossier_id)
        rows = store.risk_history(dossier_id)
        chunk = rows[page.offset:page.offset + page.limit]
        return Page([risk_view(r) for r in chunk], len(rows), page.limit, page.offset)

    @post("/override", sync_to_thread=True, status_code=200,
          summary="Set the risk level by hand, with a justification")
    def override(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                 address: str | None, dossier_id: uuid.UUID, data: Override) -> RiskView:
        """Records a new assessment with the person's level; refused below a legal mandate."""
        visible_dossier(store, dossier_id)
        if not principal.can_manage_dossiers:
            raise ApiError(403, "forbidden", "Seuls les administrateurs et responsables "
                           "conformité modifient le niveau de risque.")
        row = store.latest_risk(dossier_id)
        if row is None:
            raise ApiError(409, "no_assessment", "Le dossier n'a pas encore été évalué.")
        current = RiskAssessment(level=RiskLevel(row.level), vigilance=Vigilance(row.vigilance),
                                 score=row.score,
                                 factors=[RiskFactor.model_validate(f) for f in row.factors])
        try:
            changed = override_level(current, RiskLevel(data.level), data.justification,
                                     principal.actor)
        except RiskOverrideRefused:
            raise ApiError(409, "override_refused",
                           "Niveau refusé : une obligation légale (personne politiquement "
                           "exposée, pays à haut risque) impose un risque élevé et une "
                           "vigilance renforcée.") from None
        stored = store.add_risk(dossier_id, changed, now=ctx.clock(), override={
            "level": data.level, "by": principal.actor, "reason": data.justification})
        store.append_audit(principal.actor, "risk.override", "dossier", str(dossier_id),
                           {"from": row.level, "to": data.level}, address=address)
        store.add_outbox("risk.changed", {"dossier_id": str(dossier_id), "level": data.level})
        return risk_view(stored)
