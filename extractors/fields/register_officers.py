"""The management section of a register extract: « GESTION, DIRECTION, ADMINISTRATION,
CONTROLE, ASSOCIES OU MEMBRES », « Dirigeants et organes de contrôle », « Représentants ».

Three shapes are read: blocks (a role line — « Président », « Qualité : Gérant » — then the
person's labelled rows, or a card: a name line and the particulars, see register_cards and
register_columns), phrases (« Président : M. Jean DUPONT, né le … ») and a table (one
officer per row under a header « Qualité | Nom | Prénoms | … », see register_officer_table).
Without a section heading the whole extract is searched, but only for unmistakable role lines
(« Qualité : … », « Gérant : … », or a role line followed by a name row).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from extractors.fields.kbis_labels import OFFICER_KEYS, REGISTER_LABELS
from extractors.fields.register_cards import (
    card_name_row,
    name_addition_rows,
    wrapped_first_names,
)
from extractors.fields.register_columns import (
    card_columns,
    is_role_heading,
    read_by_card_column,
)
from extractors.fields.register_details import (
    is_representative,
    name_then_details,
    role_name_cut,
    starts_detail_line,
)
from extractors.fields.register_headings import heading_title, is_section_heading
from extractors.fields.register_officer_table import find_table_header, read_officer_table
from extractors.fields.register_people import officer_from_phrase, officer_from_rows
from extractors.fields.register_rows import clean_value, line_cells, read_rows
from extractors.french.folding import fold_words
from extractors.french.roles import parse_officer_role
from extractors.layout import Line
from kanta_docs.vocab import OfficerRole

if TYPE_CHECKING:
    from collections.abc import Sequence

    from extractors.fields.register_rows import Row
    from kanta_docs.facts import OfficerFacts
    from kanta_docs.models import Word

# « Renseignements relatifs à la direction / aux dirigeants »: a management heading.
_ABOUT_MANAGEMENT = (r"relatifs?\s+(?:a|aux)\s+(?:la\s+|l'\s?)?"
                     r"(?:direction|gestion|dirigeants?|administration|representants?)")
_START = re.compile(
    r"^(?:gestion|gerance|direction|dirigeants?|administration|organes?\s+(?:de|d)\s+"
    r"(?:direction|gestion|administration|controle)"
    r"|representants?\s+legaux|representants?$|mandataires|personnes?\s+ayant|membres"
    r"|management|mandats?\s+sociaux|organes?\s+sociaux"
    r"|renseignements\s+" + _ABOUT_MANAGEMENT + r")(?![a-z])"
)
_END = re.compile(
    r"^(?:renseignements(?!\s+" + _ABOUT_MANAGEMENT + r")|etablissements?|activites?"
    r"|observations|beneficiaires?|immatriculation"
    r"|informations|mentions|procedures?|depots?|historique|identification|identite|siege"
    r"|fin\s+de\s+l\W?\s?extrait|le\s+greffier|extrait\s+delivre|certifie|document\s+delivre"
    r"|inscriptions?|actes?|radiation|fonds)(?![a-z])"
)
_STRONG_END = re.compile(
    r"^(?:fin\s+de\s+l\W?\s?extrait|le\s+greffier|extrait\s+delivre|certifie|document\s+delivre)"
)
_HEADING_MAX_WORDS = 12
_DASHES = frozenset({"-", "\u2013", "\u2014"})
_ROLE_MAX_WORDS = 7
# The date a role line may give for the appointment, after the role wording.
_ROLE_SINCE = re.compile(r"\s*[(,\-\u2013]?\s*(?:depuis|nomm[ée]e?s?|[àa]\s+compter)\b.*$",
                         re.IGNORECASE)
_NAME_KEYS = frozenset({"full_name", "last_name", "first_names", "name"})
# A name row starts the next person when the block already holds one of these.
_NAME_CLASHES = {
    "full_name": frozenset({"full_name", "last_name", "first_names", "name"}),
    "last_name": frozenset({"full_name", "last_name", "name"}),
    "first_names": frozenset({"full_name", "first_names"}),
    "name": frozenset({"full_name", "last_name", "name"}),
}
_PARTICULARS = frozenset({"birth", "birth_place", "nationality", "address"})
# A phrase continues on following lines no further below than this many line heights.
_PHRASE_GAP_HEIGHTS = 2.2


def _is_heading(line: Line, pattern: re.Pattern[str]) -> bool:
    """Whether a line is a section heading matching `pattern` (short, no digits, no value;
    numbering such as « 2 – » or « Rubrique 3 : » aside)."""
    return is_section_heading(line.text, pattern, _HEADING_MAX_WORDS)


def find_section(lines: Sequence[Line]) -> range | None:
    """Indexes of the management section's lines (after its heading); None without heading."""
    start = next((i for i, line in enumerate(lines) if _is_heading(line, _START)), None)
    if start is None:
        return None
    for end in range(start + 1, len(lines)):
        line = lines[end]
        if _is_heading(line, _END) or _STRONG_END.match(fold_words(heading_title(line.text))):
            return range(start + 1, end)
    return range(start + 1, len(lines))


