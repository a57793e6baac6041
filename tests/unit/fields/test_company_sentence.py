"""read_company_sentence: the company as one sentence of a beneficial-owner extract or a
statuts cover states it, in the wordings met in practice."""

from __future__ import annotations

import pytest

from extractors.fields.company_sentence import (
    SentenceFacts,
    read_company_sentence,
    to_company_facts,
)
from kanta_docs.facts import value_of
from kanta_docs.models import Provenance


def values(facts: SentenceFacts) -> dict[str, object]:
    return {name: None if found is None else found.value
            for name, found in (("name", facts.name), ("legal_form", facts.legal_form),
                                ("capital_eur", facts.capital_eur), ("address", facts.address),
                                ("siren", facts.siren))}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Société DUMAS TRANSPORTS, société par actions simplifiée au capital de 10 000 euros, "
         "dont le siège est 12 rue X 69003 Lyon, immatriculée au RCS de Lyon sous le numéro "
         "679 535 757",
         {"name": "DUMAS TRANSPORTS", "legal_form": "SAS", "capital_eur": 10000.0,
          "address": "12 rue X 69003 Lyon", "siren": "679535757"}),
        ("DUMAS TRANSPORTS, SAS au capital de 10 000 €, ayant son siège social à 12 rue de la "
         "Paix 69003 Lyon, RCS Lyon 679 535 757",
         {"name": "DUMAS TRANSPORTS", "legal_form": "SAS", "capital_eur": 10000.0,
          "address": "12 rue de la Paix 69003 Lyon", "siren": "679535757"}),
        ("La société DUMAS TRANSPORTS SARL au capital de 1 500,50 euros dont le siège social "
         "est situé 4 avenue Foch 75016 Paris immatriculée au RCS de Paris sous le numéro "
         "679 535 757.",
         {"name": "DUMAS TRANSPORTS", "legal_form": "SARL", "capital_eur": 1500.5,
          "address": "4 avenue Foch 75016 Paris", "siren": "679535757"}),
        ("Dénomination : DUMAS TRANSPORTS — Forme : Société à responsabilité limitée — "
         "Capital : 10 000 € — Siège : 3 place Bellecour 69002 Lyon — RCS Lyon 679 535 757",
         {"name": "DUMAS TRANSPORTS", "legal_form": "SARL", "capital_eur": 10000.0,
          "address": "3 place Bellecour 69002 Lyon", "siren": "679535757"}),
        ("Société 6D PATRIMOINE, société par actions simplifiée au capital de 2 000 euros, dont "
         "le siège est 45 boulevard de Faure 14200 Hérouville-Saint-Clair, immatriculée sous le "
         "numéro 445 608 508 RCS Caen.",
         {"name": "6D PATRIMOINE", "legal_form": "SAS", "capital_eur": 2000.0,
          "address": "45 boulevard de Faure 14200 Hérouville-Saint-Clair",
          "siren": "445608508"}),
    ],
)
def test_sentence_variants(text: str, want: dict[str, object]) -> None:
    assert values(read_company_sentence(text)) == want


def test_prose_without_a_company_gives_nothing() -> None:
    facts = read_company_sentence("Bénéficiaire effectif : M. Jean DUPONT né le 01/02/1970")
    assert values(facts) == dict.fromkeys(("name", "legal_form", "capital_eur", "address",
                                           "siren"))  # fmt: skip


def test_a_form_alone_is_no_name() -> None:
    assert read_company_sentence("SAS au capital de 1 000 euros").name is None


def test_offsets_give_the_provenance() -> None:
    text = "Société ACME, SAS au capital de 5 000 €, RCS Lyon 679 535 757"
    company = to_company_facts(read_company_sentence(text),
                               lambda s, e: Provenance(page=2, text=text[s:e]))
    assert value_of(company.name) == "ACME"
    assert company.name is not None and company.name.provenance is not None
    assert company.name.provenance.text == "ACME"
    assert company.capital_eur is not None and company.capital_eur.provenance is not None
    assert company.capital_eur.provenance.text == "5 000 €"
    assert company.siren is not None and company.siren.provenance is not None
    assert company.siren.provenance.page == 2


def test_a_name_without_societe_starts_at_its_line() -> None:
    title = "REGISTRE DES BÉNÉFICIAIRES EFFECTIFS - EXTRAIT"
    text = f"{title} ACME, SAS au capital de 5 000 €, RCS Lyon 679 535 757"
    assert value_of_name(read_company_sentence(text, [0, len(title) + 1])) == "ACME"


def test_a_capital_label_alone_gives_no_name() -> None:
    facts = read_company_sentence("EXTRAIT Capital social : 5 000 €")
    assert facts.name is None
    assert facts.capital_eur is not None and facts.capital_eur.value == 5000.0


def value_of_name(facts: SentenceFacts) -> str | None:
    return None if facts.name is None else facts.name.value
