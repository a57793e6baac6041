# Tests of the identity-document fixtures (tests/fixtures/generator/identity_docs.py and its MRZ
# encoder). They check the generator against DOMAIN.md §5, not the product: no extraction code is
# involved, so holdout templates are rendered here too (as in test_fixture_generator.py). Each
# template is rendered for a few fixed seeds, once per module.
from __future__ import annotations

import datetime as dt
import io
import random
import re
from functools import cache
from typing import TYPE_CHECKING, Any

import pdfplumber
import pytest
from faker import Faker

from tests.fixtures.generator import identity_docs as idd
from tests.fixtures.generator import mrz_encode as mrz

if TYPE_CHECKING:
    from tests.fixtures.generator.base import RenderedDoc

SEEDS = range(3)
TEMPLATES = {t.name: t for t in idd.TEMPLATES}
CONTRACT_KEYS = {
    "doc_type", "document_date", "expiry_date", "effective_expiry_date", "company",
    "beneficial_owners", "officers", "shareholders", "identity",
}  # fmt: skip
IDENTITY_KEYS = {
    "last_name", "first_names", "birth_date", "sex", "nationality", "document_number",
    "issuing_country", "expiry_date", "mrz_valid",
}  # fmt: skip
MRZ_ONLY_NAMES = {"id_cnie_verso_only"}


@cache
def render(name: str, seed: int) -> RenderedDoc:
    return TEMPLATES[name].render(random.Random(f"test:{name}:{seed}"), Faker("fr_FR"))


