from __future__ import annotations

from datetime import date

import pytest

from extractors.fields.statuts import parse_statuts
from extractors.fields.statuts_articles import find_articles
from extractors.fields.statuts_counts import find_share_counts
from extractors.fields.statuts_text import build_statuts_text, sentence_end
from kanta_docs.facts import DocumentFacts, value_of
from kanta_docs.vocab import OfficerRole
from tests.unit.fields.pages import make_page


def _parse(*pages: list[str], confidence: float | None = None) -> DocumentFacts:
    return parse_statuts([make_page(p, number=i + 1, confidence=confidence)
                          for i, p in enumerate(pages)])  # fmt: skip


def _holders(facts: DocumentFacts) -> list[tuple[str, int | None, float | None]]:
    return [(s.name.value, value_of(s.shares), value_of(s.pct)) for s in facts.shareholders]


def _officers(facts: DocumentFacts) -> list[tuple[str | None, str | None, OfficerRole]]:
    return [(value_of(o.person.last_name), value_of(o.person.first_names), o.role)
            for o in facts.officers]  # fmt: skip


SARL_NOTARIAL = [
    "SARL LES TROIS CHENES",
    "Société à responsabilité limitée au capital de 8 000 euros",
    "Siège social : 12, rue de la Paix, 75002 PARIS",
    "RCS PARIS 552 100 554",
    "STATUTS",
    "ENTRE LES SOUSSIGNÉS :",
    "1°) Monsieur Jean-Pierre Martin, demeurant 3 rue des Lilas 69003 Lyon, né le 1er mars 1970 à",
    "Lyon (Rhône), de nationalité française, marié sous le régime de la séparation de biens ;",
    "2°) Madame Claire DURAND épouse MARTIN, née le 2 avril 1972 à Paris 15ème, de nationalité",
    "française, demeurant même adresse ;",
    "3°) La société HOLDING MARTIN, société par actions simplifiée au capital de 10 000 euros,",
    "dont le siège social est à Lyon (69003), 3 rue des Lilas, immatriculée au registre du",
    "commerce et des sociétés de Lyon sous le numéro 732 829 320, représentée par Monsieur",
    "Jean-Pierre Martin,",
    "son Président, dûment habilité.",
    "Il a été établi ainsi qu'il suit les statuts d'une société à responsabilité limitée.",
    "ARTICLE 1 - FORME",
    "Il existe entre les propriétaires des parts ci-après créées une société à responsabilité",
    "limitée régie par les lois en vigueur.",
    "ARTICLE 3 - DÉNOMINATION SOCIALE",
    "La société a pour dénomination sociale : « LES TROIS CHÊNES ».",
    "ARTICLE 4 - SIÈGE SOCIAL",
    "Le siège social est fixé au 12, rue de la Paix, 75002 Paris.",
]
SARL_NOTARIAL_2 = [
    "ARTICLE 7 - CAPITAL SOCIAL",
    "Le capital social est fixé à la somme de HUIT MILLE EUROS (8 000 €). Il est divisé en huit",
    "cents (800) parts sociales de dix euros chacune, numérotées de 1 à 800, entièrement libérées,",
    "attribuées aux associés en proportion de leurs apports, à savoir :",
    "- à Monsieur Jean-Pierre Martin, à concurrence de quatre cents parts, numérotées de 1 à 400,",
    "ci : 400 parts",
    "- à Madame Claire DURAND épouse MARTIN, à concurrence de deux cents parts, numérotées de 401",
    "à 600, ci : 200 parts",
    "- à la société HOLDING MARTIN, à concurrence de deux cents parts, numérotées de 601 à 800,",
    "ci : 200 parts",
    "Total égal au nombre de parts composant le capital social : 800 parts.",
    "ARTICLE 15 - GÉRANCE",
    "La société est gérée par un ou plusieurs gérants, personnes physiques, associés ou non. Le",
    "gérant est nommé par décision des associés.",
    "ARTICLE 25 - NOMINATION DU PREMIER GÉRANT",
    "Monsieur Jean-Pierre Martin, susnommé, est nommé premier gérant de la société pour une durée",
    "illimitée.",
    "Fait à Paris,",
    "Le 15 juin 2022",
    "En quatre exemplaires originaux.",
]


