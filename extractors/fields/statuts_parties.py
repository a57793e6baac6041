"""The founders' block of statuts: "LES SOUSSIGNÉS : …" up to "Ont établi ainsi qu'il suit …".

Each party is a natural or legal person with its civil-status formula (`statuts_persons`). The
block ends at the sentence that introduces the statuts ("ont établi", "a arrêté", "il a été
convenu", "lesquels …"), at the first article or title heading, or after a bounded length, so a
document without such a sentence does not swallow its articles as parties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractors.fields.statuts_persons import Mention, find_mentions
from extractors.french.folding import fold_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from extractors.fields.statuts_text import StatutsText
    from extractors.nlp import TextSpan

_START = re.compile(r"(?<![a-z])(?:entre\s+)?(?:les|le|la)\s+soussign[eé]e?s?(?![a-z])")
_END = re.compile(
    r"(?<![a-z])(?:(?:ont|a|avons|ai)\s+(?:[eé]tabli|arr[eê]t[eé]|adopt[eé]|convenu|d[eé]cid[eé]"
    r"|constitu[eé])|il\s+a\s+[eé]t[eé]\s+(?:arr[eê]t[eé]|convenu|[eé]tabli|expos[eé]|d[eé]cid[eé])"
    r"|lesquel(?:le)?s?\s"
    r"|(?:^|\n)\s*(?:article|art\.|titre|pr[eé]ambule|expos[eé])(?![a-z]))"
)
# A founders' block longer than this has lost its end; typical blocks are well under.
_MAX_BLOCK_CHARS = 12_000


@dataclass(frozen=True, slots=True)
class PartiesBlock:
    """Where the founders' block lies and who it names."""

    start: int
    end: int
    parties: tuple[Mention, ...]
    is_singular: bool  # "LE SOUSSIGNÉ" / "LA SOUSSIGNÉE": one founder (an SASU, an EURL)


def find_parties(doc: StatutsText, spans: Sequence[TextSpan]) -> PartiesBlock | None:
    """The founders' block and its parties; None when the statuts have no such block."""
    folded = fold_text(doc.text)
    start = _START.search(folded)
    if start is None:
        return None
    limit = min(len(folded), start.end() + _MAX_BLOCK_CHARS)
    end_match = _END.search(folded, start.end(), limit)
    end = end_match.start() if end_match else limit
    parties = tuple(m for m in find_mentions(doc, spans, start.end(), end) if not m.is_reference)
    singular = not re.search(r"soussign[eé]e?s", start.group())
    return PartiesBlock(start.start(), end, parties, singular)
