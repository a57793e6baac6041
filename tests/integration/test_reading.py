"""The reading stage end to end, with the real Tesseract, PDFium, pdfplumber and Pillow.

Inputs are generated here (tests/reading_samples.py: reportlab pages, Pillow scans, hand-made
broken files). OCR costs 0.5-3 s per page, so OCR'd pages are short (`max_lines`) except the one
that measures the character error rate on a full A4 scan.
"""

from __future__ import annotations

import functools
import io
import re
import struct
import zlib
from typing import TYPE_CHECKING

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas

from extractors.base import ReadContext
from extractors.preprocess import rotate_quadrant
from extractors.reading import read_document, read_file
from kanta_docs.errors import ExtractorFailed, UnreadableDocument, UnreadableReason
from kanta_docs.vocab import FileKind, TextSource
from tests.reading_samples import (
    OFFICE_SCAN,
    cer,
    degrade,
    glyph_soup_pdf,
    image_bytes,
    image_pdf,
    key_value_pdf,
    render_pdf_page,
    scan_with_hidden_text,
    text_pdf,
    tiff_bytes,
)

if TYPE_CHECKING:
    from pathlib import Path

    from kanta_docs.models import ReadDocument

CTX = ReadContext(ocr_languages="fra")
# Short scans are made at 200 dpi (PERF.md §2: same CER as 300 dpi on 10 pt text, -19 % OCR
# time) and cropped to their text, to keep the suite fast; one test reads a full 300-dpi A4.
SCAN_DPI = 200
SCAN_CTX = ReadContext(ocr_languages="fra", ocr_dpi=SCAN_DPI)


@pytest.fixture(autouse=True)
def _needs_tesseract(tesseract: str) -> None:
    """Every test here may OCR; skip (laptop) or fail (CI) without the binary."""


def _warnings(doc: ReadDocument) -> tuple[str, ...]:
    """Every warning of a read document: its own, then its pages', as the pipeline lists them."""
    return (*doc.warnings, *(w for page in doc.pages for w in page.warnings))


def _short_scan(seed: int, lines: int = 12) -> tuple[Image.Image, str]:
    """A degraded 200-dpi scan of a page with `lines` lines of prose, cropped below the text."""
    sample = text_pdf(seed, max_lines=lines)
    page = render_pdf_page(sample.pdf, 0, SCAN_DPI)
    text_bottom_pt = 56 + 36 + 13 * (lines + 3) + 40
    page = page.crop((0, 0, page.width, round(text_bottom_pt * SCAN_DPI / 72)))
    return degrade(page, OFFICE_SCAN, seed), sample.truth


# --- text layer -------------------------------------------------------------------------------


def test_text_layer_pdf_gives_words_boxes_and_text() -> None:
    sample = text_pdf(1)
    doc = read_document(sample.pdf, CTX)
    assert doc.kind is FileKind.PDF
    assert not doc.ocr_used
    (page,) = doc.pages
    assert page.source is TextSource.TEXT_LAYER
    assert (page.width, page.height) == (pytest.approx(595.28, abs=0.1), pytest.approx(841.89))
    assert cer(page.text, sample.truth) == 0.0
    first = page.words[0]
    # reportlab drew the 14 pt title's baseline at x=56, 56 pt below the top edge.
    assert first.text == "Procès-verbal"
    assert first.x0 == pytest.approx(56.0, abs=0.5)
    assert 40 < first.top < 56 < first.bottom < 60  # the box straddles the baseline
    assert first.confidence is None
    # (Helvetica's standard metrics give the euro sign no width: x0 == x1 for "€".)
    assert all(0 <= w.x0 <= w.x1 <= page.width and 0 <= w.top < w.bottom <= page.height
               for w in page.words)  # fmt: skip
    assert _warnings(doc) == ()


