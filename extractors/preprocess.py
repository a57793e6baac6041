"""Scan preprocessing before OCR: only the steps that measurably help Tesseract 5 on our scans.

Measured with `bench/bench_reading.py` (sections deskew, contrast, orientation) on reportlab
pages of French prose (10 pt, 300 dpi) degraded like office scans (grey paper, blur 0.6, noise
sigma 12; "bad" scans: noise 22, blur 0.9, JPEG q35). CER = Levenshtein / reference length,
Tesseract 5.3 `fra`, psm 3, OMP_THREAD_LIMIT=1; 2 pages per row, run of 2026-11-26 on a box
shared with other jobs (1.7 foreign cores), so times are inflated about 3x; CERs are not.

Deskew (projection profile, kept for skews of 1° or more):

    skew     CER without -> with
    0.0°     0.02 % -> 0.02 %     (estimate only: nothing to rotate)
    1.2°     0.14 % -> 0.03 %
    2.5°     0.22 % -> 0.02 %
    4.0°     0.61 % -> 0.02 %

  Cost on a 300-dpi A4 page: the estimate runs on every page, 29 ms CPU (median of 5); a
  page that is straightened adds the rotation (25 ms) and, measured separately, ~6 % more
  Tesseract CPU on the straightened page (2.33 s vs 2.19 s, median of 5 alternating runs: the
  interpolated image is not free for it either). So a 1.2° page pays ~8 % more time for 4x
  fewer character errors; we keep it, since the errors land in names and amounts. Tesseract's
  line finding copes with small skews, but its errors grow with the angle.

Orientation (Tesseract OSD, `--psm 0`, only when the first pass looks bad):

    page turned    first pass CER / mean conf    after OSD + second pass
    0°             0.2 % / 96                    (not run)
    90° clockwise  0.2 % / 96                    (not run: psm 3 reads it as it is)
    180°           86 % / 35                     0.16 %
    270°           86 % / 35                     0.16 %

  OSD costs ~0.85-1.8 s (quiet) plus a second OCR pass, so it runs only when the first pass
  has a mean confidence under 60 or almost no words on an inked page (upright scans: 88-96).

Contrast (measured on "bad" scans after deskew, not kept):

    raw 0.02 %, percentile stretch 0.02 % (+0.3 s), Otsu threshold 0.01 % (+35 ms)

  Tesseract binarises internally (Otsu on its own grey image); a second global threshold or a
  stretch gains nothing measurable here. `stretch_contrast` and `binarize_otsu` stay only for
  the benchmark, to re-check this on new kinds of scans.

All functions are pure array transforms (numpy/OpenCV): images in, images out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from collections.abc import Sequence

GreyImage = npt.NDArray[np.uint8]

# Skews above this are searched for; scanners' feeders rarely exceed 5°, and a wider search
# would start matching table rules and vertical text.
MAX_SKEW_DEG = 5.0
# Below this, straightening costs time and a resampling blur for nothing: at 1.2° it still
# cut CER from 0.14 % to 0.03 % (table above); under 1° the gain can only be smaller.
MIN_DESKEW_DEG = 1.0
# Profile sharpness gain over the unrotated image from which an estimated skew is believed.
_SKEW_SIGNAL = 1.05
# The skew search runs on a copy this wide (pixels): enough resolution for 0.05° on text lines.
_SKEW_WORK_WIDTH_PX = 1000
# Fewer ink points than this is a blank page; more than the max are subsampled (speed only).
_MIN_INK_POINTS = 200
_MAX_INK_POINTS = 80_000
# A first OCR pass with a mean word confidence under this, or almost no words, may be a page
# scanned sideways or upside down (bench: upright scans 88-96, a 90° page ~36).
MISORIENTED_CONFIDENCE = 60.0
MISORIENTED_MIN_WORDS = 8
# OSD confidence needed before we rotate. A guess is still worth one pass: the turned page is
# kept only if its OCR confidence beats the first pass (scan.py), so a wrong guess costs time,
# never text. Seen on a bilingual passport page scanned sideways: OSD said "rotate 90" with
# confidence 0.8, and it was right (first pass 47 %, glyph soup).
MIN_OSD_CONFIDENCE = 0.0
# Words of this many letters or digits, at least this many of them, and more than this share
# standing upright (taller than wide): a page read sideways (`words_sideways`).
_SIDEWAYS_CHARS = 4
_SIDEWAYS_MIN_WORDS = 5
_SIDEWAYS_SHARE = 0.6


@dataclass(frozen=True, slots=True)
class Skew:
    """An estimated text skew: rotate the image by `angle_deg` (counter-clockwise) to straighten."""

    angle_deg: float
    score: float  # projection-profile sharpness gain over the unrotated image; ~1.0 = no signal


def estimate_skew(image: GreyImage) -> Skew:
    """The small rotation (±MAX_SKEW_DEG) that makes text lines horizontal, by projection profile.

    Text lines give sharp peaks in the row histogram of ink pixels when they are horizontal; the
    angle whose histogram has the most energy (sum of squares) wins. Ink pixels are projected
    as points rather than rotating the image per candidate (~25 ms instead of ~150 ms per A4
    page): coarse 0.5° steps, then 0.05° around the best.
    """
    ys, xs = np.nonzero(_ink_mask(image))
    if ys.size < _MIN_INK_POINTS:
        return Skew(0.0, 1.0)
    if ys.size > _MAX_INK_POINTS:
        step = ys.size // _MAX_INK_POINTS + 1  # a regular subsample keeps every line's share
        ys, xs = ys[::step], xs[::step]
    y = ys.astype(np.float64)
    x = xs.astype(np.float64)
    base = _profile_energy(y, x, 0.0)

    def best(candidates: npt.NDArray[np.float64]) -> tuple[float, float]:
        score, angle = max((_profile_energy(y, x, float(a)), float(a)) for a in candidates)
        return angle, score

    angle, _ = best(np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 1e-9, 0.5))
    angle, score = best(np.arange(angle - 0.5, angle + 0.5 + 1e-9, 0.05))
    return Skew(round(angle, 2) + 0.0, score / base if base > 0 else 1.0)


def should_deskew(skew: Skew) -> bool:
    """Whether straightening is worth it: a clear signal and an angle Tesseract won't absorb."""
    return abs(skew.angle_deg) >= MIN_DESKEW_DEG and has_skew_signal(skew)


