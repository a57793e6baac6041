"""Officers printed as a table: a header « Qualité | Nom / Dénomination | Prénoms | Né(e) le | … »
and one officer per row, a row's cells possibly wrapping over several lines.

Columns are told by the header's cells (labels of kbis_labels) and words are placed by their
left edge, so a cell that wraps, or two cells OCR glued together, still land in their columns.
A line with words under both the role and the name columns starts a row; other lines continue it.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean
from typing import TYPE_CHECKING

from extractors.fields.kbis_labels import REGISTER_LABELS
from extractors.fields.register_people import (
    company_name,
    labelled_usage,
    looks_like_company,
    officer_from_phrase,
    split_name_parts,
)
from extractors.fields.register_rows import clean_value, line_cells, match_label_at
from extractors.french.dates import find_dates
from extractors.french.identifiers import parse_siren
from extractors.french.names import PersonName, split_person_name
from extractors.french.nationality import parse_nationality
from extractors.french.roles import parse_officer_role
from extractors.layout import Line
from kanta_docs.facts import OfficerFacts, PersonFacts, Value
from kanta_docs.text import fold
from kanta_docs.vocab import OfficerRole

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kanta_docs.models import Provenance, Word

# Header label keys -> column kinds.
_KINDS = {
    "role": "role", "name": "name", "full_name": "name", "last_name": "name",
    "first_names": "first_names", "usage_name": "usage_name", "birth": "birth",
    "birth_place": "birth_place", "nationality": "nationality", "address": "address",
    "siren": "siren", "rcs": "siren",
}  # fmt: skip
_MIN_COLUMNS = 3
_TOL = 8.0  # points: a word a little left of its header still belongs to its column
_ROW_GAP_HEIGHTS = 2.5  # a row's next line, or the next row, is no further below than this
_PADDED_RATIO = 1.25  # rows padded apart: steps this much above the tightest one start a row


@dataclass(frozen=True, slots=True)
class TableHeader:
    """Where the header is and its columns: (left edge, kind), left to right."""

    line_index: int
    columns: tuple[tuple[float, str], ...]

    def column_of(self, word: Word) -> str:
        """The kind of the column a word falls in."""
        kind = self.columns[0][1]
        for x0, name in self.columns:
            if word.x0 >= x0 - _TOL:
                kind = name
        return kind


def _header_at(line: Line, index: int) -> TableHeader | None:
    """A line's table header, if its cells are labels naming a role and a name column."""
    cells = line_cells(line)
    columns: list[tuple[float, str]] = []
    for cell in cells:
        hit = match_label_at(cell.words, REGISTER_LABELS)
        whole = hit is not None and hit[1] >= len(cell.words)
        kind = _KINDS.get(hit[0], "other") if hit and whole else "other"
        if fold(cell.text) == "a":  # « Né(e) le | à | … »: the birth place column
            kind = "birth_place"
        columns.append((cell.x0, kind))
    kinds = [k for _, k in columns if k != "other"]
    if len(kinds) < _MIN_COLUMNS or "role" not in kinds or "name" not in kinds:
        return None
    return TableHeader(index, tuple(columns))


def find_table_header(lines: Sequence[Line], span: range) -> TableHeader | None:
    """The first officer-table header among lines[span]; None when officers are not a table."""
    for index in span:
        header = _header_at(lines[index], index)
        if header is not None:
            return header
    return None


def read_officer_table(lines: Sequence[Line], span: range,
                       header: TableHeader) -> list[OfficerFacts]:
    """The officers of a table whose header is `header`, one per row."""
    officers: list[OfficerFacts] = []
    for row in _table_rows(lines, span, header):
        officer = _officer(row)
        if officer is not None:
            officers.append(officer)
    return officers


@dataclass(frozen=True, slots=True)
class _TableRow:
    """One row's words by column kind, on the page where the row starts."""

    page: int
    cells: dict[str, list[Word]]

    def words(self, kind: str) -> list[Word]:
        """The words in a column (empty list if none)."""
        return self.cells.get(kind, [])

    def text(self, kind: str) -> str:
        """The text of a column, cleaned."""
        return clean_value(" ".join(w.text for w in self.words(kind)))

    def provenance(self, kind: str, text: str | None = None) -> Provenance:
        """Provenance of a value read from a column (`text`: the printed span, if not all)."""
        words = tuple(self.words(kind))
        scores = [w.confidence for w in words if w.confidence is not None]
        confidence = round(fmean(scores) / 100, 3) if scores else 1.0
        return Line(self.page, words).provenance(
            text if text is not None else self.text(kind), confidence)


def _table_lines(lines: Sequence[Line], span: range, header: TableHeader) -> list[Line]:
    """The lines under the header that belong to the table (past a page break if the header is
    printed again)."""
    out: list[Line] = []
    previous = lines[header.line_index]
    # A line of one short word (the end of a wrapped date: « 3 ») is lower than text lines:
    # gaps are measured against the header's height at least.
    text_height = max(previous.bottom - previous.top, 1.0)
    index = header.line_index + 1
    while index < span.stop:
        line = lines[index]
        if line.page != previous.page:
            again = next((i for i in range(index, span.stop) if lines[i].page == line.page
                          and _header_at(lines[i], i) is not None), None)
            if again is None:
                break  # the table does not go on after the page break
            previous, index = lines[again], again + 1
            continue
        height = max(previous.bottom - previous.top, text_height)
        if line.top - previous.top > _ROW_GAP_HEIGHTS * height:
            break
        out.append(line)
        previous, index = line, index + 1
    return out