def test_sarl_in_notarial_style() -> None:
    facts = _parse(SARL_NOTARIAL, SARL_NOTARIAL_2)
    company = facts.company
    assert company is not None
    assert company.to_contract().model_dump() == {
        "siren": "552100554", "name": "LES TROIS CHÊNES", "legal_form": "SARL",
        "capital_eur": 8000.0, "address": "12, rue de la Paix, 75002 Paris",
    }  # fmt: skip
    assert value_of(facts.document_date) == date(2022, 6, 15)
    assert _holders(facts) == [("Jean-Pierre MARTIN", 400, 50.0), ("Claire DURAND", 200, 25.0),
                               ("HOLDING MARTIN", 200, 25.0)]  # fmt: skip
    person = facts.shareholders[1].person
    assert person is not None
    assert value_of(person.birth_date) == date(1972, 4, 2)
    assert value_of(person.usage_name) == "MARTIN"
    assert value_of(person.nationality) == "FRA"
    assert value_of(facts.shareholders[2].company_siren) == "732829320"
    # The company's representative is not an officer; the generic gérance clause names nobody.
    assert _officers(facts) == [("MARTIN", "Jean-Pierre", OfficerRole.GERANT)]
    assert facts.officers[0].person.birth_date is not None  # completed from the founders
    assert facts.warnings == ()


def test_provenance_points_at_the_allocation() -> None:
    facts = _parse(SARL_NOTARIAL, SARL_NOTARIAL_2)
    shares = facts.shareholders[0].shares
    assert shares is not None and shares.provenance is not None
    assert shares.provenance.page == 2
    assert shares.provenance.text == "quatre cents parts"
    assert shares.provenance.box is not None


SAS_TABLE = [
    "STATUTS CONSTITUTIFS",
    "ALPHA BETA",
    "SAS au capital de 50.000 €",
    "Siège : 5 avenue Foch – 75116 Paris",
    "En cours d'immatriculation",
    "Les soussignés :",
    "- Paul DUBOIS, né le 12/05/1980 à Nantes (44), de nationalité française, demeurant 1 rue",
    "Crébillon 44000 Nantes ;",
    "- Sophie LEROY, née le 30/09/1985 à Bruxelles (Belgique), de nationalité belge, demeurant 8",
    "rue Royale 75008 Paris ;",
    "ont établi ainsi qu'il suit les statuts de la société par actions simplifiée.",
    "Article 1er – Forme",
    "La Société est une société par actions simplifiée régie par les articles L. 227-1 et",
    "suivants du Code de commerce.",
    "Article 3 – Dénomination",
    "La Société a pour dénomination : ALPHA BETA.",
    "Article 4 – Siège social",
    "Le siège de la Société est fixé 5 avenue Foch, 75116 Paris.",
    "Article 6 – Capital social",
    "Le capital social est fixé à cinquante mille euros (50 000 €). Il est divisé en 5 000",
    "actions ordinaires de 10 euros de valeur nominale chacune, intégralement libérées.",
    "Article 7 – Répartition du capital",
    "Les actions sont réparties comme suit :",
    "Associé | Nombre d'actions | Pourcentage",
    "Paul DUBOIS | 3 000 | 60 %",
    "Sophie LEROY | 2 000 | 40 %",
    "Total | 5 000 | 100 %",
    "Article 20 – Désignation des premiers dirigeants",
    "Le premier Président de la Société, nommé pour une durée indéterminée, est Monsieur Paul",
    "DUBOIS.",
    "Madame Sophie LEROY est désignée en qualité de Directrice générale.",
    "Fait à Paris, le 1er mars 2021",
]


