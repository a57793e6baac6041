"""A firm's notification settings, stored in `Firm.settings["notifications"]`.

Absent settings (or absent fields) take the defaults below; `PUT /firm/notifications` validates
a new value strictly (no coercion, unknown fields refused) before storing it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kanta_docs.logs import get_logger
from kanta_docs.vocab import AlertType, Severity

if TYPE_CHECKING:
    from kanta_docs.store.tables import Firm

log = get_logger(__name__)

SETTINGS_KEY = "notifications"
SEVERITY_RANK: dict[str, int] = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2}
Recipient = Literal["admin", "compliance_officer", "assigned_collaborator"]
ALL_RECIPIENTS: tuple[Recipient, ...] = ("admin", "compliance_officer", "assigned_collaborator")


class NotificationSettings(BaseModel):
    """Who hears about what, and when.

    - `expiry_lead_days`: days before a document's effective expiry on which its reminder goes
      out (0: the day it expires).
    - `register_extract_max_months`: age past which a dossier's newest Kbis is reported, once,
      on the day it crosses the line.
    - `alert_types` (None: every type) and `min_severity`: which alerts notify.
    - `recipients`: admins, compliance officers, and the collaborators assigned to the dossier.
    - `immediate_high_severity`: also send one mail at once for a high-severity alert.
    - `digest_hour`: hour (Europe/Paris) from which the day's digest goes out.
    """

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    expiry_lead_days: list[int] = Field(default_factory=lambda: [90, 30, 7, 0], max_length=10)
    register_extract_max_months: int = Field(default=3, ge=1, le=24)
    alert_types: list[str] | None = None
    min_severity: Literal["low", "medium", "high"] = "medium"
    recipients: list[Recipient] = Field(default_factory=lambda: list(ALL_RECIPIENTS))
    immediate_high_severity: bool = False
    digest_hour: int = Field(default=7, ge=0, le=23)

    @field_validator("expiry_lead_days")
    @classmethod
    def _leads(cls, value: list[int]) -> list[int]:
        if any(lead < 0 or lead > 365 for lead in value):
            raise ValueError("lead times are days between 0 and 365")
        return sorted(set(value), reverse=True)

    @field_validator("alert_types")
    @classmethod
    def _types(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        known = {t.value for t in AlertType}
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown alert types: {', '.join(unknown)}")
        return sorted(set(value))

    @field_validator("recipients")
    @classmethod
    def _recipients(cls, value: list[Recipient]) -> list[Recipient]:
        return [r for r in ALL_RECIPIENTS if r in value]

    def alert_notifies(self, alert_type: str, severity: str) -> bool:
        """Whether an alert of this type and severity notifies this firm."""
        if self.alert_types is not None and alert_type not in self.alert_types:
            return False
        return SEVERITY_RANK.get(severity, -1) >= SEVERITY_RANK[self.min_severity]


def parse_notification_settings(data: Any) -> NotificationSettings:
    """Strict validation of a settings value (raises pydantic's ValidationError)."""
    return NotificationSettings.model_validate(data)


def firm_notification_settings(firm: Firm) -> NotificationSettings:
    """The firm's settings; the defaults when it has none. A stored value that no longer
    validates (written by hand) is logged and replaced by the defaults: notifications go on."""
    stored = (firm.settings or {}).get(SETTINGS_KEY)
    if stored is None:
        return NotificationSettings()
    try:
        return parse_notification_settings(stored)
    except ValidationError as e:
        log.warning("invalid notification settings; defaults used", firm_id=str(firm.id),
                    error=str(e).splitlines()[0])
        return NotificationSettings()
