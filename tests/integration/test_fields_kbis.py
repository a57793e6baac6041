"""Kbis / RNE extracts through the real pipeline (pdfplumber, Tesseract) on generated documents.

Born-digital documents of every development template must be read exactly; one scanned
attestation checks the OCR path (accents OCR drops are tolerated only in officers' names).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kanta_docs.config import Settings
from kanta_docs.pipeline import extract_file, read_context
from tests.fixtures.generate import generate, read_expected
from tests.fixtures.scoring import score_document

if TYPE_CHECKING:
    from pathlib import Path




def test_born_digital_extracts_are_read_exactly(tmp_path: Path) -> None:
    docs = sorted(generate(tmp_path, per_template=1, types=["kbis"], scans=False,
                               holdout="exclude"))
    assert len(docs) >= 3
    ctx = read_context(Settings())
    for doc in docs:
        got = extract_file(doc, ctx).result.to_json_dict()
        score = score_document(got, read_expected(doc))
        assert score.field_accuracy() == 1.0, (doc.name, score.misses)
        assert got["warnings"] == [], doc.name


def test_scanned_attestation_is_read_through_ocr(tmp_path: Path) -> None:
    docs = sorted(generate(tmp_path, per_template=1, types=["kbis"], scans=True,
                               holdout="exclude"))
    doc = next(d for d in docs if "scanned" in d.parts and "inpi" in d.name)
    result = extract_file(doc, read_context(Settings())).result
    want = read_expected(doc)
    assert result.ocr_used
    got = result.to_json_dict()
    assert got["document_date"] == want["document_date"]
    for key in ("siren", "legal_form", "capital_eur"):
        assert got["company"][key] == want["company"][key], key  # type: ignore[index]
    score = score_document(got, want)
    assert score.f1("officers")[2] == 1.0, score.misses
    assert score.field_accuracy() >= 0.9, score.misses
