"""The output shapes of `kanta-docs check` (../shared/CONTRACT.md): alerts with their evidence,
the risk assessment with its factors, and the whole check result.

Frozen pydantic models, because they cross the CLI, API and store edges. Fields may be added
(the contract allows it), never renamed.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from kanta_docs.models import SCHEMA_VERSION, ExtractResult
from kanta_docs.vocab import AlertType, Criterion, RiskLevel, Severity, Vigilance


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(_Out):
    """Where a person can see the fact for themselves."""

    file: str
    page: int | None = None  # 1-based; None for a whole-file fact (unreadable file)
    text: str = ""


class Subject(_Out):
    """Who or what an alert is about: a person, or a document (`file`) or the company."""

    last_name: str | None = None
    first_names: str | None = None
    birth_date: date | None = None
    file: str | None = None


class Alert(_Out):
    """One fact that needs a person's attention."""

    type: AlertType
    severity: Severity
    subject: Subject | None = None
    evidence: list[Evidence] = []
    message: str  # French, for a collaborator
    # Stable across runs for the same fact, so the service can tell new facts from known ones.
    key: str


class RiskFactor(_Out):
    """One reason a dossier's risk goes up (or down), with its points."""

    criterion: Criterion
    code: str
    points: int
    reason: str  # French


class RiskAssessment(_Out):
    """The dossier's NPLAB risk level, the vigilance it calls for, and why."""

    level: RiskLevel
    vigilance: Vigilance
    score: int
    factors: list[RiskFactor] = []


class IdentityAssignment(_Out):
    """Whose identity document a file is: matched to a declared person, or to nobody."""

    file: str
    holder: Subject  # as the document names them
    person: Subject | None  # the declared owner or representative it belongs to; None: nobody


class OwnershipLine(_Out):
    """One natural person's holding of the client computed from the statuts in the dossier."""

    person: Subject
    capital_pct: float  # percentages multiplied along each chain, chains added
    capital_pct_if_controlled: float  # a controlled company (> 50 %) counted as wholly held
    over_threshold: bool  # per the multiplied figure and the threshold in force
    paths: list[str]  # "Jean DUPONT → 60 % HOLDCO → 40 % KANTA"


class CheckResult(_Out):
    """The `kanta-docs check --format json` object."""

    schema_version: int = SCHEMA_VERSION
    dossier: str
    as_of: date
    documents: list[ExtractResult]
    alerts: list[Alert]
    risk: RiskAssessment
    identity_documents: list[IdentityAssignment] = []
    ownership: list[OwnershipLine] = []

    def to_json_dict(self) -> dict[str, object]:
        """The contract JSON object (dates as ISO strings, enums as their values)."""
        return self.model_dump(mode="json")
