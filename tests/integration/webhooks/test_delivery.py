"""Delivery through the delivery log to a real HTTP receiver on loopback: signatures, retries
with backoff, a crash between the send and the commit, disabling, routing, the outbox hook."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import select

from kanta_docs.notify import deliveries
from kanta_docs.notify import webhooks as wh
from kanta_docs.notify.deliveries import deliver_due
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import (
    Alert,
    AlertStatus,
    Dossier,
    Notification,
    NotificationDelivery,
    UserRole,
    WebhookAttempt,
    WebhookEndpoint,
)
from tests.integration.webhooks.conftest import T0, Received, free_port, make_world

if TYPE_CHECKING:
    import uuid
    from collections.abc import Iterator

    from tests.integration.webhooks.conftest import WebhookWorld

REPO = Path(__file__).resolve().parents[3]


def independent_check(secret: str, got: Received) -> None:
    """Re-derive the signature from the documented algorithm, not from the module."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = (got.headers["webhook-id"].encode() + b"." + got.headers["webhook-timestamp"]
              .encode() + b"." + got.body)
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert f"v1,{expected}" in got.headers["webhook-signature"].split(" ")


def deliveries_of(world: WebhookWorld, endpoint_id: uuid.UUID) -> list[NotificationDelivery]:
    with world.session() as db:
        return list(db.scalars(select(NotificationDelivery).where(
            NotificationDelivery.recipient == str(endpoint_id)).order_by(NotificationDelivery.id)))


def attempts_of(world: WebhookWorld, endpoint_id: uuid.UUID) -> list[WebhookAttempt]:
    with world.session() as db:
        return list(db.scalars(select(WebhookAttempt).where(
            WebhookAttempt.endpoint_id == endpoint_id).order_by(WebhookAttempt.id)))