def test_two_columns_read_column_by_column() -> None:
    sample = text_pdf(2, columns=2)
    (page,) = read_document(sample.pdf, CTX).pages
    assert cer(page.text, sample.truth) < 0.005
    truth_lines = sample.truth.splitlines()
    # The left column's last line comes before the right column's first line.
    left_last = truth_lines[len(truth_lines) // 2 - 1]
    right_first = truth_lines[len(truth_lines) // 2 + 1]
    assert page.text.index(left_last) < page.text.index(right_first)


def test_label_value_form_keeps_its_rows() -> None:
    sample = key_value_pdf(3)
    (page,) = read_document(sample.pdf, CTX).pages
    assert page.text == sample.truth


def test_every_text_layer_word_appears_in_the_text_in_order() -> None:
    (page,) = read_document(text_pdf(4, columns=2).pdf, CTX).pages
    position = 0
    for word in page.words:
        position = page.text.index(word.text, position) + len(word.text)


def test_owner_password_only_pdf_is_read() -> None:
    # Restrictions without an open password: viewers open it, and so do we.
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("", ownerPassword="o", canPrint=0))
    c.drawString(72, 700, "Statuts de la société KANTA, société par actions simplifiée au capital")
    c.showPage()
    c.save()
    (page,) = read_document(buf.getvalue(), CTX).pages
    assert page.source is TextSource.TEXT_LAYER
    assert "Statuts de la société KANTA" in page.text


def test_rotated_page_keeps_its_words_inside_the_page() -> None:
    # /Rotate 90: PDFium and pdfplumber both report the page as displayed (landscape here) and
    # the word boxes in that frame; no word may fall outside the page and be dropped.
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(842, 595))
    c.setPageRotation(90)
    c.drawString(72, 500, "Extrait du registre du commerce et des sociétés")
    c.showPage()
    c.save()
    (page,) = read_document(buf.getvalue(), CTX).pages
    assert (page.width, page.height) == (842, 595)
    assert page.source is TextSource.TEXT_LAYER
    assert " ".join(w.text for w in page.words) == "Extrait du registre du commerce et des sociétés"
    assert all(0 <= w.x0 <= w.x1 <= page.width and w.bottom <= page.height for w in page.words)


def test_filled_form_fields_are_read() -> None:
    # A fillable declaration: the typed values live in widget annotations, not page content.
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 760, "Déclaration relative aux bénéficiaires effectifs")
    c.drawString(72, 720, "Nom :")
    c.acroForm.textfield(name="nom", value="DUPONT Jean", x=120, y=712, width=200, height=20)
    c.showPage()
    c.save()
    (page,) = read_document(buf.getvalue(), CTX).pages
    assert page.source is TextSource.TEXT_LAYER
    assert "Nom : DUPONT Jean" in page.text


def test_pdf_with_a_broken_startxref_is_repaired_and_read() -> None:
    pdf = text_pdf(5).pdf
    cut = pdf.rfind(b"startxref")
    broken = pdf[:cut] + b"startxref\n999999\n%%EOF\n"
    (page,) = read_document(broken, CTX).pages
    assert page.source is TextSource.TEXT_LAYER
    assert page.text.startswith("Procès-verbal")


# --- OCR ----------------------------------------------------------------------------------------


def test_scanned_pdf_is_ocred_with_low_character_error_rate() -> None:
    sample = text_pdf(10)  # a full, dense A4 page
    scan = degrade(render_pdf_page(sample.pdf, 0, 300), OFFICE_SCAN, 10)
    doc = read_document(image_pdf([scan]), CTX)
    (page,) = doc.pages
    assert doc.ocr_used
    assert page.source is TextSource.OCR
    assert cer(page.text, sample.truth) < 0.03
    assert page.ocr_confidence is not None and page.ocr_confidence > 85
    assert (page.width, page.height) == (pytest.approx(595.3, abs=1), pytest.approx(841.9, abs=1))
    title = page.words[0]
    assert title.text == "Procès-verbal"
    assert title.x0 == pytest.approx(56, abs=4)  # points, like a text layer
    assert all(w.confidence is not None for w in page.words)
    assert _warnings(doc) == ()


def test_png_scan_with_work_files_kept(tmp_path: Path) -> None:
    scan, truth = _short_scan(11)
    ctx = ReadContext(ocr_languages="fra", keep_temp=True, temp_dir=str(tmp_path))
    doc = read_document(image_bytes(scan, "PNG", dpi=SCAN_DPI), ctx)
    assert doc.kind is FileKind.PNG
    (page,) = doc.pages
    assert cer(page.text, truth) < 0.03
    assert page.width == pytest.approx(595.3, abs=1)  # 1654 px at the file's 200 dpi
    (work,) = tmp_path.iterdir()
    assert (work / "0001_ocr.pgm").read_bytes().startswith(b"P5")  # uncompressed greyscale


