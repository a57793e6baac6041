"""Pillow adapter: PNG, JPEG and (multi-page) TIFF bytes -> greyscale page images with their dpi.

Guards: Pillow's decompression-bomb limit (`Image.MAX_IMAGE_PIXELS`) is process-global, so we
do not rely on it; every frame's size is read from its header and checked against the context's
limit before `load()` decodes a single pixel. Each failure maps to one `UnreadableReason`.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from kanta_docs.errors import UnreadableDocument, UnreadableReason
from kanta_docs.vocab import FileKind

if TYPE_CHECKING:
    from collections.abc import Iterator

    from extractors.preprocess import GreyImage

# A file's own dpi is trusted in this range; phones write 72 whatever the photo, fax is ~200.
_MIN_PLAUSIBLE_DPI = 100.0
_MAX_PLAUSIBLE_DPI = 1200.0
# ...and only when the page it implies is between an ID card (3.4 in) and A3 (16.5 in) long.
_MIN_PAGE_LONG_SIDE_IN = 3.0
_MAX_PAGE_LONG_SIDE_IN = 17.5
# Without a plausible dpi we assume the image is an A4 page (long side 297 mm = 11.69 in).
A4_LONG_SIDE_IN = 297 / 25.4


@dataclass(frozen=True, slots=True)
class ImageFrame:
    """One decoded page: greyscale pixels (EXIF orientation applied) and its resolution."""

    pixels: GreyImage
    dpi: float
    dpi_estimated: bool  # True when the file gave no plausible dpi and A4 was assumed


def count_frames(image: Image.Image, kind: FileKind) -> int:
    """Pages in the image: every TIFF frame; only the first frame of PNG/JPEG (APNG, MPO)."""
    if kind is not FileKind.TIFF:
        return 1
    return int(getattr(image, "n_frames", 1))


def decode_image(
    data: bytes, kind: FileKind, *, max_pixels: int, max_pages: int
) -> Iterator[ImageFrame]:
    """Image bytes -> one greyscale frame per page; `UnreadableDocument` on any bad input.

    The header and the page count are checked at once; frames are then decoded one at a time
    as the caller iterates, so a 100-page TIFF holds one page in memory (8.7 MB at 300 dpi),
    not all of them. A damaged frame raises when it is reached.
    """
    name = kind.value.upper()
    try:
        with warnings.catch_warnings():
            # Our own pixel limit applies below, and Pillow's warnings about damaged tags only
            # repeat what the exceptions say: keep them out of the logs.
            warnings.simplefilter("ignore")
            image = Image.open(io.BytesIO(data))
            n_frames = count_frames(image, kind)
    except Image.DecompressionBombError as e:
        raise _too_large(name, None, max_pixels) from e
    except UnidentifiedImageError as e:
        raise UnreadableDocument(
            f"The {name} image is damaged: its header cannot be read. "
            "Scan or export the document again.",
            reason=UnreadableReason.CORRUPT,
        ) from e
    except Exception as e:  # noqa: BLE001 - see _decode_frame: Pillow's plugins raise any type
        raise _corrupt(name, None) from e
    if n_frames > max_pages:
        raise UnreadableDocument(
            f"The TIFF has {n_frames} pages, more than the limit of {max_pages}. "
            "Split it into smaller files.",
            reason=UnreadableReason.TOO_MANY_PAGES,
        )
    return _frames(image, n_frames, name, max_pixels, cut=lacks_end_marker(data, kind))


def _frames(
    image: Image.Image, n_frames: int, name: str, max_pixels: int, *, cut: bool
) -> Iterator[ImageFrame]:
    with image:
        for index in range(n_frames):
            yield _decode_frame(image, index, n_frames, name, max_pixels, cut=cut)


def lacks_end_marker(data: bytes, kind: FileKind) -> bool:
    """Whether a PNG lacks its IEND chunk or a JPEG its EOI marker: the file was cut off.

    Writers may pad after the marker, so the tail is searched, not just the last bytes.
    TIFF has no end marker (its directories can be anywhere): always False.
    """
    tail = data[-64:]
    if kind is FileKind.PNG:
        return b"IEND" not in tail
    if kind is FileKind.JPEG:
        return b"\xff\xd9" not in tail
    return False


def _decode_frame(
    image: Image.Image, index: int, n_frames: int, name: str, max_pixels: int, *, cut: bool
) -> ImageFrame:
    """Frame `index`, size-checked before decoding; `cut` says the file lacks its end marker."""
    frame_no = index + 1 if n_frames > 1 else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image.seek(index)
            width, height = image.size
            if width * height > max_pixels:
                raise _too_large(name, (width, height), max_pixels)
            image.load()
            dpi, estimated = image_dpi(image.info.get("dpi"), width, height)
            upright = ImageOps.exif_transpose(image)
            pixels = to_grey(upright)
    except UnreadableDocument:
        raise
    except Exception as e:  # noqa: BLE001 - Pillow's decoders raise whatever their parsing hits
        # on damaged files (OSError, ValueError, TypeError "Missing dimensions", KeyError,
        # struct.error... found by mutation fuzzing); every one of them means "cannot decode".
        if cut:
            raise UnreadableDocument(
                f"The {name} image is incomplete: its end is missing "
                "(an interrupted download or copy). Add the original file again.",
                reason=UnreadableReason.TRUNCATED,
            ) from e
        raise _corrupt(name, frame_no) from e
    return ImageFrame(pixels, dpi, estimated)


def image_dpi(raw: object, width: int, height: int) -> tuple[float, bool]:
    """The file's dpi if plausible, else one that makes the image an A4 page. (dpi, estimated)."""
    long_px = max(width, height)
    if isinstance(raw, tuple) and len(raw) == 2:
        try:
            dpi = float(raw[0])
        except (TypeError, ValueError):
            dpi = 0.0
        if _MIN_PLAUSIBLE_DPI <= dpi <= _MAX_PLAUSIBLE_DPI:
            long_in = long_px / dpi
            if _MIN_PAGE_LONG_SIDE_IN <= long_in <= _MAX_PAGE_LONG_SIDE_IN:
                return dpi, False
    return max(long_px / A4_LONG_SIDE_IN, 1.0), True


def to_grey(image: Image.Image) -> GreyImage:
    """Any Pillow mode -> 8-bit greyscale; transparency is laid on white paper first."""
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(image, dtype=np.float64)
        top = float(arr.max()) or 1.0
        return np.asarray(arr * (255.0 / top), dtype=np.uint8)
    if mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA"):
        paper = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, image.convert("RGBA"))
    return np.asarray(image.convert("L"), dtype=np.uint8)


def _too_large(name: str, size: tuple[int, int] | None, max_pixels: int) -> UnreadableDocument:
    dims = f" ({size[0]} x {size[1]} pixels)" if size else ""
    return UnreadableDocument(
        f"The {name} image is too large{dims}: above the limit of {max_pixels:,} pixels. "
        "Scan it again at 300 dpi.",
        reason=UnreadableReason.IMAGE_TOO_LARGE,
    )


def _corrupt(name: str, frame_no: int | None) -> UnreadableDocument:
    where = f" (page {frame_no})" if frame_no else ""
    return UnreadableDocument(
        f"The {name} image is damaged{where} and cannot be decoded. "
        "Scan or export the document again.",
        reason=UnreadableReason.CORRUPT,
    )
