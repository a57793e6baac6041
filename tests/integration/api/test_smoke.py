from __future__ import annotations

from typing import TYPE_CHECKING

from kanta_docs.store.tables import UserRole

if TYPE_CHECKING:
    from tests.integration.api.conftest import ApiHarness


def test_login_with_mfa_then_list_dossiers(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    _, email = api.user(firm, UserRole.ADMIN)
    admin = api.enrol(email)
    assert len(admin.tokens["recovery_codes"]) == 10
    r = api.client.get("/dossiers", headers=admin.headers)
    assert r.status_code == 200, r.text
    assert r.json()["total"] == 0
    assert api.client.get("/dossiers").status_code == 401
    r = api.client.get("/schema/openapi.json")
    assert r.status_code == 200
