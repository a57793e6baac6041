"""What the service shows about a dossier and about itself (CLI now, API pages later)."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import func, select

from kanta_docs.check_output import LEVEL_FR, VIGILANCE_FR
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import Alert, AlertStatus, Document
from kanta_docs.vocab import RiskLevel, Vigilance

if TYPE_CHECKING:
    import uuid

    from kanta_docs.tasks import Runtime

ACTIVE = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


def dossier_summary(rt: Runtime, firm_id: uuid.UUID, dossier_id: uuid.UUID) -> dict[str, Any]:
    """The dossier's documents with their state, its active alerts and its current risk."""
    with rt.sessions.begin() as session:
        scope = FirmScope(session, firm_id)
        documents = scope.documents_of_dossier(dossier_id)
        alerts = [a for a in scope.alerts_of_dossier(dossier_id).values() if a.status in ACTIVE]
        risk = scope.latest_risk(dossier_id)
        return {
            "dossier_id": str(dossier_id),
            "documents": [{"file": d.file_name, "state": str(d.state),
                           "doc_type": d.doc_type, "failure_reason": d.failure_reason}
                          for d in documents],
            "failed_documents": sum(d.state == "failed" for d in documents),
            "alerts": [{"type": a.type, "severity": a.severity, "status": str(a.status),
                        "subject": a.subject, "evidence": a.evidence, "message": a.message,
                        "key": a.key, "due_date": a.due_date.isoformat() if a.due_date else None}
                       for a in sorted(alerts, key=lambda a: (a.type, a.key))],
            "risk": None if risk is None else {"level": risk.level, "vigilance": risk.vigilance,
                                               "score": risk.score, "factors": risk.factors},
        }


def print_summary(summary: dict[str, Any], out: IO[str]) -> None:
    """The summary as French text for a person."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, width=120)
    table = Table(title=f"{len(summary['alerts'])} alerte(s) ouverte(s)")
    for column in ("gravité", "type", "message", "échéance"):
        table.add_column(column, overflow="fold")
    for a in summary["alerts"]:
        table.add_row(a["severity"], a["type"], a["message"], a["due_date"] or "")
    console.print(table)
    risk = summary["risk"]
    if risk is not None:
        console.print(f"Risque {LEVEL_FR[RiskLevel(risk['level'])]} (score {risk['score']}), "
                      f"vigilance {VIGILANCE_FR[Vigilance(risk['vigilance'])]}")
    for d in summary["documents"]:
        if d["state"] == "failed":
            console.print(f"Échec : {d['file']} — {d['failure_reason']}")


def service_status(rt: Runtime) -> dict[str, Any]:
    """Documents by state, active alerts, and the broker's queue depth (Celery on Redis)."""
    with rt.sessions.begin() as session:
        by_state = dict(session.execute(
            select(Document.state, func.count()).group_by(Document.state)).all())
        active = session.scalar(select(func.count()).select_from(Alert)
                                .where(Alert.status.in_(ACTIVE)))
    depth: int | None = None
    broker = rt.settings.broker_url
    if broker.startswith("redis"):
        import redis

        depth = int(redis.Redis.from_url(broker).llen(rt.settings.task_queue))
    return {"documents": {str(k): v for k, v in by_state.items()}, "active_alerts": active or 0,
            "queue_depth": depth, "broker": "memory" if broker == "memory" else "redis"}
