"""French wording and judgements shared by the exports (labels, dates, document validity).

Labels fall back to the raw value for a code this module does not know yet, so a new alert type
or status shows up as its code rather than breaking an export.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from alerts.policy import CheckPolicy, months_before
from alerts.rules.officers import ROLE_FR
from kanta_docs.check_output import LEVEL_FR, VIGILANCE_FR
from kanta_docs.store.tables import AlertOutcome, AlertStatus, DocState
from kanta_docs.vocab import (
    AlertType,
    Criterion,
    DocType,
    OfficerRole,
    RiskLevel,
    Severity,
    Vigilance,
)

if TYPE_CHECKING:
    from api.exports.snapshot import DocumentSnapshot

try:  # the firms are French: times are shown in Paris time
    PARIS: tzinfo = ZoneInfo("Europe/Paris")
except ZoneInfoNotFoundError:  # pragma: no cover - an image without tzdata
    PARIS = UTC

DOC_TYPE_FR: dict[str, str] = {
    DocType.KBIS: "Extrait Kbis",
    DocType.RBE: "Extrait RBE",
    DocType.STATUTS: "Statuts",
    DocType.ID_CARD: "Carte d'identité",
    DocType.PASSPORT: "Passeport",
    DocType.RESIDENCE_PERMIT: "Titre de séjour",
    DocType.UNKNOWN: "Non reconnu",
}
SEVERITY_FR: dict[str, str] = {Severity.HIGH: "élevée", Severity.MEDIUM: "moyenne",
                               Severity.LOW: "faible"}
ALERT_STATUS_FR: dict[str, str] = {
    AlertStatus.OPEN: "ouverte",
    AlertStatus.ACKNOWLEDGED: "prise en compte",
    AlertStatus.RESOLVED: "résolue",
    AlertStatus.DISMISSED: "classée sans suite",
}
OUTCOME_FR: dict[str, str] = {
    AlertOutcome.FIXED: "corrigée",
    AlertOutcome.FALSE_POSITIVE: "fausse alerte",
    AlertOutcome.ACCEPTED_RISK: "risque accepté",
}
DOC_STATE_FR: dict[str, str] = {
    DocState.RECEIVED: "reçu",
    DocState.PROCESSING: "en cours de traitement",
    DocState.PROCESSED: "traité",
    DocState.FAILED: "échec de lecture",
}
CRITERION_FR: dict[str, str] = {
    Criterion.CLIENT: "client",
    Criterion.ACTIVITY: "activité",
    Criterion.LOCATION: "localisation",
    Criterion.MISSION: "mission",
}
ALERT_TYPE_FR: dict[str, str] = {
    AlertType.BE_NOT_DECLARED: "Bénéficiaire effectif non déclaré",
    AlertType.BE_NOT_IN_REGISTER: "Bénéficiaire effectif absent du registre",
    AlertType.BE_SHARE_MISMATCH: "Écart de détention d'un bénéficiaire effectif",
    AlertType.BE_IDENTITY_MISMATCH: "Écart d'identité d'un bénéficiaire effectif",
    AlertType.COMPANY_MISMATCH: "Écart sur la société",
    AlertType.OFFICER_MISMATCH: "Écart sur les dirigeants",
    AlertType.ID_DOCUMENT_MISSING: "Pièce d'identité manquante",
    AlertType.ID_DOCUMENT_EXPIRED: "Pièce d'identité expirée",
    AlertType.ID_DOCUMENT_EXPIRING: "Pièce d'identité bientôt expirée",
    AlertType.ID_DOCUMENT_MISMATCH: "Pièce d'identité ne correspondant pas",
    AlertType.MRZ_INVALID: "Bande MRZ invalide",
    AlertType.REGISTER_EXTRACT_OUTDATED: "Extrait Kbis de plus de 3 mois",
    AlertType.DOCUMENT_UNREADABLE: "Document illisible",
}


class Validity(StrEnum):
    """Whether a document can still be relied on, on the day of the export."""

    VALID = "valid"
    EXPIRING = "expiring"  # an identity document ending within the alert window
    EXPIRED = "expired"  # identity document past its effective end, Kbis over 3 months old
    UNREADABLE = "unreadable"  # failed, or not classified
    PENDING = "pending"  # not processed yet


VALIDITY_FR: dict[str, str] = {
    Validity.VALID: "valide",
    Validity.EXPIRING: "expire bientôt",
    Validity.EXPIRED: "expiré",
    Validity.UNREADABLE: "illisible",
    Validity.PENDING: "en cours de traitement",
}

_POLICY = CheckPolicy()


def label(table: dict[str, str], value: str | None, default: str = "") -> str:
    """The French label of a code; the code itself when unknown, `default` when None."""
    if value is None:
        return default
    return table.get(value, value)


def level_fr(value: str | None) -> str:
    """"faible" / "moyen" / "élevé" for a risk level code."""
    if value is None:
        return ""
    try:
        return LEVEL_FR[RiskLevel(value)]
    except ValueError:
        return value


def vigilance_fr(value: str | None) -> str:
    """"simplifiée" / "standard" / "renforcée" for a vigilance code."""
    if value is None:
        return ""
    try:
        return VIGILANCE_FR[Vigilance(value)]
    except ValueError:
        return value


def role_fr(value: str | None) -> str:
    """An officer role in French ("président(e)", ...)."""
    if value is None:
        return ""
    try:
        return ROLE_FR[OfficerRole(value)]
    except ValueError:
        return value


def siren_fr(siren: str | None) -> str:
    """"123 456 789" for a 9-digit SIREN; anything else as given."""
    if siren is None:
        return ""
    digits = siren.replace(" ", "")
    if len(digits) == 9 and digits.isdigit():
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return siren


def day_fr(value: date | str | None) -> str:
    """"12/03/1970" for a date or an ISO date string; "" when unknown."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            return f"{date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            return value
    return f"{value:%d/%m/%Y}"


def moment_fr(value: datetime | None) -> str:
    """"26/11/2026 à 10:00" in Paris time; "" when unknown."""
    if value is None:
        return ""
    return f"{value.astimezone(PARIS):%d/%m/%Y à %H:%M}"


def pct_fr(value: object) -> str:
    """"33,33 %" for a number; "" when unknown."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " %"


def paris_day(moment: datetime) -> date:
    """The calendar day of a moment in Paris (the day a document is judged on)."""
    return moment.astimezone(PARIS).date()


def document_validity(doc: DocumentSnapshot, as_of: date) -> Validity:
    """Whether the document is valid on `as_of`, with the windows of the cross-check.

    An identity document is judged on its effective expiry (the legal one, see the contract); a
    Kbis is outdated after 3 months (CMF R.561-5-1); other documents do not expire.
    """
    if doc.state == DocState.FAILED:
        return Validity.UNREADABLE
    if doc.state != DocState.PROCESSED:
        return Validity.PENDING
    if doc.doc_type is None or doc.doc_type == DocType.UNKNOWN:
        return Validity.UNREADABLE
    end = doc.effective_expiry_date or doc.expiry_date
    if end is not None:
        if end < as_of:
            return Validity.EXPIRED
        if end <= as_of + timedelta(days=_POLICY.expiring_within_days):
            return Validity.EXPIRING
        return Validity.VALID
    if doc.doc_type == DocType.KBIS and doc.document_date is not None and (
            doc.document_date < months_before(as_of, _POLICY.register_extract_max_months)):
        return Validity.EXPIRED
    return Validity.VALID
