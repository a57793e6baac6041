"""Legal forms as written -> the usual abbreviation; INSEE catégorie juridique codes."""

import pytest

from extractors.french.legal_forms import (
    base_legal_form,
    insee_category,
    legal_form_from_insee,
    normalise_legal_form,
    refines,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Société par actions simplifiée", "SAS"),
        ("SOCIETE PAR ACTIONS SIMPLIFIEE", "SAS"),
        ("société par actions simplifiée unipersonnelle", "SASU"),
        ("Société par actions simplifiée à associé unique", "SASU"),
        ("Société par actions simplifiée (Société à associé unique)", "SASU"),
        ("SAS à associé unique", "SASU"),
        ("S.A.S.U.", "SASU"),
        ("SASU (société par actions simplifiée)", "SASU"),  # the variant and its base
        ("SAS à capital variable", "SAS"),
        ("S.A.S.", "SAS"),
        ("KANTA SAS au capital de 10 000 €", "SAS"),
        ("Société à responsabilité limitée", "SARL"),
        ("Société à responsabilité limitée (Société à associé unique)", "EURL"),
        ("société a responsabilite limitee a associe unique", "EURL"),
        ("SARL à associé unique", "EURL"),
        ("SARL unipersonnelle", "EURL"),
        ("Entreprise unipersonnelle à responsabilité limitée", "EURL"),
        ("E.U.R.L.", "EURL"),
        ("S.A.R.L.", "SARL"),
        ("Sarl", "SARL"),
        ("Société anonyme", "SA"),
        ("Société anonyme à conseil d'administration", "SA"),
        ("SA à directoire et conseil de surveillance", "SA"),
        ("S.A.", "SA"),
        ("Société d'exercice libéral à responsabilité limitée", "SELARL"),
        ("SELARL", "SELARL"),
        ("SELARL à associé unique", "SELARLU"),
        ("Société d'exercice libéral par actions simplifiée", "SELAS"),
        ("SELAS", "SELAS"),
        ("Société d'exercice libéral à forme anonyme", "SELAFA"),
        ("Société civile professionnelle", "SCP"),
        ("SCP", "SCP"),
        ("Société civile de moyens", "SCM"),
        ("Société civile immobilière", "SCI"),
        ("SCI", "SCI"),
        ("Société civile immobilière de construction-vente", "SCCV"),
        ("Société civile", "SC"),
        ("Société en nom collectif", "SNC"),
        ("Société en commandite simple", "SCS"),
        ("Société en commandite par actions", "SCA"),
        ("SCA", "SCA"),
        ("Groupement d'intérêt économique", "GIE"),
        ("GIE", "GIE"),
        ("Association déclarée", "ASSOCIATION"),
        ("Association loi 1901", "ASSOCIATION"),
        ("Entrepreneur individuel", "EI"),
        ("Entreprise individuelle", "EI"),
        ("Micro-entrepreneur", "EI"),
        ("Société européenne", "SE"),
        ("SOCIETE PAR ACTIONS SIMPLIFIEE. LA SOCIETE SE RESERVE LE DROIT", "SAS"),
    ],
)
def test_normalise_legal_form(text: str, expected: str) -> None:
    assert normalise_legal_form(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "KANTA", "Société", "SARL transformée en SAS", "société à responsabilité", "sas"],
)
def test_normalise_legal_form_unknown(text: str) -> None:
    assert normalise_legal_form(text) is None


@pytest.mark.parametrize(
    ("form", "expected"),
    [("EURL", "SARL"), ("SASU", "SAS"), ("SELASU", "SELAS"), ("SELARLU", "SELARL"),
     ("SA", "SA"), ("SARL", "SARL")],
)  # fmt: skip
def test_base_legal_form(form: str, expected: str) -> None:
    assert base_legal_form(form) == expected


@pytest.mark.parametrize(
    ("form", "general", "expected"),
    [("SCI", "SC", True), ("SCCV", "SCI", True), ("SCCV", "SC", True), ("SCP", "SC", True),
     ("SC", "SCI", False), ("SCI", "SCI", False), ("SAS", "SC", False), ("SASU", "SAS", False)],
)  # fmt: skip
def test_refines(form: str, general: str, expected: bool) -> None:
    assert refines(form, general) is expected


@pytest.mark.parametrize(
    ("form", "code"),
    [("SAS", "5710"), ("SASU", "5720"), ("SARL", "5499"), ("EURL", "5498"), ("SCI", "6540"),
     ("SNC", "5202"), ("GIE", "6220"), ("EI", "1000"), ("SA", None), ("ASSOCIATION", None)],
)  # fmt: skip
def test_insee_category(form: str, code: str | None) -> None:
    assert insee_category(form) == code


@pytest.mark.parametrize(
    ("code", "form"),
    [("5710", "SAS"), ("5499", "SARL"), ("5599", "SA"), ("5699", "SA"), ("9220", "ASSOCIATION"),
     (" 5498 ", "EURL"), ("9999", None)],
)  # fmt: skip
def test_legal_form_from_insee(code: str, form: str | None) -> None:
    assert legal_form_from_insee(code) == form
