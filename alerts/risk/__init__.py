"""NPLAB risk scoring: a dossier's declared data, persons and alerts -> level, vigilance, factors.

Pure: values in, values out; the only I/O is reading the packaged reference data (alerts/data/).
"""

from alerts.risk.dry_run import LevelChange, compare_references
from alerts.risk.inputs import (
    PersonRole,
    RiskInput,
    RiskPerson,
    persons_from_declared,
    risk_input_from_declared,
)
from alerts.risk.override import MANUAL_OVERRIDE, RiskOverrideRefused, override_level
from alerts.risk.reference import RiskReference, load_reference
from alerts.risk.scoring import MANDATE_CODES, MANDATE_HIGH_RISK_COUNTRY, MANDATE_PEP, assess_risk

__all__ = [
    "MANDATE_CODES",
    "MANDATE_HIGH_RISK_COUNTRY",
    "MANDATE_PEP",
    "MANUAL_OVERRIDE",
    "LevelChange",
    "PersonRole",
    "RiskInput",
    "RiskOverrideRefused",
    "RiskPerson",
    "RiskReference",
    "assess_risk",
    "compare_references",
    "load_reference",
    "override_level",
    "persons_from_declared",
    "risk_input_from_declared",
]