def has_skew_signal(skew: Skew) -> bool:
    """Whether the projection profile clearly prefers the estimated angle (text lines seen)."""
    return skew.score > _SKEW_SIGNAL


def rotate_small(image: GreyImage, angle_deg: float) -> GreyImage:
    """`image` rotated by `angle_deg` counter-clockwise about its centre, same size, paper fill."""
    h, w = image.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle_deg, 1.0)
    # Fill the corners with the paper's grey, not black; a strided sample is enough for it.
    paper = int(np.percentile(image[::8, ::8], 90))
    rotated = cv2.warpAffine(
        image,
        matrix,
        (w, h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=paper,
    )
    return np.asarray(rotated, dtype=np.uint8)


def rotate_quadrant(image: GreyImage, clockwise_deg: int) -> GreyImage:
    """`image` turned by 0/90/180/270 degrees clockwise (lossless)."""
    turns = (clockwise_deg // 90) % 4
    if turns == 0:
        return image
    codes = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return np.asarray(cv2.rotate(image, codes[turns]), dtype=np.uint8)


# Rules shorter than these are kept, so letters survive: a 36 pt capital stands ~0.35 in tall.
# Form boxes (~10 mm = 0.4 in) and table borders are longer.
_MIN_VERTICAL_RULE_IN = 0.36
_MIN_HORIZONTAL_RULE_IN = 0.5


def remove_rules(image: GreyImage, dpi: float) -> GreyImage:
    """The page with its long horizontal and vertical rules (form boxes, table borders) erased.

    Tesseract's layout analysis often drops text printed inside bordered boxes: on a scanned
    DBE-S-1 form the nationality and several labels vanished from the OCR text. Erasing the
    rules first brought them back (250 -> 284 words on that page; field accuracy on scanned
    kbis/rbe/statuts 93.8 % -> 99.2 %, bench/bench_extract.py) for ~35 ms per A4 page at
    240 dpi. Kernels are in inches, not page fractions, so that letter stems never qualify.
    """
    ink = cv2.adaptiveThreshold(
        image, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15
    )
    horizontal = cv2.getStructuringElement(
        cv2.MORPH_RECT, (max(int(_MIN_HORIZONTAL_RULE_IN * dpi), 20), 1)
    )
    vertical = cv2.getStructuringElement(
        cv2.MORPH_RECT, (1, max(int(_MIN_VERTICAL_RULE_IN * dpi), 20))
    )
    rules = cv2.bitwise_or(
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, horizontal),
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, vertical),
    )
    if not rules.any():
        return image
    cleaned = image.copy()
    cleaned[cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0] = 255
    return cleaned