def test_sas_with_founders_without_civility_and_an_allocation_table() -> None:
    facts = _parse(SAS_TABLE)
    company = facts.company
    assert company is not None
    assert value_of(company.siren) is None  # en cours d'immatriculation
    assert value_of(company.legal_form) == "SAS"
    assert value_of(company.capital_eur) == 50000.0
    assert _holders(facts) == [("Paul DUBOIS", 3000, 60.0), ("Sophie LEROY", 2000, 40.0)]
    leroy = facts.shareholders[1].person
    assert leroy is not None and value_of(leroy.nationality) == "BEL"
    assert _officers(facts) == [("DUBOIS", "Paul", OfficerRole.PRESIDENT),
                                ("LEROY", "Sophie", OfficerRole.DIRECTEUR_GENERAL)]  # fmt: skip
    assert value_of(facts.document_date) == date(2021, 3, 1)


SCI_WORDS = [
    "SCI BERNARD",
    "Société civile immobilière au capital de 1 000 €",
    "STATUTS",
    "Les soussignés :",
    "Monsieur Luc BERNARD, né le quinze mai mil neuf cent soixante à Tours (37), de nationalité",
    "française, demeurant 4 place Plumereau, 37000 Tours,",
    "Madame Anne BERNARD, née PETIT le 3 juin 1962 à Blois (41), de nationalité française et",
    "marocaine, demeurant 4 place Plumereau, 37000 Tours,",
    "Lesquels ont établi les statuts de la société civile devant exister entre eux.",
    "TITRE I",
    "ARTICLE 1",
    "FORME",
    "Il est formé entre les soussignés une société civile immobilière.",
    "ARTICLE 2",
    "DENOMINATION",
    "La dénomination de la société est « SCI BERNARD ».",
    "ARTICLE 3",
    "SIEGE",
    "Le siège social est situé 4 place Plumereau 37000 TOURS.",
    "ARTICLE 6 - APPORTS",
    "Monsieur Luc BERNARD apporte à la société la somme de 600 euros.",
    "Madame Anne BERNARD née PETIT apporte à la société la somme de 400 euros.",
    "ARTICLE 7 - CAPITAL SOCIAL",
    "Le capital social est fixé à MILLE EUROS (1 000 €). Il est divisé en cent (100) parts de 10",
    "euros chacune, attribuées :",
    "- à Monsieur Luc BERNARD à concurrence de soixante (60) parts, numérotées de 1 à 60 ;",
    "- à Madame Anne BERNARD née PETIT à concurrence de 40 parts, numérotées de 61 à 100.",
    "ARTICLE 20 - GERANCE",
    "Sont nommés cogérants pour une durée indéterminée : Monsieur Luc BERNARD et Madame Anne",
    "BERNARD née PETIT, susnommés.",
    "Fait à Tours, l'an deux mille vingt-deux, le quinze juin.",
]


def test_sci_with_birth_name_dual_nationality_and_cogerants() -> None:
    facts = _parse(SCI_WORDS)
    company = facts.company
    assert company is not None
    assert value_of(company.name) == "SCI BERNARD"
    assert value_of(company.address) == "4 place Plumereau 37000 TOURS"
    assert _holders(facts) == [("Luc BERNARD", 60, 60.0), ("Anne PETIT", 40, 40.0)]
    luc, anne = (s.person for s in facts.shareholders)
    assert luc is not None and value_of(luc.birth_date) == date(1960, 5, 15)
    assert anne is not None and value_of(anne.usage_name) == "BERNARD"
    assert anne.nationality is None  # two nationalities: not guessed, warned
    assert "page 1: shareholder nationality: several or unreadable" in facts.warnings
    assert _officers(facts) == [("BERNARD", "Luc", OfficerRole.GERANT),
                                ("PETIT", "Anne", OfficerRole.GERANT)]  # fmt: skip
    assert value_of(facts.document_date) == date(2022, 6, 15)


