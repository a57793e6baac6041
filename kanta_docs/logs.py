"""Logging: structlog, JSON when stderr is not a terminal, console otherwise; configured once.

Logs go to stderr (stdout carries only the CLI's JSON). Never log names, birth dates, document
numbers or extracted text: this is AML/KYC data. Log sha256, counts, doc_type, confidence.

Credentials never reach a log line: `redact` hides API keys, JWTs and refresh tokens, and
`configure_logging` applies it to every structlog event (`redact_event`) and to every stdlib
record (`RedactingFilter`, on the root handlers and on uvicorn's loggers, which have their own
handlers and do not propagate to the root).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping
from typing import Any

import structlog

# The prefix of refresh tokens (api.auth.tokens.REFRESH_PREFIX; kanta_docs may not import api,
# a test checks that the two agree).
REFRESH_TOKEN_PREFIX = "kdr_"

# Redaction is deliberately wider than parsing: a key with a typo, in another case or cut
# short is still a secret. Keys and refresh tokens: the prefix, then whatever follows. An
# already redacted key ("kd_<prefix>_***") stays as it is: a record may pass several filters.
_REDACT_KEY = re.compile(r"(?i)kd_([a-z0-9]{8})_(?:\*\*\*)?[A-Za-z0-9_-]*")
_REDACT_REFRESH = re.compile(rf"(?i){re.escape(REFRESH_TOKEN_PREFIX)}[A-Za-z0-9_-]*")
# A JWT: base64url of '{"' (eyJ) for the header, then one or two more dot-separated parts.
# A webhook signing secret (Standard Webhooks: "whsec_" + base64).
_REDACT_WEBHOOK_SECRET = re.compile(r"whsec_[A-Za-z0-9+/=_-]*")
_REDACT_JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?")
# How deep `redact_value` follows nested containers (a cycle or a huge tree stops there).
_MAX_DEPTH = 8
_PLAIN = (bool, int, float, type(None))


def redact(text: str) -> str:
    """Hide credentials inside a text.

    API keys (`kd_<prefix>_<secret>`) become "kd_<prefix>_***" (the prefix is public and
    identifies the key); JWTs and refresh tokens (`kdr_...`) become "***"; webhook signing
    secrets "whsec_***".
    """
    text = _REDACT_KEY.sub(lambda m: f"kd_{m.group(1).lower()}_***", text)
    text = _REDACT_REFRESH.sub("***", text)
    text = _REDACT_WEBHOOK_SECRET.sub("whsec_***", text)
    return _REDACT_JWT.sub("***", text)


def redact_value(value: Any, _depth: int = 0) -> Any:
    """`value` with credentials hidden: strings are redacted, containers walked; any other
    object is replaced by its redacted repr when that repr holds a credential."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, _PLAIN):
        return value
    if _depth >= _MAX_DEPTH:
        return redact(repr(value))
    if isinstance(value, Mapping):
        return {redact_value(k, _depth + 1): redact_value(v, _depth + 1)
                for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [redact_value(v, _depth + 1) for v in value]
        return tuple(items) if isinstance(value, tuple) else items
    if isinstance(value, bytes | bytearray):
        text = bytes(value).decode("utf-8", "replace")
        hidden = redact(text)
        return hidden if hidden != text else value
    shown = repr(value)
    hidden = redact(shown)
    return hidden if hidden != shown else value


def redact_event(logger: Any, method_name: str, event_dict: Any) -> Any:
    """The structlog processor: redacts every value of the event (after format_exc_info,
    so that exception texts are covered, and before the renderer)."""
    return {key: redact_value(value) for key, value in event_dict.items()}


class RedactingFilter(logging.Filter):
    """Redacts a stdlib record in place: message, arguments, exception and stack texts.

    The arguments keep their shape (uvicorn's access formatter unpacks them), only strings in
    them change, so "%d" still gets its number.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keeps the record, redacted."""
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        elif not isinstance(record.msg, _PLAIN):
            record.msg = redact(str(record.msg))
        if isinstance(record.args, Mapping):
            record.args = {k: redact_value(v) for k, v in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(redact_value(v) for v in record.args)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


# Loggers with handlers of their own that do not propagate to the root (uvicorn configures
# them when it starts; dictConfig replaces their handlers but keeps their filters). A logger's
# filter sees only the records logged on that very logger, hence each name.
_OWN_HANDLER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


def install_redaction() -> None:
    """Put a `RedactingFilter` on the root logger's handlers, the root logger and uvicorn's
    loggers (idempotent)."""
    root = logging.getLogger()
    targets: list[logging.Filterer] = [root, *root.handlers]
    targets += [logging.getLogger(name) for name in _OWN_HANDLER_LOGGERS]
    for target in targets:
        if not any(isinstance(f, RedactingFilter) for f in target.filters):
            target.addFilter(RedactingFilter())


class _CurrentStderr:
    """Writes to whatever `sys.stderr` is now: loggers are cached, but a test harness or a
    daemoniser may replace (and close) the stream that was current when they were made."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure_logging(level: str = "WARNING") -> None:
    """Route structlog and stdlib logging to stderr at `level`, credentials redacted."""
    renderer: Any = (
        structlog.dev.ConsoleRenderer(colors=False)
        if sys.stderr.isatty()
        else structlog.processors.JSONRenderer()
    )
    numeric = logging.getLevelName(level.upper())
    logging.basicConfig(stream=sys.stderr, level=numeric, format="%(message)s")
    # pdfminer logs every malformed object at WARNING; those are ours to report, once, per file.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    install_redaction()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
            # Exceptions as plain text (no local variables), so that redaction sees them.
            structlog.processors.format_exc_info,
            redact_event,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=_CurrentStderr()),  # type: ignore[arg-type]
        cache_logger_on_first_use=True,
    )


def get_logger(name: str) -> Any:
    """A structlog logger bound to the module name."""
    return structlog.get_logger(name)
