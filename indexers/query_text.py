"""What a search box's text means before any engine sees it: a SIREN or SIRET typed alone is
that company's exact identifier, not words (an engine would tokenise "552 100 554" into three
numbers that match nothing). Both backends call `interpret` first, so they agree."""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

if TYPE_CHECKING:
    from indexers.contract import SearchQuery

_NUMBER_ONLY = re.compile(r"[\d\s.\-]+")


def interpret(query: SearchQuery) -> SearchQuery:
    """The query, with a lone valid SIREN/SIRET in the text turned into the SIREN filter."""
    text = query.text.strip()
    if not text or query.siren is not None or not _NUMBER_ONLY.fullmatch(text):
        return query
    digits = re.sub(r"\D", "", text)
    if (len(digits) == 9 and stdnum_siren.is_valid(digits)) or (
            len(digits) == 14 and stdnum_siret.is_valid(digits)):
        return dataclasses.replace(query, text="", siren=digits[:9])
    return query
