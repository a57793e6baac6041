"""Risk over HTTP: the computed assessment of a new dossier, a person's override with its
justification, kept across re-evaluations, and refused below a legal mandate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from kanta_docs.store.tables import AuditEvent, UserRole

if TYPE_CHECKING:
    from tests.integration.api.conftest import ApiHarness

DECLARED = {"client": {"siren": "552100554", "name": "ACME", "legal_form": "SAS",
                       "naf": "6920Z"},
            "beneficial_owners": [{"last_name": "DUPONT", "first_names": "Jean",
                                   "birth_date": "1970-03-01", "capital_pct": 60}]}


def test_override_is_kept_across_re_evaluations_and_audited(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    officer = api.member(firm, UserRole.COMPLIANCE_OFFICER)
    dossier = api.client.post("/dossiers", json=DECLARED, headers=officer.headers).json()
    dossier_id = dossier["dossier"]["id"]
    api.ctx.runtime.queue.join()
    computed = api.client.get(f"/dossiers/{dossier_id}/risk", headers=officer.headers).json()
    assert computed["factors"] and computed["override"] is None
    target = "low" if computed["level"] != "low" else "high"
    too_short = api.client.post(f"/dossiers/{dossier_id}/risk/override",
                                headers=officer.headers,
                                json={"level": target, "justification": "ok"})
    assert too_short.status_code == 400
    changed = api.client.post(f"/dossiers/{dossier_id}/risk/override", headers=officer.headers,
                              json={"level": target,
                                    "justification": "Client connu depuis 20 ans, revu en comité"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["level"] == target
    # A new declaration re-evaluates the dossier; the person's level stays.
    updated = {**DECLARED, "client": {**DECLARED["client"], "name": "ACME SAS"}}
    assert api.client.put(f"/dossiers/{dossier_id}/declared", headers=officer.headers,
                          json={"declared": updated, "note": "raison sociale"}).status_code == 200
    api.ctx.runtime.queue.join()
    current = api.client.get(f"/dossiers/{dossier_id}/risk", headers=officer.headers).json()
    assert current["level"] == target
    assert current["override"]["by"] == officer.email
    history = api.client.get(f"/dossiers/{dossier_id}/risk/history",
                             headers=officer.headers).json()
    assert history["total"] >= 2
    with api.session() as db:
        actions = list(db.scalars(select(AuditEvent.action)))
    assert "risk.override" in actions


def test_a_mandate_refuses_a_lower_level(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    officer = api.member(firm, UserRole.COMPLIANCE_OFFICER)
    pep = {**DECLARED, "beneficial_owners": [{**DECLARED["beneficial_owners"][0],
                                              "pep": True}]}
    dossier_id = api.client.post("/dossiers", json=pep,
                                 headers=officer.headers).json()["dossier"]["id"]
    api.ctx.runtime.queue.join()
    risk = api.client.get(f"/dossiers/{dossier_id}/risk", headers=officer.headers).json()
    assert risk["vigilance"] == "enhanced"
    refused = api.client.post(f"/dossiers/{dossier_id}/risk/override", headers=officer.headers,
                              json={"level": "low", "justification": "Je le connais bien."})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "override_refused"
    collaborator = api.member(firm, UserRole.COLLABORATOR)
    assert api.client.post(f"/dossiers/{dossier_id}/risk/override",
                           headers=collaborator.headers,
                           json={"level": "high", "justification": "Pour voir ce qui se passe"}
                           ).status_code == 404
