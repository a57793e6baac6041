"""How `kanta-docs check` shows its result: the table for people, the divergence report files."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING

from alerts.divergence import build_divergence_report, render_text
from kanta_docs.errors import InvalidInput
from kanta_docs.vocab import RiskLevel, Vigilance

LEVEL_FR = {RiskLevel.LOW: "faible", RiskLevel.MEDIUM: "moyen", RiskLevel.HIGH: "élevé"}
VIGILANCE_FR = {Vigilance.SIMPLIFIED: "simplifiée", Vigilance.STANDARD: "standard",
                 Vigilance.ENHANCED: "renforcée"}

if TYPE_CHECKING:
    from alerts.check import DossierCheck
    from kanta_docs.assessment import CheckResult


def print_check_table(result: CheckResult, out: IO[str]) -> None:
    """Documents, alerts and risk as tables (in French, as a collaborator reads them)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, width=max(120, Console().width))
    docs = Table(title=f"Dossier {result.dossier} au {result.as_of:%d/%m/%Y}")
    for column in ("fichier", "type", "date", "expiration", "avertissements"):
        docs.add_column(column, overflow="fold")
    for d in result.documents:
        docs.add_row(d.file, d.doc_type.value, _iso(d.document_date),
                     _iso(d.effective_expiry_date), "; ".join(d.warnings))
    console.print(docs)
    alerts = Table(title=f"{len(result.alerts)} alerte(s)")
    for column in ("gravité", "type", "message", "justificatif"):
        alerts.add_column(column, overflow="fold")
    for a in result.alerts:
        proof = "; ".join(f"{e.file}" + (f" p.{e.page}" if e.page else "") for e in a.evidence)
        alerts.add_row(a.severity.value, a.type.value, a.message, proof)
    console.print(alerts)
    for assignment in result.identity_documents:
        if assignment.person is None:
            holder = assignment.holder
            console.print(f"Pièce d'identité non rattachée : {assignment.file} "
                          f"({holder.first_names or ''} {holder.last_name or '?'}) ne correspond "
                          "à aucune personne déclarée.")
    for line in result.ownership:
        console.print(f"Détention selon les statuts : {'; '.join(line.paths)} = "
                      f"{line.capital_pct:g} % ({line.capital_pct_if_controlled:g} % si les "
                      "sociétés contrôlées comptent pour 100 %)")
    risk = result.risk
    factors = Table(title=f"Risque {LEVEL_FR[risk.level]} (score {risk.score}), vigilance "
                          f"{VIGILANCE_FR[risk.vigilance]}")
    for column in ("critère", "facteur", "points", "motif"):
        factors.add_column(column, overflow="fold")
    for f in risk.factors:
        factors.add_row(f.criterion.value, f.code, str(f.points), f.reason)
    console.print(factors)


def write_divergence_report(check: DossierCheck, result: CheckResult, path: Path) -> None:
    """The divergence report as JSON at `path` and as text beside it (`.txt`), each written
    whole or not at all."""
    del result  # the check carries everything; kept in the signature for future fields
    report = build_divergence_report(check)
    payload = report.model_dump(mode="json") | {"has_divergence": report.has_divergence}
    text_path = path.with_suffix(".txt") if path.suffix != ".txt" else path.with_suffix(".text")
    _write_atomically(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    _write_atomically(text_path, render_text(report))


def _write_atomically(path: Path, text: str) -> None:
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        Path(tmp).replace(path)
    except OSError as e:
        raise InvalidInput(f"{path}: cannot write the report ({e.strerror or e})") from None


def _iso(value: object) -> str:
    return "" if value is None else str(value)
