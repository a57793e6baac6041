"""Where each field sits in the four zone layouts we read, and which check digit covers what.

Positions are 0-based here; the documents quoted count from 1. A zone is handled as one flat
string (the lines concatenated), so a check spanning two lines is a plain list of positions.

Sources: ICAO Doc 9303 Part 4 (TD3, passports), Part 5 (TD1 cards), Part 6 (TD2); the French
identity card of 1988/1995-2021 is not ICAO: ../shared/DOMAIN.md §5.2 (layout checked on the
public BERTHIER specimen, whose three check digits hold).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum


class MrzFormat(StrEnum):
    """The zone layouts the parser knows."""

    TD1 = "td1"  # 3 x 30, ICAO 9303 Part 5: identity cards (French CNIe since 2021), permits
    TD2 = "td2"  # 2 x 36, ICAO 9303 Part 6
    TD3 = "td3"  # 2 x 44, ICAO 9303 Part 4: passports
    FR_CNI_1995 = "fr_cni_1995"  # 2 x 36, French card 1988/1995-2021, non-ICAO (DOMAIN.md §5.2)


class Kind(Enum):
    """What a position may legally hold; drives both format scoring and repair."""

    NUMERIC = "numeric"  # digits (and `<` where the field allows it: unknown date parts)
    ALPHA = "alpha"  # letters and `<`
    ALNUM = "alnum"  # anything: letter/digit confusions cannot be detected here


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field: line, columns [start, stop), character kind."""

    name: str
    line: int
    start: int
    stop: int
    kind: Kind
    filler_ok: bool = True  # whether `<` is a legal character in this field
    is_name: bool = False  # names get their own filler heuristics (repair.py)
    # A digit-only code often left blank (`<<<`): a K, C or L in it is a misread filler.
    blank_code: bool = False


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """A check digit: the (line, start, stop) spans it covers, in order, and where it sits."""

    name: str
    spans: tuple[tuple[int, int, int], ...]
    digit: tuple[int, int]
    # `<` in the digit position is valid when every covered character is `<` (TD3 personal
    # number unused: ICAO 9303 Part 4 allows `<` or 0 there).
    filler_digit_ok: bool = False
    # TD1/TD2 document numbers over 9 characters: `<` in the digit position, the rest of the
    # number then its check digit at the start of this field (ICAO 9303 Part 5; Part 6 likewise).
    overflow_field: str | None = None


