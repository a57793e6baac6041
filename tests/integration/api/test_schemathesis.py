"""Property-based fuzzing of every operation of the OpenAPI schema with schemathesis.

Firm A's admin calls each operation with inputs generated from the schema (valid and not): no
answer may be a server error. Path parameters that name an object are pointed at firm A's real
objects (except for deletions), so that the generated bodies and queries reach the handlers'
logic instead of stopping at a 404. Operations that would end the admin's session (logout,
password change) are left out; the isolation sweep calls them.

Bounded for CI: 20 examples per operation (5 for those that hash a password or render a
PDF or ZIP on every call), no deadline, derandomized (the same inputs each run).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi

from tests.integration.api.conftest import make_harness
from tests.integration.api.world import SCHEMA_PATH, build_firm, offline_schema

if TYPE_CHECKING:
    from collections.abc import Iterator

    from litestar import Litestar
    from schemathesis import Case

# Calls that end the caller's own session or credentials: fuzzing them as the admin would turn
# every following case into a 401.
SESSION_ENDING = r"^/auth/(logout|password)$"
# Calls that destroy what they name: they keep the generated (unknown) ids.
DESTRUCTIVE = re.compile(r"erase|purge", re.IGNORECASE)

# Operations whose every call costs a password hash or a rendered PDF/ZIP: fewer examples.
SLOW = r"^/auth/login$|\.pdf$|/export$"

LOADED = schemathesis.openapi.from_dict(offline_schema()).exclude(path_regex=SESSION_ENDING)
SCHEMA = LOADED.exclude(path_regex=SLOW)
SLOW_SCHEMA = LOADED.include(path_regex=SLOW)


@dataclass
class Fuzz:
    """The app under test, the admin's headers and the real ids by parameter name."""

    app: Litestar
    session: asgi.ASGIClient  # one client for every case (a client per call starts the app)
    headers: dict[str, str]
    ids: dict[str, str]


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzz]:
    for api in make_harness(tmp_path_factory.mktemp("schemathesis")):
        schema = api.client.get(SCHEMA_PATH).json()
        firm = build_firm(api, "A", schema)
        with asgi.get_client(api.client.app) as session:
            yield Fuzz(api.client.app, session, firm.admin.headers, firm.ids("D1"))
        api.ctx.runtime.queue.join()


def _point_at_real_objects(case: Case[Any], fuzz: Fuzz) -> None:
    if case.method.upper() == "DELETE" or DESTRUCTIVE.search(case.path):
        return
    params: dict[str, Any] = dict(case.path_parameters or {})
    for name, value in params.items():
        if name not in fuzz.ids:
            continue
        try:
            uuid.UUID(str(value))
        except ValueError:
            continue  # an invalid id stays: the 400/404 path is fuzzed too
        params[name] = fuzz.ids[name]
    case.path_parameters = params


def _check(case: Case[Any], fuzz: Fuzz) -> None:
    _point_at_real_objects(case, fuzz)
    response = case.call(app=fuzz.app, session=fuzz.session, headers=fuzz.headers)
    case.validate_response(response, checks=[not_a_server_error])


@SCHEMA.parametrize()
@settings(max_examples=20, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
def test_no_server_error(case: Case[Any], fuzz: Fuzz) -> None:
    _check(case, fuzz)


@SLOW_SCHEMA.parametrize()
@settings(max_examples=5, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
def test_no_server_error_in_slow_operations(case: Case[Any], fuzz: Fuzz) -> None:
    _check(case, fuzz)
