"""Officer role wording -> the contract's OfficerRole (decisions in extractors/french/roles.py)."""

import pytest

from extractors.french.roles import parse_officer_role
from kanta_docs.vocab import OfficerRole

P, DG, DGD = (
    OfficerRole.PRESIDENT,
    OfficerRole.DIRECTEUR_GENERAL,
    OfficerRole.DIRECTEUR_GENERAL_DELEGUE,
)
G, ADM, CAC = OfficerRole.GERANT, OfficerRole.ADMINISTRATEUR, OfficerRole.COMMISSAIRE_AUX_COMPTES
OTHER = OfficerRole.OTHER


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Président", P),
        ("Présidente", P),
        ("PRESIDENT", P),
        ("Président de la SAS", P),
        ("Président du conseil d'administration", OfficerRole.PRESIDENT),
        ("Vice-président du conseil d'administration", ADM),
        ("Président-directeur général", DG),
        ("Président Directeur Général", DG),
        ("PDG", DG),
        ("Directeur général", DG),
        ("Directrice générale", DG),
        ("Directeur général unique", DG),
        ("DG", DG),
        ("Directeur général délégué", DGD),
        ("Directrice générale déléguée", DGD),
        ("DG délégué", DGD),
        ("DGD", DGD),
        ("Gérant", G),
        ("Gérante", G),
        ("Co-gérant", G),
        ("Cogérante", G),
        ("Gérant - Associé unique", G),
        ("Gérant non associé", G),
        ("Administrateur", ADM),
        ("Administratrice", ADM),
        ("Membre du conseil d'administration", ADM),
        ("Commissaire aux comptes titulaire", CAC),
        ("Commissaire aux comptes suppléant", CAC),
        ("Co-commissaire aux comptes", CAC),
        ("CAC", CAC),
        ("Président du directoire", P),
        ("Membre du directoire", OTHER),
        ("Membre du conseil de surveillance", OTHER),
        ("Président du conseil de surveillance", OTHER),
        ("Liquidateur", OTHER),
        ("Liquidateur amiable", OTHER),
        ("Représentant permanent", OTHER),
        ("Représentant permanent de la société X, administrateur", OTHER),
        ("Administrateur judiciaire", OTHER),
        ("Administrateur provisoire", OTHER),
        ("Mandataire judiciaire", OTHER),
        ("Commissaire aux apports", OTHER),
        ("Commissaire à la transformation", OTHER),
        ("Directeur général adjoint", OTHER),
        ("Associé unique", OTHER),
        ("Vice-président", OTHER),
    ],
)
def test_parse_officer_role(text: str, expected: OfficerRole) -> None:
    assert parse_officer_role(text) is expected


@pytest.mark.parametrize(
    "text", ["", "Directeur", "Dirigeant", "Représentant légal", "R.C.S. Paris", "Salarié"]
)
def test_parse_officer_role_unknown(text: str) -> None:
    assert parse_officer_role(text) is None
