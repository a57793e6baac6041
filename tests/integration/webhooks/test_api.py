"""The /webhooks API on the real app: create (secret shown once), list, test event delivered to
a real receiver, secret rotation, the delivery log, enable/disable, delete, audit; another
firm's endpoint is 404, a non-admin is refused."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from kanta_docs.notify import webhooks as wh
from kanta_docs.store.tables import NotificationDelivery, UserRole, WebhookEndpoint
from tests.integration.api.conftest import ApiHarness, make_harness
from tests.integration.webhooks.conftest import Receiver

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def api(tmp_path: Path) -> Iterator[ApiHarness]:
    yield from make_harness(tmp_path, webhook_allow_private=True)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.stop()


def test_webhook_lifecycle(api: ApiHarness, receiver: Receiver) -> None:
    firm = api.firm("Cabinet A")
    admin = api.member(firm, UserRole.ADMIN)
    h = admin.headers

    created = api.client.post("/webhooks", headers=h, json={
        "url": receiver.url(), "events": ["alert.opened", "risk.changed", "alert.opened"],
        "description": "ERP"})
    assert created.status_code == 201, created.text
    secret = created.json()["secret"]
    hook = created.json()["webhook"]
    assert secret.startswith("whsec_")
    assert hook["events"] == ["alert.opened", "risk.changed"]
    assert hook["enabled"] is True and "secret" not in hook
    hook_id = hook["id"]
    with api.session() as db:  # stored encrypted
        stored = db.get(WebhookEndpoint, uuid.UUID(hook_id))
        assert stored is not None and secret not in stored.secret

    listed = api.client.get("/webhooks", headers=h).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == hook_id
    assert secret not in json.dumps(listed)
    assert api.client.get(f"/webhooks/{hook_id}", headers=h).json()["description"] == "ERP"

    # The test event, delivered at once, signed with the secret shown at creation.
    tested = api.client.post(f"/webhooks/{hook_id}/test", headers=h)
    assert tested.status_code == 200, tested.text
    result = tested.json()
    assert result["delivered"] is True
    assert result["attempt"]["status_code"] == 200 and result["attempt"]["success"] is True
    [got] = receiver.requests
    assert got.headers["webhook-id"] == result["message_id"]
    wh.verify(secret, got.headers, got.body, now=api.clock.now.timestamp())
    body = json.loads(got.body)
    assert body["type"] == "webhook.test" and body["data"]["endpoint_id"] == hook_id

    # Rotation: the new secret signs, the old one no longer does.
    rotated = api.client.post(f"/webhooks/{hook_id}/rotate-secret", headers=h)
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["secret"]
    assert new_secret != secret
    assert api.client.post(f"/webhooks/{hook_id}/test", headers=h).json()["delivered"]
    latest = receiver.requests[-1]
    wh.verify(new_secret, latest.headers, latest.body, now=api.clock.now.timestamp())
    with pytest.raises(wh.WebhookVerificationError):
        wh.verify(secret, latest.headers, latest.body, now=api.clock.now.timestamp())

    # The delivery log, newest first, paginated.
    page = api.client.get(f"/webhooks/{hook_id}/attempts?limit=1", headers=h).json()
    assert page["total"] == 2 and len(page["items"]) == 1
    assert page["items"][0]["message_id"] == latest.headers["webhook-id"]

    # Disable (pending deliveries abandoned), enable (failures cleared), then delete.
    off = api.client.patch(f"/webhooks/{hook_id}", headers=h, json={"enabled": False})
    assert off.status_code == 200 and off.json()["enabled"] is False
    assert off.json()["disabled_reason"] == f"disabled by {admin.email}"
    on = api.client.patch(f"/webhooks/{hook_id}", headers=h,
                          json={"enabled": True, "events": ["*"]})
    assert on.json()["enabled"] is True and on.json()["consecutive_failures"] == 0
    assert on.json()["disabled_at"] is None and on.json()["events"] == ["*"]
    assert api.client.delete(f"/webhooks/{hook_id}", headers=h).status_code == 204
    assert api.client.get(f"/webhooks/{hook_id}", headers=h).status_code == 404

    audit = api.client.get("/audit?target_type=webhook&limit=50", headers=h).json()["items"]
    actions = sorted(e["action"] for e in audit)
    assert actions == ["webhook.create", "webhook.delete", "webhook.disable", "webhook.enable",
                       "webhook.rotate_secret", "webhook.update"]
    assert secret not in json.dumps(audit) and new_secret not in json.dumps(audit)


def test_a_failed_test_event_is_reported_and_retried_later(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    h = api.member(firm, UserRole.ADMIN).headers
    dead = Receiver()
    url = dead.url()
    dead.stop()  # nothing listens any more
    hook_id = api.client.post("/webhooks", headers=h, json={
        "url": url, "events": ["*"]}).json()["webhook"]["id"]
    result = api.client.post(f"/webhooks/{hook_id}/test", headers=h).json()
    assert result["delivered"] is False
    assert result["attempt"]["status_code"] is None
    assert "ConnectError" in result["attempt"]["error"]
    with api.session() as db:
        [delivery] = db.scalars(select(NotificationDelivery))
        assert (delivery.status, delivery.attempts) == ("pending", 1)
    # A test does not count towards disabling the endpoint.
    assert api.client.get(f"/webhooks/{hook_id}", headers=h).json()["consecutive_failures"] == 0


def test_another_firms_endpoint_is_404_and_non_admins_are_refused(
        api: ApiHarness, receiver: Receiver) -> None:
    firm_a, firm_b = api.firm("A"), api.firm("B")
    admin_a = api.member(firm_a, UserRole.ADMIN)
    admin_b = api.member(firm_b, UserRole.ADMIN)
    officer_a = api.member(firm_a, UserRole.COMPLIANCE_OFFICER)
    hook_id = api.client.post("/webhooks", headers=admin_a.headers, json={
        "url": receiver.url(), "events": ["*"]}).json()["webhook"]["id"]

    hb = admin_b.headers
    assert api.client.get("/webhooks", headers=hb).json()["total"] == 0
    for method, path, body in [
        ("GET", f"/webhooks/{hook_id}", None),
        ("PATCH", f"/webhooks/{hook_id}", {"enabled": False}),
        ("POST", f"/webhooks/{hook_id}/test", None),
        ("POST", f"/webhooks/{hook_id}/rotate-secret", None),
        ("GET", f"/webhooks/{hook_id}/attempts", None),
        ("DELETE", f"/webhooks/{hook_id}", None),
    ]:
        answer = api.client.request(method, path, headers=hb, json=body)
        assert answer.status_code == 404, (method, path, answer.text)
        refused = api.client.request(method, path, headers=officer_a.headers, json=body)
        assert refused.status_code == 403, (method, path, refused.text)
    assert receiver.requests == []
    assert api.client.get(f"/webhooks/{hook_id}", headers=admin_a.headers).json()["enabled"]


def test_invalid_input(api: ApiHarness) -> None:
    firm = api.firm("A")
    h = api.member(firm, UserRole.ADMIN).headers
    bad_url = api.client.post("/webhooks", headers=h, json={
        "url": "ftp://hooks.example.com/in", "events": ["*"]})
    assert bad_url.status_code == 400 and bad_url.json()["error"]["code"] == "invalid_url"
    bad_event = api.client.post("/webhooks", headers=h, json={
        "url": "https://hooks.example.com/in", "events": ["dossier.deleted"]})
    assert bad_event.status_code == 400
    assert bad_event.json()["error"]["code"] == "invalid_events"
    no_event = api.client.post("/webhooks", headers=h, json={
        "url": "https://hooks.example.com/in", "events": []})
    assert no_event.status_code == 400


def test_private_addresses_are_refused_by_default(tmp_path: Path) -> None:
    for api in make_harness(tmp_path):  # webhook_allow_private left off
        firm = api.firm("A")
        h = api.member(firm, UserRole.ADMIN).headers
        for url in ("http://127.0.0.1:8080/in", "http://169.254.169.254/latest",
                    "http://localhost/in", "http://[::1]/in"):
            answer = api.client.post("/webhooks", headers=h, json={"url": url, "events": ["*"]})
            assert answer.status_code == 400, url
            assert answer.json()["error"]["code"] == "invalid_url"
        ok = api.client.post("/webhooks", headers=h, json={
            "url": "https://hooks.example.com/in", "events": ["*"]})
        assert ok.status_code == 201
