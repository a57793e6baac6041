"""Dry run of new weights: which dossiers would change level or vigilance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from alerts.risk.scoring import assess_risk

if TYPE_CHECKING:
    from collections.abc import Mapping

    from alerts.risk.inputs import RiskInput
    from alerts.risk.reference import RiskReference
    from kanta_docs.vocab import RiskLevel, Vigilance


@dataclass(frozen=True, slots=True)
class LevelChange:
    """One dossier whose level or vigilance differs between two references."""

    dossier: str
    level_before: RiskLevel
    level_after: RiskLevel
    vigilance_before: Vigilance
    vigilance_after: Vigilance
    score_before: int
    score_after: int


def compare_references(
    inputs: Mapping[str, RiskInput], current: RiskReference, proposed: RiskReference
) -> list[LevelChange]:
    """The dossiers (by their key, in input order) whose level or vigilance would change under
    `proposed`; a score change alone is not reported."""
    changes: list[LevelChange] = []
    for dossier, risk_input in inputs.items():
        before = assess_risk(risk_input, current)
        after = assess_risk(risk_input, proposed)
        if before.level is after.level and before.vigilance is after.vigilance:
            continue
        changes.append(
            LevelChange(
                dossier=dossier,
                level_before=before.level,
                level_after=after.level,
                vigilance_before=before.vigilance,
                vigilance_after=after.vigilance,
                score_before=before.score,
                score_after=after.score,
            )
        )
    return changes