UPDATED_SASU = [
    "NEXIA CONSEIL",
    "Société par actions simplifiée au capital de 5 000 euros",
    "Siège social : 10 rue Victor Hugo, 69002 LYON",
    "732 829 320 RCS LYON",
    "STATUTS MIS A JOUR LE 12 JANVIER 2023",
    "Article 1 - Forme",
    "La Société a été constituée sous la forme de société par actions simplifiée.",
    "Article 2 - Dénomination",
    "La dénomination sociale est NEXIA CONSEIL.",
    "Article 3 - Siège",
    "Le siège social est fixé 10 rue Victor Hugo, 69002 LYON.",
    "Article 6 - Capital social",
    "Le capital social est fixé à 5 000 euros, divisé en 500 actions de 10 euros chacune.",
    "Article 7 - Apports",
    "Lors de la constitution, la société NEXIA HOLDING, société par actions simplifiée au capital",
    "de 100 000 euros, dont le siège est 1 quai Rambaud 69002 Lyon, immatriculée sous le numéro",
    "552 100 554 RCS Lyon, a fait apport de la somme de 5 000 euros, en rémunération duquel il lui",
    "a été attribué 500 actions.",
    "Article 12 - Président",
    "La société est représentée par un Président. Le premier président est la société NEXIA",
    "HOLDING, représentée par son gérant Monsieur Marc ANTOINE.",
]


def test_updated_sas_with_a_single_company_holder_is_an_sasu() -> None:
    facts = _parse(UPDATED_SASU)
    company = facts.company
    assert company is not None
    assert value_of(company.siren) == "732829320"
    assert value_of(company.legal_form) == "SASU"  # one holder of every share
    assert _holders(facts) == [("NEXIA HOLDING", 500, 100.0)]
    assert value_of(facts.shareholders[0].company_siren) == "552100554"
    # the company is the président; its gérant only represents it
    assert _officers(facts) == [("NEXIA HOLDING", None, OfficerRole.PRESIDENT)]
    assert facts.officers[0].is_company
    assert value_of(facts.document_date) == date(2023, 1, 12)  # no signature: the update date


SA_BOARD = [
    "FINAUDIT",
    "Société anonyme à conseil d'administration au capital de 37 000 euros",
    "Siège social : 2 place Bellecour 69002 Lyon",
    "STATUTS",
    "Les soussignés :",
    "- Monsieur Pierre LAMBERT, né le 4 juillet 1965 à Lyon (69), de nationalité française,",
    "demeurant 3 rue Mercière 69002 Lyon ;",
    "- Madame Julie FAURE, née le 9 septembre 1970 à Genève (Suisse), de nationalité suisse,",
    "demeurant 8 rue du Rhône 1204 Genève (Suisse) ;",
    "- La société GESTINVEST, société par actions simplifiée au capital de 1 000 000 euros, dont",
    "le siège est 1 quai Rambaud 69002 Lyon, immatriculée au RCS de Lyon sous le numéro",
    "552 100 554, représentée par son Président, Monsieur Marc ROUX,",
    "ont établi ainsi qu'il suit les statuts d'une société anonyme.",
    "ARTICLE 1 - FORME",
    "Il est formé entre les propriétaires des actions ci-après créées une société anonyme.",
    "ARTICLE 6 - APPORTS - CAPITAL",
    "Le capital social est fixé à trente-sept mille euros. Il est divisé en 3 700 actions de 10",
    "euros chacune, souscrites en numéraire et réparties comme suit :",
    "Monsieur Pierre LAMBERT : 1 850 actions",
    "Madame Julie FAURE : 925 actions",
    "La société GESTINVEST : 900 actions",
    "ARTICLE 30 – NOMINATION DES PREMIERS ADMINISTRATEURS",
    "Sont nommés premiers administrateurs de la Société pour une durée de six années :",
    "- Monsieur Pierre LAMBERT ;",
    "- Madame Julie FAURE ;",
    "- La société GESTINVEST, représentée par Monsieur Marc ROUX.",
    "ARTICLE 31 – NOMINATION DES COMMISSAIRES AUX COMPTES",
    "Sont nommés pour une durée de six exercices : en qualité de commissaire aux comptes",
    "titulaire : le cabinet AUDITEX, 4 rue de la Bourse 69002 Lyon ; en qualité de commissaire",
    "aux comptes suppléant : Monsieur Henri BLANC, 5 rue de la Bourse 69002 Lyon.",
    "Fait en cinq exemplaires à Lyon, le 2 février 2019.",
]


