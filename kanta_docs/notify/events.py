"""What the outbox relay hands to notifications: `on_outbox_event`, called for every event in
the relay's transaction.

`alert.open` / `alert.reopen` of an alert the firm's settings let through (type, minimum
severity) give its recipients an in-app "alert" notification (a digest item); when the alert
is high-severity and the firm enabled `immediate_high_severity`, they also get one mail at once
(kind "high_alert", unless they unsubscribed from it). Keys carry the outbox event id, so a
relay that handles the same event twice creates nothing new, while a reopened alert notifies
again.

Expiry alerts (`id_document_expiring`, `id_document_expired`, `register_extract_outdated`) are
not repeated as alert items when the lead-time scan already reminds of them (expiry.py): one
reminder per fact in the digest, not two. The immediate mail is not affected.
"""

from __future__ import annotations

import html
import uuid
from typing import TYPE_CHECKING

from sqlalchemy import select

from kanta_docs.logs import get_logger
from kanta_docs.notify.email import email_enabled, queue_email
from kanta_docs.notify.inapp import (
    ALERT,
    SEVERITY_LABELS,
    FirmAudience,
    add_notification,
    alert_type_label,
    unsubscribed,
)
from kanta_docs.notify.settings import firm_notification_settings
from kanta_docs.notify.signing import dossier_url, unsubscribe_url
from kanta_docs.store.tables import Alert, AlertStatus, Dossier, Firm
from kanta_docs.vocab import AlertType, Severity

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from kanta_docs.config import Settings
    from kanta_docs.store.tables import OutboxEvent

log = get_logger(__name__)

HIGH_ALERT = "high_alert"
ALERT_TOPICS = frozenset({"alert.open", "alert.reopen"})
COVERED_BY_LEAD_TIMES = frozenset({AlertType.ID_DOCUMENT_EXPIRING.value,
                                   AlertType.ID_DOCUMENT_EXPIRED.value})
COVERED_BY_KBIS_SCAN = frozenset({AlertType.REGISTER_EXTRACT_OUTDATED.value})


def on_outbox_event(session: Session, event: OutboxEvent, now: datetime,
                    settings: Settings) -> None:
    """Notify about one outbox event (a no-op for topics that do not notify), in the caller's
    transaction. `settings` are the runtime's (SMTP on or off, links in the mail)."""
    if event.topic not in ALERT_TOPICS or event.firm_id is None:
        return
    try:
        alert_id = uuid.UUID(str(event.payload.get("alert_id")))
    except ValueError:
        return
    alert = session.scalar(select(Alert).where(Alert.id == alert_id,
                                               Alert.firm_id == event.firm_id))
    if alert is None or alert.status != AlertStatus.OPEN:
        return  # deleted, or closed again before the relay ran: nothing to say any more
    firm = session.get(Firm, event.firm_id)
    if firm is None:
        return
    config = firm_notification_settings(firm)
    if not config.alert_notifies(alert.type, alert.severity):
        return
    audience = FirmAudience(session, firm.id, config)
    recipients = audience.for_dossier(alert.dossier_id, also=[alert.assignee_id])
    dossier = session.get(Dossier, alert.dossier_id)
    dossier_name = dossier.name if dossier is not None else ""
    label = alert_type_label(alert.type)
    severity = SEVERITY_LABELS.get(alert.severity, alert.severity)
    reopened = event.topic == "alert.reopen"
    title = f"Alerte {'rouverte' if reopened else 'nouvelle'} ({severity}) : {label}"
    state = "rouverte" if reopened else "ouverte"
    covered = ((COVERED_BY_LEAD_TIMES if config.expiry_lead_days else frozenset())
               | COVERED_BY_KBIS_SCAN)
    if alert.type not in covered:
        for user in recipients:
            add_notification(session, firm_id=firm.id, user_id=user.id, kind=ALERT,
                             title=title, body=f"Dossier {dossier_name} : {alert.message}",
                             dossier_id=alert.dossier_id,
                             idempotency_key=f"alert:{alert.id}:{event.id}:{user.id}", now=now)
    if (alert.severity != Severity.HIGH or not config.immediate_high_severity
            or not email_enabled(settings)):
        return
    stopped = unsubscribed(session, [u.id for u in recipients], HIGH_ALERT)
    for user in recipients:
        if user.id in stopped:
            continue
        subject = f"kanta-docs : alerte importante – {dossier_name} – {label}"
        link = dossier_url(settings, alert.dossier_id)
        stop = unsubscribe_url(settings, HIGH_ALERT, user.id)
        text = (f"Bonjour {user.display_name},\n\n"
                f"Une alerte de sévérité élevée est {state} sur le dossier {dossier_name} :"
                f"\n\n  {label} : {alert.message}\n\n"
                f"Ouvrir le dossier : {link}\n\n--\n"
                f"Ne plus recevoir les alertes importantes immédiates : {stop}\n")
        body = (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
                f"<title>{_e(subject)}</title></head><body>"
                f"<p>Bonjour {_e(user.display_name)},</p>"
                f"<p>Une alerte de sévérité élevée est {state} sur le dossier "
                f"<strong>{_e(dossier_name)}</strong> :</p>"
                f"<p><strong>{_e(label)}</strong> : {_e(alert.message)}</p>"
                f'<p><a href="{_e(link)}">Ouvrir le dossier</a></p>'
                f'<hr><p style="color:#666;font-size:small"><a href="{_e(stop)}">'
                f"Ne plus recevoir les alertes importantes immédiates</a></p></body></html>")
        queue_email(session, firm_id=firm.id, kind=HIGH_ALERT, to=user.email,
                    idempotency_key=f"high_alert:{alert.id}:{event.id}:{user.id}",
                    subject=subject, text=text, html=body, unsubscribe_url=stop, now=now,
                    extra={"user_id": str(user.id), "alert_id": str(alert.id)})


def _e(text: str) -> str:
    return html.escape(text, quote=True)