# Text the page pass skipped (`unread_text_boxes`): ink components of a letter's size, in inches.
# 6 pt print has letters ~0.04 in tall; anything over 0.4 in is a logo, a photo or a stamp.
_GLYPH_MIN_HEIGHT_IN = 0.035
_GLYPH_MAX_HEIGHT_IN = 0.4
_GLYPH_MAX_WIDTH_IN = 0.6
_GLYPH_MIN_WIDTH_IN = 0.02  # counted as a letter: wider than a hairline ("l" at 8 pt: 0.013 in)
_GLYPH_MIN_AREA_IN2 = 0.0004  # a speck of dust is smaller than a full stop at 10 pt... almost
_WORD_PAD_IN = 0.02  # what a word box may miss of its own letters' edges
_JOIN_GAP_IN = 0.1  # letters closer than this belong to one line ("n° 2": ° is no letter)
_MIN_UNREAD_WIDTH_IN = 0.15  # about three letters: a lone letter or a mark is not worth a pass
_MIN_UNREAD_GLYPHS = 3
_LETTER_WIDTH_PER_HEIGHT = 0.6  # a letter is at most this wide for the tallest one beside it
_MANY_LETTERS_MIN_HEIGHT_IN = 0.06  # touching letters: 7-pt type and up (stripes: ~0.05 in)
# A run of letters is one line: at least a small capital tall, at most a heading, and wider
# than tall. What `remove_rules` leaves of a slanted rule (its stair steps, cut where the
# erasing kernel still fitted) stacks into tall narrow runs or thin slivers: not text.
_MIN_UNREAD_LINE_IN = 0.06
_MAX_UNREAD_LINE_IN = 0.3
_MIN_UNREAD_ASPECT = 2.0
_UNREAD_WORK_DPI = 150.0


