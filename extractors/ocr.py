"""Tesseract adapter: one page image file in, words with boxes (points), text and confidence out.

One `tesseract` process per page, asked for TSV only: the TSV carries every word with its box and
confidence plus the block/paragraph/line numbers, so the page text is rebuilt from it and
Tesseract never runs twice for the same page (PERF.md §2: a dense page costs ~3.3 s at 300 dpi).
TSV costs Tesseract ~6 % more CPU than plain text (2.19 s vs 2.07 s per dense page, median of 5
alternating runs): the price of the boxes and confidences the provenance needs.
We run the binary ourselves on a file path rather than pytesseract on a PIL image: with an image,
pytesseract re-encodes a PNG first (+26 % per page, PERF.md §2); with a path it adds nothing but an
extra layer between us and the exit code, timeout and stderr we need to tell crashes from
timeouts.

Adapters degrade, rules decide (STYLE.md §3): a timeout returns an empty result flagged
`timed_out` (the caller turns it into a page warning); a crash, a missing binary or a missing
language raises `ExtractorFailed` from the original error.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kanta_docs.errors import ExtractorFailed
from kanta_docs.logs import get_logger
from kanta_docs.models import Word

if TYPE_CHECKING:
    from pathlib import Path

log = get_logger(__name__)

TESSERACT_BIN = "tesseract"
# Automatic page segmentation without OSD. PERF.md §2: psm 4/6 save 0-9 % of the time but break
# reading order on columns and tables (CER 20 %+); psm 1 adds OSD to every page (+12 %).
DEFAULT_PSM = 3
# Debian's Tesseract is built with OpenMP. Without a limit each page runs several threads that
# spin-wait on our 2 vCPUs: PERF.md §2 measured 8.6x slower pages (30 s instead of 3.3 s) and 17 s
# of system CPU per page. Throughput comes from one single-threaded process per core (§6), the
# same reasoning as paperless' OMP_THREAD_LIMIT=1 setting.
_OMP_THREAD_LIMIT = "1"
# TSV row level of a word (1 page, 2 block, 3 paragraph, 4 line, 5 word).
_WORD_LEVEL = 5
_POINTS_PER_INCH = 72.0

LineKey = tuple[int, int, int]  # (block, paragraph, line) numbers of Tesseract's TSV


@dataclass(frozen=True, slots=True)
class OcrResult:
    """What Tesseract read on one page image; boxes in points from the top-left corner."""

    text: str
    words: tuple[Word, ...]
    confidence: float | None  # mean word confidence 0-100; None when no word was read
    seconds: float
    timed_out: bool = False
    # (block, paragraph, line) of each word, as Tesseract numbered them: the text is rebuilt
    # from these when a second pass replaces words (`reread`).
    lines: tuple[LineKey, ...] = ()


@dataclass(frozen=True, slots=True)
class Orientation:
    """Tesseract OSD's verdict: rotate the image by `rotate_deg` (counter-clockwise) to read it."""

    rotate_deg: int  # 0, 90, 180 or 270
    confidence: float


def tesseract_env() -> dict[str, str]:
    """The environment for every Tesseract process: ours, with OpenMP limited to one thread."""
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = _OMP_THREAD_LIMIT
    return env


def ocr_image(
    image: Path,
    *,
    languages: str,
    dpi: float,
    timeout_s: float,
    psm: int = DEFAULT_PSM,
    whitelist: str | None = None,
) -> OcrResult:
    """OCR one page image file -> words, text and mean confidence; `timed_out` past `timeout_s`.

    `dpi` is the image's resolution, used to convert Tesseract's pixel boxes to points.
    `whitelist` restricts the characters Tesseract may read (a machine-readable zone's A-Z 0-9 <).
    """
    cmd = [
        TESSERACT_BIN,
        str(image),
        "stdout",
        "-l",
        languages,
        "--psm",
        str(psm),
        *(("-c", f"tessedit_char_whitelist={whitelist}") if whitelist else ()),
        # No --dpi: Tesseract estimates the resolution from the text's x-height, which is right
        # even when our dpi is a guess (an image without dpi, taken as A4). Forcing it cost +4 %
        # CPU per page (median of 5 runs: 2.30 s vs 2.22 s) for nothing measurable.
        "tsv",
    ]
    started = time.perf_counter()
    completed = _run(cmd, timeout_s)
    seconds = time.perf_counter() - started
    if completed is None:
        log.warning("ocr timed out", timeout_s=timeout_s)
        return OcrResult("", (), None, seconds, timed_out=True)
    words, lines, confidence = parse_tsv_lines(completed.stdout, dpi)
    return OcrResult(render_text(words, lines), words, confidence, seconds, lines=lines)


def detect_orientation(image: Path, *, timeout_s: float) -> Orientation | None:
    """Tesseract OSD (`--psm 0`) on one image -> the rotation that makes it upright, or None.

    None means OSD could not tell (too few characters, a timeout): the caller keeps the image as
    it is. OSD costs a second Tesseract run, so callers use it only when a first pass looks bad.
    """
    cmd = [TESSERACT_BIN, str(image), "stdout", "--psm", "0"]
    completed = _run(cmd, timeout_s, check=False)
    if completed is None or completed.returncode != 0:
        # Exit code 1 with "Too few characters" is OSD declining, not a crash.
        return None
    rotate = re.search(r"^Rotate:\s*(\d+)", completed.stdout, re.MULTILINE)
    conf = re.search(r"^Orientation confidence:\s*([\d.]+)", completed.stdout, re.MULTILINE)
    if rotate is None or conf is None:
        return None
    return Orientation(int(rotate.group(1)) % 360, float(conf.group(1)))


