"""Search over HTTP, fed by the outbox: documents uploaded into a dossier are read, the relay
indexes them, and the firm's users find them by text, person and SIREN; another firm and an
unassigned collaborator find nothing of them."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from alerts.names import fold_name
from kanta_docs.store.tables import UserRole
from kanta_docs.tasks import relay_outbox
from tests.fixtures.dossiers import generate_dossiers

if TYPE_CHECKING:
    from pathlib import Path

    from tests.integration.api.conftest import ApiHarness, LoggedIn


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_dossiers(tmp_path_factory.mktemp("search_dossier"), 1, seed=11, jobs=1)[0]


def _upload(api: ApiHarness, who: LoggedIn, folder: Path) -> str:
    declared = json.loads((folder / "declared.json").read_text(encoding="utf-8"))
    dossier_id: str = api.client.post("/dossiers", json=declared,
                                      headers=who.headers).json()["dossier"]["id"]
    for path in sorted(p for p in folder.rglob("*") if p.is_file()
                       and not p.name.startswith(".") and p.name != "declared.json"):
        r = api.client.post(f"/dossiers/{dossier_id}/documents", headers=who.headers,
                            files={"data": (path.name, path.read_bytes())})
        assert r.status_code == 202, r.text
    api.ctx.runtime.queue.join()
    relay_outbox(api.ctx.runtime)
    return dossier_id


def test_search_finds_the_firm_s_documents_and_nothing_else(api: ApiHarness,
                                                            dossier: Path) -> None:
    declared = json.loads((dossier / "declared.json").read_text(encoding="utf-8"))
    owner = declared["beneficial_owners"][0]
    siren = declared["client"]["siren"]
    firm_a, firm_b = api.firm("Cabinet A"), api.firm("Cabinet B")
    officer = api.member(firm_a, UserRole.COMPLIANCE_OFFICER)
    dossier_id = _upload(api, officer, dossier)

    # A name as heard: no accents, first names before the surname, lower case.
    heard = fold_name(f"{owner['first_names'].split()[0]} {owner['last_name']}").lower()
    persons = api.client.get("/search/persons", params={"name": heard},
                             headers=officer.headers)
    assert persons.status_code == 200, persons.text
    hits = persons.json()["hits"]
    assert hits and all(h["dossier_id"] == dossier_id for h in hits)
    assert hits[0]["person_match"]["explanation"]

    by_siren = api.client.get("/search/documents", params={"siren": siren},
                              headers=officer.headers).json()
    assert by_siren["total"] >= 3
    assert by_siren["facets"]["doc_type"]
    grouped = api.client.get("/search/dossiers", params={"siren": siren},
                             headers=officer.headers).json()
    assert [g["dossier_id"] for g in grouped["groups"]] == [dossier_id]

    text = api.client.get("/search/documents", params={"q": "capital social"},
                          headers=officer.headers).json()
    assert text["total"] >= 1
    assert any("<mark>" in h for hit in text["hits"] for h in hit["highlights"])

    # Another firm, and a collaborator of the same firm not assigned to the dossier.
    outsider = api.member(firm_b, UserRole.ADMIN)
    collaborator = api.member(firm_a, UserRole.COLLABORATOR)
    for who in (outsider, collaborator):
        for path, params in (("/search/persons", {"name": heard}),
                             ("/search/documents", {"siren": siren}),
                             ("/search/documents", {"q": "capital social"}),
                             ("/search/dossiers", {"siren": siren})):
            body = api.client.get(path, params=params, headers=who.headers).json()
            assert body["total"] == 0, (who.role, path)
            assert siren not in json.dumps(body)

    # Assigned, the collaborator finds it; the dossier deleted, nobody does.
    assert api.client.put(f"/dossiers/{dossier_id}/assignees", headers=officer.headers,
                          json={"user_ids": [str(collaborator.user_id)]}).status_code == 200
    relay_outbox(api.ctx.runtime)
    assert api.client.get("/search/documents", params={"siren": siren},
                          headers=collaborator.headers).json()["total"] >= 3
    assert api.client.delete(f"/dossiers/{dossier_id}", params={
        "justification": "client parti depuis plus de cinq ans"},
        headers=officer.headers).status_code == 200
    relay_outbox(api.ctx.runtime)
    assert api.client.get("/search/documents", params={"siren": siren},
                          headers=officer.headers).json()["total"] == 0


def test_a_bad_cursor_is_a_400(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    user = api.member(firm, UserRole.ADMIN)
    r = api.client.get("/search/documents", params={"q": "statuts", "cursor": "not-a-cursor"},
                       headers=user.headers)
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_query"