def unread_text_boxes(
    image: GreyImage, word_boxes_px: list[tuple[int, int, int, int]], dpi: float
) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, top, x1, bottom in pixels of `image`) of text-like ink that no word covers.

    Tesseract's page segmentation (psm 3) sometimes drops whole table cells: the text is sharp
    in the image and in its own binarisation, yet no block is made for it, so no word comes
    back (short bold cells such as "Personne n° 2" or "LE GOFF" next to the rules of a 1-2°
    skewed table; the same page read as one block, psm 6, gives them). Such a cell shows up
    here as a row of letter-sized ink components outside every word box. Runs on a 150-dpi
    copy (80-110 ms per A4 page on a shared box, mostly connected components); rules must
    already be erased (`remove_rules`).
    """
    scale = min(1.0, _UNREAD_WORK_DPI / dpi)
    small = image
    if scale < 1.0:
        h, w = image.shape
        small = np.asarray(
            cv2.resize(
                image,
                (max(1, round(w * scale)), max(1, round(h * scale))),
                interpolation=cv2.INTER_AREA,
            ),
            dtype=np.uint8,
        )
    work_dpi = dpi * scale
    ink = cv2.adaptiveThreshold(
        small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, _odd(0.1 * work_dpi), 15
    )
    pad = max(1, round(_WORD_PAD_IN * work_dpi))
    for x0, top, x1, bottom in word_boxes_px:
        ink[
            max(round(top * scale) - pad, 0) : round(bottom * scale) + pad,
            max(round(x0 * scale) - pad, 0) : round(x1 * scale) + pad,
        ] = 0
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count <= 1:
        return []
    height, width = stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_WIDTH]
    glyph = (
        (height >= _GLYPH_MIN_HEIGHT_IN * work_dpi)
        & (height <= _GLYPH_MAX_HEIGHT_IN * work_dpi)
        & (width <= _GLYPH_MAX_WIDTH_IN * work_dpi)
        & (stats[:, cv2.CC_STAT_AREA] >= _GLYPH_MIN_AREA_IN2 * work_dpi * work_dpi)
    )
    glyph[0] = False  # the background
    if glyph.sum() < _MIN_UNREAD_GLYPHS:
        return []
    letters = np.where(glyph[labels], 255, 0).astype(np.uint8)
    gap = max(2, round(_JOIN_GAP_IN * work_dpi))
    joined = cv2.dilate(letters, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    runs, run_labels, run_stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    # Letters per run: each (run, glyph) pair once; hairlines (the edge of an erased rule
    # left standing) join runs but do not count as letters. Letters that touch on the
    # 150-dpi copy are one component ("Théo" in 9-pt type): it counts as as many letters
    # as its width holds, if it is tall enough to be type (the flat stripes a shaded cell
    # leaves between its words are not).
    on = (glyph & (width >= _GLYPH_MIN_WIDTH_IN * work_dpi))[labels]
    pairs = np.unique(run_labels[on].astype(np.int64) * count + labels[on])
    letters_in = np.where(
        height >= _MANY_LETTERS_MIN_HEIGHT_IN * work_dpi,
        np.maximum(1, width // np.maximum(1, _LETTER_WIDTH_PER_HEIGHT * height)),
        1,
    )
    per_run = np.bincount(pairs // count, weights=letters_in[pairs % count], minlength=runs)
    boxes: list[tuple[int, int, int, int]] = []
    for index in range(1, runs):
        x, y, w, h, _ = run_stats[index]
        if w < _MIN_UNREAD_WIDTH_IN * work_dpi or per_run[index] < _MIN_UNREAD_GLYPHS:
            continue
        if not _MIN_UNREAD_LINE_IN * work_dpi <= h <= _MAX_UNREAD_LINE_IN * work_dpi:
            continue
        if w < _MIN_UNREAD_ASPECT * h:
            continue
        boxes.append(
            (int(x / scale), int(y / scale), int((x + w) / scale) + 1, int((y + h) / scale) + 1)
        )
    return boxes


# Strokes narrower than this survive `flatten_background`; cell fills and paper tints are wider.
_BACKGROUND_KERNEL_IN = 0.08
_MIN_PAPER_LEVEL = 128.0  # a median darker than this is ink, not paper: leave the level alone


def flatten_background(image: GreyImage, dpi: float) -> GreyImage:
    """`image` divided by its local paper level: shaded table cells and tints become white.

    The local level is a max filter wider than any stroke, so letters keep their contrast
    while a grey cell fill, and the white stripes `remove_rules` leaves through it, both map
    to 255. Tesseract reads no word of a short cell cut out with its grey fill around it
    ("Nationalité", "33,34%" on a scanned rbe_table); flattened, it reads them at 92-97.
    """
    size = _odd(_BACKGROUND_KERNEL_IN * dpi)
    level = cv2.dilate(image, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    out = image.astype(np.float32) * 255.0 / np.maximum(level, 1).astype(np.float32)
    # On a noisy scan the max filter finds the noise's peaks, so the paper comes out at
    # ~230, not white; its median (a cell cut out is mostly paper) brings it to 255. Left
    # grey, it turns black under Tesseract's global threshold once the piece sits on white.
    paper = float(np.median(out))
    if paper >= _MIN_PAPER_LEVEL:
        out *= 255.0 / paper
    return np.asarray(np.clip(out, 0, 255), dtype=np.uint8)


def _odd(value: float) -> int:
    n = max(3, round(value))
    return n if n % 2 else n + 1


def looks_misoriented(mean_confidence: float | None, word_count: int, has_ink: bool,
                      sideways: bool = False) -> bool:
    """Whether a first OCR pass is bad enough to ask OSD about the orientation."""
    if not has_ink:
        return False
    if sideways:
        return True
    if word_count < MISORIENTED_MIN_WORDS:
        return True
    return mean_confidence is None or mean_confidence < MISORIENTED_CONFIDENCE


def sideways_turn(words: Sequence[tuple[str, float, float, float, float]]) -> int | None:
    """The clockwise turn (90 or 270) that sets upright a page read sideways; None if it is not.

    `words` are (text, x0, top, x1, bottom) in Tesseract's reading order. Its automatic
    segmentation reads a page scanned at 90° as it is, with good confidence, but its word
    boxes stand on end (taller than wide), so every reading that works from where words sit
    (labels and their values, columns, tables, the machine-readable zone's second pass) is
    lost. A word of several characters is wider than tall when it runs across the page, in
    any font. Which way the text runs is told by the reading order: each next word of a line
    further down the page means the page was turned clockwise (turn it back by 270), further
    up counter-clockwise (by 90). Cheaper and surer than OSD, which on a sparse page (a card's
    back) has been seen to answer 180 for a page turned 90.
    """
    long = [(x1 - x0, bottom - top) for text, x0, top, x1, bottom in words
            if sum(ch.isalnum() for ch in text) >= _SIDEWAYS_CHARS]
    standing = sum(h > w for w, h in long)
    if len(long) < _SIDEWAYS_MIN_WORDS or standing <= _SIDEWAYS_SHARE * len(long):
        return None
    down = up = 0
    for (_, ax0, atop, ax1, _), (_, bx0, btop, bx1, _) in zip(words, words[1:], strict=False):
        if min(ax1, bx1) <= max(ax0, bx0):
            continue  # not side by side in one sideways line
        if btop > atop:
            down += 1
        elif btop < atop:
            up += 1
    if down == up:
        return None
    return 270 if down > up else 90


def has_ink(image: GreyImage) -> bool:
    """Whether the page has anything dark on it (a blank page needs no second look)."""
    small = _downscale(image)
    threshold, _ = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    dark = small < min(threshold, 160)
    return bool(dark.mean() > 0.002)


def stretch_contrast(image: GreyImage) -> GreyImage:
    """Grey levels stretched so the 1st/99th percentiles map to black/white (measured, unused)."""
    lo, hi = np.percentile(image, (1, 99))
    if hi - lo < 1:
        return image
    out = (image.astype(np.float32) - lo) * (255.0 / (hi - lo))
    return np.asarray(np.clip(out, 0, 255), dtype=np.uint8)


def binarize_otsu(image: GreyImage) -> GreyImage:
    """Black-and-white image by Otsu's threshold after a light blur (measured, unused)."""
    blurred = cv2.GaussianBlur(image, (3, 3), 0)
    _, out = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return np.asarray(out, dtype=np.uint8)


def _downscale(image: GreyImage) -> GreyImage:
    h, w = image.shape
    if w <= _SKEW_WORK_WIDTH_PX:
        return image
    scale = _SKEW_WORK_WIDTH_PX / w
    small = cv2.resize(
        image, (_SKEW_WORK_WIDTH_PX, max(1, round(h * scale))), interpolation=cv2.INTER_AREA
    )
    return np.asarray(small, dtype=np.uint8)


def _ink_mask(image: GreyImage) -> GreyImage:
    """Downscaled ink mask (255 = ink) with characters smeared into line-shaped blobs."""
    small = _downscale(image)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    # Noise specks carry no line signal; a small opening removes most of them.
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    return np.asarray(ink, dtype=np.uint8)


def _profile_energy(
    y: npt.NDArray[np.float64], x: npt.NDArray[np.float64], angle_deg: float
) -> float:
    """Sum of squares of the row histogram of ink points after rotating by `angle_deg`.

    Same convention as `rotate_small` (OpenCV, counter-clockwise): the new row of (x, y) is
    y·cos θ − x·sin θ.
    """
    theta = np.deg2rad(angle_deg)
    rows = y * np.cos(theta) - x * np.sin(theta)
    hist = np.bincount((rows - rows.min()).astype(np.int64))
    return float(np.dot(hist, hist))
