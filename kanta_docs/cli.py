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
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar

from kanta_docs.config import load_settings
from kanta_docs.errors import InvalidInput, KantaError
from kanta_docs.logs import configure_logging

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from kanta_docs.models import ExtractResult
    from kanta_docs.tasks import Runtime

FORMATS = ("jsonl", "json", "table")
CHECK_FORMATS = ("json", "table")
T = TypeVar("T")


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
    check = commands.add_parser(
        "check", help="cross-check a client dossier and assess its risk",
        description="Extract every document of a dossier folder, cross-check it against the "
        "folder's declared.json, and print the alerts and the NPLAB risk assessment.",
    )
    check.add_argument("dossier", metavar="DOSSIER_DIR", type=Path)
    check.add_argument("--as-of", type=_iso_day, default=None, metavar="YYYY-MM-DD",
                       help="the day the dossier is judged on (default: today)")
    check.add_argument("--format", choices=CHECK_FORMATS, default=None,
                       help="json (default when stdout is not a terminal) or table")
    check.add_argument("--jobs", type=int, default=None,
                       help="documents read in parallel (default: one per CPU core)")
    check.add_argument("--divergence-report", type=Path, default=None, metavar="FILE",
                       help="also write the beneficial-owner register divergence report: JSON "
                       "to FILE and a readable text beside it (FILE with a .txt suffix)")
    check.add_argument("--risk-overrides", type=Path, default=None, metavar="TOML",
                       help="the firm's risk reference overrides (weights, thresholds, sectors, "
                       "missions, country lists), merged over alerts/data/*.toml")
    check.set_defaults(handler=_run_check)
    ingest = commands.add_parser(
        "ingest", help="store a dossier folder and process it through the service pipeline",
        description="Store a folder of documents and its declared.json as one dossier of the "
        "firm, process every new document (in-process by default, Celery workers when "
        "KANTA_BROKER_URL points at Redis) and print its alerts and risk.",
    )
    ingest.add_argument("dossier", metavar="DOSSIER_DIR", type=Path)
    ingest.add_argument("--firm", required=True, help="the firm (tenant) name")
    ingest.add_argument("--no-wait", action="store_true",
                        help="return once the documents are queued")
    ingest.add_argument("--format", choices=CHECK_FORMATS, default=None)
    ingest.set_defaults(handler=_run_ingest)
    worker = commands.add_parser("worker", help="run a Celery worker (and beat with --beat)")
    worker.add_argument("--concurrency", type=int, default=None,
                        help="worker processes (default: one per CPU core)")
    worker.add_argument("--beat", action="store_true",
                        help="also run the schedules: daily expiry scan, outbox relay, "
                        "recovery of stuck documents")
    worker.set_defaults(handler=_run_worker)
    portfolio = commands.add_parser(
        "import", help="import a firm's client portfolio (CSV or JSON) into dossiers",
        description="Create or update one dossier per client (keyed by SIREN) with its "
        "declared data; prints a per-row report of what was rejected and why.")
    portfolio.add_argument("file", type=Path, metavar="FILE")
    portfolio.add_argument("--firm", required=True, help="the firm (tenant) name")
    portfolio.set_defaults(handler=_run_import)
    status = commands.add_parser("status", help="documents by state, open alerts, queue depth")
    status.set_defaults(handler=_run_status)
    reindex = commands.add_parser("reindex", help="rebuild the search index from the store")
    reindex.add_argument("--firm", default=None, help="only this firm (default: every firm)")
    reindex.set_defaults(handler=_run_reindex)
    search = commands.add_parser("search", help="search a firm's documents")
    search.add_argument("query", metavar="QUERY", help='French text ("quotes" for a phrase), '
                        "or a person's name with --person")
    search.add_argument("--firm", required=True, help="the firm (tenant) name")
    search.add_argument("--person", action="store_true", help="QUERY is a person's name")
    search.add_argument("--born", type=_iso_day, default=None, metavar="YYYY-MM-DD",
                        help="with --person: the birth date")
    search.add_argument("--type", action="append", default=[], dest="types",
                        help="document type (repeat for several)")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--format", choices=("table", "json"), default=None,
                        help="table (default on a terminal) or json")
    search.set_defaults(handler=_run_search)
    serve = commands.add_parser("serve", help="run the HTTP API (migrates the store first)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default "
                       "127.0.0.1; 0.0.0.0 behind a TLS proxy only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.set_defaults(handler=_run_serve)
    user = commands.add_parser("user", help="manage users from the command line")
    user_commands = user.add_subparsers(required=True, metavar="ACTION")
    user_add = user_commands.add_parser(
        "add", help="create a user (the firm's first admin, typically)",
        description="Create a user with a password (asked on the terminal, or read from "
        "KANTA_NEW_USER_PASSWORD). The user sets up two-factor authentication at first login.")
    user_add.add_argument("--firm", required=True, help="the firm (created on first use)")
    user_add.add_argument("--email", required=True)
    user_add.add_argument("--name", required=True, help="display name")
    user_add.add_argument("--role", default="admin",
                          choices=("admin", "compliance_officer", "collaborator"))
    user_add.set_defaults(handler=_run_user_add)
    db = commands.add_parser("db", help="migrate the store (upgrade or downgrade)")
    db.add_argument("action", choices=("upgrade", "downgrade"))
    db.add_argument("--revision", default=None, help="target (default: head / base)")
    db.set_defaults(handler=_run_db)
    return parser


def _iso_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from None


def _run_extract(args: argparse.Namespace) -> int:
    # Imported here so that `--help` and argument errors answer at once, without loading the
    # PDF, image and OCR libraries.
    from kanta_docs.batch import extract_all, walk
    from kanta_docs.pipeline import read_context

    files = list(walk(args.paths))
    fmt: str = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    jobs = _jobs(args.jobs)
    ctx = read_context(load_settings())
    out = sys.stdout
    results: list[ExtractResult] = []
    all_readable = True
    with _stdout_to_stderr():
        for extraction in _progress(extract_all(files, ctx, jobs), len(files)):
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


def _jobs(requested: int | None) -> int:
    jobs = requested if requested is not None else (os.cpu_count() or 1)
    if jobs < 1:
        raise InvalidInput("--jobs must be at least 1")
    return jobs


def _progress(items: Iterator[T], total: int) -> Iterator[T]:
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


def _run_check(args: argparse.Namespace) -> int:
    from kanta_docs.check_output import print_check_table, write_divergence_report
    from kanta_docs.dossier import check_dossier_dir
    from kanta_docs.pipeline import read_context

    fmt: str = args.format or ("table" if sys.stdout.isatty() else "json")
    as_of: date = args.as_of or date.today()
    ctx = read_context(load_settings())
    reference = None
    if args.risk_overrides is not None:
        from alerts.risk import load_reference

        reference = load_reference(args.risk_overrides)
    with _stdout_to_stderr(), _progress_counter("Reading documents") as tick:
        result, check = check_dossier_dir(args.dossier, as_of, ctx, _jobs(args.jobs), tick,
                                          reference)
    if args.divergence_report is not None:
        write_divergence_report(check, result, args.divergence_report)
    if fmt == "json":
        _write_line(sys.stdout, json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2))
    else:
        print_check_table(result, sys.stdout)
    return 0 if all(d.pages > 0 for d in result.documents) else 1


