"""Entries of a beneficial-owner document -> the company's entries and one block per owner.

An owner's block opens at a heading ("Bénéficiaire effectif n° 2", "Bénéficiaire n°1", the
identity section of a DBE-S-1/S-2 sheet), at a new table row, or when a name label comes
again while the open block already has a name (listings without headings). It closes at the
end of the owners' part (signature, "Pour extrait conforme", "III. Autres informations").
Pages do not close a block: an owner printed across a page break stays one owner, and the
running heads and footers inside it carry no label the owner rules read.

Company labels go to the company wherever they are: DBE-S-2 sheets repeat the company part
between owners. A bare "Adresse" outside any owner is the company's seat.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from extractors.fields.rbe_entry import Entry, EntryKind
from extractors.fields.rbe_labels import COMPANY_KEYS, PERSON_KEYS, Key

if TYPE_CHECKING:
    from collections.abc import Sequence

# A second value for one of these keys means the next owner has begun.
_REPEAT_STARTS_OWNER = PERSON_KEYS | {Key.FIRST_NAMES, Key.FIRST_NAME_MAIN}
# Keys that open an owner when no block is open.
_OPENS_OWNER = PERSON_KEYS | {Key.FIRST_NAMES, Key.FIRST_NAME_MAIN}


@dataclass(slots=True)
class OwnerBlock:
    """The entries that describe one owner, in document order."""

    entries: list[Entry] = field(default_factory=list)

    def has(self, key: Key) -> bool:
        """Whether the block has a non-empty value for `key`."""
        return any(e.key is key and e.value for e in self.entries)

    @property
    def names_someone(self) -> bool:
        """Whether the block gives a name (only such blocks are owners)."""
        return any(self.has(k) for k in PERSON_KEYS)


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
        if current is None:
            outside.append(_as_company(entry))
        else:
            current.entries.append(entry)
    owners = tuple(b for b in blocks if any(e.value for e in b.entries))
    return Segments(tuple(outside), owners)


def _open(blocks: list[OwnerBlock]) -> OwnerBlock:
    """A new block, appended to `blocks`."""
    blocks.append(OwnerBlock())
    return blocks[-1]


def _starts_next_owner(current: OwnerBlock | None, entry: Entry) -> bool:
    """Whether `entry` opens an owner: a name label with a value, none open or one named."""
    if entry.key not in _OPENS_OWNER or not entry.value:
        return False
    if current is None:
        return True
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
