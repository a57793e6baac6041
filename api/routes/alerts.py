"""Alerts: list and filter, acknowledge, resolve or dismiss with a justification, assign."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from litestar import Controller, get, post
from litestar.params import Parameter
from msgspec import Meta, Struct

from api.context import ApiContext
from api.errors import ApiError, bad_request, not_found
from api.pagination import Page, PageParams, fetch_page
from api.security import Principal
from api.views import AlertView, alert_view
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import Alert, AlertOutcome, AlertStatus

CLOSING = {AlertStatus.RESOLVED: "resolve", AlertStatus.DISMISSED: "dismiss"}
Justification = Annotated[str, Meta(min_length=3, max_length=4000)]


class Resolution(Struct):
    """How an alert was closed and why (the justification is mandatory)."""

    justification: Justification
    outcome: Literal["fixed", "accepted_risk", "false_positive"] = "fixed"


class Dismissal(Struct):
    """Why an alert is dismissed (mandatory); dismissal records a false positive."""

    justification: Justification


class Acknowledgement(Struct):
    """An optional note when taking an alert in hand."""

    note: Annotated[str, Meta(max_length=4000)] = ""


class Assignment(Struct):
    """Who handles the alert; null for nobody."""

    assignee_id: uuid.UUID | None


def visible_alert(store: FirmScope, alert_id: uuid.UUID) -> Alert:
    """The alert if the caller may see it; 404 otherwise."""
    alert = store.get_alert(alert_id)
    if alert is None:
        raise not_found("Alerte")
    return alert


def _move(store: FirmScope, principal: Principal, ctx: ApiContext, address: str | None,
          alert_id: uuid.UUID, to: AlertStatus, note: str,
          outcome: AlertOutcome | None = None) -> AlertView:
    alert = visible_alert(store, alert_id)
    before = alert.status
    if not store.transition_alert(alert.id, to, principal.actor, note, outcome=outcome,
                                  now=ctx.clock()):
        raise ApiError(409, "invalid_transition",
                       f"Impossible de passer l'alerte de « {before} » à « {to} ».")
    store.append_audit(principal.actor, f"alert.{to}", "alert", str(alert.id),
                       {"from": str(before), "outcome": str(outcome) if outcome else None},
                       address=address)
    # The search index shows each document's open-alert types; webhooks announce closures.
    store.add_outbox(f"alert.{CLOSING[to]}" if to in CLOSING else "dossier.changed",
                     {"alert_id": str(alert.id), "dossier_id": str(alert.dossier_id),
                      "type": alert.type})
    return alert_view(alert, store.alert_history(alert.id))


class AlertController(Controller):
    """/alerts."""

    path = "/alerts"
    tags = ["alerts"]

    @get("/", sync_to_thread=True, summary="List and filter alerts")
    def list_alerts(
        self, store: FirmScope, page: PageParams,
        type: Annotated[str | None, Parameter(max_length=50)] = None,  # noqa: A002
        severity: Literal["low", "medium", "high"] | None = None,
        status: Literal["open", "acknowledged", "resolved", "dismissed"] | None = None,
        assignee_id: uuid.UUID | None = None,
        dossier_id: uuid.UUID | None = None,
        sort: Literal["due_date", "created_at", "severity"] = "due_date",
    ) -> Page[AlertView]:
        """The caller's alerts (a collaborator's: those of their dossiers), due first."""
        query = store.alerts_query()
        if type:
            query = query.where(Alert.type == type)
        if severity:
            query = query.where(Alert.severity == severity)
        if status:
            query = query.where(Alert.status == status)
        if assignee_id:
            query = query.where(Alert.assignee_id == assignee_id)
        if dossier_id:
            query = query.where(Alert.dossier_id == dossier_id)
        order = {"due_date": (Alert.due_date.asc().nulls_last(), Alert.created_at, Alert.id),
                 "created_at": (Alert.created_at.desc(), Alert.id),
                 "severity": (Alert.severity, Alert.due_date, Alert.id)}[sort]
        rows, total = fetch_page(store.session, query.order_by(*order), page)
        return Page([alert_view(a) for a in rows], total, page.limit, page.offset)

    @get("/{alert_id:uuid}", sync_to_thread=True, summary="One alert with its history")
    def get_alert(self, store: FirmScope, alert_id: uuid.UUID) -> AlertView:
        """The alert, its evidence and every step of its history."""
        alert = visible_alert(store, alert_id)
        return alert_view(alert, store.alert_history(alert.id))

    @post("/{alert_id:uuid}/acknowledge", sync_to_thread=True, status_code=200,
          summary="Take an alert in hand")
    def acknowledge(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                    address: str | None, alert_id: uuid.UUID,
                    data: Acknowledgement | None = None) -> AlertView:
        """Open -> acknowledged."""
        return _move(store, principal, ctx, address, alert_id, AlertStatus.ACKNOWLEDGED,
                     data.note if data else "")

    @post("/{alert_id:uuid}/resolve", sync_to_thread=True, status_code=200,
          summary="Resolve an alert, with a justification")
    def resolve(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                address: str | None, alert_id: uuid.UUID, data: Resolution) -> AlertView:
        """Closes the alert; a false positive stays closed until the fact itself changes."""
        if not data.justification.strip():
            raise bad_request("justification_required", "Une justification est obligatoire.")
        return _move(store, principal, ctx, address, alert_id, AlertStatus.RESOLVED,
                     data.justification.strip(), AlertOutcome(data.outcome))

    @post("/{alert_id:uuid}/dismiss", sync_to_thread=True, status_code=200,
          summary="Dismiss an alert as a false positive, with a justification")
    def dismiss(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                address: str | None, alert_id: uuid.UUID, data: Dismissal) -> AlertView:
        """Closes the alert as a false positive."""
        if not data.justification.strip():
            raise bad_request("justification_required", "Une justification est obligatoire.")
        return _move(store, principal, ctx, address, alert_id, AlertStatus.DISMISSED,
                     data.justification.strip(), AlertOutcome.FALSE_POSITIVE)

    @post("/{alert_id:uuid}/assign", sync_to_thread=True, status_code=200,
          summary="Give an alert to a user of the firm")
    def assign(self, store: FirmScope, principal: Principal, ctx: ApiContext,
               address: str | None, alert_id: uuid.UUID, data: Assignment) -> AlertView:
        """Assigns the alert (null: nobody)."""
        alert = visible_alert(store, alert_id)
        if not store.assign_alert(alert.id, data.assignee_id, principal.actor, now=ctx.clock()):
            raise bad_request("unknown_user", "Cet utilisateur n'appartient pas au cabinet.")
        store.append_audit(principal.actor, "alert.assign", "alert", str(alert.id),
                           {"assignee_id": str(data.assignee_id) if data.assignee_id else None},
                           address=address)
        return alert_view(alert, store.alert_history(alert.id))
