"""One error body for every failure, so that scripts can rely on it.

    {"error": {"status": 404, "code": "not_found", "message": "Ressource introuvable.",
               "details": [...]}}

`code` is stable English (scripts branch on it), `message` is French (people read it),
`details` lists field problems for 400. A 500 never shows internals: the trace goes to the log.
"""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from msgspec import Struct

from kanta_docs.logs import get_logger

log = get_logger(__name__)

CODES = {400: "invalid_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large",
         415: "unsupported_media_type", 422: "unprocessable", 429: "rate_limited",
         500: "server_error", 503: "unavailable"}
MESSAGES = {400: "Requête invalide.", 401: "Authentification requise.",
            403: "Action non autorisée.", 404: "Ressource introuvable.",
            405: "Méthode non autorisée.", 409: "Conflit avec l'état actuel.",
            413: "Fichier trop volumineux.", 415: "Type de fichier non accepté.",
            422: "Requête impossible à traiter.", 429: "Trop de requêtes, réessayez plus tard.",
            500: "Erreur interne du serveur.", 503: "Service momentanément indisponible."}


class ErrorDetail(Struct):
    """The `error` member of an error body."""

    status: int
    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorBody(Struct):
    """Every error response's body."""

    error: ErrorDetail


class ApiError(HTTPException):
    """An HTTP error with a stable code and a French message."""

    def __init__(self, status_code: int, code: str, message: str, *,
                 headers: dict[str, str] | None = None,
                 details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(status_code=status_code, detail=message, headers=headers)
        self.code = code
        self.message = message
        self.details = details


def not_found(what: str = "Ressource") -> ApiError:
    """404: used alike for what does not exist and for what the caller may not see."""
    return ApiError(404, "not_found", f"{what} introuvable.")


def bad_request(code: str, message: str) -> ApiError:
    """400 with a specific code."""
    return ApiError(400, code, message)


def forbidden(message: str = "Action non autorisée.") -> ApiError:
    """403: the caller is known and sees the object, but may not do this."""
    return ApiError(403, "forbidden", message)


def _body(status: int, code: str, message: str,
          details: list[dict[str, Any]] | None = None) -> ErrorBody:
    return ErrorBody(ErrorDetail(status, code, message, details))


def handle_http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[ErrorBody]:
    """Litestar's and our HTTP errors as the documented body."""
    status = exc.status_code
    if isinstance(exc, ApiError):
        body = _body(status, exc.code, exc.message, exc.details)
    elif isinstance(exc, ValidationException):
        extra = exc.extra if isinstance(exc.extra, list) else None
        details = [d if isinstance(d, dict) else {"message": str(d)} for d in extra or []]
        body = _body(400, "invalid_request", MESSAGES[400], details or None)
        status = 400
    else:
        body = _body(status, CODES.get(status, "error"), MESSAGES.get(status, str(exc.detail)))
    return Response(body, status_code=status, media_type=MediaType.JSON,
                    headers=dict(exc.headers or {}))


def handle_server_error(request: Request[Any, Any, Any], exc: Exception) -> Response[ErrorBody]:
    """Anything unexpected: logged with its trace, answered without internals."""
    log.exception("unhandled error", path=request.url.path, method=request.method)
    return Response(_body(500, "server_error", MESSAGES[500]),
                    status_code=HTTP_500_INTERNAL_SERVER_ERROR, media_type=MediaType.JSON)


def handle_limiter_down(request: Request[Any, Any, Any], exc: Exception) -> Response[ErrorBody]:
    """Throttling counters unreachable: refuse (503) rather than let logins through unthrottled."""
    log.error("rate limiter unavailable", path=request.url.path, error=str(exc))
    return Response(_body(503, "unavailable", MESSAGES[503]), status_code=503,
                    media_type=MediaType.JSON, headers={"Retry-After": "30"})
