"""Test fixtures.

Strategy: tests use the real components (Tesseract, PostgreSQL, Redis, SQLite). Services are
found through KANTA_TEST_DATABASE_URL / KANTA_TEST_REDIS_URL (defaults: the local ports of the
development machines). On a laptop without them the tests that need them skip with the reason;
CI sets KANTA_TEST_REQUIRE=postgres,redis,tesseract, and then a missing service is an error, never
a silent skip. Generated documents come from tests/fixtures/generate.py, made once per session
into a temporary folder (deterministic seed), never downloaded.
"""

from __future__ import annotations

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def _required() -> set[str]:
    return {s.strip() for s in os.environ.get("KANTA_TEST_REQUIRE", "").split(",") if s.strip()}


def require_service(name: str, available: bool, reason: str) -> None:
    """Skip (laptop) or fail (CI, KANTA_TEST_REQUIRE lists it) when a service is missing."""
    if available:
        return
    if name in _required():
        pytest.fail(f"{name} is required (KANTA_TEST_REQUIRE) but unavailable: {reason}")
    pytest.skip(f"{name} unavailable: {reason}")


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1",
                                       parsed.port or default_port), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get("KANTA_TEST_DATABASE_URL", DEFAULT_DATABASE_URL)
    require_service("postgres", _reachable(url, 5432), f"nothing listens at {url}")
    return url


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("KANTA_TEST_REDIS_URL", DEFAULT_REDIS_URL)
    require_service("redis", _reachable(url, 6379), f"nothing listens at {url}")
    return url


@pytest.fixture(scope="session")
def tesseract() -> str:
    path = shutil.which("tesseract")
    require_service("tesseract", path is not None,
                    "the tesseract binary is not on PATH (apt-get install tesseract-ocr "
                    "tesseract-ocr-fra)")
    assert path is not None
    return path
