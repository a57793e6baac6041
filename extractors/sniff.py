"""File type from the first bytes, never the name: PDF, PNG, JPEG or TIFF, else a clear refusal.

Names lie (a ZIP renamed `.pdf`, an HTML error page saved as `kbis.pdf` by a browser), so the
reading stage trusts only magic numbers. Anything else is refused with what it looks like, when
that is cheap to tell, and what the user can do about it. Pure: bytes in, kind or exception out.
"""

from __future__ import annotations

from kanta_docs.errors import UnreadableDocument, UnreadableReason
from kanta_docs.vocab import FileKind

# What to do, appended to every "wrong type" message.
_ADVICE = "Export or scan the document as PDF, PNG, JPEG or TIFF and add it again."

# The PDF header may follow a little junk (some mail gateways prepend bytes); readers accept it
# within the first 1024 bytes (PDF 32000-1 §7.5.2 note, Acrobat implementation note).
_PDF_HEADER_WINDOW = 1024

_IMAGE_MAGIC: tuple[tuple[bytes, FileKind], ...] = (
    (b"\x89PNG\r\n\x1a\n", FileKind.PNG),
    (b"\xff\xd8\xff", FileKind.JPEG),
    (b"II*\x00", FileKind.TIFF),
    (b"MM\x00*", FileKind.TIFF),
    (b"II+\x00", FileKind.TIFF),  # BigTIFF
    (b"MM\x00+", FileKind.TIFF),
)

# Formats we recognise but do not read: (magic, offset, what it looks like).
_OTHER_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"PK\x03\x04", 0, "a ZIP archive or an Office document (DOCX, XLSX, ODT)"),
    (b"PK\x05\x06", 0, "an empty ZIP archive"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        0,
        "an old Office document (DOC, XLS) or an Outlook message",
    ),
    (b"GIF87a", 0, "a GIF image"),
    (b"GIF89a", 0, "a GIF image"),
    (b"WEBP", 8, "a WebP image"),
    (b"ftypheic", 4, "an HEIC photo (iPhone)"),
    (b"ftypheix", 4, "an HEIC photo (iPhone)"),
    (b"ftypmif1", 4, "an HEIF photo"),
    (b"ftypavif", 4, "an AVIF image"),
    (b"\x00\x00\x00\x0cjP  ", 0, "a JPEG 2000 image"),
    (b"\x1f\x8b", 0, "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "a RAR archive"),
    (b"%!PS", 0, "a PostScript file"),
    (b"{\\rtf", 0, "an RTF document"),
)


def sniff_kind(data: bytes) -> FileKind:
    """The file kind read from `data`'s magic bytes; `UnreadableDocument` for anything else."""
    if not data:
        raise UnreadableDocument(
            "The file is empty (0 bytes): the upload or the copy was probably interrupted. "
            "Add the document again.",
            reason=UnreadableReason.EMPTY,
        )
    for magic, kind in _IMAGE_MAGIC:
        if data.startswith(magic):
            return kind
    if b"%PDF-" in data[:_PDF_HEADER_WINDOW]:
        return FileKind.PDF
    looks_like = describe_unsupported(data)
    raise UnreadableDocument(
        f"The file is not a PDF or an image: it looks like {looks_like}. {_ADVICE}",
        reason=UnreadableReason.UNSUPPORTED_TYPE,
    )


def describe_unsupported(data: bytes) -> str:
    """A short description of what `data` looks like ("an HTML page", "plain text", ...)."""
    for magic, offset, what in _OTHER_MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return what
    if data.startswith(b"BM") and data[6:10] == b"\x00\x00\x00\x00":  # reserved header bytes
        return "a BMP image"
    head = data[:2048]
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        head = head[3:] if head.startswith(b"\xef\xbb\xbf") else head[2:]
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered[:1024]:
        # Typically a login page or an error page saved instead of the document.
        return "an HTML web page (often a login or error page saved instead of the document)"
    if lowered.startswith(b"<?xml") or lowered.startswith(b"<svg"):
        return "an XML or SVG file"
    if lowered.startswith((b"from:", b"received:", b"return-path:", b"mime-version:")):
        return "an e-mail message"
    if _is_text(head):
        return "plain text"
    return "binary data of an unknown kind"


def _is_text(head: bytes) -> bool:
    """Whether `head` decodes as UTF-8 (or Latin-1) text with almost no control characters."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as e:
        # The window may cut a multi-byte character in two at its end; elsewhere, try Latin-1.
        cut_at_end = e.start >= len(head) - 3
        text = head[: e.start].decode("utf-8") if cut_at_end else head.decode("latin-1")
    if not text:
        return False
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\r\n\f")
    return controls / len(text) < 0.01
