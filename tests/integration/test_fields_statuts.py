"""Statuts through the real pipeline (pdfplumber, Tesseract, spaCy) on generated documents.

Born-digital statuts of every development template must be read exactly and without warnings;
one scan of the shortest (SASU, two pages), degraded here with the generator's scan defects,
checks the OCR path. Only that one is scanned: degrading every template's pages would cost
~10 s more.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import pytest

from kanta_docs.config import Settings
from kanta_docs.pipeline import extract_file, read_context
from tests.fixtures.generate import generate, read_expected
from tests.fixtures.generator.degrade import degrade
from tests.fixtures.scoring import score_document

if TYPE_CHECKING:
    from pathlib import Path



@pytest.fixture(scope="module")
def statuts_docs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """One born-digital document of each development template."""
    out = tmp_path_factory.mktemp("statuts")
    paths = generate(out, per_template=1, types=["statuts"], scans=False, holdout="exclude")
    return sorted(paths)


def test_born_digital_statuts_are_read_exactly(statuts_docs: list[Path]) -> None:
    docs = statuts_docs
    assert len(docs) >= 4
    ctx = read_context(Settings())
    for doc in docs:
        got = extract_file(doc, ctx).result.to_json_dict()
        score = score_document(got, read_expected(doc))
        assert score.field_accuracy() == 1.0, (doc.name, score.misses)
        assert got["warnings"] == [], doc.name


def test_scanned_statuts_are_read_through_ocr(statuts_docs: list[Path], tesseract: str,
                                              tmp_path: Path) -> None:  # fmt: skip
    source = next(d for d in statuts_docs if "sasu" in d.name)
    scan = degrade(source.read_bytes(), random.Random(f"{source.name}/scan"))
    doc = tmp_path / f"scan.{scan.ext}"
    doc.write_bytes(scan.data)
    result = extract_file(doc, read_context(Settings())).result
    want = read_expected(source)
    assert result.ocr_used
    got = result.to_json_dict()
    assert got["document_date"] == want["document_date"]
    for key in ("siren", "legal_form", "capital_eur"):
        assert got["company"][key] == want["company"][key], key  # type: ignore[index]
    score = score_document(got, want)
    assert score.f1("shareholders")[2] == 1.0, score.misses
    assert score.f1("officers")[2] == 1.0, score.misses
    assert score.field_accuracy() >= 0.95, score.misses
