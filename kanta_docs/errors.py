"""Errors we raise on purpose; each carries its CLI exit code and HTTP status.

Messages say what happened and what to do, and never contain extracted personal data.
"""

from enum import StrEnum
from typing import ClassVar


class KantaError(Exception):
    """Base for every error we raise on purpose."""

    exit_code: ClassVar[int] = 1
    http_status: ClassVar[int] = 500


class InvalidInput(KantaError):
    """Bad arguments, an unreadable dossier folder or declared.json."""

    exit_code = 2
    http_status = 400


class ConfigError(KantaError):
    """A setting is missing or invalid; the message names the variable."""

    exit_code = 2
    http_status = 500


class UnreadableReason(StrEnum):
    """Why a file cannot be read: a stable code for scripts and tests; the message is for people."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNSUPPORTED_TYPE = "unsupported_type"
    ENCRYPTED = "encrypted"
    CORRUPT = "corrupt"
    TRUNCATED = "truncated"
    NO_PAGES = "no_pages"
    TOO_MANY_PAGES = "too_many_pages"
    IMAGE_TOO_LARGE = "image_too_large"
    IO_ERROR = "io_error"
    OTHER = "other"


class UnreadableDocument(KantaError):
    """A file cannot be read: wrong type, corrupt, encrypted, too large. Never retried.

    `reason` is a stable code (`UnreadableReason`); callers branch on it, never on the message.
    It is keyword-only and defaults to `other`, so `UnreadableDocument("...")` still works.
    """

    exit_code = 1
    http_status = 422

    def __init__(self, message: str, *, reason: UnreadableReason = UnreadableReason.OTHER) -> None:
        super().__init__(message)
        self.reason = reason

    def __reduce__(self) -> tuple[object, ...]:
        # Keep `reason` when the error crosses a process pool (pickle passes args only).
        return (_unreadable_document, (str(self), self.reason))


def _unreadable_document(message: str, reason: UnreadableReason) -> UnreadableDocument:
    return UnreadableDocument(message, reason=reason)


class ExtractorFailed(KantaError):
    """An extraction tool crashed (not a timeout, which degrades to a warning)."""

    exit_code = 1
    http_status = 500


class BackendUnavailable(KantaError):
    """A service we depend on is down; transient, tasks retry it."""

    exit_code = 1
    http_status = 503