@contextmanager
def _progress_counter(label: str) -> Iterator[Callable[[], None]]:
    """A callback advancing a spinner-with-count on stderr (silent when not a terminal)."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task(label, total=None)
        yield lambda: progress.advance(task)


def _runtime() -> Runtime:
    from kanta_docs.store.db import database_url, upgrade
    from kanta_docs.tasks import build_runtime

    settings = load_settings()
    upgrade(database_url(settings))  # the embedded store creates itself on first use
    return build_runtime(settings)


def _run_ingest(args: argparse.Namespace) -> int:
    from kanta_docs.ingest import ingest_folder, wait_for_dossier
    from kanta_docs.service_view import dossier_summary, print_summary

    if not args.dossier.is_dir():
        raise InvalidInput(f"{args.dossier}: not a dossier folder")
    rt = _runtime()
    with _stdout_to_stderr():
        report = ingest_folder(rt, args.dossier, args.firm)
        print(f"dossier {report.dossier_id}: {report.new_documents} new documents, "  # noqa: T201
              f"{report.known_documents} already stored", file=sys.stderr)
        if args.no_wait:
            return 0
        with _progress_counter("Processing documents") as tick:
            wait_for_dossier(rt, report, on_progress=lambda done, total: tick())
        if rt.settings.broker_url == "memory":
            # No Celery beat here: index the dossier and send its notifications now.
            from kanta_docs.tasks import relay_outbox

            relay_outbox(rt)
    summary = dossier_summary(rt, report.firm_id, report.dossier_id)
    fmt: str = args.format or ("table" if sys.stdout.isatty() else "json")
    if fmt == "json":
        _write_line(sys.stdout, json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print_summary(summary, sys.stdout)
    return 0 if summary["failed_documents"] == 0 else 1


def _run_worker(args: argparse.Namespace) -> int:
    from kanta_docs.worker import app

    settings = load_settings()
    if settings.broker_url == "memory":
        raise InvalidInput("KANTA_BROKER_URL is 'memory': the embedded worker runs inside "
                           "`kanta-docs ingest`; set it to redis://… to run Celery workers")
    _runtime()  # migrate before the first task
    argv = ["worker", "--loglevel=INFO"]
    if args.concurrency:
        argv += ["--concurrency", str(args.concurrency)]
    if args.beat:
        argv.append("--beat")
    app.worker_main(argv=argv)
    return 0


def _run_status(args: argparse.Namespace) -> int:
    from kanta_docs.service_view import service_status

    _write_line(sys.stdout, json.dumps(service_status(_runtime()), indent=2))
    return 0


def _run_reindex(args: argparse.Namespace) -> int:
    from kanta_docs.search_cli import reindex

    count = reindex(_runtime(), args.firm, sys.stderr)
    _write_line(sys.stdout, str(count))
    return 0


def _run_search(args: argparse.Namespace) -> int:
    from kanta_docs.search_cli import print_result, search

    if not 1 <= args.limit <= 100:
        raise InvalidInput("--limit must be between 1 and 100")
    result = search(_runtime(), args.firm, args.query, person=args.person,
                    doc_types=tuple(args.types), birth_date=args.born, limit=args.limit)
    fmt = args.format or ("table" if sys.stdout.isatty() else "json")
    print_result(result, fmt, sys.stdout)
    return 0


def _run_serve(args: argparse.Namespace) -> int:
    from api.commands import serve

    serve(load_settings(), args.host, args.port)
    return 0


def _run_user_add(args: argparse.Namespace) -> int:
    import getpass

    from api.commands import add_user

    password = os.environ.get("KANTA_NEW_USER_PASSWORD") or getpass.getpass(
        f"Password for {args.email}: ")
    user_id = add_user(load_settings(), args.firm, args.email, args.name, args.role, password)
    _write_line(sys.stdout, str(user_id))
    return 0


def _run_db(args: argparse.Namespace) -> int:
    from kanta_docs.store.db import database_url, downgrade, upgrade

    url = database_url(load_settings())
    if args.action == "upgrade":
        upgrade(url, args.revision or "head")
    else:
        downgrade(url, args.revision or "base")
    return 0


def _run_import(args: argparse.Namespace) -> int:
    from kanta_docs.ingest import import_portfolio

    try:
        data = args.file.read_bytes()
    except OSError as e:
        raise InvalidInput(f"{args.file}: cannot read it ({e.strerror or e})") from None
    rt = _runtime()
    report = import_portfolio(rt, data, args.file.name, args.firm)
    rt.queue.join()
    _write_line(sys.stdout, json.dumps({
        "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
        "rejected": [{"row": e.row_number, "field": e.field, "reason": e.reason}
                     for e in report.rejected]}, ensure_ascii=False, indent=2))
    return 0 if not report.rejected else 1
