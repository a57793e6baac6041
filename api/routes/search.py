"""Search across the caller's dossiers: documents, dossiers (hits grouped), persons.

The index is told who is asking (`Visibility`: the caller's firm and, for a collaborator, their
assignments) and applies it itself; nothing here filters results after the fact.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Literal

from litestar import Controller, get
from litestar.params import Parameter

from api.context import ApiContext
from api.errors import ApiError
from api.security import Principal
from indexers.contract import (
    MAX_LIMIT,
    DateRange,
    InvalidQuery,
    PersonQuery,
    SearchQuery,
    SearchUnavailable,
    SortBy,
    Visibility,
)

Text = Annotated[str | None, Parameter(max_length=500, description="French full text; "
                                       '"double quotes" for a phrase')]
Ids = Annotated[list[str] | None, Parameter(description="repeat the parameter for several")]


def visibility(principal: Principal) -> Visibility:
    """The firm, always; the collaborator's assignments when the caller is one."""
    return Visibility(str(principal.firm_id),
                      str(principal.user_id) if principal.is_collaborator else None)


EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)


def _range(start: date | None, end: date | None) -> DateRange | None:
    for day in (start, end):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise ApiError(400, "invalid_query",
                           "Date hors des bornes acceptées (1900-2200).")
    return DateRange(start, end) if start or end else None


def run_search(ctx: ApiContext, principal: Principal, query: SearchQuery) -> dict[str, Any]:
    """The search as JSON; 400 for a query the engine refuses, 503 when it is down."""
    try:
        result = ctx.search_index().search(visibility(principal), query)
    except InvalidQuery as e:
        raise ApiError(400, "invalid_query", f"Recherche invalide : {e}") from None
    except SearchUnavailable:
        raise ApiError(503, "search_unavailable",
                       "La recherche est momentanément indisponible.") from None
    return asdict(result)


def _valid_uuids(values: list[str] | None) -> tuple[str, ...]:
    out = []
    for value in values or []:
        try:
            out.append(str(uuid.UUID(value)))
        except ValueError:
            raise ApiError(400, "invalid_query", "Identifiant de dossier invalide.") from None
    return tuple(out)


class SearchController(Controller):
    """Search routes under /search."""

    path = "/search"
    tags = ["search"]

    @get("/documents", sync_to_thread=True, summary="Search documents")
    def documents(
        self, ctx: ApiContext, principal: Principal,
        q: Text = None,
        person: Annotated[str | None, Parameter(max_length=200)] = None,
        birth_date: date | None = None,
        siren: Annotated[str | None, Parameter(max_length=20)] = None,
        doc_type: Ids = None,
        dossier_id: Ids = None,
        document_date_from: date | None = None,
        document_date_to: date | None = None,
        expiry_from: date | None = None,
        expiry_to: date | None = None,
        alert_type: Ids = None,
        risk_level: list[Literal["low", "medium", "high"]] | None = None,
        sort: Literal["relevance", "document_date", "expiry_date"] = "relevance",
        order: Literal["asc", "desc"] = "desc",
        limit: Annotated[int, Parameter(ge=1, le=MAX_LIMIT)] = 20,
        cursor: Annotated[str | None, Parameter(max_length=2000)] = None,
        group_by_dossier: bool = False,
    ) -> dict[str, Any]:
        """Full text, person, SIREN and filters; highlights, facets, cursor pages."""
        query = SearchQuery(
            text=q or "", person=PersonQuery(person, birth_date) if person else None,
            siren=siren, doc_types=tuple(doc_type or ()), dossier_ids=_valid_uuids(dossier_id),
            document_date=_range(document_date_from, document_date_to),
            expiry_date=_range(expiry_from, expiry_to), alert_types=tuple(alert_type or ()),
            risk_levels=tuple(risk_level or ()), sort=SortBy(sort), descending=order == "desc",
            limit=limit, cursor=cursor, group_by_dossier=group_by_dossier)
        return run_search(ctx, principal, query)

    @get("/dossiers", sync_to_thread=True, summary="Search dossiers (hits grouped)")
    def dossiers(
        self, ctx: ApiContext, principal: Principal,
        q: Text = None,
        person: Annotated[str | None, Parameter(max_length=200)] = None,
        siren: Annotated[str | None, Parameter(max_length=20)] = None,
        risk_level: list[Literal["low", "medium", "high"]] | None = None,
        alert_type: Ids = None,
        limit: Annotated[int, Parameter(ge=1, le=MAX_LIMIT)] = 20,
        cursor: Annotated[str | None, Parameter(max_length=2000)] = None,
    ) -> dict[str, Any]:
        """The dossiers whose documents match, best first, with their best hits."""
        query = SearchQuery(text=q or "", person=PersonQuery(person) if person else None,
                            siren=siren, risk_levels=tuple(risk_level or ()),
                            alert_types=tuple(alert_type or ()), limit=limit, cursor=cursor,
                            group_by_dossier=True)
        return run_search(ctx, principal, query)

    @get("/persons", sync_to_thread=True, summary="Find a person across the dossiers")
    def persons(
        self, ctx: ApiContext, principal: Principal,
        name: Annotated[str, Parameter(min_length=2, max_length=200)],
        birth_date: date | None = None,
        limit: Annotated[int, Parameter(ge=1, le=MAX_LIMIT)] = 20,
        cursor: Annotated[str | None, Parameter(max_length=2000)] = None,
    ) -> dict[str, Any]:
        """Documents naming the person, with what matched (accents, order, OCR slips...)."""
        query = SearchQuery(person=PersonQuery(name, birth_date), limit=limit, cursor=cursor,
                            facets=False)
        return run_search(ctx, principal, query)


ROUTES = [SearchController]
