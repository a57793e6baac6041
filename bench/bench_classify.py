"""Classification accuracy over the generated documents, by type, born-digital vs scanned, with
held-out templates reported apart. Run: `uv run python bench/bench_classify.py [--per-template N]`.

Targets (issue 2): >= 99 % born-digital, >= 97 % scanned; no file crashes the command.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kanta_docs.config import Settings  # noqa: E402
from kanta_docs.logs import configure_logging  # noqa: E402
from kanta_docs.pipeline import extract_file, read_context  # noqa: E402
from tests.fixtures.generate import generate, read_expected  # noqa: E402

RESULTS = Path(__file__).parent / "results"


def _classify(path: Path) -> tuple[str, str, int, float]:
    ctx = read_context(Settings())
    start = time.perf_counter()
    extraction = extract_file(path, ctx)
    crashed = "" if extraction.is_readable else "; ".join(extraction.result.warnings)
    return (
        extraction.result.doc_type.value,
        crashed,
        extraction.result.pages,
        time.perf_counter() - start,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-template", type=int, default=4)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, default=None, help="keep generated files here")
    args = parser.parse_args()

    out = args.out or Path(tempfile.mkdtemp(prefix="kanta-bench-classify-"))
    files = sorted(
        generate(
            out,
            per_template=args.per_template,
            seed=args.seed,
            scans=True,
            holdout="include",
            jobs=args.jobs,
        )
    )
    print(f"{len(files)} documents generated under {out}")
    expected = [read_expected(p)["doc_type"] for p in files]

    start = time.perf_counter()
    with ProcessPoolExecutor(
        max_workers=args.jobs, initializer=configure_logging, initargs=("WARNING",)
    ) as pool:
        outcomes = list(pool.map(_classify, files, chunksize=1))
    wall = time.perf_counter() - start

    cells: dict[tuple[str, str, str], list[bool]] = defaultdict(list)
    confusion: Counter[tuple[str, str]] = Counter()
    errors = []
    for path, want, (got, crashed, _pages, _s) in zip(files, expected, outcomes, strict=True):
        split, kind = path.relative_to(out).parts[:2]
        cells[(split, kind, want)].append(got == want)
        if got != want:
            confusion[(want, got)] += 1
            errors.append(
                {
                    "file": str(path.relative_to(out)),
                    "expected": want,
                    "got": got,
                    "unreadable": crashed,
                }
            )
    report = _report(cells)
    pages = sum(o[2] for o in outcomes)
    print(
        f"\n{len(files)} documents, {pages} pages in {wall:.1f} s "
        f"({pages / wall:.2f} pages/s with {args.jobs} processes)"
    )
    print("confusions (expected -> got):", dict(confusion) or "none")
    for e in errors[:30]:
        print("  miss:", e)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "classify.json").write_text(
        json.dumps({"report": report, "errors": errors, "seconds": wall, "pages": pages}, indent=2)
    )


def _report(cells: dict[tuple[str, str, str], list[bool]]) -> dict[str, float]:
    report: dict[str, float] = {}
    print(f"\n{'split':8} {'kind':13} {'type':17} {'n':>4} {'accuracy':>9}")
    for split in ("dev", "holdout"):
        for kind in ("born_digital", "scanned"):
            total: list[bool] = []
            for (s, k, doc_type), hits in sorted(cells.items()):
                if (s, k) != (split, kind):
                    continue
                total += hits
                print(
                    f"{split:8} {kind:13} {doc_type:17} {len(hits):4} "
                    f"{100 * sum(hits) / len(hits):8.1f}%"
                )
            if total:
                acc = 100 * sum(total) / len(total)
                report[f"{split}/{kind}"] = acc
                print(f"{split:8} {kind:13} {'ALL':17} {len(total):4} {acc:8.1f}%\n")
    return report


if __name__ == "__main__":
    main()
