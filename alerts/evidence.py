"""Evidence and stable keys for alerts: where a person can check a fact, and how the service
recognises a fact it has already raised."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from kanta_docs.assessment import Evidence

if TYPE_CHECKING:
    from kanta_docs.facts import DossierDocument, Value
    from kanta_docs.vocab import AlertType

_MAX_TEXT = 200  # evidence is a pointer, not a copy of the document


def evidence_from(doc: DossierDocument, *values: Value[Any] | None, text: str = "") -> Evidence:
    """Evidence in `doc` at the first of `values` that knows where it was read.

    Falls back to the document as a whole (page None) with `text` when no value has provenance.
    """
    for value in values:
        if value is not None and value.provenance is not None:
            shown = value.provenance.text.strip() or text
            return Evidence(file=doc.file, page=value.provenance.page, text=_clip(shown))
    return Evidence(file=doc.file, page=None, text=_clip(text))


def declared_evidence(text: str) -> Evidence:
    """Evidence pointing at the firm's own declaration."""
    return Evidence(file="declared.json", page=None, text=_clip(text))


def alert_key(alert_type: AlertType, *parts: str) -> str:
    """A stable key for one fact: the alert type and what identifies the fact, hashed.

    The parts are normalised identifiers (person keys, field names, document digests), never
    free text, so a rewording of a message does not make an old fact look new.
    """
    digest = hashlib.sha256("\x1f".join((alert_type.value, *parts)).encode()).hexdigest()
    return f"{alert_type.value}:{digest[:16]}"


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"