def test_jpeg_without_dpi_is_taken_as_an_a4_page() -> None:
    sample = text_pdf(12, max_lines=6)
    scan = degrade(render_pdf_page(sample.pdf, 0, SCAN_DPI), OFFICE_SCAN, 12)
    doc = read_document(image_bytes(scan, "JPEG", dpi=None, quality=85), CTX)
    assert doc.kind is FileKind.JPEG
    (page,) = doc.pages
    assert cer(page.text, sample.truth) < 0.03
    assert page.height == pytest.approx(841.9, abs=1)  # long side taken as A4's


def test_multipage_tiff_gives_one_page_per_frame() -> None:
    (a, truth_a), (b, truth_b) = _short_scan(13, lines=5), _short_scan(14, lines=5)
    doc = read_document(tiff_bytes([a, b], dpi=SCAN_DPI), CTX)
    assert doc.kind is FileKind.TIFF
    assert [p.number for p in doc.pages] == [1, 2]
    assert cer(doc.pages[0].text, truth_a) < 0.03
    assert cer(doc.pages[1].text, truth_b) < 0.03


@pytest.mark.parametrize("turn", [90, 270])
def test_sideways_scan_is_turned_upright(turn: int) -> None:
    scan, truth = _short_scan(15, lines=20)
    turned = Image.fromarray(rotate_quadrant(np.asarray(scan), turn))
    (page,) = read_document(image_bytes(turned, "PNG", dpi=SCAN_DPI), CTX).pages
    assert cer(page.text, truth) < 0.03
    # Tesseract reads a page turned 90° clockwise by itself (landscape page, boxes in it); one
    # turned 270° reads as noise first, so OSD turns it upright (portrait page, boxes in it).
    assert all(w.x1 <= page.width + 1 and w.bottom <= page.height + 1 for w in page.words)


def test_glyph_soup_text_layer_is_replaced_by_ocr() -> None:
    sample = glyph_soup_pdf(16)
    doc = read_document(sample.pdf, SCAN_CTX)
    (page,) = doc.pages
    assert page.source is TextSource.OCR
    assert cer(page.text, sample.truth) < 0.03
    assert any(re.fullmatch(r"page 1: .*soup.*; OCR used", w) for w in _warnings(doc))


def test_hidden_text_layer_that_does_not_match_the_image_is_replaced() -> None:
    scan, truth = _short_scan(17)
    other = text_pdf(99, max_lines=12).truth.splitlines()
    doc = read_document(scan_with_hidden_text(scan, other, dpi=SCAN_DPI), SCAN_CTX)
    (page,) = doc.pages
    assert page.source is TextSource.OCR
    assert cer(page.text, truth) < 0.03
    assert _warnings(doc) == (
        "page 1: hidden text layer does not match the page image; OCR text used",
    )


def test_hidden_text_layer_that_matches_the_image_is_kept() -> None:
    scan, truth = _short_scan(18)
    doc = read_document(scan_with_hidden_text(scan, truth.splitlines(), dpi=SCAN_DPI), SCAN_CTX)
    (page,) = doc.pages
    assert page.source is TextSource.TEXT_LAYER
    assert cer(page.text, truth) == 0.0
    assert _warnings(doc) == ()


def test_ocr_timeout_is_a_warning_not_an_exception() -> None:
    scan, _ = _short_scan(19, lines=4)
    ctx = ReadContext(ocr_languages="fra", ocr_timeout_s=0.05)
    doc = read_document(image_bytes(scan, "PNG", dpi=SCAN_DPI), ctx)
    (page,) = doc.pages
    assert page.text == ""
    assert page.source is TextSource.NONE
    assert _warnings(doc) == ("page 1: OCR timed out after 0.05 s",)


def test_low_confidence_page_gets_the_contract_warning() -> None:
    scan, _ = _short_scan(20, lines=4)
    ctx = ReadContext(ocr_languages="fra", ocr_dpi=SCAN_DPI, ocr_min_confidence=99.5)
    doc = read_document(image_pdf([scan], dpi=SCAN_DPI), ctx)
    assert doc.warnings == ()  # a page's warning is on the page, not repeated on the document
    assert len(_warnings(doc)) == 1
    assert re.fullmatch(r"page 1: OCR confidence \d\d% below 100%", _warnings(doc)[0])


