"""Alerts about documents as such: unreadable files, an outdated register extract."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alerts.evidence import alert_key, evidence_from
from alerts.policy import months_before
from kanta_docs.assessment import Alert, Evidence, Subject
from kanta_docs.vocab import AlertType, DocType, Severity

if TYPE_CHECKING:
    from alerts.rules import CheckContext


def raise_alerts(ctx: CheckContext) -> list[Alert]:
    """`document_unreadable` per file, `register_extract_outdated` for the newest Kbis."""
    alerts = [_unreadable(doc.file, doc.result.sha256, doc.result.warnings)
              for doc in ctx.view.unreadable]
    kbis = ctx.view.newest(DocType.KBIS)
    if kbis is None or kbis.result.document_date is None:
        return alerts
    limit = months_before(ctx.as_of, ctx.policy.register_extract_max_months)
    day = kbis.result.document_date
    if day < limit:
        facts = kbis.facts
        months = (ctx.as_of.year - day.year) * 12 + ctx.as_of.month - day.month
        alerts.append(Alert(
            type=AlertType.REGISTER_EXTRACT_OUTDATED, severity=Severity.LOW,
            subject=Subject(file=kbis.file),
            evidence=[evidence_from(kbis, facts.document_date if facts else None,
                                    text=f"à jour au {day:%d/%m/%Y}")],
            message=(f"L'extrait Kbis le plus récent est à jour au {day:%d/%m/%Y}, soit environ "
                     f"{months} mois avant le {ctx.as_of:%d/%m/%Y} : la réglementation demande un "
                     f"extrait de moins de {ctx.policy.register_extract_max_months} mois ; "
                     "demandez un extrait récent."),
            key=alert_key(AlertType.REGISTER_EXTRACT_OUTDATED, kbis.result.sha256),
        ))
    return alerts


def _unreadable(file: str, sha256: str, warnings: list[str]) -> Alert:
    reason = next((w.removeprefix("unreadable: ") for w in warnings
                   if w.startswith("unreadable: ")), None)
    if reason is None:
        detail = ("son type n'a pas été reconnu (ni Kbis, ni extrait RBE, ni statuts, "
                  "ni pièce d'identité)")
    else:
        detail = f"il n'a pas pu être lu ({reason})"
    return Alert(
        type=AlertType.DOCUMENT_UNREADABLE, severity=Severity.MEDIUM, subject=Subject(file=file),
        evidence=[Evidence(file=file, page=None, text=reason or "type non reconnu")],
        message=f"Le fichier « {file} » n'a pas été pris en compte : {detail}. "
                "Remplacez-le par une copie lisible.",
        key=alert_key(AlertType.DOCUMENT_UNREADABLE, sha256 or file),
    )
