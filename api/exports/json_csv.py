"""The dossier as JSON (for scripts) and as CSV (for a spreadsheet, in French)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from api.exports.wording import (
    ALERT_STATUS_FR,
    ALERT_TYPE_FR,
    CRITERION_FR,
    DOC_STATE_FR,
    DOC_TYPE_FR,
    OUTCOME_FR,
    SEVERITY_FR,
    VALIDITY_FR,
    day_fr,
    document_validity,
    label,
    level_fr,
    moment_fr,
    paris_day,
    role_fr,
    siren_fr,
    vigilance_fr,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date, datetime

    from api.exports.snapshot import (
        AlertSnapshot,
        DocumentSnapshot,
        DossierSnapshot,
        RiskSnapshot,
    )

EXPORT_VERSION = 1
CSV_HEADER = ("section", "élément", "champ", "valeur")
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def dossier_json(s: DossierSnapshot) -> dict[str, Any]:
    """The dossier as a JSON-serialisable dict (dates ISO 8601, keys stable, codes in English).

    Shape (`export_version` changes only when a key is renamed or dropped; keys may be added)::

        {
          "export_version": 1,
          "generated_at": "2026-11-26T09:00:00+00:00", "generated_by": "Claire MARTIN",
          "as_of": "2026-11-26",             # the Paris day validity is judged on
          "firm": {"name": "Cabinet A"},
          "dossier": {"id": "uuid", "siren": "123456789" | null, "name": "…",
                      "created_at": "ISO datetime"},
          "declared": null | {"version": 2, "changed_by": "…", "changed_at": "ISO datetime",
                              "data": {"client": {…}, "beneficial_owners": […],
                                       "officers": […]}},      # declared.json, see CONTRACT.md
          "documents": [{"id", "file_name", "doc_type" (contract DocType | null),
                         "state" (received|processing|processed|failed), "document_date",
                         "expiry_date", "effective_expiry_date", "failure_reason",
                         "validity" (valid|expiring|expired|unreadable|pending),
                         "created_at", "result" (contract extract object | null)}],
          "alerts": [{"id", "type", "severity", "status" (open|acknowledged|resolved|dismissed),
                      "message", "subject", "evidence": [{"file", "page", "text"}],
                      "assignee", "due_date", "outcome" (fixed|false_positive|accepted_risk|null),
                      "resolution_note", "resolved_by", "resolved_at", "auto_resolved_reason",
                      "created_at",
                      "events": [{"at", "actor", "from_status", "to_status", "note"}]}],
          "risk": null | {"level", "vigilance", "score", "computed_at",
                          "factors": [{"criterion", "code", "points", "reason"}],
                          "override": null | {"level", "by", "reason"}},
          "risk_history": [ … risk objects, oldest first … ]
        }

    Args:
        s: the dossier snapshot.

    Returns:
        A dict `json.dumps` accepts as is.
    """
    as_of = paris_day(s.generated_at)
    return {
        "export_version": EXPORT_VERSION,
        "generated_at": s.generated_at.isoformat(),
        "generated_by": s.generated_by,
        "as_of": as_of.isoformat(),
        "firm": {"name": s.firm_name},
        "dossier": {"id": str(s.dossier.id), "siren": s.dossier.siren, "name": s.dossier.name,
                    "created_at": s.dossier.created_at.isoformat()},
        "declared": None if s.declared is None else {
            "version": s.declared.version, "changed_by": s.declared.changed_by,
            "changed_at": s.declared.changed_at.isoformat(), "data": s.declared.data},
        "documents": [_document_json(d, as_of) for d in s.documents],
        "alerts": [_alert_json(a) for a in s.alerts],
        "risk": None if s.risk is None else _risk_json(s.risk),
        "risk_history": [_risk_json(r) for r in s.risk_history],
    }


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _document_json(d: DocumentSnapshot, as_of: date) -> dict[str, Any]:
    return {"id": str(d.id), "file_name": d.file_name, "doc_type": d.doc_type, "state": d.state,
            "document_date": _iso(d.document_date), "expiry_date": _iso(d.expiry_date),
            "effective_expiry_date": _iso(d.effective_expiry_date),
            "failure_reason": d.failure_reason,
            "validity": document_validity(d, as_of).value,
            "created_at": d.created_at.isoformat(), "result": d.result}


def _alert_json(a: AlertSnapshot) -> dict[str, Any]:
    return {"id": str(a.id), "type": a.type, "severity": a.severity, "status": a.status,
            "message": a.message, "subject": a.subject, "evidence": list(a.evidence),
            "assignee": a.assignee, "due_date": _iso(a.due_date), "outcome": a.outcome,
            "resolution_note": a.resolution_note, "resolved_by": a.resolved_by,
            "resolved_at": _iso(a.resolved_at), "auto_resolved_reason": a.auto_resolved_reason,
            "created_at": a.created_at.isoformat(),
            "events": [{"at": e.at.isoformat(), "actor": e.actor, "from_status": e.from_status,
                        "to_status": e.to_status, "note": e.note} for e in a.events]}


def _risk_json(r: RiskSnapshot) -> dict[str, Any]:
    return {"level": r.level, "vigilance": r.vigilance, "score": r.score,
            "computed_at": r.computed_at.isoformat(), "factors": list(r.factors),
            "override": r.override}


# -- CSV ----------------------------------------------------------------------------------------


def dossier_csv(s: DossierSnapshot) -> str:
    """The dossier as a CSV for French spreadsheets: one row per fact, in French.

    Columns `section;élément;champ;valeur`; `;` separated, CRLF line ends, starting with a
    UTF-8 byte order mark (Excel reads the file as UTF-8 only with it). Encode the string as
    UTF-8 to serve it. Sections: dossier, bénéficiaire effectif déclaré, dirigeant déclaré,
    document, alerte, facteur de risque, historique du risque. A value a spreadsheet would run
    as a formula (starting with = + - @, tab or CR) is prefixed with a single quote.

    Args:
        s: the dossier snapshot.

    Returns:
        The CSV text, BOM included.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in _csv_rows(s):
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _number_fr(value: object) -> str:
    # French Excel reads "33,33" as a number, "33.33" as text.
    if not isinstance(value, int | float) or isinstance(value, bool):
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _person_name(p: dict[str, Any]) -> str:
    return " ".join(str(x) for x in (p.get("first_names"), p.get("last_name")) if x)