@dataclass(frozen=True, slots=True)
class _RoleLine:
    """A line naming a role, with what follows it on the line (a phrase naming the officer)."""

    role: OfficerRole
    text: str
    phrase: Line | None  # the words after the role, when the line names the officer too
    is_explicit: bool = True  # « Qualité : X » or « X : name », not a bare role wording
    in_column: bool = False  # the phrase is a cell of its own (a table: role | name)


@dataclass
class _Block:
    """Rows gathered for one officer (mutable while the section is read)."""

    role: OfficerRole
    role_text: str
    rows: dict[str, Row] = field(default_factory=dict)
    role_index: int = -1  # the role line's index (a card's name line comes right under it)


def _role_line(line: Line, rows: Sequence[Row]) -> _RoleLine | None:
    """The role a line announces: « Qualité : X », « Président », « Gérant : M. X »; else None."""
    for row in rows:
        if row.key == "role" and row.value:
            return _RoleLine(parse_officer_role(row.value) or OfficerRole.OTHER, row.value, None)
    cells = line_cells(line)
    if not cells or any(abs(r.label_x0 - cells[0].x0) < 1 for r in rows):
        return None  # the line starts with a label: a detail row
    words = list(cells[0].words)
    cut = next((i for i, w in enumerate(words) if ":" in w.text), None)
    if cut is None:
        cut = _dash_cut(words)
    if cut is None and (at := role_name_cut([w.text for w in words], parse_officer_role)):
        cut = at - 1  # the role's last word: the name is what follows it
    head_words = words[: cut + 1] if cut is not None else words
    head = clean_value(" ".join(w.text for w in head_words).split(":")[0])
    head = _ROLE_SINCE.sub("", head)  # « Président depuis le 12/03/2020 »: the role only
    head = _without_specks(head)  # « Gérant É 3 »: marks OCR read beside a scanned heading
    if (len(head.split()) > _ROLE_MAX_WORDS or any(c.isdigit() for c in head)
            or (role := parse_officer_role(head)) is None):
        return None
    rest = words[cut + 1 :] if cut is not None else []
    rest_words = tuple(w for w in (*rest, *(w for c in cells[1:] for w in c.words))
                       if not _is_speck(w.text))
    phrase = Line(line.page, rest_words) if rest_words else None
    return _RoleLine(role, head, phrase, cut is not None, in_column=not rest and len(cells) > 1)


def _dash_cut(words: Sequence[Word]) -> int | None:
    """The dash that parts a role from the name it gives (« Gérant – DE OLIVEIRA, Anne »), not
    one inside the role wording (« Gérant - Associé unique », « Président - Directeur
    général »); None if there is none."""
    for i, word in enumerate(words[1:-1], start=1):
        if word.text in _DASHES:
            head = " ".join(w.text for w in words[:i])
            after = " ".join(w.text for w in words[i + 1 : i + 3])
            if parse_officer_role(head) is not None and parse_officer_role(after) is None:
                return i
            return None
    return None


def _is_speck(token: str) -> bool:
    """A token that is no word: one character, or two with no letter (« É », « 3 », « .: »);
    an ampersand is a word (« AUDIT & CONSEIL »)."""
    return (len(token) == 1 and token != "&") or (
        len(token) == 2 and not any(c.isalpha() for c in token))


def _without_specks(text: str) -> str:
    """Text without the specks that end it."""
    words = text.split()
    while len(words) > 1 and _is_speck(words[-1]):
        words.pop()
    return " ".join(words)


