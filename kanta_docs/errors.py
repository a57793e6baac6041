"""Errors we raise on purpose; each carries its CLI exit code and HTTP status.

Messages say what happened and what to do, and never contain extracted personal data.
"""

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


class UnreadableDocument(KantaError):
    """A file cannot be read: wrong type, corrupt, encrypted, too large. Never retried."""

    exit_code = 1
    http_status = 422


class ExtractorFailed(KantaError):
    """An extraction tool crashed (not a timeout, which degrades to a warning)."""

    exit_code = 1
    http_status = 500


class BackendUnavailable(KantaError):
    """A service we depend on is down; transient, tasks retry it."""

    exit_code = 1
    http_status = 503
