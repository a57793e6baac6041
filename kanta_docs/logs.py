"""Logging: structlog, JSON when stderr is not a terminal, console otherwise; configured once.

Logs go to stderr (stdout carries only the CLI's JSON). Never log names, birth dates, document
numbers or extracted text: this is AML/KYC data. Log sha256, counts, doc_type, confidence.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog


class _CurrentStderr:
    """Writes to whatever `sys.stderr` is now: loggers are cached, but a test harness or a
    daemoniser may replace (and close) the stream that was current when they were made."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure_logging(level: str = "WARNING") -> None:
    """Route structlog and stdlib logging to stderr at `level`."""
    renderer: Any = (
        structlog.dev.ConsoleRenderer(colors=False)
        if sys.stderr.isatty()
        else structlog.processors.JSONRenderer()
    )
    numeric = logging.getLevelName(level.upper())
    logging.basicConfig(stream=sys.stderr, level=numeric, format="%(message)s")
    # pdfminer logs every malformed object at WARNING; those are ours to report, once, per file.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=_CurrentStderr()),  # type: ignore[arg-type]
        cache_logger_on_first_use=True,
    )


def get_logger(name: str) -> Any:
    """A structlog logger bound to the module name."""
    return structlog.get_logger(name)
