"""The date statuts speak for: their signature ("Fait à Lyon, le 1er mars 2021").

Signature wording varies: "Fait à X, le …", "Fait et signé à X le …", "Fait à X en trois
exemplaires, le …", "Fait le … à X", "Signé électroniquement le …", or "À X, le …" alone on its
line; dates in digits, with a month name, or in words ("le quinze juin deux mille vingt-deux",
"l'an deux mille vingt-deux, le quinze juin"). A certified copy of updated statuts is dated by
its certification ("Pour copie certifiée conforme, à Lyon, le …", "Certifiés conformes à
l'original, le …"), which counts as a signature. The last signature in the document wins (the
end of the statuts). Only when there is none does "Statuts mis à jour le …" give the date.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractors.fields.statuts_text import sentence_end
from extractors.french.dates import find_dates
from extractors.french.folding import fold_text
from kanta_docs.facts import Value

if TYPE_CHECKING:
    from datetime import date

    from extractors.fields.statuts_text import StatutsText

_SIGNATURE = re.compile(
    r"(?<![a-z])(?:fait|sign[eé]s?)(?:\s+et\s+sign[eé]s?)?(?:\s+[eé]lectroniquement)?"
    r"\s+(?:en\s+\w+\s+(?:\(\d+\)\s+)?(?:exemplaires|originaux)\s*,?\s*)?(?:à|a|au|le|l'an)\s"
    r"|(?:^|\n)[ \t]*(?:à|a)\s+[a-z][a-z' -]{1,40},?\s+le\s"
)
_CERTIFIED = re.compile(r"(?<![a-z])certifi[eé]e?s?\s+conformes?(?![a-z])")
_UPDATED = re.compile(r"(?<![a-z])(?:mis(?:es)?\s+a\s+jour|a\s+jour)\s+(?:le|au|en\s+date\s+du)?")
# A signature's date follows its cue closely; "Fait à X" then a long clause is not a signature.
_SIGNATURE_WINDOW = 160
_UPDATED_WINDOW = 100
_UPDATED_GAP = 60  # "mis à jour suite aux décisions de l'associé unique du 12 mai 2022"


def closing_start(text: str) -> int | None:
    """Where the statuts' closing begins: their last signature or certification cue ("Fait à
    …", "Pour copie certifiée conforme"), whose "Le Président / M. X" lines appoint nobody."""
    folded = fold_text(text)
    starts = [m.start() for m in (*_SIGNATURE.finditer(folded), *_CERTIFIED.finditer(folded))]
    return max(starts, default=None)


def parse_document_date(doc: StatutsText) -> tuple[Value[date] | None, tuple[str, ...]]:
    """The signature date, else the "mis à jour le" date, else None with a warning."""
    folded = fold_text(doc.text)
    signed: Value[date] | None = None
    cues = sorted([*_SIGNATURE.finditer(folded), *_CERTIFIED.finditer(folded)],
                  key=lambda m: m.start())  # fmt: skip
    for cue in cues:
        stop = min(sentence_end(doc.text, cue.end()), cue.start() + _SIGNATURE_WINDOW)
        found = find_dates(doc.flat[cue.start() : stop])
        if found:
            hit = found[0]
            signed = Value(hit.value, doc.provenance(cue.start() + hit.start,
                                                     cue.start() + hit.end))  # fmt: skip
    if signed is not None:
        return signed, ()
    for cue in _UPDATED.finditer(folded):
        window = doc.flat[cue.end() : cue.end() + _UPDATED_WINDOW]
        found = find_dates(window)
        if found and found[0].start <= _UPDATED_GAP:
            hit = found[0]
            at = cue.end() + hit.start
            return Value(hit.value, doc.provenance(at, at + len(hit.text))), ()
    return None, ("document date: signature date not found",)