def test_sa_board_auditors_and_allocations_that_do_not_add_up() -> None:
    facts = _parse(SA_BOARD)
    assert facts.company is not None
    assert value_of(facts.company.legal_form) == "SA"
    assert _holders(facts) == [("Pierre LAMBERT", 1850, 50.0), ("Julie FAURE", 925, 25.0),
                               ("GESTINVEST", 900, 24.32)]  # fmt: skip
    assert "shareholders: allocations add up to 3675, not the 3700 actions of the capital" \
        in facts.warnings  # fmt: skip
    assert _officers(facts) == [
        ("LAMBERT", "Pierre", OfficerRole.ADMINISTRATEUR),
        ("FAURE", "Julie", OfficerRole.ADMINISTRATEUR),
        ("GESTINVEST", None, OfficerRole.ADMINISTRATEUR),
        ("AUDITEX", None, OfficerRole.COMMISSAIRE_AUX_COMPTES),
        ("BLANC", "Henri", OfficerRole.COMMISSAIRE_AUX_COMPTES),
    ]
    assert [o.role_text for o in facts.officers[-2:]] == [
        "commissaire aux comptes titulaire", "commissaire aux comptes suppléant"]
    assert value_of(facts.document_date) == date(2019, 2, 2)


EURL_UPDATED = [
    "ENTREPRISE UNIPERSONNELLE A RESPONSABILITE LIMITEE",
    "« BOULANGERIE MARTIN »",
    "au capital de 7 500 €",
    "Siège : 14 Grande Rue 21000 DIJON",
    "RCS DIJON 732 829 320",
    "Statuts mis à jour suite à la décision de l'associé unique du 3 septembre 2021",
    "ARTICLE 1 - FORME",
    "La société a été constituée sous la forme d'une société à responsabilité limitée à associé",
    "unique.",
    "ARTICLE 3 - DENOMINATION",
    "La société prend la dénomination de « BOULANGERIE MARTIN ».",
    "ARTICLE 4 - SIEGE SOCIAL",
    "Le siège social est fixé à l'adresse indiquée en tête des présentes.",
    "ARTICLE 7 - CAPITAL SOCIAL",
    "Le capital social est fixé à 7 500 euros. Il est divisé en 750 parts sociales de 10 euros",
    "chacune, numérotées de 1 à 750, attribuées en totalité à l'associé unique, Monsieur Paul",
    "MARTIN, né le 8 août 1978 à Beaune (21), de nationalité française.",
    "ARTICLE 12 - GERANCE",
    "La société est gérée par une ou plusieurs personnes physiques. Monsieur Paul MARTIN, associé",
    "unique, est désigné en qualité de gérant pour une durée illimitée.",
]


def test_eurl_whose_single_associate_holds_every_part() -> None:
    facts = _parse(EURL_UPDATED)
    company = facts.company
    assert company is not None
    assert value_of(company.legal_form) == "EURL"
    assert value_of(company.name) == "BOULANGERIE MARTIN"
    assert value_of(company.address) == "14 Grande Rue 21000 DIJON"  # the article has none
    assert _holders(facts) == [("Paul MARTIN", 750, 100.0)]
    assert _officers(facts) == [("MARTIN", "Paul", OfficerRole.GERANT)]
    assert value_of(facts.officers[0].person.birth_date) == date(1978, 8, 8)
    assert value_of(facts.document_date) == date(2021, 9, 3)


OCR_SAS = [
    "SAS DELTA",
    "Societe par actions simplifiee au capital de 2 000 euros",
    "Siege social : 7 rue Nationale 59000 Lille",
    "LES SOUSSIGNES :",
    "Monsieur Karim BENALI, ne le 3 mars 1988 a Roubaix (59), de nationalite francaise, demeurant",
    "1 rue de Paris 59100 Roubaix ;",
    "Madame Lea DUPUIS, nee le 12 decembre 1990 a Lille (59), de nationalite francaise,",
    "demeurant 4 rue Solferino 59000 Lille ;",
    "Ont etabli ainsi qu'il suit les statuts.",
    "Article 1 - Forme",
    "Il est forme une societe par actions simplifiee.",
    "Article 3 - Denomination",
    "La denomination de la Societe est : SAS DELTA.",
    "Article 7 - Capital social",
    "Le capital social est fixe a la somme de 2 000 euros. Il est divise en 200 actions de 10",
    "euros chacune, attribuees aux associes :",
    "- Monsieur Karim BENALI : 120 actions",
    "- Madame Lea DUPUIS : 80 actions",
    "Article 13 - Nomination des premiers dirigeants",
    "Est nomme en qualite de premier President : Monsieur Karim BENALI, susnomme.",
    "Est nommee en qualite de Directrice generale : Madame Lea DUPUIS, susnommee.",
    "Fait a Lille, le 5 mai 2020.",
]