def _phrase_lines(lines: Sequence[Line], index: int, stop: int, role_line: _RoleLine,
                  by_line: dict[int, list[Row]]) -> list[Line]:
    """A phrase's first line and the lines that continue it: same page, close below, not a
    role line, not a representative's, not starting with a label (the person's particulars
    only in prose: « né le … » goes on, « Nationalité : … » is a detail line)."""
    assert role_line.phrase is not None
    first = role_line.phrase
    pieces = [first]
    previous = lines[index]
    # A phrase in a column of its own goes on in that column; a line at the role's left edge
    # is the role's wrapped wording (« Commissaire aux comptes » / « suppléant »).
    left = first.x0 - 8 if role_line.in_column else -1e9
    for n in range(index + 1, stop):
        line = lines[n]
        height = max(previous.bottom - previous.top, 1.0)
        starts_label = any(abs(r.label_x0 - line.x0) < 1 and r.key not in _PARTICULARS
                           for r in by_line.get(n, []))
        if (line.page != previous.page or starts_detail_line(line, by_line.get(n, []))
                or is_representative(line)
                or line.top - previous.top > _PHRASE_GAP_HEIGHTS * height
                or line.top < previous.top or line.x0 < max(previous.x0 - 8, left)
                or starts_label or parse_officer_role(line.text.split(":")[0])):
            break
        pieces.append(line)
        previous = line
    return pieces


def read_officers(lines: Sequence[Line],
                  rows: Sequence[Row]) -> tuple[list[OfficerFacts], list[str]]:
    """Lines and their labelled rows -> the management section's officers, in order, and
    warnings."""
    section = find_section(lines)
    span = section if section is not None else range(len(lines))
    header = find_table_header(lines, span)
    if header is not None:
        return read_officer_table(lines, span, header), []
    columns = card_columns(lines, span) if section is not None else None
    if columns is not None:  # cards side by side: read them one by one
        cut = read_by_card_column(lines, span, columns)
        cut_rows = read_rows(cut, REGISTER_LABELS, heads=is_role_heading)
        reader = _BlockReader(cut, cut_rows, range(len(cut)), strict=False)
    else:
        reader = _BlockReader(lines, rows, span, strict=section is None)
    return reader.read(), reader.warnings


