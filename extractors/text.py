"""Moved to `kanta_docs.text` (shared with alerts/); kept while open branches still import it."""

from kanta_docs.text import collapse_spaces, fold, strip_accents

__all__ = ["collapse_spaces", "fold", "strip_accents"]