def test_ocr_text_without_accents_warns_on_low_confidence() -> None:
    facts = _parse(OCR_SAS, confidence=62.0)
    assert _holders(facts) == [("Karim BENALI", 120, 60.0), ("Lea DUPUIS", 80, 40.0)]
    assert _officers(facts) == [("BENALI", "Karim", OfficerRole.PRESIDENT),
                                ("DUPUIS", "Lea", OfficerRole.DIRECTEUR_GENERAL)]  # fmt: skip
    benali = facts.shareholders[0].person
    assert benali is not None and value_of(benali.birth_date) == date(1988, 3, 3)
    assert value_of(facts.document_date) == date(2020, 5, 5)
    assert "page 1: shareholder name read with low OCR confidence" in facts.warnings
    assert not any("BENALI" in w or "Karim" in w for w in facts.warnings)  # no personal data


def test_a_running_footer_does_not_cut_an_allocation_list() -> None:
    first = [
        "ACME",
        "Société par actions simplifiée au capital de 1 000 euros",
        "Article 7 - Capital social",
        "Le capital social est divisé en 100 actions, attribuées aux associés :",
        "- Monsieur Jean DUPONT : 60",
        "ACME - Statuts - paraphes JD / CM | 1/2",
    ]
    second = [
        "ACME - Statuts - paraphes JD / CM | 2/2",
        "actions",
        "- Madame Claire MARTIN : 40 actions",
        "Fait à Nantes, le 3 janvier 2024",
    ]
    facts = _parse(first, second)
    assert _holders(facts) == [("Jean DUPONT", 60, 60.0), ("Claire MARTIN", 40, 40.0)]


def test_what_is_missing_is_none_with_warnings() -> None:
    facts = _parse(["STATUTS", "Article 2 - Objet", "La Société a pour objet le conseil."])
    company = facts.company
    assert company is not None
    assert company.to_contract().model_dump() == dict.fromkeys(
        ("siren", "name", "legal_form", "capital_eur", "address"))
    assert facts.shareholders == () and facts.officers == ()
    assert facts.document_date is None
    assert facts.beneficial_owners == () and facts.expiry_date is None
    assert "company name not found" in facts.warnings
    assert "document date: signature date not found" in facts.warnings
    assert "shareholders not found" in facts.warnings


def test_founders_without_an_allocation_are_listed_without_shares() -> None:
    facts = _parse([
        "LES SOUSSIGNÉS :",
        "Monsieur Jean DUPONT, né le 1er mars 1970 à Lyon, de nationalité française ;",
        "Madame Claire MARTIN, née le 2 avril 1972 à Lyon, de nationalité française ;",
        "Ont établi les statuts.",
        "Article 7 - Capital social",
        "Le capital social est fixé à 1 000 euros, divisé en 100 actions.",
    ])  # fmt: skip
    assert _holders(facts) == [("Jean DUPONT", None, None), ("Claire MARTIN", None, None)]
    assert "shareholders: allocation of the shares not found" in facts.warnings


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Fait à Paris, le 26/05/2016, en quatre originaux.", date(2016, 5, 26)),
        ("Fait et signé à Marseille le 1er mars 2021", date(2021, 3, 1)),
        ("Fait à Quimper, le neuf décembre deux mille dix-sept, en six exemplaires.",
         date(2017, 12, 9)),
        ("Fait en trois exemplaires à Lyon, le 2 février 2019.", date(2019, 2, 2)),
        ("Fait à Tours, l'an deux mille vingt-deux, le quinze juin.", date(2022, 6, 15)),
        ("Fait le 3 janvier 2024 à Nantes.", date(2024, 1, 3)),
        ("A Lille, le 5 mai 2020", date(2020, 5, 5)),
        ("Fait a Lille, le ler mai 2020.", date(2020, 5, 1)),
    ],
)
def test_signature_date_wordings(line: str, expected: date) -> None:
    facts = _parse(["STATUTS MIS À JOUR LE 1er janvier 2000", "Article 1 - Forme",
                    "Les associés sont nés le 3 mars 1970.", line])  # fmt: skip
    assert value_of(facts.document_date) == expected