@dataclass
class _BlockReader:
    """Reads officers from role lines, their phrases and the labelled rows below them.

    In strict mode (no section heading) rows count only under a role line, and a row that is
    not about an officer (« Capital ») ends the block.
    """

    lines: Sequence[Line]
    rows: Sequence[Row]
    span: range
    strict: bool
    officers: list[OfficerFacts] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    block: _Block | None = None

    def read(self) -> list[OfficerFacts]:
        """The officers of the span, in document order."""
        by_line: dict[int, list[Row]] = {}
        for row in self.rows:
            if row.line_index in self.span:
                by_line.setdefault(row.line_index, []).append(row)
        skip_to = self.span.start
        # Lines whose words are all values of labels above them (label-above-value pairs:
        # « Fonction | Nom » over « Président | DUPONT ») are read already, as rows.
        values = {id(w) for r in self.rows if r.line_index in self.span
                  for p in r.pieces for w in p.words}
        for index in self.span:
            if index < skip_to or all(id(w) in values for w in self.lines[index].words):
                continue
            all_rows = by_line.get(index, [])
            line_rows = [r for r in all_rows if r.key in OFFICER_KEYS]
            role_line = self._role_line(index, line_rows, by_line)
            cells = line_cells(self.lines[index])  # without specks (« . » before a label)
            first_x0 = cells[0].x0 if cells else self.lines[index].x0
            starts_label = any(abs(r.label_x0 - first_x0) < 1 for r in all_rows)
            if not starts_label and (name_row := self._card_name(index, role_line)) is not None:
                self._add_rows([name_row])
                continue
            if not all_rows and self._card_name_addition(index):
                continue
            if is_representative(self.lines[index]):
                continue  # who acts for a legal-person officer is no officer
            if role_line is not None and role_line.phrase is not None and not any(
                    r.key in _NAME_KEYS for r in line_rows):
                self.close()
                name_row = name_then_details(self.lines, index, role_line.phrase, by_line)
                if name_row is not None:  # « Président : M. X » over « Nationalité : … » rows
                    self._start(role_line, index)
                    self._add_rows([name_row])
                    continue
                pieces = _phrase_lines(self.lines, index, self.span.stop, role_line,
                                       by_line)
                skip_to = index + len(pieces)
                self._add_phrase(role_line, pieces)
                continue
            if role_line is not None:
                self._start(role_line, index)
            elif self.strict and any(r.key not in OFFICER_KEYS for r in all_rows):
                self.close()  # without a section, a company row ends the officer's rows
            self._add_rows([r for r in line_rows if r.key != "role"])
        self.close()
        return self.officers

    def _role_line(self, index: int, line_rows: list[Row],
                   by_line: dict[int, list[Row]]) -> _RoleLine | None:
        """The role line at `index`; in strict mode a bare role wording needs a name row below."""
        role_line = _role_line(self.lines[index], line_rows)
        if role_line is not None and self.strict and not role_line.is_explicit:
            below = by_line.get(index + 1, [])
            if any(r.key in _NAME_KEYS for r in below):
                return role_line
            # A card: an unlabelled name line, then the person's particulars.
            card = (index + 2 < len(self.lines) and not below
                    and card_name_row(self.lines[index + 1], index + 1) is not None
                    and any(r.key in _PARTICULARS for r in by_line.get(index + 2, [])))
            return role_line if card else None
        return role_line

    def _card_name(self, index: int, role_line: _RoleLine | None) -> Row | None:
        """The name line of a card: the first line under a role line, unlabelled, naming a
        person or a company (whose name may read as a role: « CABINET X ET ASSOCIÉS »)."""
        block = self.block
        if (block is None or not block.role_text or block.rows or block.role_index != index - 1
                or not _close_below(self.lines[index - 1], self.lines[index])):
            return None
        following = self.lines[index + 1] if index + 1 in self.span else None
        row = card_name_row(self.lines[index], index, following)
        if row is None or (role_line is not None and (row.key != "name" or role_line.is_explicit
                                                      or role_line.phrase is not None)):
            return None
        return row

    def _card_name_addition(self, index: int) -> bool:
        """Read a card's « née DURAND » (or « Née DURAND le … ») line, or the first names its
        name line wrapped, into the block's name; whether the line was one."""
        if self.block is None:
            return False
        name = self.block.rows.get("full_name")
        wrapped = wrapped_first_names(self.lines[index], index, name)
        if wrapped is not None:
            self.block.rows["full_name"] = wrapped
            return True
        found = name_addition_rows(self.lines[index], index, name)
        if found is None:
            return False
        self.block.rows["full_name"], birth = found
        if birth is not None:
            self.block.rows.setdefault("birth", birth)
        return True

    def _start(self, role_line: _RoleLine, index: int) -> None:
        """Begin an officer's block; « Qualité » printed after the name completes its block."""
        block = self.block
        if block is not None and not block.role_text and block.rows:
            block.role, block.role_text = role_line.role, role_line.text
            return
        if block is not None and not block.rows and block.role is role_line.role:
            return  # the card's heading says the role again (« Fonction : Président »)
        self.close()
        self.block = _Block(role_line.role, role_line.text, role_index=index)

    def _add_rows(self, rows: Sequence[Row]) -> None:
        """Add a line's detail rows to the block (a second name row starts the next officer)."""
        for row in rows:
            if self.block is None:
                if self.strict:
                    return
                self.block = _Block(OfficerRole.OTHER, "")
            elif (_NAME_CLASHES.get(row.key, frozenset()) & self.block.rows.keys()
                  and not _completes_card_name(self.block.rows, row)):
                role, text = self.block.role, self.block.role_text
                self.close()  # a second person under the same role
                self.block = _Block(role, text)
            self.block.rows.setdefault(row.key, row)

    def _add_phrase(self, role_line: _RoleLine, pieces: list[Line]) -> None:
        """Read the officer a phrase names and add it."""
        text = clean_value(" ".join(p.text for p in pieces))
        words = tuple(w for p in pieces if p.page == pieces[0].page for w in p.words)
        provenance = Line(pieces[0].page, words).provenance(text, _confidence(words))
        officer = officer_from_phrase(role_line.role, role_line.text, text, provenance)
        if officer is None:
            self.warnings.append(f"page {pieces[0].page}: officer name unreadable")
        else:
            self.officers.append(officer)

    def close(self) -> None:
        """Turn the current block into an officer, if it names one."""
        if self.block is not None:
            officer = officer_from_rows(self.block.role, self.block.role_text, self.block.rows)
            if officer is not None:
                self.officers.append(officer)
            elif self.block.role_text:
                page = next((r.page for r in self.block.rows.values()), None)
                self.warnings.append(f"page {page}: officer name unreadable" if page
                                     else "officer name unreadable")
        self.block = None


def _completes_card_name(rows: dict[str, Row], row: Row) -> bool:
    """Whether `row` is the birth name of the person a card's name line named (« Claire
    MARTIN » / « Nom de naissance : DURAND »), not a second person."""
    card = rows.get("full_name")
    return (row.key == "last_name" and card is not None and not card.label
            and "last_name" not in rows)


def _close_below(line: Line, below: Line) -> bool:
    """Whether `below` is the next line of the same text (same page, no wide gap)."""
    height = max(line.bottom - line.top, 1.0)
    return below.page == line.page and 0 < below.top - line.top <= _PHRASE_GAP_HEIGHTS * height


def _confidence(words: Sequence[Word]) -> float:
    """Mean OCR confidence of words, 0-1 (1 for a text layer)."""
    scores = [w.confidence for w in words if w.confidence is not None]
    return round(sum(scores) / len(scores) / 100, 3) if scores else 1.0
