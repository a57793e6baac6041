"""A person's override of a computed risk level, documented as a factor (NPLAB: « documenter
toute modulation », DOMAIN.md §6.3) and never below a legal mandate.
"""

from __future__ import annotations

from typing import ClassVar

from alerts.risk.scoring import LEVEL_LABELS, LEVEL_RANK, is_mandated
from kanta_docs.assessment import RiskAssessment, RiskFactor
from kanta_docs.errors import KantaError
from kanta_docs.vocab import Criterion, RiskLevel, Vigilance

MANUAL_OVERRIDE = "manual_override"


class RiskOverrideRefused(KantaError):
    """An override that the law or the audit trail does not allow (below a mandate, unjustified)."""

    exit_code: ClassVar[int] = 2
    http_status: ClassVar[int] = 422


def override_level(
    assessment: RiskAssessment, level: RiskLevel, justification: str, by: str
) -> RiskAssessment:
    """The assessment with `level` set by a person, the override recorded as a factor.

    The score and the other factors stay as computed. Vigilance follows the new level: high ->
    enhanced, medium -> standard, low -> standard (simplified only if it already was). Raises
    RiskOverrideRefused when the justification or the author is empty, or when the level would go
    below high while a legal mandate (PEP, high-risk country; CMF L.561-10) applies.
    """
    reason = justification.strip()
    author = by.strip()
    if not reason or not author:
        raise RiskOverrideRefused(
            "a risk level override needs a justification and its author: give both"
        )
    if is_mandated(assessment.factors) and LEVEL_RANK[level] < LEVEL_RANK[RiskLevel.HIGH]:
        raise RiskOverrideRefused(
            f"cannot set the risk level to {level.value}: a legal mandate (CMF L.561-10, see the"
            " factors coded mandate_*) requires at least high and enhanced vigilance"
        )
    if level is RiskLevel.HIGH:
        vigilance = Vigilance.ENHANCED
    elif level is RiskLevel.LOW and assessment.vigilance is Vigilance.SIMPLIFIED:
        vigilance = Vigilance.SIMPLIFIED
    else:
        vigilance = Vigilance.STANDARD
    factor = RiskFactor(
        criterion=Criterion.CLIENT,  # the contract has no "manual" criterion; client is the dossier
        code=MANUAL_OVERRIDE,
        points=0,
        reason=(
            f"Niveau fixé manuellement à « {LEVEL_LABELS[level]} » (calculé : "
            f"« {LEVEL_LABELS[assessment.level]} ») par {author} : {reason}"
        ),
    )
    return assessment.model_copy(
        update={"level": level, "vigilance": vigilance, "factors": [*assessment.factors, factor]}
    )
