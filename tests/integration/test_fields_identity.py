"""Identity documents through the real pipeline (pdfplumber, Tesseract) on generated documents.

Born-digital documents of every development template must be read exactly, a zone conflict
or a corrupted zone must show in the warnings; one scanned residence permit checks the OCR
path (its holder's fields and dates exactly; its zone may be left undecided, never reversed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kanta_docs.config import Settings
from kanta_docs.pipeline import extract_file, read_context
from tests.fixtures.generate import generate, read_expected
from tests.fixtures.scoring import score_document

if TYPE_CHECKING:
    from pathlib import Path

TYPES = ["id_card", "passport", "residence_permit"]


def test_born_digital_identity_documents_are_read_exactly(tmp_path: Path) -> None:
    docs = sorted(generate(tmp_path, per_template=2, types=TYPES, scans=False,
                               holdout="exclude"))
    assert len(docs) >= 16
    ctx = read_context(Settings())
    conflicts = corrupted = 0
    for doc in docs:
        got = extract_file(doc, ctx).result.to_json_dict()
        want = read_expected(doc)
        score = score_document(got, want)
        assert score.field_accuracy() == 1.0, (doc.name, score.misses)
        conflict, corruption = want["extra"]["zone_conflict"], want["extra"]["mrz_corrupted"]
        if conflict is not None:
            conflicts += 1
            name = conflict["field"].replace("_", " ")
            assert (f"{name} differs between the visual zone and the machine-readable zone"
                    in got["warnings"]), (doc.name, got["warnings"])
        if corruption is not None:
            corrupted += 1
            assert got["identity"]["mrz_valid"] is False, doc.name
            assert any(corruption["check"] in w for w in got["warnings"]), doc.name
    assert conflicts and corrupted  # the seed covers both cases


def test_scanned_residence_permit_is_read_through_ocr(tmp_path: Path) -> None:
    docs = sorted(generate(tmp_path, per_template=1, types=["residence_permit"],
                               scans=True, holdout="exclude"))
    doc = next(d for d in docs if "scanned" in d.parts and "two_pages" in d.name)
    result = extract_file(doc, read_context(Settings())).result
    assert result.ocr_used
    got, want = result.to_json_dict(), read_expected(doc)
    for key in ("document_date", "expiry_date", "effective_expiry_date"):
        assert got[key] == want[key], key
    for key in ("last_name", "first_names", "birth_date", "sex", "nationality",
                "document_number", "issuing_country"):
        assert got["identity"][key] == want["identity"][key], key
    # A scan may leave the zone undecided (None), never contradict it.
    assert got["identity"]["mrz_valid"] in (want["identity"]["mrz_valid"], None)
