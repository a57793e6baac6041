"""Credentials never reach a log line: structlog events and stdlib records (uvicorn's too)."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
import structlog
import uvicorn.config

from api.auth import api_keys
from api.auth.api_keys import new_api_key
from api.auth.tokens import REFRESH_PREFIX, issue_token, new_refresh_token
from kanta_docs import logs
from kanta_docs.logs import RedactingFilter, configure_logging, get_logger, redact, redact_value

if TYPE_CHECKING:
    from collections.abc import Iterator

UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


def _jwt() -> str:
    return issue_token(b"k" * 32, user_id=uuid.uuid4(), firm_id=uuid.uuid4(), role="admin",
                       session_id=uuid.uuid4(), ttl_s=60, now=datetime.now(UTC))


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """configure_logging and uvicorn's dictConfig change process-wide state: put it back."""
    names = ("", *UVICORN_LOGGERS)
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).filters[:],
                 logging.getLogger(n).level, logging.getLogger(n).propagate,
                 logging.getLogger(n).disabled) for n in names}
    root_handler_filters = {h: h.filters[:] for h in logging.getLogger().handlers}
    yield
    for name, (handlers, filters, level, propagate, disabled) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.filters[:] = filters
        logger.setLevel(level)
        logger.propagate = propagate
        logger.disabled = disabled
    for handler, filters in root_handler_filters.items():
        handler.filters[:] = filters
    structlog.reset_defaults()


def test_api_keys_re_exports_the_one_redact() -> None:
    assert api_keys.redact is redact
    assert logs.REFRESH_TOKEN_PREFIX == REFRESH_PREFIX


def test_redact_every_credential_format() -> None:
    full, prefix, _ = new_api_key()
    token, (refresh, _) = _jwt(), new_refresh_token()
    text = redact(f"key {full} jwt {token} refresh {refresh} end")
    assert text == f"key kd_{prefix}_*** jwt *** refresh *** end"
    assert redact(text) == text  # stable when applied twice (several filters on one record)


def test_redact_value_walks_containers_and_objects() -> None:
    full, prefix, _ = new_api_key()
    secret = full.split("_", 2)[2]

    class Holder:
        def __repr__(self) -> str:
            return f"Holder({full})"

    value = {"headers": [("authorization", f"Bearer {full}")], "n": 3, "ok": True,
             "none": None, "obj": Holder(), "raw": full.encode(), "id": uuid.UUID(int=1)}
    out = redact_value(value)
    assert secret not in repr(out)
    assert out["headers"] == [("authorization", f"Bearer kd_{prefix}_***")]
    assert out["n"] == 3 and out["ok"] is True and out["none"] is None
    assert out["obj"] == f"Holder(kd_{prefix}_***)"
    assert out["id"] == uuid.UUID(int=1)  # objects without a credential are left alone


def test_structlog_events_are_redacted(capsys: pytest.CaptureFixture[str],
                                       restore_logging: None) -> None:
    configure_logging("INFO")
    full, prefix, _ = new_api_key()
    secret = full.split("_", 2)[2]
    token, (refresh, _) = _jwt(), new_refresh_token()
    log = get_logger("test.logs")
    log.warning(f"request with {full}", authorization=f"Bearer {token}",
                nested={"refresh_token": refresh, "list": [full]}, count=2)
    try:
        raise ValueError(f"bad key {full}")
    except ValueError:
        log.exception("failed", header=f"X-API-Key: {full}")
    err = capsys.readouterr().err
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert len(lines) == 2
    assert secret not in err and token not in err and refresh not in err
    first, second = lines
    assert first["event"] == f"request with kd_{prefix}_***"
    assert first["authorization"] == "Bearer ***"
    assert first["nested"] == {"refresh_token": "***", "list": [f"kd_{prefix}_***"]}
    assert first["count"] == 2
    assert "ValueError: bad key kd_" in second["exception"]


def _handler(stream: io.StringIO, fmt: logging.Formatter | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(fmt or logging.Formatter("%(message)s"))
    handler.addFilter(RedactingFilter())
    return handler


def test_stdlib_filter_redacts_message_args_and_exception() -> None:
    full, prefix, _ = new_api_key()
    secret = full.split("_", 2)[2]
    stream = io.StringIO()
    logger = logging.getLogger(f"test.logs.{uuid.uuid4().hex}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(_handler(stream))
    logger.info("key %s count %d", full, 3)
    logger.info("mapping %(key)s", {"key": full})
    logger.info(f"inline {full}")
    try:
        raise RuntimeError(f"with {full}")
    except RuntimeError:
        logger.exception("boom")
    out = stream.getvalue()
    assert secret not in out
    assert f"key kd_{prefix}_*** count 3" in out
    assert f"mapping kd_{prefix}_***" in out
    assert f"inline kd_{prefix}_***" in out
    assert f"RuntimeError: with kd_{prefix}_***" in out


def test_uvicorn_access_formatter_still_works() -> None:
    """uvicorn's access formatter unpacks the record's args: the filter keeps their shape."""
    full, prefix, _ = new_api_key()
    stream = io.StringIO()
    fmt = uvicorn.logging.AccessFormatter(
        '%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False)
    logger = logging.getLogger(f"test.access.{uuid.uuid4().hex}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(_handler(stream, fmt))
    logger.info('%s - "%s %s HTTP/%s" %d', "10.0.0.1:5000", "GET",
                f"/dossiers?api_key={full}", "1.1", 200)
    assert stream.getvalue().strip() == (
        f'10.0.0.1:5000 - "GET /dossiers?api_key=kd_{prefix}_*** HTTP/1.1" 200 OK')


def test_configure_logging_covers_root_and_uvicorn(capsys: pytest.CaptureFixture[str],
                                                   restore_logging: None) -> None:
    configure_logging("INFO")
    root = logging.getLogger()
    assert all(any(isinstance(f, RedactingFilter) for f in h.filters) for h in root.handlers)
    configure_logging("INFO")  # idempotent: one filter each
    for name in UVICORN_LOGGERS:
        assert sum(isinstance(f, RedactingFilter)
                   for f in logging.getLogger(name).filters) == 1
    # What `uvicorn.run` does at start: its own handlers, not propagating to the root. The
    # filters put on its loggers survive it.
    logging.config.dictConfig(uvicorn.config.LOGGING_CONFIG)
    full, prefix, _ = new_api_key()
    secret = full.split("_", 2)[2]
    token = _jwt()
    logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "10.0.0.1:1", "GET",
                                             f"/x?key={full}", "1.1", 401)
    logging.getLogger("uvicorn.error").error("Exception in ASGI application: %s",
                                             f"Bearer {token}")
    logging.getLogger("some.library").warning("saw %s", full)
    captured = capsys.readouterr()
    seen = captured.out + captured.err
    assert f"/x?key=kd_{prefix}_***" in captured.out
    assert "Exception in ASGI application: Bearer ***" in captured.err
    assert secret not in seen and token not in seen


def test_unconfigured_value_kinds(restore_logging: None) -> None:
    record: Any = logging.LogRecord("x", logging.INFO, __file__, 1, 12345, None, None)
    assert RedactingFilter().filter(record)
    assert record.getMessage() == "12345"


def test_webhook_secrets_are_redacted() -> None:
    from kanta_docs.logs import redact

    assert redact("secret=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw end") == "secret=whsec_*** end"
