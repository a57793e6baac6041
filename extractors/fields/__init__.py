"""Field extraction: one module per document type, each `pages -> DocumentFacts` (pure)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

from kanta_docs.facts import DocumentFacts
from kanta_docs.models import Page
from kanta_docs.vocab import DocType

FieldParser = Callable[[Sequence[Page]], DocumentFacts]

# doc type -> "module:function". The list is explicit code; modules import lazily so that
# reading a Kbis does not load spaCy, which only the statuts need.
_PARSERS: dict[DocType, str] = {
    DocType.KBIS: "extractors.fields.kbis:parse_kbis",
    DocType.RBE: "extractors.fields.rbe:parse_rbe",
    DocType.STATUTS: "extractors.fields.statuts:parse_statuts",
    DocType.ID_CARD: "extractors.fields.identity:parse_identity",
    DocType.PASSPORT: "extractors.fields.identity:parse_identity",
    DocType.RESIDENCE_PERMIT: "extractors.fields.identity:parse_identity",
}


def extract_fields(doc_type: DocType, pages: Sequence[Page]) -> DocumentFacts:
    """The facts of a document of `doc_type`; empty facts for `unknown`."""
    target = _PARSERS.get(doc_type)
    if target is None:
        return DocumentFacts()
    module_name, function_name = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name != module_name:
            raise
        return DocumentFacts(warnings=(f"no field extractor for {doc_type.value} yet",))
    parser: FieldParser = getattr(module, function_name)
    return parser(pages)
