"""Entries of a beneficial-owner document -> the company's entries and one block per owner.

An owner's block opens on the document's structure, not on its wording:
- at a heading ("Bénéficiaire effectif n° 2", "Personne n° 1", the identity section of a
  DBE-S-1/S-2 sheet; owners printed side by side come out of `rbe_columns` one after the
  other, each under its heading), or at a new table row;
- when the pattern of the open block starts again (listings without headings): a name label,
  or a birth date once the block names someone, comes a second time;
- at a line of prose that introduces a person ("Monsieur Jean DUPONT, né le …, détient …")
  when no block is open or the open one was itself opened by such a line.
It closes at the end of the owners' part (signature, "Pour extrait conforme", "III. Autres
informations").
Pages do not close a block: an owner printed across a page break stays one owner, and the
running heads and footers inside it carry no label the owner rules read.

Company labels go to the company wherever they are: DBE-S-2 sheets repeat the company part
between owners. A bare "Adresse" outside any owner is the company's seat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from extractors.fields.rbe_entry import Entry, EntryKind
from extractors.fields.rbe_labels import COMPANY_KEYS, PERSON_KEYS, Key
from extractors.fields.rbe_person import is_prose_person
from extractors.french.folding import fold_text

if TYPE_CHECKING:
    from collections.abc import Sequence

# A second value for one of these keys means the next owner has begun (a birth date only once
# the block names someone).
_REPEAT_STARTS_OWNER = PERSON_KEYS | {Key.FIRST_NAMES, Key.FIRST_NAME_MAIN}
_REPEAT_ONCE_NAMED = frozenset({Key.BIRTH_DATE})
# What a block opened by a line of prose must say somewhere to be an owner (not a signatory).
_OWNER_PROSE = re.compile(r"\bnee? le\b|\bdetient\b|\bdetenant\b|%|\bbeneficiaire|\bcontrol")
# Keys that open an owner when no block is open.
_OPENS_OWNER = PERSON_KEYS | {Key.FIRST_NAMES, Key.FIRST_NAME_MAIN}


@dataclass(slots=True)
class OwnerBlock:
    """The entries that describe one owner, in document order."""

    entries: list[Entry] = field(default_factory=list)
    by_prose: bool = False  # opened by a line of prose naming a person

    def has(self, key: Key) -> bool:
        """Whether the block has a non-empty value for `key`."""
        return any(e.key is key and e.value for e in self.entries)

    @property
    def names_someone(self) -> bool:
        """Whether the block gives a name, by a label or in prose (such blocks are owners)."""
        return self.has_name_label or self.has_prose_person

    @property
    def has_name_label(self) -> bool:
        """Whether the block has a labelled name ("Nom", "Nom et prénoms")."""
        return any(self.has(k) for k in PERSON_KEYS)

    @property
    def has_prose_person(self) -> bool:
        """Whether an unlabelled line of the block introduces a person."""
        return any(e.key is None and not e.label and is_prose_person(e.value)
                   for e in self.entries)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Segments:
    """The document split: entries about the company (or nobody), and the owners' blocks."""

    outside: tuple[Entry, ...]
    owners: tuple[OwnerBlock, ...]  # every block with a value; a named one is surely an owner


def segment_owners(entries: Sequence[Entry]) -> Segments:
    """Entries in reading order -> company entries and owner blocks."""
    outside: list[Entry] = []
    blocks: list[OwnerBlock] = []
    current: OwnerBlock | None = None
    row: int | None = None
    for entry in entries:
        if entry.kind is EntryKind.HEADING:
            if current is None or current.names_someone:
                current = _open(blocks)
            row = None
            continue
        if entry.kind is EntryKind.END:
            current, row = None, None
            continue
        if entry.key in COMPANY_KEYS:
            outside.append(entry)
            continue
        if entry.row is not None and entry.row != row:
            current, row = _open(blocks), entry.row
        elif _starts_next_owner(current, entry):
            current = _open(blocks)
        elif _prose_starts_owner(current, entry):
            current = _open(blocks, by_prose=True)
        if current is None:
            outside.append(_as_company(entry))
        else:
            current.entries.append(entry)
    owners = tuple(b for b in blocks if any(e.value for e in b.entries)
                   and (not b.by_prose or _speaks_of_an_owner(b)))  # fmt: skip
    outside.extend(e for b in blocks if b.by_prose and not _speaks_of_an_owner(b)
                   for e in b.entries)  # fmt: skip
    return Segments(tuple(outside), owners)


def _open(blocks: list[OwnerBlock], *, by_prose: bool = False) -> OwnerBlock:
    """A new block, appended to `blocks`."""
    blocks.append(OwnerBlock(by_prose=by_prose))
    return blocks[-1]


def _prose_starts_owner(current: OwnerBlock | None, entry: Entry) -> bool:
    """Whether an unlabelled line introduces the next owner in prose: it names a person, and
    no block is open or the open one already has its own such line (owners described one
    paragraph each)."""
    if entry.key is not None or entry.label or not is_prose_person(entry.value):
        return False
    if current is None:
        return True
    return not current.has_name_label and current.has_prose_person


def _speaks_of_an_owner(block: OwnerBlock) -> bool:
    """Whether a block opened by prose says what makes an owner: a birth, a holding."""
    return has_owner_content(block) or any(
        _OWNER_PROSE.search(fold_text(e.statement)) for e in block.entries
    )


def _starts_next_owner(current: OwnerBlock | None, entry: Entry) -> bool:
    """Whether `entry` opens an owner: a name label with a value, none open or one named."""
    if entry.key not in _OPENS_OWNER | _REPEAT_ONCE_NAMED or not entry.value:
        return False
    if current is None:
        return entry.key in _OPENS_OWNER
    if entry.key in _REPEAT_ONCE_NAMED:
        return current.names_someone and current.has(entry.key)
    return entry.key in _REPEAT_STARTS_OWNER and current.has(entry.key)


def _as_company(entry: Entry) -> Entry:
    """An entry outside the owners: a bare "Adresse" there is the company's seat."""
    if entry.key is Key.OTHER_PERSONAL and entry.label.strip(" :").lower() == "adresse":
        return replace(entry, key=Key.SEAT_ADDRESS)
    return entry


def has_owner_content(block: OwnerBlock) -> bool:
    """Whether a block says something about a person (a nameless one is worth a warning)."""
    return any(
        e.value and e.key in (Key.BIRTH_DATE, Key.NATIONALITY, Key.FIRST_NAMES, Key.SINCE,
                              Key.CONTROL)  # fmt: skip
        for e in block.entries
    )