def _run(
    cmd: list[str], timeout_s: float, *, check: bool = True
) -> subprocess.CompletedProcess[str] | None:
    """Run Tesseract; None on timeout (the child is killed), `ExtractorFailed` on a crash."""
    try:
        completed = subprocess.run(
            cmd,
            env=tesseract_env(),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    except OSError as e:
        raise ExtractorFailed(
            "Tesseract could not be started: install the tesseract-ocr package "
            "(with tesseract-ocr-fra) and check that `tesseract` is on the PATH."
        ) from e
    crashed = completed.returncode < 0  # killed by a signal: segfault, OOM killer
    if crashed or (check and completed.returncode != 0):
        error = subprocess.CalledProcessError(
            completed.returncode, cmd, completed.stdout, completed.stderr
        )
        log.error(
            "tesseract failed",
            returncode=completed.returncode,
            stderr_tail=completed.stderr[-300:],
        )
        raise ExtractorFailed(
            f"Tesseract failed on a page (exit status {completed.returncode}); "
            "check the OCR languages installed (`tesseract --list-langs`) and the server logs."
        ) from error
    return completed


_PHANTOM_MAX_CONFIDENCE = 10.0  # Tesseract's confidence (0-100) of a phantom word
_SURE_MIN_CONFIDENCE = 50.0
_PHANTOM_COVERED = 0.6  # share of the phantom's box inside a surely read word's
_SPECK_MAX_HEIGHT = 0.3  # of the median height of surely read words (a full stop is ~0.15)


def _phantoms(words: list[Word]) -> set[int]:
    """Indices of words Tesseract made up over a word it read surely: read at confidence near 0,
    their box mostly inside the other's (« er, » over « Thévenin »). They would glue debris into
    the value the real word belongs to."""
    sure = [w for w in words if (w.confidence or 0.0) >= _SURE_MIN_CONFIDENCE]
    out = set()
    for i, w in enumerate(words):
        if (w.confidence or 0.0) > _PHANTOM_MAX_CONFIDENCE:
            continue
        if any(w.shared_area(other) >= _PHANTOM_COVERED * w.area for other in sure):
            out.add(i)
    return out


def _specks(words: list[Word]) -> set[int]:
    """Indices of "words" Tesseract read at confidence near 0 off a dust speck: a box far
    shorter than the page's surely read letters (« j » 1 pt tall inside « Gaëlle Marie-Hélène »,
    which would give her a first name « j »)."""
    heights = sorted(w.bottom - w.top for w in words
                     if (w.confidence or 0.0) >= _SURE_MIN_CONFIDENCE)
    if not heights:
        return set()
    letter = heights[len(heights) // 2]
    return {i for i, w in enumerate(words)
            if (w.confidence or 0.0) <= _PHANTOM_MAX_CONFIDENCE
            and w.bottom - w.top < _SPECK_MAX_HEIGHT * letter}


def parse_tsv(tsv: str, dpi: float) -> tuple[tuple[Word, ...], str, float | None]:
    """Tesseract TSV -> (words in points, page text, mean word confidence or None). Pure.

    The text is rebuilt from Tesseract's own structure (`render_text`). Phantom words are left
    out (`_phantoms`).
    """
    words, lines, confidence = parse_tsv_lines(tsv, dpi)
    return words, render_text(words, lines), confidence


def parse_tsv_lines(
    tsv: str, dpi: float
) -> tuple[tuple[Word, ...], tuple[LineKey, ...], float | None]:
    """Tesseract TSV -> (words in points, each word's line key, mean confidence). Pure."""
    scale = _POINTS_PER_INCH / dpi
    read: list[tuple[LineKey, Word]] = []
    reader = csv.reader(tsv.splitlines()[1:], delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        if len(row) < 12 or row[0] != str(_WORD_LEVEL):
            continue
        token = row[11].strip()
        if not token:
            continue
        left, top, width, height = (int(v) for v in row[6:10])
        word = Word(text=token, x0=left * scale, top=top * scale, x1=(left + width) * scale,
                    bottom=(top + height) * scale, confidence=max(0.0, float(row[10])))
        read.append(((int(row[2]), int(row[3]), int(row[4])), word))
    phantoms = _phantoms([w for _, w in read]) | _specks([w for _, w in read])
    kept = [(key, word) for index, (key, word) in enumerate(read) if index not in phantoms]
    words = tuple(word for _, word in kept)
    confidences = [w.confidence for w in words if w.confidence is not None]
    mean = sum(confidences) / len(confidences) if confidences else None
    return words, tuple(key for key, _ in kept), mean


def render_text(words: tuple[Word, ...], lines: tuple[LineKey, ...]) -> str:
    """The page text as Tesseract's plain-text output lays it out: words of a line joined by
    spaces, lines by newlines, paragraphs and blocks by a blank line."""
    out: list[str] = []
    current: LineKey | None = None
    line_words: list[str] = []
    for key, word in zip(lines, words, strict=True):
        if key != current:
            if line_words:
                out.append(" ".join(line_words))
            if current is not None and key[:2] != current[:2]:
                out.append("")  # blank line between paragraphs and blocks
            current, line_words = key, []
        line_words.append(word.text)
    if line_words:
        out.append(" ".join(line_words))
    return "\n".join(out)