@dataclass(frozen=True)
class Layout:
    """A zone layout: its fields (covering every position once), checks and allowed prefixes."""

    format: MrzFormat
    line_count: int
    line_length: int
    prefixes: tuple[str, ...]  # what line 1 starts with on a genuine zone
    fields: tuple[FieldSpec, ...]
    checks: tuple[CheckSpec, ...]
    field_at: tuple[FieldSpec, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        slots: list[FieldSpec | None] = [None] * self.size
        for spec in self.fields:
            for pos in range(self.offset(spec.line, spec.start), self.offset(spec.line, spec.stop)):
                if slots[pos] is not None:
                    raise ValueError(f"{self.format}: position {pos} in two fields")
                slots[pos] = spec
        if any(s is None for s in slots):
            raise ValueError(f"{self.format}: a position belongs to no field")
        object.__setattr__(self, "field_at", tuple(s for s in slots if s is not None))

    @property
    def size(self) -> int:
        """Number of characters in the whole zone."""
        return self.line_count * self.line_length

    def offset(self, line: int, col: int) -> int:
        """Flat position of (line, column)."""
        return line * self.line_length + col

    def locate(self, pos: int) -> tuple[int, int]:
        """(line, column), 0-based, of a flat position."""
        return divmod(pos, self.line_length)

    def field(self, name: str) -> FieldSpec:
        """The field called `name`; KeyError if this layout has none."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def has_field(self, name: str) -> bool:
        """Whether this layout has a field called `name`."""
        return any(spec.name == name for spec in self.fields)

    def positions(self, name: str) -> range:
        """Flat positions of a field."""
        spec = self.field(name)
        return range(self.offset(spec.line, spec.start), self.offset(spec.line, spec.stop))

    def text(self, zone: str, name: str) -> str:
        """The characters of a field in a flat zone string."""
        span = self.positions(name)
        return zone[span.start : span.stop]


_N, _A, _X = Kind.NUMERIC, Kind.ALPHA, Kind.ALNUM


def _f(
    name: str, line: int, start: int, stop: int, kind: Kind, *, filler: bool = True
) -> FieldSpec:
    return FieldSpec(name, line, start, stop, kind, filler_ok=filler)


def _name(name: str, line: int, start: int, stop: int) -> FieldSpec:
    return FieldSpec(name, line, start, stop, Kind.ALPHA, is_name=True)


# ICAO 9303 Part 5, TD1 (DOMAIN.md §5.4 table).
TD1 = Layout(
    MrzFormat.TD1,
    3,
    30,
    ("I", "A", "C"),
    (
        _f("document_code", 0, 0, 2, _A),
        _f("issuing_country", 0, 2, 5, _A),
        _f("document_number", 0, 5, 14, _X),
        _f("document_number_check", 0, 14, 15, _N),  # `<` = long number, see CheckSpec
        _f("optional_data_1", 0, 15, 30, _X),
        _f("birth_date", 1, 0, 6, _N),
        _f("birth_date_check", 1, 6, 7, _N, filler=False),
        _f("sex", 1, 7, 8, _A),
        _f("expiry_date", 1, 8, 14, _N),
        _f("expiry_date_check", 1, 14, 15, _N, filler=False),
        _f("nationality", 1, 15, 18, _A),
        _f("optional_data_2", 1, 18, 29, _X),
        _f("composite_check", 1, 29, 30, _N, filler=False),
        _name("name", 2, 0, 30),
    ),
    (
        CheckSpec("document_number", ((0, 5, 14),), (0, 14), overflow_field="optional_data_1"),
        CheckSpec("birth_date", ((1, 0, 6),), (1, 6)),
        CheckSpec("expiry_date", ((1, 8, 14),), (1, 14)),
        # Line 1 positions 6-30, line 2 positions 1-7, 9-15 and 19-29 (sex and nationality out).
        CheckSpec("composite", ((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)), (1, 29)),
    ),
)

# ICAO 9303 Part 6, TD2.
TD2 = Layout(
    MrzFormat.TD2,
    2,
    36,
    ("I", "A", "C"),
    (
        _f("document_code", 0, 0, 2, _A),
        _f("issuing_country", 0, 2, 5, _A),
        _name("name", 0, 5, 36),
        _f("document_number", 1, 0, 9, _X),
        _f("document_number_check", 1, 9, 10, _N),
        _f("nationality", 1, 10, 13, _A),
        _f("birth_date", 1, 13, 19, _N),
        _f("birth_date_check", 1, 19, 20, _N, filler=False),
        _f("sex", 1, 20, 21, _A),
        _f("expiry_date", 1, 21, 27, _N),
        _f("expiry_date_check", 1, 27, 28, _N, filler=False),
        _f("optional_data_1", 1, 28, 35, _X),
        _f("composite_check", 1, 35, 36, _N, filler=False),
    ),
    (
        CheckSpec("document_number", ((1, 0, 9),), (1, 9), overflow_field="optional_data_1"),
        CheckSpec("birth_date", ((1, 13, 19),), (1, 19)),
        CheckSpec("expiry_date", ((1, 21, 27),), (1, 27)),
        # Line 2 positions 1-10, 14-20, 22-35.
        CheckSpec("composite", ((1, 0, 10), (1, 13, 20), (1, 21, 35)), (1, 35)),
    ),
)

# ICAO 9303 Part 4, TD3 (DOMAIN.md §5.5).
TD3 = Layout(
    MrzFormat.TD3,
    2,
    44,
    ("P",),
    (
        _f("document_code", 0, 0, 2, _A),
        _f("issuing_country", 0, 2, 5, _A),
        _name("name", 0, 5, 44),
        _f("document_number", 1, 0, 9, _X),
        _f("document_number_check", 1, 9, 10, _N, filler=False),
        _f("nationality", 1, 10, 13, _A),
        _f("birth_date", 1, 13, 19, _N),
        _f("birth_date_check", 1, 19, 20, _N, filler=False),
        _f("sex", 1, 20, 21, _A),
        _f("expiry_date", 1, 21, 27, _N),
        _f("expiry_date_check", 1, 27, 28, _N, filler=False),
        _f("optional_data_1", 1, 28, 42, _X),  # personal number
        _f("personal_number_check", 1, 42, 43, _N),
        _f("composite_check", 1, 43, 44, _N, filler=False),
    ),
    (
        CheckSpec("document_number", ((1, 0, 9),), (1, 9)),
        CheckSpec("birth_date", ((1, 13, 19),), (1, 19)),
        CheckSpec("expiry_date", ((1, 21, 27),), (1, 27)),
        CheckSpec("personal_number", ((1, 28, 42),), (1, 42), filler_digit_ok=True),
        # Line 2 positions 1-10, 14-20, 22-43.
        CheckSpec("composite", ((1, 0, 10), (1, 13, 20), (1, 21, 43)), (1, 43)),
    ),
)

# French identity card 1988/1995-2021, DOMAIN.md §5.2 table. No expiry date and no separate
# nationality in this zone; the card number's first 4 characters are the issue year and month.
# Character classes of the card number parts follow the public parsers cited there (département
# may hold letters, as Corsica's 2A/2B do; year-month and sequence are digits).
FR_CNI_1995 = Layout(
    MrzFormat.FR_CNI_1995,
    2,
    36,
    ("IDFRA",),
    (
        _f("document_code", 0, 0, 2, _A),
        _f("issuing_country", 0, 2, 5, _A),
        _name("surname", 0, 5, 30),
        _f("issuing_department", 0, 30, 33, _X),
        FieldSpec("issuing_office", 0, 33, 36, Kind.NUMERIC, blank_code=True),
        _f("issue_year_month", 1, 0, 4, _N, filler=False),
        _f("card_department", 1, 4, 7, _X),
        _f("card_sequence", 1, 7, 12, _N, filler=False),
        _f("document_number_check", 1, 12, 13, _N, filler=False),
        _name("given_names", 1, 13, 27),
        _f("birth_date", 1, 27, 33, _N),
        _f("birth_date_check", 1, 33, 34, _N, filler=False),
        _f("sex", 1, 34, 35, _A),
        _f("composite_check", 1, 35, 36, _N, filler=False),
    ),
    (
        CheckSpec("document_number", ((1, 0, 12),), (1, 12)),
        CheckSpec("birth_date", ((1, 27, 33),), (1, 33)),
        # The whole of line 1 and line 2 positions 1-35.
        CheckSpec("composite", ((0, 0, 36), (1, 0, 35)), (1, 35)),
    ),
)

# Order matters on a tie when choosing a layout: the French card wins over TD2 (same geometry).
LAYOUTS: tuple[Layout, ...] = (TD3, TD1, FR_CNI_1995, TD2)
LAYOUT_BY_FORMAT = {layout.format: layout for layout in LAYOUTS}
