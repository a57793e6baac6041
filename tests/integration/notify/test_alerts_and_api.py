"""Immediate high-severity mails from outbox events, and the notification routes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from kanta_docs.assessment import Alert as AlertOut
from kanta_docs.notify.events import on_outbox_event
from kanta_docs.notify.jobs import deliver_all
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import AuditEvent, Notification, OutboxEvent, UserRole
from kanta_docs.vocab import AlertType, Severity
from tests.integration.notify.conftest import morning

if TYPE_CHECKING:
    import uuid

    from tests.integration.notify.conftest import World

DAY = date(2027, 1, 12)


def _raise_alert(world: World, dossier: str, severity: Severity,
                 alert_type: AlertType = AlertType.BE_NOT_DECLARED) -> int:
    """Record an alert as the re-evaluation does, with its outbox event; returns the event."""
    with world.session() as db:
        scope = FirmScope(db, world.firm_id)
        alert, _ = scope.record_alert(world.dossiers[dossier], AlertOut(
            type=alert_type, severity=severity, key=f"{alert_type}:{severity}",
            message="M. <Dupont> détient 40 % mais n'est pas déclaré."), now=morning(DAY))
        event = scope.add_outbox("alert.open", {"alert_id": str(alert.id),
                                                "dossier_id": str(alert.dossier_id),
                                                "type": alert.type})
        return event.id


def _relay(world: World, event_id: int) -> None:
    with world.session() as db:
        event = db.get(OutboxEvent, event_id)
        assert event is not None
        on_outbox_event(db, event, morning(DAY), world.rt.settings)


def test_high_severity_alert_mails_at_once_when_the_firm_wants_it(world: World) -> None:
    world.set_settings(immediate_high_severity=True)
    event_id = _raise_alert(world, "acme", Severity.HIGH)
    _relay(world, event_id)
    _relay(world, event_id)  # the relay handles the same event twice: nothing new
    deliver_all(world.rt, morning(DAY))
    inbox = world.smtp.inbox
    assert sorted(m["To"] for m in inbox.messages) == sorted(
        world.emails[n] for n in ("admin", "conformite", "alice"))
    (mail,) = inbox.to(world.emails["alice"], "high_alert")
    assert mail["Subject"] == ("kanta-docs : alerte importante – ACME <Industries> & Fils – "
                               "Bénéficiaire effectif non déclaré")
    page = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "M. &lt;Dupont&gt; détient" in page
    assert str(world.dossiers["acme"]) in page

    # A medium alert sends no immediate mail, but is an in-app item for the digest.
    inbox.clear()
    _relay(world, _raise_alert(world, "boreal", Severity.MEDIUM))
    deliver_all(world.rt, morning(DAY))
    assert inbox.messages == []
    with world.session() as db:
        kinds = list(db.scalars(select(Notification.kind).where(
            Notification.user_id == world.users["bruno"])))
        assert kinds == ["alert"]
    # The alerts of the day are digest items too: admin and officer (both), alice, bruno.
    assert world.day(DAY) == 4
    (digest,) = inbox.to(world.emails["bruno"], "digest")
    assert "Alerte nouvelle (moyenne) : Bénéficiaire effectif non déclaré" in (
        digest.get_body(("plain",)).get_content())  # type: ignore[union-attr]


def test_no_immediate_mail_unless_enabled(world: World) -> None:
    _relay(world, _raise_alert(world, "acme", Severity.HIGH))
    deliver_all(world.rt, morning(DAY))
    assert world.smtp.inbox.messages == []
    # Filtered out by type: not even in-app.
    world.set_settings(alert_types=["mrz_invalid"], immediate_high_severity=True)
    _relay(world, _raise_alert(world, "boreal", Severity.HIGH))
    deliver_all(world.rt, morning(DAY))
    assert world.smtp.inbox.messages == []
    with world.session() as db:
        assert db.scalars(select(Notification).where(
            Notification.user_id == world.users["bruno"])).first() is None


def _notify(world: World, user: uuid.UUID, title: str, dossier: str | None = None) -> None:
    from kanta_docs.notify.inapp import add_notification

    with world.session() as db:
        add_notification(db, firm_id=world.firm_id, user_id=user, kind="expiry", title=title,
                         body="…", dossier_id=world.dossiers[dossier] if dossier else None,
                         idempotency_key=f"test:{user}:{title}", now=world.api.clock.now)


def test_in_app_notifications_over_the_api(world: World) -> None:
    api = world.api
    me = api.member(world.firm_id, UserRole.COLLABORATOR)
    other = api.member(world.firm_id, UserRole.COMPLIANCE_OFFICER)
    with world.session() as db:
        FirmScope(db, world.firm_id).set_assignees(world.dossiers["acme"], [me.user_id], "t")
    _notify(world, me.user_id, "Première", "acme")
    api.clock.advance(60)
    _notify(world, me.user_id, "Seconde", "acme")
    _notify(world, me.user_id, "Pas mon dossier", "boreal")
    _notify(world, other.user_id, "Pour un autre")

    listed = api.client.get("/notifications", headers=me.headers)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert [n["title"] for n in body["items"]] == ["Seconde", "Première"]
    assert body["total"] == 2 and all(not n["read"] for n in body["items"])
    first = body["items"][1]["id"]

    read = api.client.post(f"/notifications/{first}/read", headers=me.headers)
    assert read.status_code == 200 and read.json()["read"] is True
    unread = api.client.get("/notifications?unread=true", headers=me.headers).json()
    assert [n["title"] for n in unread["items"]] == ["Seconde"]
    done = api.client.get("/notifications?unread=false", headers=me.headers).json()
    assert [n["title"] for n in done["items"]] == ["Première"]

    # Another user's notification is not found, for reading or marking.
    theirs = api.client.get("/notifications", headers=other.headers).json()["items"][0]["id"]
    assert api.client.post(f"/notifications/{theirs}/read",
                           headers=me.headers).status_code == 404
    assert api.client.post("/notifications/read-all", headers=me.headers).json() == {
        "updated": 1}
    assert api.client.get("/notifications?unread=true",
                          headers=me.headers).json()["total"] == 0
    assert api.client.get("/notifications?unread=true",
                          headers=other.headers).json()["total"] == 1


def test_firm_settings_and_subscriptions_over_the_api(world: World) -> None:
    api = world.api
    admin = api.member(world.firm_id, UserRole.ADMIN)
    collaborator = api.member(world.firm_id, UserRole.COLLABORATOR)

    current = api.client.get("/firm/notifications", headers=admin.headers)
    assert current.status_code == 200
    assert current.json()["expiry_lead_days"] == [90, 30, 7, 0]
    assert api.client.get("/firm/notifications",
                          headers=collaborator.headers).status_code == 403
    new = {"expiry_lead_days": [0, 15, 60], "min_severity": "high",
           "immediate_high_severity": True, "recipients": ["admin"], "digest_hour": 6}
    changed = api.client.put("/firm/notifications", json=new, headers=admin.headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["expiry_lead_days"] == [60, 15, 0]
    assert changed.json()["register_extract_max_months"] == 3
    for bad in ({"digest_hour": "6"}, {"digest_hour": 24}, {"unknown": 1},
                {"alert_types": ["nope"]}, {"recipients": ["everyone"]}):
        refused = api.client.put("/firm/notifications", json=bad, headers=admin.headers)
        assert refused.status_code == 400, bad
        assert refused.json()["error"]["code"] == "invalid_settings"
    assert api.client.put("/firm/notifications", json=new,
                          headers=collaborator.headers).status_code == 403
    with world.session() as db:
        actions = list(db.scalars(select(AuditEvent.action).where(
            AuditEvent.firm_id == world.firm_id)))
        assert actions.count("firm.notifications.update") == 1

    subscriptions = api.client.get("/me/subscriptions", headers=collaborator.headers).json()
    assert {s["kind"]: s["subscribed"] for s in subscriptions["email"]} == {
        "digest": True, "high_alert": True}
    stopped = api.client.put("/me/subscriptions", json={"digest": False},
                             headers=collaborator.headers)
    assert stopped.status_code == 200, stopped.text
    assert {s["kind"]: s["subscribed"] for s in stopped.json()["email"]} == {
        "digest": False, "high_alert": True}
    assert api.client.put("/me/subscriptions", json={"weekly": True},
                          headers=collaborator.headers).status_code == 400
    resumed = api.client.put("/me/subscriptions", json={"digest": True},
                             headers=collaborator.headers).json()
    assert all(s["subscribed"] for s in resumed["email"])


def test_the_collaborator_unassigned_since_no_longer_gets_the_dossier(world: World) -> None:
    world.add_document("acme", "cni.pdf", "id_card", expires=DAY + timedelta(days=7))
    with world.session() as db:
        FirmScope(db, world.firm_id).set_assignees(world.dossiers["acme"], [], "t")
        from kanta_docs.store.tables import Dossier

        dossier = db.get(Dossier, world.dossiers["acme"])
        assert dossier is not None
        dossier.collaborator_id = None
    assert world.day(DAY) == 2
    assert world.smtp.inbox.to(world.emails["alice"]) == []
