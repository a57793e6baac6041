"""The `kanta-docs` command line: the contract's `extract` command (../shared/CONTRACT.md).

This module is the CLI's error boundary: a bad argument prints one line on stderr and exits 2;
an unreadable document is a result like any other (exit status 1 at the end). stdout carries only
the JSON/JSONL or the table; logs and the progress bar go to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING

from kanta_docs.config import load_settings
from kanta_docs.errors import InvalidInput, KantaError
from kanta_docs.logs import configure_logging

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from extractors.base import ReadContext
    from kanta_docs.models import ExtractResult
    from kanta_docs.pipeline import Extraction

FORMATS = ("jsonl", "json", "table")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `kanta-docs`; returns the exit status."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.log_level)
    try:
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except KantaError as e:
        print(f"kanta-docs: {e}", file=sys.stderr)  # noqa: T201 - the CLI's one-line reason
        return e.exit_code


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kanta-docs",
        description="Read AML documents (Kbis, RBE, statuts, identity documents) and extract "
        "who owns and runs a company.",
    )
    parser.add_argument("--log-level", default=os.environ.get("KANTA_LOG_LEVEL", "WARNING"),
                        help="stderr log level (default WARNING; env KANTA_LOG_LEVEL)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    extract = commands.add_parser(
        "extract", help="classify and extract documents",
        description="Classify and extract each document; a directory is walked recursively.",
    )
    extract.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", type=Path)
    extract.add_argument("--format", choices=FORMATS, default=None,
                         help="jsonl (default when stdout is not a terminal), json, or table "
                         "(default on a terminal)")
    extract.add_argument("--jobs", type=int, default=None,
                         help="documents read in parallel (default: one per CPU core)")
    extract.set_defaults(handler=_run_extract)
    return parser


def _run_extract(args: argparse.Namespace) -> int:
    # Imported here so that `--help` and argument errors answer at once, without loading the
    # PDF, image and OCR libraries.
    from kanta_docs.pipeline import read_context

    files = list(_walk(args.paths))
    fmt: str = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    if jobs < 1:
        raise InvalidInput("--jobs must be at least 1")
    ctx = read_context(load_settings())
    out = sys.stdout
    results: list[ExtractResult] = []
    all_readable = True
    with _stdout_to_stderr():
        for extraction in _progress(_extract_all(files, ctx, jobs), len(files)):
            all_readable &= extraction.is_readable
            if fmt == "jsonl":
                _write_line(out, json.dumps(extraction.result.to_json_dict(), ensure_ascii=False))
            else:
                results.append(extraction.result)
    if fmt == "json":
        text = json.dumps([r.to_json_dict() for r in results], ensure_ascii=False, indent=2)
        _write_line(out, text)
    elif fmt == "table":
        _print_table(results, out)
    return 0 if all_readable else 1


def _walk(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, and files under directories (recursively, sorted, dotfiles skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if child.is_file() and not any(part.startswith(".") for part in relative):
                    yield child
        elif path.is_file():
            yield path
        else:
            raise InvalidInput(f"{path}: no such file or directory")


def _extract_all(files: list[Path], ctx: ReadContext, jobs: int) -> Iterator[Extraction]:
    """Extractions in input order; several processes when there are several files (OCR is
    single-threaded per page, so one process per core is the only way to use the machine)."""
    from kanta_docs.pipeline import extract_file

    if jobs == 1 or len(files) < 2:
        for path in files:
            yield extract_file(path, ctx)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(files)),
                             initializer=configure_logging,
                             initargs=(os.environ.get("KANTA_LOG_LEVEL", "WARNING"),)) as pool:
        yield from pool.map(partial(_extract_path, ctx=ctx), files)


def _extract_path(path: Path, ctx: ReadContext) -> Extraction:
    from kanta_docs.pipeline import extract_file

    return extract_file(path, ctx)


def _progress(items: Iterator[Extraction], total: int) -> Iterator[Extraction]:
    """Pass items through, with a progress bar on stderr when it is a terminal."""
    if total < 2 or not sys.stderr.isatty():
        yield from items
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("Reading documents", total=total)
        for item in items:
            progress.advance(task)
            yield item


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Send stray library prints to stderr so stdout stays valid JSON."""
    real = sys.stdout
    sys.stdout = sys.stderr
    try:
        yield
    finally:
        sys.stdout = real


def _write_line(out: IO[str], text: str) -> None:
    # One write per object: an interrupted run never leaves half an object on a line.
    out.write(text + "\n")
    out.flush()


def _print_table(results: list[ExtractResult], out: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    unreadable = sum(1 for r in results if r.pages == 0)
    table = Table(show_lines=False,
                  caption=f"{len(results)} documents, {unreadable} unreadable")
    for column in ("file", "type", "pages", "ocr", "date", "expiry", "subject", "warnings"):
        table.add_column(column, overflow="fold")
    for r in results:
        table.add_row(
            r.file, r.doc_type.value, str(r.pages), "yes" if r.ocr_used else "no",
            _iso(r.document_date), _iso(r.effective_expiry_date), _subject(r),
            "; ".join(r.warnings),
        )
    Console(file=out, width=max(120, Console().width)).print(table)


def _subject(r: ExtractResult) -> str:
    if r.company is not None:
        return " ".join(filter(None, [r.company.name, r.company.siren]))
    if r.identity is not None:
        return " ".join(filter(None, [r.identity.first_names, r.identity.last_name]))
    return ""


def _iso(value: object) -> str:
    return "" if value is None else str(value)
