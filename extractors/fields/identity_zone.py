"""The machine-readable zone of an identity document, found on its pages and read twice.

Where: identity_zone_text finds candidate zones on each page; the one whose check digits
hold best wins (extractors/mrz does the reading and repair). What the zone's checks vouch for,
field by field, and whether a failure is the document's or the scan's, is told here.

When: a zone writes years with two digits, and the parser takes a reference day for the
century. Our parser has no clock, so the zone is read twice: first with a provisional reference
that reads every expiry as 20YY (DOMAIN.md §5.1) and the old French card's issue month as
1988-2021 (the years that card was issued, §5.2); then, once the document's issue date is
known (see identity_dates), with that date, so that a birth date is never after the issue.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from extractors.fields.identity_merge import Sources
from extractors.fields.identity_zone_text import is_genuine, zone_candidates, zone_confidence
from extractors.layout import Line
from extractors.mrz import MrzFormat, MrzResult, parse_mrz
from extractors.mrz.assemble import fits_field
from extractors.mrz.charset import DIGIT_TO_LETTERS, LETTER_TO_DIGIT, clean_line, is_zone_char
from extractors.mrz.checks import ZoneCheck, evaluate_checks, resolve_checks
from extractors.mrz.layouts import LAYOUT_BY_FORMAT, Kind, Layout
from kanta_docs.facts import Value
from kanta_docs.models import Provenance
from kanta_docs.vocab import TextSource

if TYPE_CHECKING:
    from collections.abc import Sequence

    from extractors.mrz import MrzCandidate
    from kanta_docs.models import Page

T = TypeVar("T")

# Provisional references (see the module docstring). 2079 puts the 20-year expiry horizon of
# extractors/mrz/decode.py at 2099, so every expiry reads 20YY; the old card was issued until 2021.
ICAO_PROVISIONAL = date(2079, 12, 31)
OLD_CARD_LAST_ISSUE = date(2021, 12, 31)

_MAX_MIXED_PLACES = 4  # places two readings of a zone differ at, to try every mix of
_NEARLY_FULL_FILLERS = 2  # trailing fillers left when a name field was cut at a word

# Contract field -> zone fields it is read from, per layout family.
_FIELDS_ICAO = {
    "document_number": ("document_number",), "birth_date": ("birth_date",),
    "expiry_date": ("expiry_date",), "sex": ("sex",), "nationality": ("nationality",),
    "issuing_country": ("issuing_country",), "last_name": ("name",), "first_names": ("name",),
}  # fmt: skip
_FIELDS_OLD_CARD = {
    "document_number": ("issue_year_month", "card_department", "card_sequence"),
    "birth_date": ("birth_date",), "sex": ("sex",), "nationality": ("issuing_country",),
    "issuing_country": ("issuing_country",), "last_name": ("surname",),
    "first_names": ("given_names",), "issue_date": ("issue_year_month",),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Zone:
    """A zone read from a page: the parse, the text it was read from, where it sits."""

    result: MrzResult
    candidate: MrzCandidate  # kept to read it again with another reference day
    page: int
    lines: tuple[Line, ...]  # the page lines or cells it came from; empty if not located
    confidence: float  # 0-1: 1 for a text layer, the words' mean OCR confidence otherwise
    is_ocr: bool = False  # read by OCR (look-alike confusions possible), not from a text layer
    # The same zone as other OCR passes over the page read it (same layout, flat text): a
    # check that holds on one of them, or on a mix of them and this one, failed on this
    # reading by the scan's fault.
    other_readings: tuple[str, ...] = ()

    @property
    def is_old_card(self) -> bool:
        """Whether this is the French card of 1988/1995-2021 (no expiry in its zone)."""
        return self.result.format is MrzFormat.FR_CNI_1995

    def provenance(self) -> Provenance:
        """Provenance pointing at the zone."""
        text = "\n".join(self.result.lines)
        if not self.lines:
            return Provenance(self.page, text, None, self.confidence)
        words = tuple(w for line in self.lines for w in line.words)
        return Line(self.page, words).provenance(text, self.confidence)

    def is_credible(self) -> bool:
        """Whether the zone's checks can vouch for anything: on a noisy scan (stray or missing
        characters) one check in ten holds by chance, so most of them must hold."""
        if not (self.is_ocr and self.is_noisy()):
            return True
        return 2 * sum(self.result.checks.values()) > len(self.result.checks)

    def is_trusted(self, field: str) -> bool:
        """Whether every check digit covering `field` holds (the whole zone's, if none does)."""
        if not self.is_credible():
            return False
        covering = self._covering(field)
        own = [c for c in covering if c.name != "composite"]
        deciding = own or covering
        if not deciding:
            return self.result.valid
        return all(self.result.checks.get(c.name, False) for c in deciding)

    def sources(self, field: str, printed: Value[T] | None, encoded: T | None) -> Sources[T]:
        """The field as both zones give it, with how far this zone's checks vouch for it."""
        value = Value(encoded, self.provenance()) if encoded is not None else None
        if printed is not None and not self.is_credible():
            value = None  # a garbled zone has nothing to say against the printed value
        own = [c for c in self._covering(field) if c.name != "composite"]
        misread = self.is_ocr and any(not self.result.checks.get(c.name, False) for c in own)
        return Sources(printed, value, self.is_trusted(field), misread,
                       bool(self._covering(field)))

    def is_covered(self, field: str) -> bool:
        """Whether some check digit covers `field` (names in ICAO zones: none does)."""
        return bool(self._covering(field))

    def _covering(self, field: str) -> list[ZoneCheck]:
        """The checks whose digits cover some character of `field`."""
        layout = LAYOUT_BY_FORMAT[self.result.format]
        names = (_FIELDS_OLD_CARD if self.is_old_card else _FIELDS_ICAO).get(field, ())
        zone = "".join(self.result.lines)
        return [c for c in resolve_checks(layout, zone)
                if any(layout.field_at[p].name in names for p in c.positions)]

    def is_name_cut(self, field: str) -> bool:
        """Whether the zone's field for `field` (last_name/first_names) may be cut short.

        The parser flags a field whose last position is a letter; issuers also drop whole
        words that do not fit and leave a filler or two, so a nearly full field counts too.
        """
        if field == "last_name" and not self.is_old_card and self.result.first_names:
            return False  # ICAO cuts given names first: a surname before `<<` is whole
        if self.result.names_truncated:
            return True
        layout = LAYOUT_BY_FORMAT[self.result.format]
        names = (_FIELDS_OLD_CARD if self.is_old_card else _FIELDS_ICAO).get(field, ())
        zone = "".join(self.result.lines)
        for name in names:
            text = layout.text(zone, name)
            if len(text) - len(text.rstrip("<")) <= _NEARLY_FULL_FILLERS:
                return True
        return False

    def with_text(self, zone_text: str) -> Zone | None:
        """This zone read as `zone_text` (its flat characters changed, none added)."""
        layout = LAYOUT_BY_FORMAT[self.result.format]
        lines = tuple(zone_text[i:i + layout.line_length]
                      for i in range(0, len(zone_text), layout.line_length))
        result = parse_mrz(lines, today=provisional_reference(self.candidate),
                           format=self.result.format)
        return None if result is None else replace(self, result=result)

    def holds_with(self, zone_text: str) -> bool:
        """Whether every check digit holds on this zone's text with some characters changed
        (a letter OCR left where only a digit can be read as the digit it looks like)."""
        layout = LAYOUT_BY_FORMAT[self.result.format]
        return all(evaluate_checks(layout, _digits_where_numeric(layout, zone_text)).values())

    def is_noisy(self) -> bool:
        """Whether the zone text had stray characters inside its lines, or had to be padded
        or cut to the layout's width: a check failing there says more about the scan."""
        layout = LAYOUT_BY_FORMAT[self.result.format]
        raw = self.candidate.raw_lines
        return (sum(len(clean_line(r).text) for r in raw) != layout.size
                or any(_noise_in(r) for r in raw))

    def unsure_columns(self) -> dict[int, int]:
        """The zone lines (0-based) read with stray characters or at the wrong length, each
        with the column from which its characters may have shifted; every line from column 0
        when the page lines do not map one to one onto the zone's (a line split or glued).

        A line that reads cleanly from its start and lacks only as many characters as OCR
        read marks after its end (« <<()() » for « <<00 » at the scan's edge) is sure up to
        where those marks begin.
        """
        layout = LAYOUT_BY_FORMAT[self.result.format]
        raw = self.candidate.raw_lines
        if len(raw) != layout.line_count:
            return dict.fromkeys(range(layout.line_count), 0) if self.is_noisy() else {}
        unsure = {}
        for i, r in enumerate(raw):
            read = len(clean_line(r).text)
            if read == layout.line_length and not _noise_in(r):
                continue
            missing_at_end = (not _noise_in(r)
                              and 0 < layout.line_length - read <= _marks_after_end(r))
            unsure[i] = read if missing_at_end else 0
        return unsure

    def has_illegible_failure(self) -> bool:
        """Whether the failing checks may be the scan's doing rather than the document's.

        On a scan, one look-alike swap that makes the whole zone hold (`_one_lookalike_explains`)
        says the scan failed. Otherwise each failing check is judged on the characters it
        covers (the composite only when no field check fails: it fails with any of them). It
        is illegible, not the document's fault, when on a scan one of its lines held stray
        characters or had the wrong length (fields may have shifted; each line is fitted on its
        own; characters before where the marks at a line's end begin stay sure), or a letter
        OCR put where only a digit can be either explains the failure as the
        digit it looks like or, that guess failing too, leaves the character unread (a genuine
        zone never prints a letter there), or a covered character cannot belong to its field.
        The zone is undecided when every failing check is illegible; one plain failure (a
        fraud signal) makes it invalid.
        """
        layout = LAYOUT_BY_FORMAT[self.result.format]
        read = "".join(self.result.lines)
        zone = _digits_where_numeric(layout, read)
        unsure = self.unsure_columns() if self.is_ocr and self.is_noisy() else {}
        holds = evaluate_checks(layout, zone)
        others = [evaluate_checks(layout, _digits_where_numeric(layout, mixed))
                  for mixed in _mixed_readings(read, self.other_readings)]

        def shifted(pos: int) -> bool:
            line, col = layout.locate(pos)
            return line in unsure and col >= unsure[line]

        def illegible(check: ZoneCheck) -> bool:
            if any(shifted(p) for p in check.covered):
                return True
            if self.is_ocr and any(h.get(check.name, False) for h in others):
                return True  # another reading of the scan reads the check so that it holds
            if holds.get(check.name, True):
                return True  # it holds once look-alikes are read as digits
            if self.is_ocr and any(read[p] != zone[p] for p in check.covered):
                return True  # a letter where only a digit can be, its digit guess failing
            return any(not fits_field(zone[p], layout.field_at[p]) for p in check.covered)

        failed = [c for c in resolve_checks(layout, read)
                  if not self.result.checks.get(c.name, True)]
        if self.is_ocr and _one_lookalike_explains(layout, zone, failed):
            return True  # OCR's commonest slip (O for 0) in a field of letters and digits
        judged = [c for c in failed if c.name != "composite"] or failed
        return all(illegible(c) for c in judged)


def _mixed_readings(read: str, others: Sequence[str]) -> list[str]:
    """Every zone text taking, at each place where another reading differs from `read`, one
    reading's character or the other's (each of two passes may have slipped somewhere else:
    « 299903 » in one, « <<E<< » in the other, « 299003 » and « <<<<< » in neither alone)."""
    out = []
    for other in others:
        places = [p for p, (a, b) in enumerate(zip(read, other, strict=True)) if a != b]
        if not places or len(places) > _MAX_MIXED_PLACES:
            continue
        for mask in range(1, 2 ** len(places)):
            chars = list(read)
            for k, p in enumerate(places):
                if mask >> k & 1:
                    chars[p] = other[p]
            out.append("".join(chars))
    return out


def _digits_where_numeric(layout: Layout, zone: str) -> str:
    """`zone` with each letter in a digit-only position read as the digit it looks like."""
    return "".join(LETTER_TO_DIGIT.get(ch, ch) if layout.field_at[i].kind is Kind.NUMERIC
                   else ch for i, ch in enumerate(zone))


def _one_lookalike_explains(layout: Layout, zone: str, failing: Sequence[ZoneCheck]) -> bool:
    """Whether one look-alike swap (O/0, S/5…) in a character the failing checks cover makes
    every check of the zone hold.

    In a field of letters and digits (a card number) neither reading is illegal, so the
    look-alike rule of numeric fields cannot apply; but a scan that reads « KOX0 » for
    « K0X0 » has failed, not the document. Which reading is right stays undecided. A wrong
    check digit is not explained away this way: the swap must also keep every other check
    holding, and no look-alike swap changes a field's check without changing the composite
    (their values differ by no multiple of 10 once weighted), so where only a field's check
    digit is wrong no swap makes the zone whole; where a digit and the composite were both
    changed, one swap satisfies both by chance about once in a hundred. A check the scan left
    unread (a character that cannot belong to its field, « H » for a check digit) cannot
    confirm or refute the swap: the zone then stays undecided on the other checks alone.
    """
    unread = {c.name for c in resolve_checks(layout, zone)
              if any(not fits_field(zone[p], layout.field_at[p]) for p in c.covered)}
    covered = sorted({p for check in failing if check.name not in unread for p in check.covered})
    for p in covered:
        ch = zone[p]
        for other in (LETTER_TO_DIGIT.get(ch, ""), *DIGIT_TO_LETTERS.get(ch, ())):
            if not other or not fits_field(other, layout.field_at[p]):
                continue
            swapped = zone[:p] + other + zone[p + 1:]
            if all(holds or name in unread
                   for name, holds in evaluate_checks(layout, swapped).items()):
                return True
    return False


def _marks_after_end(raw: str) -> int:
    """Characters OCR read after a zone line's last zone character that are none (« () »)."""
    chars = [i for i, ch in enumerate(raw) if is_zone_char(ch)]
    tail = raw[chars[-1] + 1:] if chars else raw
    return sum(1 for ch in tail if not ch.isspace())


def _noise_in(raw: str) -> int:
    """Characters OCR put inside a zone line that are no zone characters (« 8/08081M »)."""
    chars = [i for i, ch in enumerate(raw) if is_zone_char(ch)]
    return clean_line(raw[chars[0]:chars[-1] + 1]).dropped if chars else 0


def provisional_reference(candidate: MrzCandidate) -> date:
    """The first reading's reference day for a zone layout (see the module docstring)."""
    return OLD_CARD_LAST_ISSUE if candidate.format is MrzFormat.FR_CNI_1995 else ICAO_PROVISIONAL


def find_zone(pages: Sequence[Page]) -> Zone | None:
    """The most convincing zone on any page, read with the provisional reference; None if none."""
    best: Zone | None = None
    readings: dict[tuple[int, MrzFormat], list[str]] = {}
    for page in pages:
        for candidate, lines in zone_candidates(page):
            result = parse_mrz(candidate.lines, today=provisional_reference(candidate),
                               format=candidate.format)
            if result is None or not is_genuine(result):
                continue
            readings.setdefault((page.number, result.format), []).append("".join(result.lines))
            zone = Zone(result, candidate, page.number, lines, zone_confidence(page, lines),
                        page.source is TextSource.OCR)
            if best is None or _rank(zone) > _rank(best):
                best = zone
    if best is None:
        return None
    own = "".join(best.result.lines)
    others = tuple(dict.fromkeys(r for r in readings[(best.page, best.result.format)]
                                 if r != own and len(r) == len(own)))
    return replace(best, other_readings=others)


def reread_zone(zone: Zone, reference: date) -> Zone:
    """The zone read again with the document's own reference day (its issue date)."""
    result = parse_mrz(zone.candidate.lines, today=reference, format=zone.candidate.format)
    if result is None:  # cannot happen: the same lines parsed before
        return zone
    return Zone(result, zone.candidate, zone.page, zone.lines, zone.confidence, zone.is_ocr,
                zone.other_readings)


def _rank(zone: Zone) -> tuple[int, int]:
    passed = sum(zone.result.checks.values())
    return passed - len(zone.result.checks), passed
