"""Field-extraction accuracy over the generated documents.

Per document type and per field, born-digital vs scanned, development vs held-out templates;
list items (owners, officers, shareholders) by precision/recall/F1 with field accuracy inside
matched items; seconds per page. Run: `uv run python bench/bench_extract.py [--types kbis,rbe]
[--per-template N] [--no-scans] [--show-misses]`.

Targets (issue 3): field accuracy >= 99 % born-digital, >= 95 % scanned; beneficial-owner F1
>= 0.98 born-digital, >= 0.95 scanned; identity expiry >= 99 % where the zone is legible.
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
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kanta_docs.config import Settings  # noqa: E402
from kanta_docs.logs import configure_logging  # noqa: E402
from kanta_docs.pipeline import extract_file, read_context  # noqa: E402
from tests.fixtures.generate import generate, read_expected  # noqa: E402
from tests.fixtures.scoring import LISTS, Score, score_document  # noqa: E402

RESULTS = Path(__file__).parent / "results"


def _extract(path: Path) -> tuple[dict[str, Any], float]:
    start = time.perf_counter()
    result = extract_file(path, read_context(Settings())).result.to_json_dict()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-template", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--types", default="kbis,rbe,statuts,id_card,passport,residence_permit")
    parser.add_argument("--no-scans", action="store_true")
    parser.add_argument("--holdout", choices=("exclude", "only", "include"), default="include")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    out = args.out or Path(tempfile.mkdtemp(prefix="kanta-bench-extract-"))
    files = sorted(
        generate(
            out,
            per_template=args.per_template,
            seed=args.seed,
            scans=not args.no_scans,
            holdout=args.holdout,
            types=args.types.split(","),
            jobs=args.jobs,
        )
    )
    print(f"{len(files)} documents under {out}")
    start = time.perf_counter()
    with ProcessPoolExecutor(
        max_workers=args.jobs, initializer=configure_logging, initargs=("WARNING",)
    ) as pool:
        outcomes = list(pool.map(_extract, files, chunksize=1))
    wall = time.perf_counter() - start

    groups: dict[tuple[str, str, str], Score] = defaultdict(Score)
    seconds: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for path, (got, secs) in zip(files, outcomes, strict=True):
        want = read_expected(path)
        split, kind = path.relative_to(out).parts[:2]
        key = (split, kind, want["doc_type"])
        score = score_document(got, want)
        groups[key].add(score)
        seconds[key].append(secs / max(got.get("pages") or 1, 1))
        if args.show_misses and score.misses:
            print(f"\n{path.relative_to(out)}:")
            for miss in score.misses:
                print("   ", miss)
    report = _print_report(groups, seconds)
    print(f"\nwall {wall:.1f} s for {len(files)} documents with {args.jobs} processes")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "extract.json").write_text(json.dumps(report, indent=2))


def _print_report(
    groups: dict[tuple[str, str, str], Score], seconds: dict[tuple[str, str, str], list[float]]
) -> dict[str, Any]:
    report: dict[str, Any] = {}
    for split in ("dev", "holdout"):
        for kind in ("born_digital", "scanned"):
            total = Score()
            keys = sorted(k for k in groups if k[:2] == (split, kind))
            if not keys:
                continue
            print(f"\n=== {split} / {kind} ===")
            for key in keys:
                score = groups[key]
                total.add(score)
                per_page = sum(seconds[key]) / len(seconds[key])
                print(
                    f"{key[2]:17} fields {100 * score.field_accuracy():6.2f}%   "
                    f"{per_page:5.2f} s/page"
                )
                for name, hits in sorted(score.fields.items()):
                    if not all(hits):
                        print(
                            f"    {name:34} {100 * sum(hits) / len(hits):6.1f}%  "
                            f"({len(hits) - sum(hits)} wrong of {len(hits)})"
                        )
                for list_name in LISTS:
                    if sum(score.items.get(list_name, [0, 0, 0])):
                        p, r, f1 = score.f1(list_name)
                        print(f"    {list_name:34} P {p:.3f} R {r:.3f} F1 {f1:.3f}")
                report[f"{split}/{kind}/{key[2]}"] = {
                    "field_accuracy": score.field_accuracy(),
                    "fields": {k: sum(v) / len(v) for k, v in score.fields.items()},
                    "lists": {n: score.f1(n) for n in LISTS if n in score.items},
                    "seconds_per_page": per_page,
                }
            bo = total.f1("beneficial_owners")
            print(
                f"ALL {split}/{kind}: fields {100 * total.field_accuracy():.2f}%  "
                f"owners F1 {bo[2]:.3f}"
            )
            report[f"{split}/{kind}"] = {
                "field_accuracy": total.field_accuracy(),
                "owners_f1": bo[2],
            }
    return report


if __name__ == "__main__":
    main()
