# Tests of the fixture generator itself (tests/fixtures). They check that generated documents and
# their expected values agree, so they render holdout templates too: no extraction code is tuned
# on them here. Documents are rendered once per module (a few per template, fixed seed).
from __future__ import annotations

import io
import json
import random
import re
from datetime import date
from typing import TYPE_CHECKING, Any

import pdfplumber
import pypdfium2 as pdfium
import pytest
from faker import Faker
from PIL import Image

from tests.fixtures import generate as gen
from tests.fixtures.generator import fake_data as fd
from tests.fixtures.generator import other_docs
from tests.fixtures.generator.degrade import choose_params, degrade

if TYPE_CHECKING:
    from pathlib import Path

    from tests.fixtures.generator.base import RenderedDoc, Template

SEED = 7
PER_TEMPLATE = 3
ALL_TEMPLATES = gen.collect_templates()
COMPANY_TEMPLATES = [t for t in ALL_TEMPLATES if t.doc_type in {"kbis", "rbe", "statuts"}]
ROLES = {
    "president", "directeur_general", "directeur_general_delegue", "gerant", "administrateur",
    "commissaire_aux_comptes", "other",
}  # fmt: skip
DOC_TYPES = {"kbis", "rbe", "statuts", "id_card", "passport", "residence_permit", "unknown"}


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[RenderedDoc]]:
    fake = Faker("fr_FR")
    return {
        t.name: [gen.render_one(t, SEED, i, fake) for i in range(PER_TEMPLATE)]
        for t in ALL_TEMPLATES
    }


def _docs(rendered: dict[str, list[RenderedDoc]], templates: list[Template]) -> list[RenderedDoc]:
    return [doc for t in templates for doc in rendered[t.name]]


