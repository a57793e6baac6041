"""Benchmark of the reading stage (extractors/reading.py) on generated, seeded pages.

    uv run python bench/bench_reading.py [--quick]

Reports, as a table on stdout and JSON under bench/results/:

1. text-layer pages/s (full `read_document`), and the reading-order CER of our column-aware
   layout vs pdfplumber `extract_text()` vs pypdfium2 `get_text_bounded()` on 2-column pages;
2. OCR pages/s (full `read_document` on 300-dpi PNG scans) and the OCR stage's time as a ratio
   to `OMP_THREAD_LIMIT=1 tesseract img.png stdout -l fra` on the same images, same run
   (runs interleaved so machine noise hits both alike);
3. OCR languages: `fra` vs `fra+eng`, time and CER;
4. preprocessing: deskew on/off at several skews, contrast stretch and Otsu on a bad scan,
   orientation (OSD) on 90° and 180° pages; CER and time with and without each step.

Nothing is downloaded: pages come from tests/reading_samples.py (reportlab + Pillow).
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import structlog

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the samples live in tests/; the bench runs as a plain script

from extractors import preprocess  # noqa: E402
from extractors.base import ReadContext  # noqa: E402
from extractors.ocr import detect_orientation, ocr_image, tesseract_env  # noqa: E402
from extractors.reading import read_document  # noqa: E402
from tests.reading_samples import (  # noqa: E402
    BAD_SCAN,
    OFFICE_SCAN,
    Degradation,
    cer,
    degrade,
    image_bytes,
    key_value_pdf,
    render_pdf_page,
    text_pdf,
)

SEED = 20261126
RESULTS = ROOT / "bench" / "results"


def _busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat, all CPUs)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    jiffies = [int(v) for v in fields]
    idle = jiffies[3] + jiffies[4]  # idle + iowait
    return (sum(jiffies[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def _cli_run(png: Path, lang: str) -> tuple[float, float]:
    """(wall s, CPU s) of the bare Tesseract CLI on one image, as PERF.md §2 measured it."""
    env = tesseract_env()
    cpu0, t0 = _own_seconds(), time.perf_counter()
    subprocess.run(
        ["tesseract", str(png), "stdout", "-l", lang],
        env=env,
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - t0, _own_seconds() - cpu0


def bench_text_layer(n_pages: int) -> dict[str, Any]:
    """Pages/s of read_document on born-digital PDFs, and the 2-column reading-order CER."""
    docs = []
    for i in range(n_pages):
        kind = i % 3
        sample = (
            text_pdf(SEED + i, columns=1)
            if kind == 0
            else text_pdf(SEED + i, columns=2)
            if kind == 1
            else key_value_pdf(SEED + i)
        )
        docs.append((kind, sample))
    ctx = ReadContext()
    read_document(docs[0][1].pdf, ctx)  # warm imports and PDFium
    times, cers = [], {"ours": [], "pdfplumber_extract_text": [], "pypdfium2_text": []}
    plumber_s, pdfium_s = [], []
    for kind, sample in docs:
        result, seconds = _timed(read_document, sample.pdf, ctx)
        times.append(seconds)
        if kind != 1:
            continue
        cers["ours"].append(cer(result.text, sample.truth))
        with pdfplumber.open(io.BytesIO(sample.pdf)) as pdf:
            text, s = _timed(pdf.pages[0].extract_text)
        plumber_s.append(s)
        cers["pdfplumber_extract_text"].append(cer(text, sample.truth))
        doc = pdfium.PdfDocument(sample.pdf)
        text, s = _timed(lambda d=doc: d[0].get_textpage().get_text_bounded())
        doc.close()
        pdfium_s.append(s)
        cers["pypdfium2_text"].append(cer(text, sample.truth))
    return {
        "pages": len(docs),
        "pages_per_s": len(docs) / sum(times),
        "ms_per_page_median": 1000 * statistics.median(times),
        "two_column_cer": {k: statistics.mean(v) for k, v in cers.items()},
        "pdfplumber_extract_text_ms": 1000 * statistics.median(plumber_s),
        "pypdfium2_text_ms": 1000 * statistics.median(pdfium_s),
    }


def _scan_pages(n: int, how: Degradation, *, english: bool = False) -> list[tuple[np.ndarray, str]]:
    pages = []
    for i in range(n):
        sample = text_pdf(SEED + 100 + i, columns=1 + (i % 2), english=english)
        image = degrade(render_pdf_page(sample.pdf, 0, 300), how, SEED + i)
        pages.append((np.asarray(image), sample.truth))
    return pages


STRAIGHT_SCAN = Degradation(angle_deg=0.0, blur_sigma=0.6, noise_sigma=12, background=235)


def bench_ocr(n_pages: int, work: Path, rounds: int = 2) -> dict[str, Any]:
    """The OCR path on straight scans (wrapper overhead only) and 1.2°-skewed ones (+ deskew)."""
    return {
        "straight": _bench_ocr_set(n_pages, STRAIGHT_SCAN, work, rounds),
        "skewed_1_2_deg": _bench_ocr_set(n_pages, OFFICE_SCAN, work, rounds),
    }


def _bench_ocr_set(n_pages: int, how: Degradation, work: Path, rounds: int) -> dict[str, Any]:
    """OCR pages/s of read_document on PNG scans, and its ratio to the bare Tesseract CLI."""
    pages = _scan_pages(n_pages, how)
    ctx = ReadContext(ocr_languages="fra")
    inputs = []
    for i, (pixels, truth) in enumerate(pages):
        png = work / f"scan_{i}.png"
        cv2.imwrite(str(png), pixels)
        inputs.append((png, image_bytes(_pil(pixels), "PNG", dpi=300), truth))
    ours: list[tuple[float, float]] = []  # (wall s, CPU s incl. children)
    cli: list[tuple[float, float]] = []
    cers: list[float] = []
    for r in range(rounds):
        for i, (png, data, truth) in enumerate(inputs):
            # Interleave, alternating who goes first, so noise from other jobs hits both alike.
            if (r + i) % 2:
                cli.append(_cli_run(png, "fra"))
            cpu0, t0 = _own_seconds(), time.perf_counter()
            result = read_document(data, ctx)
            ours.append((time.perf_counter() - t0, _own_seconds() - cpu0))
            if not (r + i) % 2:
                cli.append(_cli_run(png, "fra"))
            cers.append(cer(result.text, truth))
    return {
        "pages": len(pages),
        "rounds": rounds,
        "pages_per_s": len(ours) / sum(w for w, _ in ours),
        "s_per_page_median": statistics.median(w for w, _ in ours),
        "cli_s_per_page_median": statistics.median(w for w, _ in cli),
        "cpu_s_per_page_median": statistics.median(c for _, c in ours),
        "cli_cpu_s_per_page_median": statistics.median(c for _, c in cli),
        # Wall time is what a user waits; CPU time (ours incl. Tesseract child vs the CLI
        # child) is the fairer ratio when other jobs share the box.
        "overhead_ratio": sum(w for w, _ in ours) / sum(w for w, _ in cli),
        "overhead_ratio_cpu": sum(c for _, c in ours) / sum(c for _, c in cli),
        "cer_mean": statistics.mean(cers),
    }


def _pil(pixels: np.ndarray) -> Any:
    from PIL import Image

    return Image.fromarray(pixels)


def _ocr_cer(pixels: np.ndarray, truth: str, path: Path, lang: str = "fra") -> tuple[float, float]:
    cv2.imwrite(str(path), pixels)
    result = ocr_image(path, languages=lang, dpi=300, timeout_s=120)
    return cer(result.text, truth), result.seconds


def bench_languages(n_pages: int, work: Path) -> dict[str, Any]:
    """fra vs fra+eng on the same scans, French and English pages: CER, wall and CPU time."""
    out: dict[str, Any] = {}
    for text_lang, english in (("french_pages", False), ("english_pages", True)):
        pages = _scan_pages(n_pages, OFFICE_SCAN, english=english)
        rows: dict[str, list[tuple[float, float, float]]] = {"fra": [], "fra+eng": []}
        for i, (pixels, truth) in enumerate(pages):
            # Alternate which goes first, so machine noise does not favour one.
            order = ("fra", "fra+eng") if i % 2 == 0 else ("fra+eng", "fra")
            for lang in order:
                cpu0 = _own_seconds()
                c, wall = _ocr_cer(pixels, truth, work / f"lang_{i}.pgm", lang)
                rows[lang].append((c, wall, _own_seconds() - cpu0))
        out[text_lang] = {
            lang: {
                "cer_mean": statistics.mean(c for c, _, _ in values),
                "s_per_page_median": statistics.median(w for _, w, _ in values),
                "s_total": sum(w for _, w, _ in values),
                "cpu_s_total": sum(u for _, _, u in values),
            }
            for lang, values in rows.items()
        }
        by = out[text_lang]
        by["time_ratio_fra_eng_vs_fra"] = by["fra+eng"]["s_total"] / by["fra"]["s_total"]
        by["cpu_ratio_fra_eng_vs_fra"] = by["fra+eng"]["cpu_s_total"] / by["fra"]["cpu_s_total"]
    return out


def bench_deskew(angles: list[float], n_pages: int, work: Path) -> list[dict[str, Any]]:
    """CER with and without our deskew at each skew angle (office-scan noise otherwise)."""
    rows = []
    for angle in angles:
        how = Degradation(angle_deg=angle, blur_sigma=0.6, noise_sigma=12, background=235)
        without, with_, step_s, ocr_s = [], [], [], []
        for pixels, truth in _scan_pages(n_pages, how):
            c0, s0 = _ocr_cer(pixels, truth, work / "deskew_off.pgm")
            (skew, t_est) = _timed(preprocess.estimate_skew, pixels)
            straight, t_rot = _timed(preprocess.rotate_small, pixels, skew.angle_deg)
            c1, s1 = _ocr_cer(straight, truth, work / "deskew_on.pgm")
            without.append(c0)
            with_.append(c1)
            step_s.append(t_est + t_rot)
            ocr_s.append((s0, s1))
        rows.append(
            {
                "angle_deg": angle,
                "cer_without": statistics.mean(without),
                "cer_with": statistics.mean(with_),
                "step_ms": 1000 * statistics.median(step_s),
                "ocr_s_without": statistics.median(s for s, _ in ocr_s),
                "ocr_s_with": statistics.median(s for _, s in ocr_s),
            }
        )
    return rows


def bench_contrast(n_pages: int, work: Path) -> dict[str, Any]:
    """On bad scans (grey paper, heavy noise, JPEG q35): raw vs contrast stretch vs Otsu."""
    pages = _scan_pages(n_pages, BAD_SCAN)
    variants = {
        "raw": lambda p: p,
        "stretch": preprocess.stretch_contrast,
        "otsu": preprocess.binarize_otsu,
    }
    out: dict[str, Any] = {}
    for name, fn in variants.items():
        cers, steps, ocrs = [], [], []
        for pixels, truth in pages:
            # Deskew first, as the reading stage does, so only the contrast step differs.
            skew = preprocess.estimate_skew(pixels)
            base = preprocess.rotate_small(pixels, skew.angle_deg)
            processed, t = _timed(fn, base)
            c, s = _ocr_cer(processed, truth, work / f"contrast_{name}.pgm")
            cers.append(c)
            steps.append(t)
            ocrs.append(s)
        out[name] = {
            "cer_mean": statistics.mean(cers),
            "step_ms": 1000 * statistics.median(steps),
            "ocr_s_median": statistics.median(ocrs),
        }
    return out


def bench_orientation(work: Path) -> list[dict[str, Any]]:
    """Pages turned 90° and 180°: first-pass CER/confidence, OSD time, CER after turning."""
    rows = []
    pixels, truth = _scan_pages(1, OFFICE_SCAN)[0]
    for turn in (0, 90, 180, 270):
        turned = preprocess.rotate_quadrant(pixels, turn)
        path = work / f"orient_{turn}.pgm"
        cv2.imwrite(str(path), turned)
        first = ocr_image(path, languages="fra", dpi=300, timeout_s=120)
        bad = preprocess.looks_misoriented(first.confidence, len(first.words), True)
        orientation, osd_s = _timed(detect_orientation, path, timeout_s=60)
        fixed_cer = None
        if orientation is not None and orientation.rotate_deg:
            upright = preprocess.rotate_quadrant(turned, orientation.rotate_deg)
            fixed_cer, _ = _ocr_cer(upright, truth, work / "orient_fixed.pgm")
        rows.append(
            {
                "turned_deg": turn,
                "first_pass_cer": cer(first.text, truth),
                "first_pass_confidence": first.confidence,
                "first_pass_s": first.seconds,
                "looks_misoriented": bad,
                "osd_rotate_deg": orientation.rotate_deg if orientation else None,
                "osd_confidence": orientation.confidence if orientation else None,
                "osd_s": osd_s,
                "cer_after_turning": fixed_cer,
            }
        )
    return rows


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.2%}"


def _table(title: str, rows: list[tuple[str, str]]) -> None:
    print(f"\n{title}")
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")


def _print_text_layer(tl: dict[str, Any]) -> None:
    _table(
        "Text-layer pages (read_document, born-digital A4)",
        [
            ("pages/s", f"{tl['pages_per_s']:.1f} ({tl['ms_per_page_median']:.0f} ms/page)"),
            *((f"2-column CER, {k}", f"{v:.2%}") for k, v in tl["two_column_cer"].items()),
            (
                "pdfplumber extract_text / pypdfium2 text",
                f"{tl['pdfplumber_extract_text_ms']:.0f} / {tl['pypdfium2_text_ms']:.1f} ms/page",
            ),
        ],
    )


def _print_ocr(sets: dict[str, Any]) -> None:
    for name, oc in sets.items():
        _table(
            f"OCR pages (read_document on 300-dpi PNG office scans, fra): {name}",
            [
                ("pages/s", f"{oc['pages_per_s']:.3f} ({oc['s_per_page_median']:.2f} s/page)"),
                ("bare tesseract CLI", f"{oc['cli_s_per_page_median']:.2f} s/page median"),
                (
                    "CPU s/page: ours / CLI",
                    f"{oc['cpu_s_per_page_median']:.2f} / {oc['cli_cpu_s_per_page_median']:.2f}",
                ),
                ("overhead ratio, wall (ours / CLI)", f"{oc['overhead_ratio']:.3f}"),
                ("overhead ratio, CPU (ours / CLI)", f"{oc['overhead_ratio_cpu']:.3f}"),
                ("CER", f"{oc['cer_mean']:.2%}"),
            ],
        )


def _print_languages(lg: dict[str, Any]) -> None:
    pages = ("french_pages", "english_pages")
    _table(
        "OCR languages (office scans)",
        [
            (
                f"{lang} on {p.split('_')[0]}",
                f"CER {lg[p][lang]['cer_mean']:.2%}, {lg[p][lang]['s_per_page_median']:.2f} s/page",
            )
            for p in pages
            for lang in ("fra", "fra+eng")
        ]
        + [
            (
                f"fra+eng / fra, {p.split('_')[0]}",
                f"wall {lg[p]['time_ratio_fra_eng_vs_fra']:.2f}, "
                f"CPU {lg[p]['cpu_ratio_fra_eng_vs_fra']:.2f}",
            )
            for p in pages
        ],
    )


def _print_deskew(rows: list[dict[str, Any]]) -> None:
    _table(
        "Deskew (CER without -> with; step cost)",
        [
            (
                f"{r['angle_deg']:.1f} deg",
                f"{r['cer_without']:.2%} -> {r['cer_with']:.2%}; {r['step_ms']:.0f} ms; "
                f"OCR {r['ocr_s_without']:.2f} -> {r['ocr_s_with']:.2f} s",
            )
            for r in rows
        ],
    )


def _print_contrast(rows: dict[str, Any]) -> None:
    _table(
        "Contrast on bad scans (after deskew)",
        [
            (
                k,
                f"CER {v['cer_mean']:.2%}, step {v['step_ms']:.0f} ms, "
                f"OCR {v['ocr_s_median']:.2f} s",
            )
            for k, v in rows.items()
        ],
    )


def _print_orientation(rows: list[dict[str, Any]]) -> None:
    _table(
        "Orientation (first pass, then OSD)",
        [
            (
                f"turned {r['turned_deg']} deg",
                f"CER {r['first_pass_cer']:.1%} conf {r['first_pass_confidence'] or 0:.0f} "
                f"bad={r['looks_misoriented']}; OSD rotate {r['osd_rotate_deg']} "
                f"(conf {r['osd_confidence'] or 0:.1f}, {r['osd_s']:.2f} s); "
                f"CER after {_pct(r['cer_after_turning'])}",
            )
            for r in rows
        ],
    )


SECTIONS = ("text_layer", "ocr", "languages", "deskew", "contrast", "orientation")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer pages (smoke run)")
    parser.add_argument(
        "--sections", default=",".join(SECTIONS), help=f"comma-separated subset of {SECTIONS}"
    )
    args = parser.parse_args()
    wanted = [s for s in args.sections.split(",") if s]
    unknown = set(wanted) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {sorted(unknown)}")
    # The stage logs per page; keep the table readable (warnings and errors still show).
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    n_text, n_ocr, n_small = (6, 2, 1) if args.quick else (30, 4, 2)
    RESULTS.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    busy0, own0 = _busy_seconds(), _own_seconds()
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "tesseract": subprocess.run(
                ["tesseract", "--version"], capture_output=True, text=True, check=True
            ).stdout.splitlines()[0],
            "seed": SEED,
            "loadavg_start": Path("/proc/loadavg").read_text().split()[:3],
        }
    }
    runs = {
        "text_layer": (lambda work: bench_text_layer(n_text), _print_text_layer),
        "ocr": (lambda work: bench_ocr(n_ocr, work), _print_ocr),
        "languages": (lambda work: bench_languages(n_small + 1, work), _print_languages),
        "deskew": (lambda work: bench_deskew([0.0, 1.2, 2.5, 4.0], n_small, work), _print_deskew),
        "contrast": (lambda work: bench_contrast(n_small, work), _print_contrast),
        "orientation": (bench_orientation, _print_orientation),
    }
    with tempfile.TemporaryDirectory(prefix="kanta-bench-") as tmp:
        for name in wanted:
            measure, show = runs[name]
            results[name] = measure(Path(tmp))
            show(results[name])
    wall = time.perf_counter() - t0
    own = _own_seconds() - own0
    results["wall_s"] = wall
    # Contention accounting as in PERF.md §6: our cores vs everyone else's during the run.
    results["own_cores"] = own / wall
    results["foreign_cores"] = max(0.0, (_busy_seconds() - busy0 - own) / wall)
    print(
        f"\nwall {wall:.0f} s; own cores {results['own_cores']:.2f}, "
        f"foreign cores {results['foreign_cores']:.2f} (other jobs on the box)"
    )
    stamp = time.strftime("%Y%m%dT%H%M%S")
    out = RESULTS / f"reading-{stamp}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"results: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