def _csv_rows(s: DossierSnapshot) -> Iterator[tuple[str, str, str, object]]:
    as_of = paris_day(s.generated_at)
    client = (s.declared.data.get("client") or {}) if s.declared else {}
    dossier = "dossier"
    yield dossier, "", "cabinet", s.firm_name
    yield dossier, "", "client", s.dossier.name
    yield dossier, "", "SIREN", siren_fr(s.dossier.siren)
    yield dossier, "", "forme juridique (déclarée)", client.get("legal_form")
    yield dossier, "", "code NAF (déclaré)", client.get("naf")
    yield dossier, "", "pays (déclaré)", client.get("country")
    yield dossier, "", "mission (déclarée)", client.get("mission")
    yield dossier, "", "dossier créé le", moment_fr(s.dossier.created_at)
    if s.declared is not None:
        yield dossier, "", "version des données déclarées", s.declared.version
        yield dossier, "", "déclarées par", s.declared.changed_by
        yield dossier, "", "déclarées le", moment_fr(s.declared.changed_at)
    if s.risk is not None:
        yield dossier, "", "niveau de risque calculé", level_fr(s.risk.level)
        yield dossier, "", "vigilance", vigilance_fr(s.risk.vigilance)
        yield dossier, "", "score de risque", s.risk.score
        yield dossier, "", "risque évalué le", moment_fr(s.risk.computed_at)
        if s.risk.override:
            yield dossier, "", "niveau de risque retenu", level_fr(s.risk.override.get("level"))
            yield dossier, "", "niveau retenu par", s.risk.override.get("by")
            yield dossier, "", "motif du niveau retenu", s.risk.override.get("reason")
    yield dossier, "", "export généré le", moment_fr(s.generated_at)
    yield dossier, "", "export généré par", s.generated_by

    if s.declared is not None:
        for owner in s.declared.data.get("beneficial_owners") or []:
            item = _person_name(owner)
            section = "bénéficiaire effectif déclaré"
            yield section, item, "nom", owner.get("last_name")
            yield section, item, "prénoms", owner.get("first_names")
            yield section, item, "date de naissance", day_fr(owner.get("birth_date"))
            yield section, item, "nationalité", owner.get("nationality")
            yield section, item, "pays de résidence", owner.get("country_of_residence")
            yield section, item, "personne politiquement exposée", (
                "oui" if owner.get("pep") else "non")
            yield section, item, "% du capital", _number_fr(owner.get("capital_pct"))
            yield section, item, "% des droits de vote", _number_fr(owner.get("voting_pct"))
        for officer in s.declared.data.get("officers") or []:
            item = _person_name(officer)
            section = "dirigeant déclaré"
            yield section, item, "nom", officer.get("last_name")
            yield section, item, "prénoms", officer.get("first_names")
            yield section, item, "fonction", role_fr(officer.get("role"))
            yield section, item, "date de naissance", day_fr(officer.get("birth_date"))

    for d in s.documents:
        section, item = "document", d.file_name
        yield section, item, "type", label(DOC_TYPE_FR, d.doc_type)
        yield section, item, "état", label(DOC_STATE_FR, d.state)
        yield section, item, "date du document", day_fr(d.document_date)
        yield section, item, "date d'expiration", day_fr(d.expiry_date)
        yield section, item, "fin de validité légale", day_fr(d.effective_expiry_date)
        yield section, item, "validité", VALIDITY_FR[document_validity(d, as_of)]
        if d.failure_reason:
            yield section, item, "motif de l'échec", d.failure_reason

    for n, a in enumerate(s.alerts, start=1):
        section, item = "alerte", f"alerte {n}"
        yield section, item, "identifiant", a.id
        yield section, item, "type", label(ALERT_TYPE_FR, a.type)
        yield section, item, "gravité", label(SEVERITY_FR, a.severity)
        yield section, item, "statut", label(ALERT_STATUS_FR, a.status)
        yield section, item, "message", a.message
        yield section, item, "preuves", " | ".join(_evidence_text(e) for e in a.evidence)
        yield section, item, "attribuée à", a.assignee
        yield section, item, "échéance", day_fr(a.due_date)
        yield section, item, "issue", label(OUTCOME_FR, a.outcome)
        yield section, item, "justification", a.resolution_note or a.auto_resolved_reason
        yield section, item, "traitée par", a.resolved_by
        yield section, item, "traitée le", moment_fr(a.resolved_at)

    if s.risk is not None:
        for f in s.risk.factors:
            section, item = "facteur de risque", str(f.get("code") or "")
            yield section, item, "critère", label(CRITERION_FR, f.get("criterion"))
            yield section, item, "points", f.get("points")
            yield section, item, "motif", f.get("reason")

    for r in s.risk_history:
        section, item = "historique du risque", moment_fr(r.computed_at)
        yield section, item, "niveau", level_fr(r.level)
        yield section, item, "vigilance", vigilance_fr(r.vigilance)
        yield section, item, "score", r.score
        if r.override:
            yield section, item, "niveau retenu", level_fr(r.override.get("level"))


def _evidence_text(e: dict[str, Any]) -> str:
    page = f" p. {e['page']}" if e.get("page") else ""
    text = f" : {e['text']}" if e.get("text") else ""
    return f"{e.get('file', '')}{page}{text}"
