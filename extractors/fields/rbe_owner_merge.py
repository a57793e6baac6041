"""One owner printed twice (a summary and a detail sheet, a DBE-S-bis annex repeating the
owner of a DBE-S-2) is one owner: the later mention fills what the first left empty.

Two mentions are the same person when the birth names agree (case, accents and spacing
aside), the first names agree or one is missing, and the birth dates agree or one is missing.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import TYPE_CHECKING

from kanta_docs.facts import OwnerFacts, PersonFacts, value_of
from kanta_docs.text import fold

if TYPE_CHECKING:
    from collections.abc import Sequence


def merge_same_person(
    owners: Sequence[OwnerFacts], new: OwnerFacts
) -> tuple[list[OwnerFacts], bool]:
    """`owners` with `new` added, or merged into the owner it repeats; (list, merged?)."""
    out = list(owners)
    for index, known in enumerate(out):
        if is_same_person(known.person, new.person):
            out[index] = _fill(known, new)
            return out, True
    out.append(new)
    return out, False


def is_same_person(a: PersonFacts, b: PersonFacts) -> bool:
    """Whether two mentions name the same person (see the module docstring)."""
    if a.last_name is None or b.last_name is None:
        return False
    if fold(a.last_name.value) != fold(b.last_name.value):
        return False
    pairs = ((value_of(a.first_names), value_of(b.first_names)),
             (value_of(a.birth_date), value_of(b.birth_date)))  # fmt: skip
    return all(x is None or y is None or fold(str(x)) == fold(str(y)) for x, y in pairs)


def _fill(known: OwnerFacts, new: OwnerFacts) -> OwnerFacts:
    """`known` with its empty values taken from `new`, and both modalities."""
    person = replace(known.person, **{
        f.name: getattr(new.person, f.name)
        for f in fields(PersonFacts) if getattr(known.person, f.name) is None
    })  # fmt: skip
    return replace(
        known,
        person=person,
        capital_pct=known.capital_pct or new.capital_pct,
        voting_pct=known.voting_pct or new.voting_pct,
        modalities=known.modalities | new.modalities,
        since=known.since or new.since,
    )
