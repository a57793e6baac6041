import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.sniff import describe_unsupported, sniff_kind
from kanta_docs.errors import UnreadableDocument, UnreadableReason
from kanta_docs.vocab import FileKind


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", FileKind.PDF),
        (b"\r\n\x00junk from a mail gateway%PDF-1.4\n", FileKind.PDF),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", FileKind.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", FileKind.JPEG),
        (b"\xff\xd8\xff\xe1\x00\x10Exif\x00", FileKind.JPEG),
        (b"II*\x00\x08\x00\x00\x00", FileKind.TIFF),
        (b"MM\x00*\x00\x00\x00\x08", FileKind.TIFF),
    ],
)
def test_known_kinds_come_from_magic_bytes(head: bytes, kind: FileKind) -> None:
    assert sniff_kind(head + b"\x00" * 64) is kind


def test_empty_file_is_refused_as_empty() -> None:
    with pytest.raises(UnreadableDocument) as e:
        sniff_kind(b"")
    assert e.value.reason is UnreadableReason.EMPTY
    assert "empty" in str(e.value)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "ZIP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "old Office"),
        (b"<!DOCTYPE html>\n<html><head><title>Connexion</title>", "HTML"),
        (b"\xef\xbb\xbf  <html lang='fr'><body>Erreur 404</body></html>", "HTML"),
        (b"<?xml version='1.0'?><root/>", "XML"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00", "BMP"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "HEIC"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "WebP"),
        ("Extrait Kbis\nDénomination : KANTA\n".encode(), "plain text"),
        (b"From: greffe@example.org\nSubject: Kbis\n", "e-mail"),
        (bytes(range(256)) * 4, "unknown"),
    ],
)
def test_unsupported_kinds_say_what_they_look_like(data: bytes, words: str) -> None:
    with pytest.raises(UnreadableDocument) as e:
        sniff_kind(data)
    assert e.value.reason is UnreadableReason.UNSUPPORTED_TYPE
    assert words in str(e.value)
    assert "PDF, PNG, JPEG or TIFF" in str(e.value)  # says what to do


def test_text_starting_like_bmp_is_text() -> None:
    assert describe_unsupported(b"BMW et Renault: contrat de location longue duree") == "plain text"


def test_the_name_is_never_consulted() -> None:
    # A ZIP (e.g. a DOCX) saved as "kbis.pdf" is a ZIP: sniffing takes bytes only.
    with pytest.raises(UnreadableDocument, match="ZIP"):
        sniff_kind(b"PK\x03\x04" + b"\x00" * 100)


@given(st.binary(max_size=2048))
def test_any_bytes_give_a_kind_or_an_unreadable_document(data: bytes) -> None:
    try:
        kind = sniff_kind(data)
    except UnreadableDocument as e:
        assert e.reason in (UnreadableReason.EMPTY, UnreadableReason.UNSUPPORTED_TYPE)
    else:
        assert isinstance(kind, FileKind)


def test_unreadable_document_keeps_its_reason_through_pickle() -> None:
    import pickle

    error = UnreadableDocument("The PDF is encrypted.", reason=UnreadableReason.ENCRYPTED)
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.reason) == ("The PDF is encrypted.", UnreadableReason.ENCRYPTED)
    assert UnreadableDocument("old style").reason is UnreadableReason.OTHER