def _row_spacing(table: Sequence[Line]) -> float | None:
    """The line spacing inside a multi-line row, if rows are set apart by wider spacing."""
    steps = [b.top - a.top for a, b in zip(table, table[1:], strict=False) if a.page == b.page]
    if not steps or max(steps) <= _PADDED_RATIO * min(steps):
        return None  # even spacing: rows cannot be told apart by it
    return min(steps)


def _continues_role(role: str, words: Sequence[Word]) -> bool:
    """Whether words finish a role the row above left unfinished (« Commissaire aux » …)."""
    more = " ".join(w.text for w in words)
    return parse_officer_role(role) is None and parse_officer_role(f"{role} {more}") is not None


def _columns_of(line: Line, header: TableHeader) -> dict[str, list[Word]]:
    """A line's words by the kind of column they fall in."""
    cells: dict[str, list[Word]] = {}
    for word in (w for c in line_cells(line) for w in c.words):
        cells.setdefault(header.column_of(word), []).append(word)
    return cells


def _role_text(cells: dict[str, list[Word]]) -> str:
    """The words of a line's role column."""
    return " ".join(w.text for w in cells.get("role", []))


def _table_rows(lines: Sequence[Line], span: range, header: TableHeader) -> list[_TableRow]:
    """The table's rows, each with its words by column kind.

    A line with words under the role and the name columns starts a row when its role words
    name a role, alone or finished by the next line's (« Commissaire aux » / « comptes
    titulaire »),
    and do not finish the role above; role wording no rule knows starts a row only where the
    spacing sets rows apart. Other lines continue the row above.
    """
    table = _table_lines(lines, span, header)
    inner = _row_spacing(table)
    by_line = [_columns_of(line, header) for line in table]
    rows: list[_TableRow] = []
    for n, (line, cells) in enumerate(zip(table, by_line, strict=True)):
        starts = not rows or ("role" in cells and "name" in cells)
        if rows and starts:
            role = _role_text(cells)
            step = line.top - table[n - 1].top if table[n - 1].page == line.page else None
            is_padded = inner is not None and step is not None and step > _PADDED_RATIO * inner
            ahead = _role_text(by_line[n + 1]) if n + 1 < len(by_line) else ""
            names_role = parse_officer_role(role) is not None or (
                bool(ahead) and parse_officer_role(ahead) is None
                and parse_officer_role(f"{role} {ahead}") is not None)
            starts = ((names_role or is_padded)
                      and not _continues_role(rows[-1].text("role"), cells["role"]))
        if starts:
            rows.append(_TableRow(line.page, cells))
        else:
            for kind, words in cells.items():
                rows[-1].cells.setdefault(kind, []).extend(words)
    return rows


def _officer(row: _TableRow) -> OfficerFacts | None:
    """One table row -> the officer it names; None when it names nobody."""
    name = row.text("name")
    if not name or not row.words("name"):
        return None
    role_text = row.text("role")
    role = parse_officer_role(role_text) or OfficerRole.OTHER
    firsts = row.text("first_names")
    name_prov = row.provenance("name")
    if not firsts:
        labelled = labelled_usage(name)  # « Claire DURAND / Nom d'usage : MARTIN » in one cell
        if labelled is None and (looks_like_company(name)
                                 or split_person_name(name).first_names is None):
            siren = parse_siren(row.text("siren") or name)
            denomination = company_name(name) or name
            return OfficerFacts(PersonFacts(last_name=Value(denomination, name_prov)), role,
                                role_text, is_company=True,
                                siren=Value(siren, name_prov) if siren else None)
        return officer_from_phrase(role, role_text, name, name_prov)
    split = split_name_parts(name, firsts, row.text("usage_name"))
    if split.last_name is None:
        return None
    return OfficerFacts(_person(row, split, name_prov), role, role_text)


def _person(row: _TableRow, split: PersonName, name_prov: Provenance) -> PersonFacts:
    """A person row's facts: the split name, birth date and place, nationality."""
    dates = find_dates(row.text("birth"))
    nationality = parse_nationality(row.text("nationality")) if row.words("nationality") else None
    place = row.text("birth_place")
    return PersonFacts(
        last_name=Value(split.last_name, name_prov) if split.last_name else None,
        first_names=(Value(split.first_names, row.provenance("first_names"))
                     if split.first_names else None),
        usage_name=Value(split.usage_name, name_prov) if split.usage_name else None,
        birth_date=(Value(dates[0].value, row.provenance("birth", dates[0].text))
                    if dates else None),
        birth_place=Value(place, row.provenance("birth_place")) if place else None,
        nationality=(Value(nationality, row.provenance("nationality"))
                     if nationality else None),
        sex=Value(split.sex, name_prov) if split.sex else None,
    )
