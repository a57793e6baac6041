"""The spaCy adapter: the installed French model, NER-only, plus the civil-status rule component.

The model loads once per process (~4 s); every test here shares it through `french_pipeline`.
"""

from __future__ import annotations

import pytest

from extractors.nlp import (
    CHUNK_CHARS,
    RULES_COMPONENT,
    SpanLabel,
    TextSpan,
    analyse_text,
    analyse_texts,
    french_pipeline,
)


def _labelled(spans: tuple[TextSpan, ...], label: SpanLabel) -> list[str]:
    return [s.text for s in spans if s.label is label]


def test_model_loads_from_the_installed_package_with_ner_and_rules_only() -> None:
    nlp = french_pipeline()
    assert nlp.meta["lang"] == "fr"
    assert nlp.meta["name"] == "core_news_sm"
    assert nlp.pipe_names == ["ner", RULES_COMPONENT]
    assert french_pipeline() is nlp  # loaded once per process


def test_rules_find_a_civil_status_formula() -> None:
    text = ("Madame Marie DURAND épouse MARTIN, née le 12 mars 1970 à Lyon (69), de nationalité "
            "française, demeurant 3 rue des Lilas, 69003 Lyon")
    spans = analyse_text(text)
    assert _labelled(spans, SpanLabel.PERSON) == ["Madame Marie DURAND épouse MARTIN"]
    assert _labelled(spans, SpanLabel.BIRTH) == ["née le"]
    assert _labelled(spans, SpanLabel.NATIONALITY) == ["de nationalité"]
    assert _labelled(spans, SpanLabel.RESIDENCE) == ["demeurant"]
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_cues_survive_lost_accents_and_capitals() -> None:
    spans = analyse_text("MONSIEUR JEAN DUPONT NE LE 12 MARS 1970, de nationalite francaise ; "
                         "M. Paul LEROY, nee le 3 mai")  # fmt: skip
    assert _labelled(spans, SpanLabel.PERSON) == ["MONSIEUR JEAN DUPONT", "M. Paul LEROY"]
    assert _labelled(spans, SpanLabel.BIRTH) == ["NE LE", "nee le"]
    assert _labelled(spans, SpanLabel.NATIONALITY) == ["de nationalite"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Monsieur JANSSENS Wim - « Bon pour acceptation »", "Monsieur JANSSENS Wim"),
        ("Monsieur Jean de LA FONTAINE, demeurant", "Monsieur Jean de LA FONTAINE"),
        ("Mme Anne-Laure ROY-DUPONT, Présidente", "Mme Anne-Laure ROY-DUPONT"),
        ("M. Paul DURAND Président de la Société", "M. Paul DURAND"),
    ],
)
def test_person_names_stop_where_the_name_ends(text: str, name: str) -> None:
    assert _labelled(analyse_text(text), SpanLabel.PERSON) == [name]


def test_a_name_without_civility_counts_only_as_a_list_item_with_its_formula() -> None:
    spans = analyse_text("Les soussignés :\n- Paul DUBOIS, né le 12/05/1980 à SAINT-ÉTIENNE, de "
                         "nationalité française")  # fmt: skip
    assert _labelled(spans, SpanLabel.PERSON) == ["Paul DUBOIS"]


def test_companies_representatives_and_birth_names() -> None:
    spans = analyse_text(
        "La société NOTOR PARTICIPATIONS, société anonyme, immatriculée au RCS de Lyon sous le "
        "numéro 360 723 415, représentée par Monsieur Hugo VINCENT ; Madame Simone PEREIRA, "
        "née LECOQ-DURAND le 31 mai 1972"
    )
    assert _labelled(spans, SpanLabel.COMPANY) == ["La société NOTOR PARTICIPATIONS"]
    assert _labelled(spans, SpanLabel.REGISTRATION) == ["immatriculée", "RCS", "sous le numéro"]
    assert _labelled(spans, SpanLabel.REPRESENTATIVE) == ["représentée par"]
    assert _labelled(spans, SpanLabel.BIRTH) == ["née LECOQ-DURAND"]


def test_the_rule_ignores_the_company_itself() -> None:
    assert _labelled(analyse_text("La Société a pour objet le conseil."), SpanLabel.COMPANY) == []


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("est nommé Directeur général délégué", "Directeur général délégué"),
        ("Président du conseil d'administration", "Président du conseil d'administration"),
        ("les co-gérants", "co-gérants"),
        ("commissaire aux comptes suppléant", "commissaire aux comptes suppléant"),
        ("en qualité de Directrice generale", "Directrice generale"),
    ],
)
def test_roles_take_their_longest_wording(text: str, role: str) -> None:
    assert _labelled(analyse_text(text), SpanLabel.ROLE) == [role]


def test_appointment_cues() -> None:
    spans = analyse_text("Est nommée premier Président : Mme X ; elle accepte les fonctions de "
                         "gérante. Sont désignés : M. Y")  # fmt: skip
    assert _labelled(spans, SpanLabel.APPOINTMENT) == ["nommée", "premier Président",
                                                       "fonctions de", "désignés"]  # fmt: skip


def test_offsets_hold_across_newlines_and_chunks() -> None:
    filler = "Le présent article ne nomme personne.\n" * (CHUNK_CHARS // 38 + 5)
    text = filler + "Monsieur Jean\nDUPONT, né le 1er mars 1970."
    [spans] = analyse_texts([text])
    person = next(s for s in spans if s.label is SpanLabel.PERSON)
    assert text[person.start : person.end] == person.text == "Monsieur Jean\nDUPONT"


def test_a_company_as_a_bare_list_item_but_not_a_total() -> None:
    spans = analyse_text("- MOREL HOLDING, à concurrence de 50 parts ;\n- ACME : 50 parts ;\n"
                         "- TOTAL : 100 parts ;\n- MONSIEUR JEAN DUPONT : 10 parts")  # fmt: skip
    assert [s.text for s in spans if s.label is SpanLabel.COMPANY] == ["MOREL HOLDING", "ACME"]