def endpoint_row(world: WebhookWorld, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    with world.session() as db:
        endpoint = db.get(WebhookEndpoint, endpoint_id)
        assert endpoint is not None
        return endpoint


def event(world: WebhookWorld, firm: uuid.UUID, key: str, now: Any = T0,
          event_type: str = "risk.changed") -> int:
    with world.session() as db:
        return wh.enqueue_event(db, firm_id=firm, event_type=event_type,
                                data={"dossier_id": "d-1", "level": "high"},
                                idempotency_key=key, now=now)


def test_a_delivery_is_signed_and_sent_once(any_world: WebhookWorld) -> None:
    world = any_world
    receiver = world.receiver()
    firm = world.firm()
    endpoint_id, secret = world.endpoint(firm, receiver.url(), ["risk.changed"])
    assert event(world, firm, "evt_1") == 1
    assert deliver_due(world.rt, now=T0) == 1

    assert len(receiver.requests) == 1
    got = receiver.requests[0]
    assert got.path == "/hook"
    assert got.headers["content-type"] == "application/json"
    assert got.headers["webhook-id"] == f"evt_1:{endpoint_id}"
    assert got.headers["webhook-timestamp"] == str(int(T0.timestamp()))
    wh.verify(secret, got.headers, got.body, now=T0.timestamp())
    independent_check(secret, got)
    assert json.loads(got.body) == {"type": "risk.changed", "timestamp": "2026-11-26T09:00:00Z",
                                    "data": {"dossier_id": "d-1", "level": "high"}}

    [delivery] = deliveries_of(world, endpoint_id)
    assert (delivery.status, delivery.attempts, delivery.channel) == ("sent", 1, "webhook")
    [attempt] = attempts_of(world, endpoint_id)
    assert (attempt.status_code, attempt.error, attempt.message_id) == (
        200, None, f"evt_1:{endpoint_id}")
    # Nothing left to send; the same event queued again creates nothing.
    assert event(world, firm, "evt_1") == 0
    assert deliver_due(world.rt, now=T0 + timedelta(hours=1)) == 0
    assert len(receiver.requests) == 1


def test_unreachable_receiver_is_retried_with_growing_backoff_then_succeeds(
        world: WebhookWorld) -> None:
    port = free_port()
    firm = world.firm()
    endpoint_id, secret = world.endpoint(firm, f"http://127.0.0.1:{port}/in")
    event(world, firm, "evt_down")

    now = T0
    delays = []
    for _ in range(4):
        assert deliver_due(world.rt, now=now) == 1
        [delivery] = deliveries_of(world, endpoint_id)
        assert delivery.status == "pending"
        delays.append((delivery.next_attempt_at - now).total_seconds())
        # Not due before its time.
        assert deliver_due(world.rt, now=delivery.next_attempt_at - timedelta(seconds=1)) == 0
        now = delivery.next_attempt_at
    assert delays == [30, 60, 120, 240]
    failures = attempts_of(world, endpoint_id)
    assert [a.status_code for a in failures] == [None] * 4
    assert all("ConnectError" in (a.error or "") for a in failures)
    assert endpoint_row(world, endpoint_id).consecutive_failures == 4

    receiver = world.receiver(port=port)  # the receiver comes back on the same port
    assert deliver_due(world.rt, now=now) == 1
    [got] = receiver.requests
    assert got.headers["webhook-id"] == f"evt_down:{endpoint_id}"
    assert {a.message_id for a in attempts_of(world, endpoint_id)} == {got.headers["webhook-id"]}
    wh.verify(secret, got.headers, got.body, now=now.timestamp())
    [delivery] = deliveries_of(world, endpoint_id)
    assert (delivery.status, delivery.attempts) == ("sent", 5)
    assert endpoint_row(world, endpoint_id).consecutive_failures == 0


def test_an_error_status_is_a_failure_and_redirects_are_not_followed(
        world: WebhookWorld) -> None:
    statuses = iter([500, 302, 204])
    receiver = world.receiver(status=lambda _: next(statuses))
    firm = world.firm()
    endpoint_id, _ = world.endpoint(firm, receiver.url())
    event(world, firm, "evt_codes")
    now = T0
    for _ in range(3):
        deliver_due(world.rt, now=now)
        now += timedelta(hours=1)
    assert [a.status_code for a in attempts_of(world, endpoint_id)] == [500, 302, 204]
    assert [a.error for a in attempts_of(world, endpoint_id)] == ["HTTP 500", "HTTP 302", None]
    assert len(receiver.requests) == 3  # the 302's Location was not followed
    assert deliveries_of(world, endpoint_id)[0].status == "sent"


class Crash(BaseException):
    """The worker dying between the send and the commit (not an Exception: nothing catches
    it, the transaction rolls back)."""


def test_crash_between_send_and_commit_resends_with_the_same_id(
        any_world: WebhookWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    world = any_world
    receiver = world.receiver()
    firm = world.firm()
    endpoint_id, secret = world.endpoint(firm, receiver.url())
    event(world, firm, "evt_crash")

    def dying(rt: Any, session: Any, delivery: NotificationDelivery) -> None:
        wh.send_webhook(rt, session, delivery)
        raise Crash

    monkeypatch.setitem(deliveries.SENDERS, "webhook", dying)
    with pytest.raises(Crash):
        deliver_due(world.rt, now=T0)
    assert len(receiver.requests) == 1  # the receiver got it ...
    [delivery] = deliveries_of(world, endpoint_id)  # ... but nothing was acknowledged
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    assert attempts_of(world, endpoint_id) == []

    monkeypatch.setitem(deliveries.SENDERS, "webhook", wh.send_webhook)
    assert deliver_due(world.rt, now=T0 + timedelta(seconds=5)) == 1
    assert deliver_due(world.rt, now=T0 + timedelta(days=1)) == 0
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == \
        f"evt_crash:{endpoint_id}"
    assert first.body == second.body
    for got in (first, second):
        independent_check(secret, got)
    assert deliveries_of(world, endpoint_id)[0].status == "sent"
    assert len(attempts_of(world, endpoint_id)) == 1


CRASHING_WORKER = textwrap.dedent("""
    import os
    from dataclasses import dataclass

    from kanta_docs.config import load_settings
    from kanta_docs.notify import deliveries, webhooks
    from kanta_docs.store.db import make_engine, session_factory

    settings = load_settings()

    @dataclass
    class Rt:
        settings: object
        sessions: object

    def dying(rt, session, delivery):
        webhooks.send_webhook(rt, session, delivery)
        os._exit(9)  # killed after the receiver answered, before the commit

    deliveries.register_sender("webhook", dying)
    deliveries.deliver_due(Rt(settings, session_factory(make_engine(
        settings.resolved_database_url))))
    raise SystemExit("the sender should have killed the process")
""")


def test_a_worker_killed_after_sending_leads_to_one_resend_with_the_same_id(
        world: WebhookWorld) -> None:
    receiver = world.receiver()
    firm = world.firm()
    endpoint_id, secret = world.endpoint(firm, receiver.url())
    event(world, firm, "evt_kill")  # due at T0, long past: the subprocess uses the clock

    s = world.settings
    env = {**os.environ, "KANTA_HOME": str(s.home), "KANTA_DATABASE_URL": s.database_url,
           "KANTA_SECRET_KEY": s.secret_key, "KANTA_WEBHOOK_ALLOW_PRIVATE": "true",
           "KANTA_BROKER_URL": "memory"}
    done = subprocess.run([sys.executable, "-c", CRASHING_WORKER], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=90, check=False)
    assert done.returncode == 9, done.stderr
    assert len(receiver.requests) == 1
    [delivery] = deliveries_of(world, endpoint_id)
    assert (delivery.status, delivery.attempts) == ("pending", 0)

    assert deliver_due(world.rt) == 1
    assert deliver_due(world.rt, now=T0 + timedelta(days=30)) == 0
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.body == second.body
    independent_check(secret, second)
    assert deliveries_of(world, endpoint_id)[0].status == "sent"


@pytest.fixture(params=["sqlite", "postgres"])
def mail_world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[WebhookWorld]:
    # Mail configured (nothing listens: only the queued rows matter here).
    smtp = f"smtp://127.0.0.1:{free_port()}"
    if request.param == "sqlite":
        yield from make_world(tmp_path, request.getfixturevalue("sqlite_template"),
                              smtp_url=smtp)
    else:
        yield from make_world(tmp_path, engine=request.getfixturevalue("pg_schema_engine"),
                              smtp_url=smtp)


def test_repeated_failures_disable_the_endpoint_and_alert_the_admins(
        mail_world: WebhookWorld) -> None:
    world = mail_world
    receiver = world.receiver(status=500)
    firm = world.firm()
    world.user(firm, UserRole.ADMIN, "admin1@cabinet.example")
    world.user(firm, UserRole.ADMIN, "admin2@cabinet.example")
    world.user(firm, UserRole.ADMIN, "gone@cabinet.example", disabled=True)
    world.user(firm, UserRole.COLLABORATOR, "collab@cabinet.example")
    endpoint_id, _ = world.endpoint(firm, receiver.url())

    # An event every 6 hours; each run retries what is due. 15 failures come within a day, but
    # the endpoint stays enabled until it has failed for 3 days.
    disabled_at_step = None
    for step in range(14):
        now = T0 + timedelta(hours=6 * step)
        event(world, firm, f"evt_{step}", now=now)
        deliver_due(world.rt, now=now, limit=500)
        endpoint = endpoint_row(world, endpoint_id)
        if step == 4:
            assert endpoint.consecutive_failures >= wh.DISABLE_AFTER_FAILURES
        if not endpoint.enabled:
            disabled_at_step = step
            break
    assert disabled_at_step == 12  # 72 hours after the first failure
    endpoint = endpoint_row(world, endpoint_id)
    assert endpoint.disabled_at == T0 + timedelta(hours=72)
    assert endpoint.disabled_reason is not None
    assert "failed attempts in a row since 2026-11-26T09:00:00Z" in endpoint.disabled_reason

    # Its pending deliveries are abandoned; nothing more reaches the receiver.
    statuses = {d.status for d in deliveries_of(world, endpoint_id)}
    assert statuses <= {"abandoned", "sent"} and "abandoned" in statuses
    sent_so_far = len(receiver.requests)
    assert event(world, firm, "evt_after", now=T0 + timedelta(days=4)) == 0
    deliver_due(world.rt, now=T0 + timedelta(days=10), limit=500)
    assert len(receiver.requests) == sent_so_far

    with world.session() as db:
        notes = list(db.scalars(select(Notification).where(Notification.firm_id == firm)))
        mails = list(db.scalars(select(NotificationDelivery).where(
            NotificationDelivery.channel == "email")))
    assert len(notes) == 2  # the two active admins, not the disabled one nor the collaborator
    assert all(n.kind == "webhook_disabled" and n.title.startswith("Webhook désactivé")
               for n in notes)
    assert "tentatives consécutives ont échoué" in notes[0].body
    assert sorted(m.recipient for m in mails) == ["admin1@cabinet.example",
                                                  "admin2@cabinet.example"]
    for mail in mails:
        assert mail.kind == "webhook_disabled"
        assert mail.payload["to"] == mail.recipient
        assert mail.payload["subject"].startswith("[kanta-docs] Webhook désactivé")
        assert "réactivez le webhook" in mail.payload["text"]
        assert mail.payload["html"].startswith("<!DOCTYPE html>")


def test_success_resets_the_run_of_failures(world: WebhookWorld) -> None:
    served = itertools.count(1)
    receiver = world.receiver(status=lambda _: 200 if next(served) == 15 else 500)
    firm = world.firm()
    endpoint_id, _ = world.endpoint(firm, receiver.url())
    for step in range(40):
        now = T0 + timedelta(hours=6 * step)
        event(world, firm, f"evt_{step}", now=now)
        deliver_due(world.rt, now=now, limit=500)
        if not endpoint_row(world, endpoint_id).enabled:
            break
    attempts = attempts_of(world, endpoint_id)
    success = next(i for i, a in enumerate(attempts) if a.status_code == 200)
    new_run = attempts[success + 1].at
    assert new_run > T0 + timedelta(hours=6)
    # Disabled three days after the first failure following the success, not after T0.
    endpoint = endpoint_row(world, endpoint_id)
    assert endpoint.disabled_at is not None
    assert timedelta(hours=72) <= endpoint.disabled_at - new_run < timedelta(hours=78)


def test_gone_disables_at_once(any_world: WebhookWorld) -> None:
    world = any_world
    receiver = world.receiver(status=410)
    firm = world.firm()
    world.user(firm, UserRole.ADMIN, "admin@cabinet.example")
    endpoint_id, _ = world.endpoint(firm, receiver.url())
    event(world, firm, "evt_gone")
    event(world, firm, "evt_gone_2")
    deliver_due(world.rt, now=T0)
    endpoint = endpoint_row(world, endpoint_id)
    assert not endpoint.enabled
    assert endpoint.disabled_reason == "the receiver answered 410 Gone"
    assert len(receiver.requests) == 1  # the second delivery was abandoned, not sent
    assert [d.status for d in deliveries_of(world, endpoint_id)] == ["abandoned", "abandoned"]
    with world.session() as db:
        [note] = db.scalars(select(Notification))
        assert "410" in note.body
        # Mail is not configured in this world: in-app only.
        assert db.scalars(select(NotificationDelivery).where(
            NotificationDelivery.channel == "email")).all() == []


def test_events_reach_only_subscribed_enabled_endpoints_of_the_firm(
        world: WebhookWorld) -> None:
    receiver = world.receiver()
    firm, other = world.firm("A"), world.firm("B")
    alerts_only, _ = world.endpoint(firm, receiver.url("/alerts"), ["alert.opened"])
    everything, _ = world.endpoint(firm, receiver.url("/all"), ["*"])
    world.endpoint(firm, receiver.url("/risk"), ["risk.changed"])
    world.endpoint(firm, receiver.url("/off"), ["*"], enabled=False)
    world.endpoint(other, receiver.url("/other-firm"), ["*"])

    with world.session() as db:
        created = wh.enqueue_event(db, firm_id=firm, event_type="alert.opened",
                                   data={"alert_id": "a-1", "dossier_id": "d-1"},
                                   idempotency_key="evt_route", now=T0)
    assert created == 2
    deliver_due(world.rt, now=T0)
    assert sorted(r.path for r in receiver.requests) == ["/alerts", "/all"]
    assert {r.headers["webhook-id"] for r in receiver.requests} == {
        f"evt_route:{alerts_only}", f"evt_route:{everything}"}


def test_unknown_event_type_and_bad_keys_are_refused(world: WebhookWorld) -> None:
    firm = world.firm()
    with world.session() as db:
        with pytest.raises(ValueError, match="unknown"):
            wh.enqueue_event(db, firm_id=firm, event_type="dossier.deleted", data={},
                             idempotency_key="k", now=T0)
        with pytest.raises(ValueError, match="without '.'"):
            wh.enqueue_event(db, firm_id=firm, event_type="risk.changed", data={},
                             idempotency_key="a.b", now=T0)


def test_personal_data_never_leaves(world: WebhookWorld) -> None:
    receiver = world.receiver()
    firm = world.firm()
    world.endpoint(firm, receiver.url())
    with world.session() as db:
        wh.enqueue_event(db, firm_id=firm, event_type="document.expiring", data={
            "document_id": "doc-1", "dossier_id": "d-1", "doc_type": "id_card",
            "file_name": "CNI Jean DUPONT.pdf", "effective_expiry_date": "2027-01-01",
            "days_left": 30}, idempotency_key="expiry:doc-1:30", now=T0)
    deliver_due(world.rt, now=T0)
    [got] = receiver.requests
    assert b"DUPONT" not in got.body
    assert json.loads(got.body)["data"] == {
        "document_id": "doc-1", "dossier_id": "d-1", "doc_type": "id_card",
        "effective_expiry_date": "2027-01-01", "days_left": 30}


def test_outbox_events_become_webhooks(world: WebhookWorld) -> None:
    receiver = world.receiver()
    firm = world.firm()
    world.endpoint(firm, receiver.url(), ["*"])
    with world.session() as db:
        dossier = Dossier(firm_id=firm, name="SARL DUPONT ET FILS", created_at=T0,
                          updated_at=T0)
        db.add(dossier)
        db.flush()
        alert = Alert(firm_id=firm, dossier_id=dossier.id, key="k1",
                      type="id_document_expired", severity="high", status=AlertStatus.OPEN,
                      fingerprint="f" * 64, message="Pièce de Jean DUPONT expirée",
                      created_at=T0, updated_at=T0)
        db.add(alert)
        db.flush()
        scope = FirmScope(db, firm)
        dossier_id, alert_id = str(dossier.id), str(alert.id)
        events = [
            scope.add_outbox("alert.open", {"alert_id": alert_id, "dossier_id": dossier_id,
                                            "type": "id_document_expired"}, now=T0),
            scope.add_outbox("alert.auto_resolve", {"alert_id": alert_id,
                                                    "dossier_id": dossier_id}, now=T0),
            scope.add_outbox("risk.changed", {"dossier_id": dossier_id, "level": "high"},
                             now=T0),
            scope.add_outbox("dossier.changed", {"dossier_id": dossier_id}, now=T0),
        ]
        for e in events:
            wh.on_outbox_event(db, e, T0)
            wh.on_outbox_event(db, e, T0)  # relayed twice: nothing more
        ids = [e.id for e in events]
    deliver_due(world.rt, now=T0)
    bodies = sorted((json.loads(r.body) for r in receiver.requests), key=lambda b: b["type"])
    assert [b["type"] for b in bodies] == ["alert.opened", "alert.resolved", "risk.changed"]
    assert bodies[0]["data"] == {"alert_id": alert_id, "dossier_id": dossier_id,
                                 "alert_type": "id_document_expired", "severity": "high",
                                 "reopened": False}
    assert bodies[1]["data"]["resolution"] == "auto"
    assert bodies[2]["data"] == {"dossier_id": dossier_id, "level": "high"}
    assert all(b"DUPONT" not in r.body for r in receiver.requests)
    assert {r.headers["webhook-id"].split(":")[0] for r in receiver.requests} == {
        f"outbox_{i}" for i in ids[:3]}