def test_articles_headings_in_their_usual_forms() -> None:
    text = ("ARTICLE PREMIER - FORME\nx\nArt. ler — Objet\nx\nARTICLE 3\nDÉNOMINATION SOCIALE\n"
            "La dénomination est X, selon l'\narticle L. 227-1 du code et\narticle 12 des "
            "statuts.\nTITRE II\nArticle 7 : Capital social\nx")  # fmt: skip
    titles = [a.title for a in find_articles(text)]
    assert titles == ["forme", "objet", "denomination sociale", "capital social"]


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("divisé en dix (10) parts de 100 euros", [(10, "parts")]),
        ("deux mille (2 000) actions", [(2000, "actions")]),
        ("M. X : un (1) part, numérotées de 1 à 1", [(1, "parts")]),
        ("7 650 parts sociales", [(7650, "parts")]),
        ("dix (11) parts", []),  # words and digits disagree: no count
        # OCR specks between number words (a scanned page): read through, not a disagreement.
        ("Madame Ana RODRIGUES : trois \u2018cents (300) parts, numérotées", [(300, "parts")]),
        ("deux mille . cinq cents (2 500) actions", [(2500, "actions")]),
        ("trois , cents (400) parts", []),  # still checked against the digits
        ("100 droits de vote", []),
    ],
)
def test_share_counts(text: str, counts: list[tuple[int, str]]) -> None:
    assert [(c.value, c.unit) for c in find_share_counts(text)] == counts


def test_sentences_do_not_end_at_abbreviations() -> None:
    text = "Est nommé M. J. DUPONT, Bât. C, R.C.S. Lyon. Il accepte."
    assert text[: sentence_end(text, 0)] == "Est nommé M. J. DUPONT, Bât. C, R.C.S. Lyon."


def test_statuts_text_drops_running_lines_and_keeps_word_boxes() -> None:
    pages = [make_page(["ACME - Statuts 1/2", "Article 1", "Forme", "ACME - Statuts 1/2"]),
             make_page(["ACME - Statuts 2/2", "Suite", "- 2 -"], number=2)]  # fmt: skip
    doc = build_statuts_text(pages)
    assert doc.text == "Article 1\nForme\nSuite"
    start = doc.text.index("Suite")
    prov = doc.provenance(start, start + 5)
    assert prov.page == 2 and prov.text == "Suite" and prov.box is not None


def test_birth_name_given_after_nee_even_when_ocr_garbles_what_follows() -> None:
    facts = _parse([
        "LES SOUSSIGNÉS :",
        "Madame Marie BERNARD, née RICHARD ts 23 décembre 1970 a Boulogne (92), de nationalité",
        "française ;",
        "Monsieur Paul BERNARD, né le 3 mai 1968 à Paris (75) ;",
        "Ont établi les statuts.",
        "Article 7 - Capital social",
        "Le capital social est divisé en 200 actions, attribuées aux associés :",
        "- Madame Marie RICHARD épouse BERNARD : 150 actions",
        "- Monsieur Paul BERNARD : 50 actions",
    ])  # fmt: skip
    assert _holders(facts) == [("Marie RICHARD", 150, 75.0), ("Paul BERNARD", 50, 25.0)]
    marie = facts.shareholders[0].person
    assert marie is not None
    assert value_of(marie.birth_date) == date(1970, 12, 23)
    assert value_of(marie.usage_name) == "BERNARD"
