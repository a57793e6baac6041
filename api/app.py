"""The Litestar application: routes, the authentication middleware, errors, OpenAPI.

`create_app(ctx)` builds it from an `ApiContext`; `kanta-docs serve` (api/server.py) and the
tests call it. The schema is at /schema/openapi.json, the interactive page at /schema/swagger.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar, MediaType, get
from litestar.exceptions import HTTPException
from litestar.middleware.base import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from api.auth.throttle import LimiterUnavailable
from api.context import ApiContext
from api.deps import DEPENDENCIES
from api.errors import ErrorBody, handle_http_error, handle_limiter_down, handle_server_error
from api.routes import admin, auth, exports, notifications, privacy, search, webhooks
from api.routes.alerts import AlertController
from api.routes.documents import DocumentController
from api.routes.dossiers import DossierController
from api.routes.risk import RiskController
from api.security import AuthMiddleware

API_VERSION = "1.0.0"
# DossierController first: privacy's DELETE /dossiers/{id} joins the path it declares.
ROUTE_HANDLERS: list[Any] = [
    DossierController, DocumentController, AlertController, RiskController,
    *auth.ROUTES, *admin.ROUTES, *exports.ROUTES, *privacy.ROUTES, *search.ROUTES,
    *webhooks.ROUTES, *notifications.ROUTES,
]


@get("/health", opt={"public": True}, media_type=MediaType.JSON, tags=["service"],
     summary="Liveness", sync_to_thread=False)
def health() -> dict[str, str]:
    """The process answers (no data, no authentication)."""
    return {"status": "ok"}


def openapi_config() -> OpenAPIConfig:
    """The schema's description and its two ways in: a bearer JWT (users) or an API key."""
    return OpenAPIConfig(
        title="kanta-docs",
        version=API_VERSION,
        description=(
            "Documents, alerts and risk of the client dossiers of a firm, for its LCB-FT work. "
            "Every route except /auth/login, /auth/mfa/*, /auth/refresh and /health needs "
            "`Authorization: Bearer <access token or API key>`. Errors have one body: "
            '`{"error": {"status", "code", "message", "details"}}`; `code` is stable, '
            "`message` is French. Lists take `limit` (1-200) and `offset`."),
        render_plugins=[SwaggerRenderPlugin()],
        components=Components(security_schemes={
            "bearer": SecurityScheme(type="http", scheme="bearer",
                                     description="access token (after MFA) or API key"),
        }),
        security=[{"bearer": []}],
    )


def create_app(ctx: ApiContext, *, extra_handlers: list[Any] | None = None) -> Litestar:
    """The app for `ctx`."""
    handlers = [health, *ROUTE_HANDLERS, *(extra_handlers or [])]
    app = Litestar(
        route_handlers=handlers,
        dependencies=DEPENDENCIES,
        middleware=[DefineMiddleware(AuthMiddleware, ctx=ctx)],
        exception_handlers={HTTPException: handle_http_error,
                            LimiterUnavailable: handle_limiter_down,
                            Exception: handle_server_error},
        openapi_config=openapi_config(),
        # An upload may be max_file_mib; the multipart envelope adds a little.
        request_max_body_size=(ctx.settings.max_file_mib + 1) * 1024 * 1024,
        debug=False,
    )
    app.state.ctx = ctx
    document_errors(app)
    return app


ERROR_RESPONSES = {400: "Requête invalide", 401: "Authentification requise",
                   403: "Action non autorisée", 404: "Introuvable (ou d'un autre cabinet)",
                   409: "Conflit avec l'état actuel", 413: "Fichier trop volumineux",
                   415: "Type de fichier non accepté",
                   429: "Trop de requêtes (en-tête Retry-After)"}
ALWAYS = {400, 401, 403, 404, 429}
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def document_errors(app: Litestar) -> None:
    """Declare the error body on every operation of the schema (generated on first request),
    so clients see every status a route can answer and the one shape it has."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            public = handler.opt.get("public", False)
            wanted = {400, 401, 429} if public else set(ALWAYS)
            if not public and handler.http_methods & WRITES:
                wanted.add(409)
            if handler.opt.get("upload"):
                wanted |= {413, 415}
            declared = dict(handler.responses or {})
            for status in sorted(wanted):
                declared.setdefault(status, ResponseSpec(data_container=ErrorBody,
                                                         description=ERROR_RESPONSES[status]))
            handler.responses = declared
