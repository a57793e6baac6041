"""The alert rules of `kanta-docs check`, one module per family of the contract's catalogue.

Each rule module exposes `raise_alerts(ctx) -> list[Alert]`: values in, values out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from alerts.dossier_view import DossierView
    from alerts.ownership import OwnershipChart
    from alerts.policy import CheckPolicy
    from kanta_docs.declared import Declared


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What every rule reads: the sorted documents, the declaration, the day and the policy."""

    view: DossierView
    declared: Declared
    as_of: date
    policy: CheckPolicy
    chart: OwnershipChart
