"""Statuts in wordings beyond the first templates: capital-split tables, share-number ranges,
updated statuts without founders, spouses in civil-status formulas, mixed-case names and first
names listed with commas, certified copies, denominations."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.fields.statuts import parse_statuts
from extractors.fields.statuts_articles import find_articles
from extractors.fields.statuts_counts import find_numbered_ranges
from extractors.fields.statuts_text import build_statuts_text
from extractors.nlp import SpanLabel, analyse_text
from kanta_docs.facts import DocumentFacts, value_of
from kanta_docs.vocab import OfficerRole
from tests.unit.fields.pages import make_page


def _parse(*pages: list[str]) -> DocumentFacts:
    return parse_statuts([make_page(p, number=i + 1) for i, p in enumerate(pages)])


def _holders(facts: DocumentFacts) -> list[tuple[str, int | None, float | None]]:
    return [(s.name.value, value_of(s.shares), value_of(s.pct)) for s in facts.shareholders]


def _officers(facts: DocumentFacts) -> list[tuple[str | None, str | None, OfficerRole]]:
    return [(value_of(o.person.last_name), value_of(o.person.first_names), o.role)
            for o in facts.officers]  # fmt: skip


SCI_TABLE = [
    "SCI « LES TILLEULS »",
    "Société civile immobilière au capital de 150 000 euros",
    "Siège social : 4 rue des Lilas 69003 Lyon",
    "En cours d'immatriculation au RCS de Lyon",
    "ENTRE LES SOUSSIGNÉS :",
    "1°) Monsieur Jean Dupont, né le 3 mars 1960 à Lyon (69), de nationalité française,",
    "demeurant 4 rue des Lilas 69003 Lyon, époux de Madame Claire Martin, marié sous le régime",
    "de la séparation de biens suivant contrat reçu par Maître Paul Girard, notaire à Lyon ;",
    "2°) Madame LEROY Anne-Sophie, Isabelle, née le 2 avril 1990 à Paris (75), de nationalité",
    "française, demeurant 8 rue Royale 75008 Paris, mariée à Monsieur Marc BLANC sous le régime",
    "de la communauté réduite aux acquêts.",
    "Ont établi ainsi qu'il suit les statuts de la société.",
    "Article 3 - Dénomination",
    "La société prend la dénomination de : LES TILLEULS. Dans tous les actes, la dénomination",
    "sociale doit être précédée des mots « société civile immobilière ».",
    "Article 6 - Apports - Capital social",
    "Monsieur Jean Dupont apporte à la société un appartement situé 4 rue des Lilas 69003 Lyon,",
    "évalué à 120 000 euros. Madame LEROY apporte la somme de 30 000 euros en numéraire.",
    "Le capital social est fixé à 150 000 euros, divisé en 1 500 parts de 100 euros chacune,",
    "réparties comme suit :",
    "Associé | Apport (€) | Nombre de | Numéros",
    "| | parts |",
    "Jean Dupont | 120 000 | 1 200 | 1 à 1 200",
    "Madame Anne-Sophie Isabelle | 30 000 | 300 | 1 201 à 1 500",
    "LEROY",
    "Total | 150 000 | 1 500 |",
    "Article 20 - Gérance",
    "Monsieur Jean Dupont est nommé premier gérant de la société.",
    "Fait à Lyon, le 5 mai 2021.",
]


def test_a_table_count_column_beside_an_amount_column_and_spouses_left_out() -> None:
    facts = _parse(SCI_TABLE)
    # The count column is told from the header's boxes, wrapped over two lines; the spouses
    # and the notary of the formulas are no associates; a wrapped name cell is read whole.
    assert _holders(facts) == [("Jean DUPONT", 1200, 80.0),
                               ("Anne-Sophie Isabelle LEROY", 300, 20.0)]  # fmt: skip
    assert _officers(facts) == [("DUPONT", "Jean", OfficerRole.GERANT)]
    assert facts.company is not None
    assert value_of(facts.company.name) == "LES TILLEULS"
    assert value_of(facts.company.legal_form) == "SCI"


UPDATED = [
    "MORAND IMMOBILIER",
    "Société à responsabilité limitée au capital de 10 000 euros",
    "Siège social : 12 avenue Foch 75116 Paris",
    "552 100 554 RCS Paris",
    "STATUTS MIS À JOUR",
    "(suite aux décisions de l'assemblée générale extraordinaire du 12 janvier 2019)",
    "Article 1 - Forme",
    "La société a été constituée sous la forme d'une société à responsabilité limitée.",
    "Article 7 - Capital social",
    "Le capital social est fixé à 10 000 euros. Il est divisé en 500 parts de 20 euros",
    "chacune, numérotées de 1 à 500, réparties entre les associés de la manière suivante :",
    "- Madame Claude, Chloé, Clémence Le Corre, née le 18 août 1966 à Limoges, à concurrence",
    "de 250 parts, portant les numéros 1 à 250 ;",
    "- À Monsieur MORAND Paul, les parts numérotées de 251 à 450 ;",
    "- MORAND HOLDING, société par actions simplifiée au capital de 1 000 euros, immatriculée",
    "au RCS de Paris sous le numéro 732 829 320 : parts numérotées de 451 à 500.",
    "Total égal au nombre de parts composant le capital social : 500 parts.",
    "Article 15 - Gérance",
    "Aux termes d'une décision collective des associés en date du 12 janvier 2019, Monsieur",
    "MORAND Paul a été nommé gérant pour une durée illimitée.",
    "Pour copie certifiée conforme,",
    "Paris, le 3 février 2019",
    "Le Gérant",
]


def test_updated_statuts_without_founders_read_the_capital_article_and_certification() -> None:
    facts = _parse(UPDATED)
    assert _holders(facts) == [("Claude Chloé Clémence LE CORRE", 250, 50.0),
                               ("Paul MORAND", 200, 40.0),
                               ("MORAND HOLDING", 50, 10.0)]  # fmt: skip
    assert _officers(facts) == [("MORAND", "Paul", OfficerRole.GERANT)]
    # The certification dates the copy; the decision's earlier date does not.
    assert value_of(facts.document_date) == date(2019, 2, 3)
    assert facts.company is not None
    assert value_of(facts.company.siren) == "552100554"


@pytest.mark.parametrize(("text", "values"), [
    ("les parts numérotées de 251 à 500.", [250]),
    ("portant les numéros 1 à 250 ;", [250]),
    ("huit (8) actions (1 à 8) ;", [8]),
    ("numérotées de 1 385 à 1 500.", [116]),
    ("né le 12 à 14 h", []),
    ("numérotées de 50 à 10", []),
])  # fmt: skip
def test_share_number_ranges(text: str, values: list[int]) -> None:
    assert [r.value for r in find_numbered_ranges(text)] == values


def test_spouse_cues_and_first_names_listed_with_commas() -> None:
    spans = analyse_text("Madame PELLETIER Anne-Sophie, Isabelle, née le 2 mai 1980, épouse de "
                         "Monsieur Paul MARTIN ; Monsieur Jean, Pierre DUPONT, marié(e) avec "
                         "Madame Anne Durand ; M. Jean DUPONT, Gérant")  # fmt: skip
    persons = [s.text for s in spans if s.label is SpanLabel.PERSON]
    assert persons == ["Madame PELLETIER Anne-Sophie, Isabelle", "Monsieur Paul MARTIN",
                       "Monsieur Jean, Pierre DUPONT", "Madame Anne Durand",
                       "M. Jean DUPONT"]  # fmt: skip
    spouses = [s.text for s in spans if s.label is SpanLabel.SPOUSE]
    assert spouses == ["épouse de", "marié(e) avec"]


def test_a_hyphenated_first_name_is_not_a_shorter_one() -> None:
    facts = _parse([
        "Article 7 - Capital social",
        "Le capital social est divisé en 300 parts, réparties entre les associés :",
        "- M. STAN Jean Alexandre : 100 parts ;",
        "- M. STAN Jean-Pierre : 200 parts.",
        "Fait à Paris, le 2 mars 2020.",
    ])  # fmt: skip
    assert _holders(facts) == [("Jean Alexandre STAN", 100, 33.33),
                               ("Jean-Pierre STAN", 200, 66.67)]  # fmt: skip


def test_the_denomination_article_names_the_company_not_its_prose_or_the_quoted_cover() -> None:
    facts = _parse([
        "SARL « ACME CONSEIL »",
        "Société à responsabilité limitée au capital de 1 000 euros",
        "Article 1 - Forme",
        "La dénomination sociale doit figurer sur tous les actes de la société.",
        "Article 3 - Dénomination",
        "La société sera dénommée ACME CONSEIL.",
    ])  # fmt: skip
    assert facts.company is not None
    assert value_of(facts.company.name) == "ACME CONSEIL"
    cover_only = _parse(["SAS « NOVA »", "Société par actions simplifiée au capital de 1 000 €"])
    assert cover_only.company is not None
    assert value_of(cover_only.company.name) == "NOVA"


def test_a_table_row_at_a_page_foot_is_no_running_line() -> None:
    pages = [make_page(["Article 7", "M. Paul MARTIN 800 euros 8 80 %"]),
             make_page(["Fait à Lyon.", "M. Paul MARTIN"], number=2)]  # fmt: skip
    assert "800 euros" in build_statuts_text(pages).text


def test_a_transitional_clause_names_the_officer_in_force() -> None:
    facts = _parse([
        "Article 7 - Capital social",
        "Le capital social est divisé en 100 parts, attribuées à Madame Anne Dupont : 100 parts.",
        "Article 30 - Dispositions transitoires",
        "Madame Anne Dupont, associée, est gérante de la société.",
        "Fait à Paris, le 2 mars 2020.",
    ])  # fmt: skip
    assert _officers(facts) == [("DUPONT", "Anne", OfficerRole.GERANT)]


@pytest.mark.parametrize("formula", [
    "Madame Chiara Martin née Rossi le 3 mai 1970 à Turin, demeurant 3 rue Verte 75001 Paris ;",
    "Madame Chiara Martin, née Rossi, le 3 mai 1970 à Turin, demeurant 3 rue Verte 75001 Paris ;",
])  # fmt: skip
def test_a_birth_name_in_mixed_case(formula: str) -> None:
    facts = _parse(["LES SOUSSIGNÉS :", formula, "Ont établi les statuts.",
                    "Article 7 - Capital social", "Le capital social est divisé en 100 parts."])
    person = facts.shareholders[0].person
    assert person is not None
    assert (value_of(person.last_name), value_of(person.usage_name)) == ("ROSSI", "MARTIN")


@pytest.mark.parametrize("sentence", [
    "La société prend la dénomination suivante : ACME CONSEIL.",
    "La société est connue sous le nom de ACME CONSEIL.",
    "La dénomination sociale est : ACME CONSEIL, société à responsabilité limitée.",
    "La société a pour nom « ACME CONSEIL », suivi des mots « SARL ».",
])  # fmt: skip
def test_denomination_wordings(sentence: str) -> None:
    facts = _parse(["Article 3 - Dénomination", sentence])
    assert facts.company is not None
    assert value_of(facts.company.name) == "ACME CONSEIL"


def test_article_numbers_in_words() -> None:
    text = ("ARTICLE DEUX - OBJET\nx\nARTICLE VINGT-TROIS : GÉRANCE\nx\n"
            "selon l'article douze des statuts.\nARTICLE TRENTE ET UN\nDISPOSITIONS TRANSITOIRES")
    assert [a.title for a in find_articles(text)] == ["objet", "gerance",
                                                      "dispositions transitoires"]  # fmt: skip


def test_an_office_assured_by_someone_names_its_holder() -> None:
    facts = _parse([
        "Article 7 - Capital social",
        "Le capital social est divisé en 100 parts, attribuées à Monsieur Luc MARTIN : 100 parts.",
        "Article 15 - Administration de la société",
        "La gérance de la société est assurée par Monsieur Luc MARTIN, associé.",
        "Fait à Paris, le 2 mars 2020.",
    ])  # fmt: skip
    assert _officers(facts) == [("MARTIN", "Luc", OfficerRole.GERANT)]


def test_the_signature_block_after_an_appointing_article_appoints_nobody() -> None:
    facts = _parse([
        "Article 7 - Capital social",
        "Le capital social est divisé en 100 actions, attribuées à Monsieur Luc MARTIN : 100",
        "actions.",
        "Article 30 - Dispositions transitoires",
        "Monsieur Luc MARTIN est Président de la société.",
        "Pour copie certifiée conforme, le 2 mars 2020",
        "Le Directeur général",
        "Madame Anne DURAND",
    ])  # fmt: skip
    assert _officers(facts) == [("MARTIN", "Luc", OfficerRole.PRESIDENT)]


@pytest.mark.parametrize("body", [
    ["« ACME CONSEIL »"],
    ["ACME CONSEIL"],
    ["La société a pour dénomination ACME CONSEIL et pour sigle AC."],
])  # fmt: skip
def test_a_denomination_article_with_the_name_alone_or_a_sigle(body: list[str]) -> None:
    facts = _parse(["SARL TRUC", "Société à responsabilité limitée au capital de 1 000 euros",
                    "Article 3 - Dénomination", *body, "Article 4 - Siège"])
    assert facts.company is not None
    assert value_of(facts.company.name) == "ACME CONSEIL"


def test_the_officer_replaced_is_no_officer() -> None:
    facts = _parse([
        "Article 7 - Capital social",
        "Le capital social est divisé en 100 parts, attribuées à Madame Anne Dupont : 100 parts.",
        "Article 20 - Gérance",
        "Aux termes d'une décision collective du 3 mai 2019, Madame Anne Dupont a été nommée",
        "gérante en remplacement de Monsieur Jean DURAND, démissionnaire.",
        "La société est dirigée par Madame Anne Dupont, gérante.",
    ])  # fmt: skip
    assert _officers(facts) == [("DUPONT", "Anne", OfficerRole.GERANT)]


def test_a_garbled_purpose_on_the_cover_gives_way_to_the_forme_article() -> None:
    facts = _parse([
        "SCI LES HAUTS",
        "Société civile inimobilière au capital de 2 500 euros",  # OCR slip in « immobilière »
        "Siège social : 47 boulevard Philippe Rey - 72000 Le Mans",
        "Article 1 - Forme",
        "Il est formé entre les propriétaires des parts une société civile immobilière régie par",
        "les articles 1832 et suivants du Code civil.",
        "Fait à Le Mans, le 3 mars 2014.",
    ])
    assert facts.company is not None
    assert value_of(facts.company.legal_form) == "SCI"
    assert not any("legal form" in w for w in facts.warnings)


def test_ocr_debris_inside_a_holder_name_on_a_share_line_keeps_the_founder() -> None:
    facts = _parse([
        "SARL LES JARDINS",
        "Société à responsabilité limitée au capital de 10 000 euros",
        "ENTRE LES SOUSSIGNÉS :",
        "Madame Leïla MANSOURI, née le 12/02/1976 à Lyon, de nationalité française ;",
        "Madame Nadia Khadija Fatima BENJELLOUN, née le 26 janvier 1974 à Casablanca, de",
        "nationalité marocaine ;",
        "Article 7 - Capital social",
        "Le capital social est fixé à la somme de 10 000 euros. Il est divisé en mille (1 000)",
        "parts de 10 euros chacune, attribuées aux associés, à savoir :",
        "- Madame Leïla MANSOURI : six cents (600) parts, numérotées de 1 à 600",
        "- Madame Nadia Khadiï ja Fatima BENJELLOUN : quatre cents (400) parts, numérotées de",
        "601 à 1 000",
        "Fait à Lyon, le 5 mai 2021.",
    ])
    assert _holders(facts) == [("Leïla MANSOURI", 600, 60.0),
                               ("Nadia Khadija Fatima BENJELLOUN", 400, 40.0)]  # fmt: skip