@cache
def pdf_layer(name: str, seed: int) -> tuple[str, list[dict[str, Any]]]:
    """The text layer and its non-blank characters."""
    with pdfplumber.open(io.BytesIO(render(name, seed).pdf)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        chars = [c for page in pdf.pages for c in page.chars if c["text"].strip()]
    return text, chars


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


CASES = [(name, seed) for name in TEMPLATES for seed in SEEDS]


# ---- the encoder against the DOMAIN.md §5 specimens


@pytest.mark.parametrize(
    ("field", "digit"),
    [("123456BB", "5"), ("L898902C3", "6"), ("740812", "2"), ("120415", "9"), ("D23145890", "7"),
     ("880692310285", "8"), ("X4RTBPFW4", "6"), ("<<<<<<", "0")],
)  # fmt: skip
def test_check_digit(field: str, digit: str) -> None:
    assert mrz.check_digit(field) == digit


@pytest.mark.parametrize(
    ("card_number", "office", "line1", "line2"),
    [
        ("880692310285", "<<<<<<", "IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<",
         "8806923102858CORINNE<<<<<<<6512068F6"),
        ("940992310285", "<<<<<<", "IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<",
         "9409923102854CORINNE<<<<<<<6512068F4"),
        ("880692310285", "92C001", "IDFRABERTHIER<<<<<<<<<<<<<<<<<92C001",
         "8806923102858CORINNE<<<<<<<6512068F8"),
    ],
)  # fmt: skip
def test_old_cni_specimens(card_number: str, office: str, line1: str, line2: str) -> None:
    lines = mrz.old_cni(
        surname="Berthier", given_names=["Corinne"], card_number=card_number,
        birth_date=dt.date(1965, 12, 6), sex="F", office=office,
    )  # fmt: skip
    assert lines == [line1, line2]
    assert mrz.failed_checks(lines) == []


def test_td1_new_cni_specimen() -> None:
    lines = mrz.TD1(
        doc_code="ID", issuer="FRA", number="X4RTBPFW4", birth_date=dt.date(1990, 7, 13), sex="F",
        expiry=dt.date(2030, 2, 11), nationality="FRA", surname="Martin",
        given_names=("Maëlys-Gaëlle", "Marie"),
    ).lines()  # fmt: skip
    assert lines == [
        "IDFRAX4RTBPFW46<<<<<<<<<<<<<<<",
        "9007138F3002119FRA<<<<<<<<<<<6",
        "MARTIN<<MAELYS<GAELLE<MARIE<<<",
    ]


def test_td1_icao_specimen() -> None:
    lines = mrz.TD1(
        doc_code="I", issuer="UTO", number="D23145890", birth_date=dt.date(1974, 8, 12), sex="F",
        expiry=dt.date(2012, 4, 15), nationality="UTO", surname="Eriksson",
        given_names=("Anna", "Maria"),
    ).lines()  # fmt: skip
    assert lines == [
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ]


def test_td3_icao_specimen() -> None:
    lines = mrz.TD3(
        issuer="UTO", number="L898902C3", nationality="UTO", birth_date=dt.date(1974, 8, 12),
        sex="F", expiry=dt.date(2012, 4, 15), surname="Eriksson", given_names=("Anna", "Maria"),
        personal_number="ZE184226B",
    ).lines()  # fmt: skip
    assert lines == [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ]
    assert mrz.failed_checks(lines) == []


@pytest.mark.parametrize(
    ("name", "german", "encoded"),
    [("Maëlys-Gaëlle", False, "MAELYS<GAELLE"), ("D'ALMEIDA", False, "DALMEIDA"),
     ("DE LA FONTAINE", False, "DE<LA<FONTAINE"), ("MÜLLER", False, "MULLER"),
     ("MÜLLER", True, "MUELLER"), ("WEIß", True, "WEISS"), ("ÇELİK", False, "CELIK"),
     ("ŞAHİN", False, "SAHIN"), ("Œillet", False, "OEILLET"), ("São Paulo", False, "SAO<PAULO")],
)  # fmt: skip
def test_transliteration(name: str, german: bool, encoded: str) -> None:
    assert mrz.transliterate(name, german=german) == encoded


def test_long_names_are_cut_at_the_field_end() -> None:
    assert mrz.name_field("BOUCHER DE BEAUVAL-LAFFONTAINE", ["Anne"], 30) == (
        "BOUCHER<DE<BEAUVAL<LAFFONTAINE"
    )
    assert mrz.name_field("LE GALL", ["Jean-Baptiste", "Marie"], 15) == "LE<GALL<<JEAN<B"
    line1 = mrz.old_cni(
        surname="X", given_names=["Marie-Hélène", "Anne"], card_number="130175012345",
        birth_date=dt.date(1970, 1, 1), sex="F",
    )[1]  # fmt: skip
    assert line1[13:27] == "MARIE<HELENE<<"


@pytest.mark.parametrize("check", ["document_number", "birth_date", "expiry_date", "composite"])
def test_failed_checks_names_the_broken_digit(check: str) -> None:
    lines = mrz.TD1(
        doc_code="ID", issuer="FRA", number="X4RTBPFW4", birth_date=dt.date(1990, 7, 13), sex="F",
        expiry=dt.date(2030, 2, 11), nationality="FRA", surname="Martin", given_names=("Marie",),
    ).lines()  # fmt: skip
    line, pos = mrz.td1_check_positions()[check]
    wrong = str((int(lines[line][pos]) + 1) % 10)
    lines[line] = lines[line][:pos] + wrong + lines[line][pos + 1 :]
    if check != "composite":
        lines = mrz.recompute_composite(lines)
    assert mrz.failed_checks(lines) == [check]


# ---- expiry rules (DOMAIN.md §5.3)

ADULT = dt.date(1970, 3, 1)


@pytest.mark.parametrize(
    ("issue", "birth", "printed", "effective"),
    [
        # adult, issued in the 2004-01-02..2013-12-31 window: printed + 5 years
        (dt.date(2008, 5, 15), ADULT, dt.date(2018, 5, 14), dt.date(2023, 5, 14)),
        (dt.date(2004, 1, 2), ADULT, dt.date(2014, 1, 1), dt.date(2019, 1, 1)),
        (dt.date(2013, 12, 31), ADULT, dt.date(2023, 12, 30), dt.date(2028, 12, 30)),
        # before the window: 10 years, nothing added
        (dt.date(2003, 12, 31), ADULT, dt.date(2013, 12, 30), dt.date(2013, 12, 30)),
        # minor at issue: no extension; 18th birthday on the day of issue counts as adult
        (dt.date(2008, 5, 15), dt.date(1995, 3, 1), dt.date(2018, 5, 14), dt.date(2018, 5, 14)),
        (dt.date(2008, 5, 15), dt.date(1990, 5, 16), dt.date(2018, 5, 14), dt.date(2018, 5, 14)),
        (dt.date(2008, 5, 15), dt.date(1990, 5, 15), dt.date(2018, 5, 14), dt.date(2023, 5, 14)),
        # from 2014 adults get 15 years printed, capped on 2031-08-03
        (dt.date(2015, 3, 2), ADULT, dt.date(2030, 3, 1), dt.date(2030, 3, 1)),
        (dt.date(2020, 6, 10), ADULT, dt.date(2035, 6, 9), dt.date(2031, 8, 3)),
        (dt.date(2016, 8, 4), ADULT, dt.date(2031, 8, 3), dt.date(2031, 8, 3)),
        # minors from 2014: 10 years
        (dt.date(2019, 9, 2), dt.date(2010, 1, 1), dt.date(2029, 9, 1), dt.date(2029, 9, 1)),
    ],
)
def test_old_cni_expiry_rules(
    issue: dt.date, birth: dt.date, printed: dt.date, effective: dt.date
) -> None:
    assert idd.old_cni_printed_expiry(issue, birth) == printed
    assert idd.old_cni_effective_expiry(issue, birth, printed) == effective


# ---- the templates


def test_registry_has_three_layouts_and_one_holdout_per_type() -> None:
    assert len(TEMPLATES) == len(idd.TEMPLATES)
    for doc_type in ("id_card", "passport", "residence_permit"):
        of_type = [t for t in idd.TEMPLATES if t.doc_type == doc_type]
        assert len(of_type) >= 3
        assert sum(t.holdout for t in of_type) == 1


@pytest.mark.parametrize(("name", "seed"), CASES)
def test_expected_values_follow_the_contract(name: str, seed: int) -> None:
    doc = render(name, seed)
    exp = doc.expected
    assert doc.pdf.startswith(b"%PDF")
    assert exp.keys() >= CONTRACT_KEYS
    assert exp["doc_type"] == TEMPLATES[name].doc_type
    assert exp["company"] is None
    ident = exp["identity"]
    assert ident.keys() == IDENTITY_KEYS
    assert ident["sex"] in {"M", "F"}
    assert re.fullmatch(r"[A-Z]{3}", ident["nationality"])
    assert re.fullmatch(r"[A-Z]{3}", ident["issuing_country"])
    assert ident["expiry_date"] == exp["expiry_date"]
    assert ident["first_names"] == " ".join(ident["first_names"].split())
    for key in ("expiry_date", "effective_expiry_date", "document_date"):
        if exp[key] is not None:
            dt.date.fromisoformat(exp[key])
    assert exp["effective_expiry_date"] >= exp["expiry_date"] or exp["effective_expiry_date"] == (
        "2031-08-03"
    )


@pytest.mark.parametrize(("name", "seed"), CASES)
def test_text_layer_has_the_mrz_and_the_birth_name(name: str, seed: int) -> None:
    exp = render(name, seed).expected
    flat = squeeze(pdf_layer(name, seed)[0])
    for line in exp["extra"]["mrz"]:
        assert line in flat
    last_name = exp["identity"]["last_name"]
    if name in MRZ_ONLY_NAMES:
        assert last_name.replace(" ", "<") in flat
    else:
        assert squeeze(last_name) in flat


@pytest.mark.parametrize(("name", "seed"), CASES)
def test_fonts_are_large_enough_and_min_font_is_honest(name: str, seed: int) -> None:
    doc = render(name, seed)
    _, chars = pdf_layer(name, seed)
    rows: dict[tuple[int, float], list[dict[str, Any]]] = {}
    for c in chars:
        if "Mono" in c["fontname"]:
            rows.setdefault((c["page_number"], round(c["top"], 1)), []).append(c)
    mrz_rows = {"".join(c["text"] for c in row): row for row in rows.values()}
    for line in doc.expected["extra"]["mrz"]:
        assert min(c["size"] for c in mrz_rows[line]) >= idd.MRZ_MIN_PT
    assert min(c["size"] for c in chars) == pytest.approx(doc.min_font_pt, abs=0.01)
    assert doc.min_font_pt >= 5.5


@pytest.mark.parametrize(("name", "seed"), CASES)
def test_mrz_agrees_with_expected_values(name: str, seed: int) -> None:
    exp = render(name, seed).expected
    ident = exp["identity"]
    lines = exp["extra"]["mrz"]
    failed = mrz.failed_checks(lines)
    corrupted = exp["extra"]["mrz_corrupted"]
    if corrupted:
        assert ident["mrz_valid"] is False
        assert failed == [corrupted["check"]]
        assert exp["extra"]["zone_conflict"] is None
    else:
        assert ident["mrz_valid"] is True
        assert failed == []
    birth = dt.date.fromisoformat(ident["birth_date"])
    expiry = dt.date.fromisoformat(ident["expiry_date"])
    if len(lines) == 2 and len(lines[0]) == 36:  # old CNI: no expiry in the zone
        assert lines[1][:12] == ident["document_number"]
        assert lines[1][27:33] == mrz.yymmdd(birth)
        assert lines[1][34] == ident["sex"]
    elif len(lines) == 3:
        assert lines[0][5:14].rstrip("<") == ident["document_number"]
        assert lines[1][0:6] == mrz.yymmdd(birth)
        assert lines[1][8:14] == mrz.yymmdd(expiry)
        assert lines[1][15:18] == ident["nationality"]
    else:
        assert lines[1][0:9].rstrip("<") == ident["document_number"]
        assert lines[1][13:19] == mrz.yymmdd(birth)
        assert lines[1][21:27] == mrz.yymmdd(expiry)


@pytest.mark.parametrize(("name", "seed"), CASES)
def test_effective_expiry_follows_the_rules(name: str, seed: int) -> None:
    exp = render(name, seed).expected
    if len(exp["extra"]["mrz"][0]) == 36:
        issue = dt.date.fromisoformat(exp["document_date"])
        birth = dt.date.fromisoformat(exp["identity"]["birth_date"])
        printed = dt.date.fromisoformat(exp["expiry_date"])
        assert printed == idd.old_cni_printed_expiry(issue, birth)
        effective = idd.old_cni_effective_expiry(issue, birth, printed)
        assert exp["effective_expiry_date"] == effective.isoformat()
    else:
        assert exp["effective_expiry_date"] == exp["expiry_date"]


def _first(name: str, key: str) -> RenderedDoc:
    for seed in range(200):
        doc = TEMPLATES[name].render(random.Random(f"spoil:{seed}"), Faker("fr_FR"))
        if doc.expected["extra"][key]:
            return doc
    raise AssertionError(f"no {key} in 200 documents of {name}")


@pytest.mark.parametrize("name", ["id_cnie_recto_verso", "passport_fr_datapage"])
def test_zone_conflict_trusts_the_mrz(name: str) -> None:
    doc = _first(name, "zone_conflict")
    conflict = doc.expected["extra"]["zone_conflict"]
    ident = doc.expected["identity"]
    assert ident["mrz_valid"] is True
    assert conflict["visual"] != conflict["mrz"]
    assert ident[conflict["field"]] == conflict["mrz"]


def test_generated_mix_covers_the_expiry_cases() -> None:
    old_cni, passports = set(), set()
    for seed in range(60):
        doc = TEMPLATES["id_old_cni_recto_verso"].render(random.Random(seed), Faker("fr_FR"))
        old_cni.add(doc.expected["extra"]["scenario"])
        doc = TEMPLATES["passport_fr_datapage"].render(random.Random(seed), Faker("fr_FR"))
        passports.add(doc.expected["extra"]["scenario"].rsplit(", ", 1)[1])
    assert old_cni == set(idd.OLD_CNI_SCENARIOS)
    assert passports == set(idd.PASSPORT_SCENARIOS)


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_rendering_is_deterministic(name: str) -> None:
    first = TEMPLATES[name].render(random.Random(11), Faker("fr_FR"))
    again = TEMPLATES[name].render(random.Random(11), Faker("fr_FR"))
    assert first.pdf == again.pdf
    assert first.expected == again.expected