def test_tesseract_failure_raises_extractor_failed() -> None:
    scan, _ = _short_scan(21, lines=2)
    ctx = ReadContext(ocr_languages="xxx_not_installed")
    with pytest.raises(ExtractorFailed, match="tesseract --list-langs") as e:
        read_document(image_bytes(scan, "PNG", dpi=SCAN_DPI), ctx)
    assert e.value.__cause__ is not None


# --- bad inputs -----------------------------------------------------------------------------------


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _zero_page_pdf() -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 3\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return out


def _pdf_with_image_bomb() -> bytes:
    """A page drawing one image that declares 100 000 x 100 000 grey pixels (1 KB of data)."""
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    pixels = zlib.compress(b"\x00" * 1000)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /Im0 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (len(pixels), pixels),
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def _encrypted_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="o"))
    c.drawString(72, 700, "Registre des bénéficiaires effectifs")
    c.showPage()
    c.save()
    return buf.getvalue()


def _garbled_pdf() -> bytes:
    pdf = text_pdf(30).pdf
    start = pdf.find(b"1 0 obj")
    noise = bytes((i * 131 + 7) % 256 for i in range(len(pdf) - start - 30))
    return pdf[:start] + noise + b"\nstartxref\n0\n%%EOF\n"


def _tiff_with_corrupt_frame() -> bytes:
    page = render_pdf_page(text_pdf(31, max_lines=3).pdf, 0, 100)
    data = bytearray(tiff_bytes([page, page, page], dpi=100))
    frames = Image.open(io.BytesIO(bytes(data)))
    frames.seek(1)
    for offset, count in zip(frames.tag_v2[273], frames.tag_v2[279], strict=True):
        for k in range(offset, offset + count):
            data[k] = (data[k] * 7 + 13) & 0xFF  # scramble frame 2's LZW data
    return bytes(data)


def _small_png() -> bytes:
    return image_bytes(render_pdf_page(text_pdf(32, max_lines=3).pdf, 0, 100), "PNG", dpi=100)


def _small_jpeg() -> bytes:
    page = render_pdf_page(text_pdf(33, max_lines=3).pdf, 0, 100)
    return image_bytes(page, "JPEG", dpi=100, quality=80)


