"""Dossier cross-check accuracy over generated client dossiers with injected discrepancies.

Generates N dossiers (`tests/fixtures/dossiers.py`: declared.json, Kbis, RBE, statuts, identity
documents, about 60 % with 1–2 injected discrepancies, near-misses that must not alert), runs
`kanta_docs.dossier.check_dossier_dir` on each at the dossier's as-of day, and scores the alerts
against expected.json (`tests/fixtures/dossier_scoring.py`): precision / recall / F1 per alert
type, born-digital vs scanned, the share of clean dossiers that raised no alert, seconds per
dossier. Run: `uv run python bench/bench_check.py [--count N] [--seed S] [--scans]
[--show-misses]`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kanta_docs.config import load_settings  # noqa: E402
from kanta_docs.logs import configure_logging  # noqa: E402
from kanta_docs.pipeline import read_context  # noqa: E402
from tests.fixtures.dossier_scoring import (  # noqa: E402
    ALERT_TYPES,
    AlertScore,
    score_dossier,
)
from tests.fixtures.dossiers import generate_dossiers, read_dossier_expected  # noqa: E402

RESULTS = Path(__file__).parent / "results"


@cache
def _context() -> Any:
    return read_context(load_settings())


def _check(folder: Path) -> tuple[list[dict[str, Any]], float, str | None]:
    """Raised alerts (contract JSON), seconds, and the error if the check crashed."""
    from kanta_docs.dossier import check_dossier_dir

    as_of = date.fromisoformat(read_dossier_expected(folder)["as_of"])
    start = time.perf_counter()
    try:
        result = check_dossier_dir(folder, as_of, _context())
    except Exception as e:  # noqa: BLE001 - a crash is a finding, not the end of the benchmark
        return [], time.perf_counter() - start, f"{type(e).__name__}: {e}"
    if isinstance(result, tuple):  # (CheckResult, internal check) in some versions
        result = result[0]
    data = json.loads(json.dumps(result.to_json_dict(), default=str))
    return list(data.get("alerts") or []), time.perf_counter() - start, None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--scans", action="store_true", help="also score scanned dossiers")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    out = args.out or Path(tempfile.mkdtemp(prefix="kanta-bench-check-"))
    kinds = ["born_digital"] + (["scanned"] if args.scans else [])
    folders: list[tuple[str, Path]] = []
    start = time.perf_counter()
    for kind in kinds:
        made = generate_dossiers(
            out / kind, args.count, args.seed, scans=kind == "scanned", jobs=args.jobs
        )
        folders += [(kind, f) for f in made]
    print(f"{len(folders)} dossiers under {out} ({time.perf_counter() - start:.1f} s)")

    start = time.perf_counter()
    with ProcessPoolExecutor(
        max_workers=args.jobs, initializer=configure_logging, initargs=("WARNING",)
    ) as pool:
        outcomes = list(pool.map(_check, [f for _, f in folders], chunksize=1))
    wall = time.perf_counter() - start

    scores: dict[str, AlertScore] = defaultdict(AlertScore)
    seconds: dict[str, list[float]] = defaultdict(list)
    clean: dict[str, list[bool]] = defaultdict(list)
    crashes: dict[str, list[str]] = defaultdict(list)
    for (kind, folder), (alerts, secs, error) in zip(folders, outcomes, strict=True):
        expected = read_dossier_expected(folder)
        label = f"{kind}/{folder.name}"
        if error:
            crashes[kind].append(f"{label}: {error}")
        score = score_dossier(expected, alerts, label)
        scores[kind].add(score)
        seconds[kind].append(secs)
        if expected["clean"]:
            clean[kind].append(not alerts)
        if args.show_misses and score.misses:
            print(f"\n{label} (as of {expected['as_of']}, injected {expected['injected']}):")
            for miss in score.misses:
                print("   ", miss.split(" ", 1)[1])
    report = _print_report(scores, seconds, clean, crashes)
    print(f"\nwall {wall:.1f} s for {len(folders)} dossiers with {args.jobs} processes")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "check.json").write_text(json.dumps(report, indent=2))


def _print_report(
    scores: dict[str, AlertScore],
    seconds: dict[str, list[float]],
    clean: dict[str, list[bool]],
    crashes: dict[str, list[str]],
) -> dict[str, Any]:
    report: dict[str, Any] = {}
    for kind, score in scores.items():
        print(f"\n=== {kind} ({len(seconds[kind])} dossiers) ===")
        print(f"{'alert type':28} {'tp':>4} {'fp':>4} {'fn':>4}   P      R      F1")
        per_type = {}
        for t in ALERT_TYPES:
            tp, fp, fn = score.counts(t)
            p, r, f1 = score.prf(t)
            per_type[t] = {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f1}
            print(f"{t:28} {tp:4d} {fp:4d} {fn:4d}   {p:.3f}  {r:.3f}  {f1:.3f}")
        p, r, f1 = score.prf()
        ok = clean[kind]
        clean_share = sum(ok) / len(ok) if ok else 1.0
        per_dossier = sum(seconds[kind]) / max(len(seconds[kind]), 1)
        print(f"{'ALL':28} {'':14}   {p:.3f}  {r:.3f}  {f1:.3f}")
        print(f"clean dossiers with no alert: {sum(ok)}/{len(ok)} ({100 * clean_share:.0f} %)")
        print(f"seconds per dossier: {per_dossier:.2f}")
        for crash in crashes[kind]:
            print(f"CRASH {crash}")
        report[kind] = {
            "precision": p, "recall": r, "f1": f1, "clean_without_alert": clean_share,
            "seconds_per_dossier": per_dossier, "types": per_type,
            "crashes": crashes[kind],
        }  # fmt: skip
    return report


if __name__ == "__main__":
    main()
