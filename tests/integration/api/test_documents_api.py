"""A dossier over HTTP: declared data, documents uploaded one by one, read by the in-process
worker; the alerts and risk the API lists are those of `kanta-docs check` on the same folder."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from kanta_docs.dossier import check_dossier_dir
from kanta_docs.pipeline import read_context
from kanta_docs.store.tables import UserRole
from tests.fixtures.dossiers import generate_dossiers

if TYPE_CHECKING:
    from pathlib import Path

    from tests.integration.api.conftest import ApiHarness

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_dossiers(tmp_path_factory.mktemp("api_dossier"), 1, seed=7, jobs=1)[0]


def test_uploaded_dossier_gives_the_alerts_and_risk_of_check(api: ApiHarness,
                                                             dossier: Path) -> None:
    firm = api.firm("Cabinet A")
    officer = api.member(firm, UserRole.COMPLIANCE_OFFICER)
    declared = json.loads((dossier / "declared.json").read_text(encoding="utf-8"))
    created = api.client.post("/dossiers", json=declared, headers=officer.headers)
    assert created.status_code == 201, created.text
    dossier_id = created.json()["dossier"]["id"]
    uploaded = {}
    for path in sorted(p for p in dossier.rglob("*") if p.is_file()
                       and not p.name.startswith(".") and p.name != "declared.json"):
        r = api.client.post(f"/dossiers/{dossier_id}/documents", headers=officer.headers,
                            files={"data": (path.name, path.read_bytes())})
        assert r.status_code == 202, r.text
        assert r.headers["Location"] == r.json()["status_url"]
        uploaded[r.json()["document"]["id"]] = path
    api.ctx.runtime.queue.join()

    for document_id, path in uploaded.items():
        status = api.client.get(f"/documents/{document_id}", headers=officer.headers).json()
        assert status["state"] in ("processed", "failed"), status
        extraction = api.client.get(f"/documents/{document_id}/extraction",
                                    headers=officer.headers).json()
        if status["state"] == "processed":
            assert extraction["result"]["file"] == path.name
            assert extraction["facts"] is not None
        original = api.client.get(f"/documents/{document_id}/file", headers=officer.headers)
        assert original.status_code == 200
        assert original.content == path.read_bytes()
        assert "attachment" in original.headers["content-disposition"]

    expected, _ = check_dossier_dir(dossier, datetime.now(UTC).date(),
                                    read_context(api.ctx.settings))
    listed = api.client.get("/alerts", params={"dossier_id": dossier_id, "limit": 200},
                            headers=officer.headers).json()
    assert {a["key"] for a in listed["items"] if a["status"] == "open"} == {
        a.key for a in expected.alerts}
    risk = api.client.get(f"/dossiers/{dossier_id}/risk", headers=officer.headers).json()
    assert (risk["level"], risk["score"]) == (expected.risk.level.value, expected.risk.score)
    summary = api.client.get("/dossiers", headers=officer.headers).json()["items"][0]
    assert summary["risk_level"] == expected.risk.level.value
    assert summary["open_alerts"] == len(expected.alerts)


def test_upload_refuses_what_it_cannot_read_and_what_is_too_big(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    user = api.member(firm, UserRole.ADMIN)
    dossier_id = api.client.post("/dossiers", headers=user.headers, json={
        "client": {"siren": "552100554", "name": "ACME"}}).json()["dossier"]["id"]
    url = f"/dossiers/{dossier_id}/documents"
    exe = api.client.post(url, headers=user.headers,
                          files={"data": ("kbis.pdf", b"MZ\x90\x00 not a pdf")})
    assert exe.status_code == 415
    assert exe.json()["error"]["code"] == "unsupported_media_type"
    empty = api.client.post(url, headers=user.headers, files={"data": ("x.png", b"")})
    assert empty.status_code == 400
    limit = api.ctx.settings.max_file_mib * 1024 * 1024
    big = api.client.post(url, headers=user.headers,
                          files={"data": ("big.png", PNG_1PX + b"\0" * (limit + 10))})
    assert big.status_code == 413
    ok = api.client.post(url, headers=user.headers,
                         files={"data": ("../../etc/passwd\x00.png", PNG_1PX)})
    assert ok.status_code == 202
    name = ok.json()["document"]["file_name"]
    assert name.startswith("passwd") and name.endswith(".png")
    assert "/" not in name and ".." not in name and "\x00" not in name
    again = api.client.post(url, headers=user.headers, files={"data": ("copy.png", PNG_1PX)})
    assert again.json()["duplicate"] is True
    api.ctx.runtime.queue.join()


def test_collaborators_see_only_their_dossiers(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    admin = api.member(firm, UserRole.ADMIN)
    collaborator = api.member(firm, UserRole.COLLABORATOR)
    ids = [api.client.post("/dossiers", headers=admin.headers, json={
        "client": {"siren": siren, "name": name}}).json()["dossier"]["id"]
        for siren, name in (("552100554", "ACME"), ("732829320", "BETA"))]
    assert api.client.put(f"/dossiers/{ids[0]}/assignees", headers=admin.headers,
                          json={"user_ids": [str(collaborator.user_id)]}).status_code == 200
    listed = api.client.get("/dossiers", headers=collaborator.headers).json()
    assert [d["id"] for d in listed["items"]] == [ids[0]]
    assert api.client.get(f"/dossiers/{ids[1]}",
                          headers=collaborator.headers).status_code == 404
    assert api.client.put(f"/dossiers/{ids[0]}/assignees", headers=collaborator.headers,
                          json={"user_ids": []}).status_code == 403
    assert api.client.post("/dossiers", headers=collaborator.headers, json={
        "client": {"siren": "443061841", "name": "GAMMA"}}).status_code == 403