BAD_INPUTS = [
    # (id, bytes, context, reason, words the message must contain)
    ("empty", lambda: b"", CTX, UnreadableReason.EMPTY, "empty"),
    ("html-named-pdf", lambda: b"<!DOCTYPE html><html><body>Session expir\xc3\xa9e</body></html>",
     CTX, UnreadableReason.UNSUPPORTED_TYPE, "HTML"),
    ("zip-named-pdf", lambda: b"PK\x03\x04\x14\x00\x00\x00[Content_Types].xml" + b"\x00" * 200,
     CTX, UnreadableReason.UNSUPPORTED_TYPE, "ZIP"),
    ("plain-text", lambda: "Kbis à jour au 2 octobre 2026".encode(), CTX,
     UnreadableReason.UNSUPPORTED_TYPE, "plain text"),
    ("too-large", lambda: text_pdf(34).pdf, ReadContext(max_file_bytes=1000),
     UnreadableReason.TOO_LARGE, "limit"),
    ("truncated-pdf", lambda: text_pdf(35, pages=3).pdf[:6000], CTX,
     UnreadableReason.TRUNCATED, "incomplete"),
    ("garbled-pdf", _garbled_pdf, CTX, UnreadableReason.CORRUPT, "damaged"),
    ("encrypted-pdf", _encrypted_pdf, CTX, UnreadableReason.ENCRYPTED, "password"),
    ("zero-page-pdf", _zero_page_pdf, CTX, UnreadableReason.NO_PAGES, "no pages"),
    ("too-many-pdf-pages", lambda: text_pdf(36, pages=4, max_lines=1).pdf,
     ReadContext(max_pages=3), UnreadableReason.TOO_MANY_PAGES, "4 pages"),
    ("pdf-image-bomb", _pdf_with_image_bomb, CTX, UnreadableReason.IMAGE_TOO_LARGE,
     "10,000,000,000 pixels"),
    ("png-bomb-header", lambda: _png_header(100_000, 100_000), CTX,
     UnreadableReason.IMAGE_TOO_LARGE, "too large"),
    ("png-above-pixel-limit", lambda: _png_header(10_000, 10_000), CTX,
     UnreadableReason.IMAGE_TOO_LARGE, "10000 x 10000"),
    ("truncated-png", lambda: _small_png()[:3000], CTX, UnreadableReason.TRUNCATED, "incomplete"),
    ("truncated-jpeg", lambda: _small_jpeg()[:3000], CTX, UnreadableReason.TRUNCATED,
     "incomplete"),
    ("png-bad-header", lambda: b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + b"\xff" * 40,
     CTX, UnreadableReason.CORRUPT, "damaged"),
    ("tiff-corrupt-frame", _tiff_with_corrupt_frame, CTX, UnreadableReason.CORRUPT, "page 2"),
    ("tiff-too-many-frames",
     lambda: tiff_bytes([Image.new("L", (50, 70), 255)] * 4), ReadContext(max_pages=3),
     UnreadableReason.TOO_MANY_PAGES, "4 pages"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("make", "ctx", "reason", "words"),
    [pytest.param(*row[1:], id=row[0]) for row in BAD_INPUTS],
)
def test_bad_input_fails_with_its_own_reason(make, ctx, reason, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnreadableDocument) as e:
        read_document(make(), ctx)
    assert e.value.reason is reason
    assert words in str(e.value)
    assert str(e.value).rstrip().endswith(".")  # a sentence, with what to do


def test_read_file_checks_the_size_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "scan.pdf"
    with big.open("wb") as f:
        f.truncate(5 * 1024 * 1024)  # sparse: 5 MiB of nothing, never read
    with pytest.raises(UnreadableDocument) as e:
        read_file(big, ReadContext(max_file_bytes=1024 * 1024))
    assert e.value.reason is UnreadableReason.TOO_LARGE
    assert "5.0 MiB" in str(e.value)


def test_read_file_of_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocument) as e:
        read_file(tmp_path / "absent.pdf", CTX)
    assert e.value.reason is UnreadableReason.IO_ERROR


def test_read_file_reads_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "kbis.bin"  # the name says nothing; the bytes do
    path.write_bytes(key_value_pdf(40).pdf)
    doc = read_file(path, CTX)
    assert doc.kind is FileKind.PDF
    assert "Capital social" in doc.text


@functools.cache
def _fuzz_seeds() -> tuple[bytes, ...]:
    page = render_pdf_page(text_pdf(50, max_lines=3).pdf, 0, 50)
    return (
        text_pdf(51, max_lines=4).pdf,
        key_value_pdf(52).pdf,
        image_pdf([page], dpi=50),
        image_bytes(page, "PNG", dpi=50),
        image_bytes(page, "JPEG", dpi=50),
        tiff_bytes([page, page], dpi=50),
        tiff_bytes([page], dpi=50, compression="raw"),
    )


# No OCR worth the name (a 10 ms budget): this is about parsing damaged bytes, not reading them.
FUZZ_CTX = ReadContext(ocr_timeout_s=0.01, verify_hidden_text=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 6),
    edits=st.lists(
        st.tuples(st.sampled_from(["flip", "cut", "insert", "truncate"]), st.floats(0, 1),
                  st.binary(min_size=1, max_size=40)),
        min_size=1, max_size=6,
    ),
)  # fmt: skip
def test_damaged_bytes_never_crash_the_reader(
    seed: int, edits: list[tuple[str, float, bytes]]
) -> None:
    """Mutation fuzzing found Pillow's TypeError("Missing dimensions") and pdfminer/PDFium page
    count disagreements; any damage must end as pages or as an UnreadableDocument."""
    data = bytearray(_fuzz_seeds()[seed])
    for op, where, payload in edits:
        at = int(where * (len(data) - 1))
        if op == "flip":
            data[at : at + len(payload)] = payload
        elif op == "cut":
            del data[at : at + 8 * len(payload)]
        elif op == "insert":
            data[at:at] = payload
        else:
            del data[at:]
        if not data:
            break
    try:
        read_document(bytes(data), FUZZ_CTX)
    except UnreadableDocument as e:
        assert isinstance(e.reason, UnreadableReason)