def _text(pdf: bytes) -> str:
    """pdfplumber's text, then pdfium's (content-stream order: keeps two-column text in order)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = " ".join(page.extract_text() or "" for page in doc.pages)
    text += " ||| " + _quick_text(pdf)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\r", " "))


def _printed(value: str, text: str) -> bool:
    """Whether `value` is printed, whole or (wrapped in a narrow table cell) word by word; in any
    case, as statuts may write a surname in mixed case (the expected value is in capitals)."""
    value, text = value.casefold(), text.casefold()
    return value in text or all(part in text for part in re.split(r"[\s-]+", value) if part)


def _quick_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return " ".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


# ---- fake_data


@pytest.mark.parametrize(
    ("number", "valid"),
    [("732829320", True), ("73282932000074", True), ("73282932000075", False)],
)
def test_luhn_matches_domain_vectors(number: str, valid: bool) -> None:
    assert fd.is_luhn_valid(number) is valid


def test_drawn_sirens_and_sirets_pass_luhn() -> None:
    rng = random.Random(1)
    for _ in range(500):
        siren = fd.make_siren(rng)
        assert len(siren) == 9
        assert fd.is_luhn_valid(siren)
        assert fd.is_luhn_valid(fd.make_siret(rng, siren))


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (21, "vingt et un"), (71, "soixante et onze"), (80, "quatre-vingts"),
        (91, "quatre-vingt-onze"), (200, "deux cents"), (1970, "mille neuf cent soixante-dix"),
        (2022, "deux mille vingt-deux"), (80000, "quatre-vingt mille"),
        (10000, "dix mille"), (152400, "cent cinquante-deux mille quatre cents"),
    ],
)  # fmt: skip
def test_number_to_words_fr(n: int, words: str) -> None:
    assert fd.number_to_words_fr(n) == words


def test_french_date_and_amount_wording() -> None:
    assert fd.format_date_fr(date(2021, 3, 1), "long") == "1er mars 2021"
    assert fd.format_date_fr(date(2022, 6, 15), "words") == "quinze juin deux mille vingt-deux"
    assert fd.format_date_fr(date(1970, 3, 12), "numeric") == "12/03/1970"
    assert fd.format_amount_fr(10000, "space_cents_eur") == "10 000,00 €"
    assert fd.format_amount_fr(10000, "dot_euros") == "10.000 euros"
    assert fd.format_amount_fr(10000, "words") == "dix mille euros (10 000 €)"


def test_persons_vary_and_stay_plausible() -> None:
    rng, fake = random.Random(3), Faker("fr_FR")
    fake.seed_instance(3)
    people = [fd.make_person(rng, fake) for _ in range(300)]
    assert all(18 <= p.age_on(fd.REFERENCE_DAY) <= 86 for p in people)
    assert {p.sex for p in people} == {"M", "F"}
    assert any(p.usage_name for p in people)
    assert all(p.usage_name is None for p in people if p.sex == "M")
    assert len({p.nationality.iso3 for p in people}) >= 5
    assert any(" " in p.birth_name or "-" in p.birth_name for p in people)
    assert any(len(p.first_names) > 1 for p in people)


# ---- every template


def test_template_registry_is_sound() -> None:
    names = [t.name for t in ALL_TEMPLATES]
    assert len(names) == len(set(names))
    assert {t.doc_type for t in ALL_TEMPLATES} <= DOC_TYPES
    for doc_type in ("kbis", "rbe", "statuts"):
        layouts = [t for t in COMPANY_TEMPLATES if t.doc_type == doc_type]
        assert len(layouts) >= 4
        assert sum(t.holdout for t in layouts) >= 1
    assert len(other_docs.TEMPLATES) >= 5


@pytest.mark.parametrize("template", ALL_TEMPLATES, ids=lambda t: t.name)
def test_template_renders_a_pdf_and_contract_shaped_values(
    template: Template, rendered: dict[str, list[RenderedDoc]]
) -> None:
    for doc in rendered[template.name]:
        assert doc.pdf.startswith(b"%PDF")
        assert gen.page_count(doc.pdf) in range(1, 5)
        exp = gen.expected_object(doc.expected, gen.page_count(doc.pdf), ocr_used=False)
        assert exp["doc_type"] == template.doc_type
        for key in ("document_date", "expiry_date", "effective_expiry_date"):
            assert exp[key] is None or date.fromisoformat(exp[key])
        json.dumps(exp)  # serialisable


@pytest.mark.parametrize("template", ALL_TEMPLATES, ids=lambda t: t.name)
def test_same_seed_gives_same_bytes(template: Template, rendered: dict[str, Any]) -> None:
    again = gen.render_one(template, SEED, 0, Faker("fr_FR"))
    assert again.pdf == rendered[template.name][0].pdf
    assert again.expected == rendered[template.name][0].expected
    other = gen.render_one(template, SEED + 1, 0, Faker("fr_FR"))
    assert other.pdf != again.pdf


# ---- company documents: expected values hold and are printed


def test_company_expected_values_follow_the_contract(rendered: dict[str, Any]) -> None:
    for doc in _docs(rendered, COMPANY_TEMPLATES):
        exp = doc.expected
        company = exp["company"]
        assert set(company) == {"siren", "name", "legal_form", "capital_eur", "address"}
        assert company["legal_form"] in fd.LEGAL_FORMS
        assert exp["identity"] is None and exp["expiry_date"] is None
        assert exp["effective_expiry_date"] is None
        for owner in exp["beneficial_owners"]:
            assert set(owner) == {"last_name", "first_names", "birth_date", "nationality",
                                  "capital_pct", "voting_pct"}  # fmt: skip
            assert re.fullmatch(r"[A-Z]{3}", owner["nationality"])
            assert owner["last_name"] == owner["last_name"].upper()
        for officer in exp["officers"]:
            assert officer["role"] in ROLES
        if exp["doc_type"] == "rbe":
            assert len(exp["beneficial_owners"]) in range(1, 5)
        if exp["doc_type"] == "statuts":
            assert exp["shareholders"] and exp["officers"]


def test_every_siren_passes_luhn(rendered: dict[str, Any]) -> None:
    for doc in _docs(rendered, COMPANY_TEMPLATES):
        sirens = [doc.expected["company"]["siren"]]
        extra = doc.expected["extra"]
        sirens += [o["siren"] for o in extra.get("officers", [])]
        sirens += [h["siren"] for h in extra.get("holders", [])]
        for siren in filter(None, sirens):
            assert fd.is_luhn_valid(siren), siren


def test_percentages_sum_sensibly(rendered: dict[str, Any]) -> None:
    for doc in _docs(rendered, COMPANY_TEMPLATES):
        owners = doc.expected["beneficial_owners"]
        for key in ("capital_pct", "voting_pct"):
            values = [o[key] for o in owners if o[key] is not None]
            assert all(0 < v <= 100 for v in values)
            assert sum(values) <= 100.01
        holders = doc.expected["shareholders"]
        if holders:
            total = sum(h["shares"] for h in holders)
            assert all(h["pct"] == round(h["shares"] / total * 100, 2) for h in holders)
            assert abs(sum(h["pct"] for h in holders) - 100) <= 0.05
            capital = doc.expected["company"]["capital_eur"]
            assert total * doc.expected["extra"]["nominal_eur"] == pytest.approx(capital)


def _date_spellings(day: date) -> list[str]:
    styles = ("numeric", "dotted", "long", "long0", "words")
    return [fd.format_date_fr(day, s).lower() for s in styles]


def test_expected_values_are_printed(rendered: dict[str, Any]) -> None:
    for template in COMPANY_TEMPLATES:
        for doc in rendered[template.name]:
            exp = doc.expected
            text = _text(doc.pdf)
            compact = re.sub(r"\s", "", text)
            assert _printed(exp["company"]["name"], text), template.name
            if exp["company"]["siren"]:
                assert exp["company"]["siren"] in compact, template.name
            day = date.fromisoformat(exp["document_date"])
            assert any(s in text.lower() for s in _date_spellings(day)), template.name
            persons = exp["beneficial_owners"] + exp["officers"]
            for p in persons:
                assert _printed(p["last_name"], text), (template.name, p)
                for first in (p["first_names"] or "").split():
                    assert first in text, (template.name, p)
            for h in exp["shareholders"]:
                assert _printed(h["name"], text), (template.name, h)


def test_statuts_without_registration_have_no_siren(rendered: dict[str, Any]) -> None:
    statuts = [t for t in COMPANY_TEMPLATES if t.doc_type == "statuts"]
    docs = [d for t in statuts for d in rendered[t.name]] + [
        gen.render_one(statuts[0], seed, 0, Faker("fr_FR")) for seed in range(4)
    ]
    for doc in docs:
        if "En cours d'immatriculation" in _quick_text(doc.pdf):
            assert doc.expected["company"]["siren"] is None
        else:
            assert doc.expected["company"]["siren"] is not None


def test_unknown_documents_expect_nothing(rendered: dict[str, Any]) -> None:
    for doc in _docs(rendered, other_docs.TEMPLATES):
        exp = doc.expected
        assert exp["doc_type"] == "unknown"
        assert exp["document_date"] is None and exp["company"] is None
        assert exp["identity"] is None
        assert exp["beneficial_owners"] == exp["officers"] == exp["shareholders"] == []


# ---- scans


def _page_sizes_pt(pdf: bytes) -> list[tuple[float, float]]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [page.get_size() for page in doc]
    finally:
        doc.close()


def _scan_sizes(data: bytes, ext: str, dpi: int) -> list[tuple[int, int]]:
    """Pixel size of every page image; for a PDF, also check the page matches it at `dpi`."""
    if ext == "pdf":
        doc = pdfium.PdfDocument(data)
        try:
            sizes = []
            for page in doc:
                (image,) = page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE])
                px = tuple(image.get_px_size())
                assert page.get_size() == pytest.approx((px[0] * 72 / dpi, px[1] * 72 / dpi))
                sizes.append(px)
            return sizes
        finally:
            doc.close()
    img = Image.open(io.BytesIO(data))
    sizes = []
    for k in range(getattr(img, "n_frames", 1)):
        img.seek(k)
        sizes.append(img.size)
    return sizes


@pytest.mark.parametrize("fmt", ["png", "jpg", "tiff", "pdf"])
def test_scans_are_images_of_the_right_size(fmt: str, rendered: dict[str, Any]) -> None:
    single = rendered["kbis_table"][0]
    multi = next(d for d in rendered["statuts_sas"] if gen.page_count(d.pdf) > 1)
    for doc in (single, multi) if fmt in ("tiff", "pdf") else (single,):
        scan = degrade(doc.pdf, random.Random(f"{fmt}-scan"), doc.min_font_pt, fmt=fmt)
        assert scan.ext == fmt
        dpi = scan.params["dpi"]
        assert 150 <= dpi <= 300
        sizes = _scan_sizes(scan.data, fmt, dpi)
        assert len(sizes) == scan.pages == gen.page_count(doc.pdf)
        for got, (w_pt, h_pt) in zip(sizes, _page_sizes_pt(doc.pdf), strict=True):
            want = (round(w_pt * dpi / 72), round(h_pt * dpi / 72))
            if scan.params["quarter_turns"] % 2:
                want = want[::-1]
            assert abs(got[0] - want[0]) <= 1 and abs(got[1] - want[1]) <= 1
        assert scan.params["page_sizes_px"] == [list(size) for size in sizes]


def test_small_fonts_get_at_least_200_dpi() -> None:
    small = [choose_params(random.Random(k), 6.5, pages=1)["dpi"] for k in range(200)]
    normal = [choose_params(random.Random(k), 9.0, pages=1)["dpi"] for k in range(200)]
    assert min(small) >= 200
    assert min(normal) == 150 and max(normal) == 300


def test_multi_page_scans_use_multi_page_formats() -> None:
    formats = {choose_params(random.Random(k), 9.0, pages=3)["format"] for k in range(100)}
    assert formats == {"tiff", "pdf"}
    with pytest.raises(ValueError, match="cannot hold"):
        choose_params(random.Random(0), 9.0, pages=2, fmt="png")


# ---- the command


def test_generate_writes_documents_with_expected_json(tmp_path: Path) -> None:
    paths = gen.generate(tmp_path, per_template=1, seed=3, scans=True, types=["rbe"])
    names = sorted(p.relative_to(tmp_path).as_posix() for p in paths)
    assert "dev/born_digital/rbe/rbe_dbe_form_0.pdf" in names
    assert not any(n.startswith("holdout/") for n in names)
    scanned = [p for p in paths if "/scanned/" in p.as_posix()]
    assert len(scanned) == len(paths) // 2
    for path in paths:
        exp = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
        assert exp["schema_version"] == 1
        assert exp["ocr_used"] is (path in scanned)
        assert exp["pages"] >= 1
        assert ("scan" in exp["extra"]) is (path in scanned)
    again = gen.generate(tmp_path / "again", per_template=1, seed=3, scans=True, types=["rbe"])
    for first, second in zip(paths, again, strict=True):
        assert first.read_bytes() == second.read_bytes()


def test_generate_holdout_only(tmp_path: Path) -> None:
    paths = gen.generate(tmp_path, per_template=1, scans=False, holdout="only", types=["kbis"])
    names = [p.relative_to(tmp_path).as_posix() for p in paths]
    assert "holdout/born_digital/kbis/kbis_mis_a_jour_0.pdf" in names
    assert all(n.startswith("holdout/born_digital/kbis/") for n in names)


def test_cli_rejects_unknown_types(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gen.main([str(tmp_path), "--types", "kbis,nope", "--no-scans"]) == 2
    assert "nope" in capsys.readouterr().err
