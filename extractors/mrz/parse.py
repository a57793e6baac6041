"""Zone lines -> MrzResult: assemble, repair, decode (see the package docstring)."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from extractors.mrz import decode
from extractors.mrz.assemble import Assembly, assemble_zone, fits_field, is_plausible
from extractors.mrz.charset import FILLER, clean_line
from extractors.mrz.checks import evaluate_checks, resolve_checks
from extractors.mrz.countries import contract_code, is_known_code
from extractors.mrz.layouts import LAYOUT_BY_FORMAT, LAYOUTS, Layout, MrzFormat
from extractors.mrz.repair import repair_zone

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import date

    from extractors.mrz.decode import YearMonth


@dataclass(frozen=True, slots=True)
class MrzResult:
    """What a zone says, whether its check digits hold, and what was done to read it.

    Codes stay as printed (ICAO 9303 Part 3), except Germany's `D` which becomes `DEU`. Names
    are upper case as in the zone, words separated by one space. `None` means absent or
    unreadable; every character changed to read the zone is listed in `repaired`.
    `expiry_date` is always None for FR_CNI_1995: that zone has no expiry (DOMAIN.md §5.2);
    `issue_year_month` is only set for it. `optional_data` holds each optional field with
    fillers stripped: TD1 (line 1, line 2), TD2 (line 2), TD3 (personal number), FR_CNI_1995
    (issuing département, issuing office).
    """

    format: MrzFormat
    lines: tuple[str, ...]  # the zone after repair: what the checks were computed on
    document_code: str | None
    issuing_country: str | None
    last_name: str | None
    first_names: str | None
    document_number: str | None
    nationality: str | None
    birth_date: date | None
    sex: str | None
    expiry_date: date | None
    issue_year_month: YearMonth | None
    optional_data: tuple[str, ...]
    names_truncated: bool
    checks: Mapping[str, bool]  # check name -> holds; read-only
    # Every check digit holds on `lines`, composite included, no checked field is left with a
    # character it cannot hold (a digit in a name), and none holds a guess no check can confirm.
    valid: bool
    repaired: tuple[str, ...]
    warnings: tuple[str, ...]


def parse_mrz(
    lines: Sequence[str], *, today: date, format: MrzFormat | None = None
) -> MrzResult | None:
    """Zone text lines (OCR noise allowed) -> MrzResult; None if they do not read as a zone.

    `today` fixes the century of two-digit years: a birth date is never after it. `format`
    restricts the layout (as found by `find_mrz`); by default every layout is tried.
    """
    cleaned = [clean_line(raw) for raw in lines]
    layouts = LAYOUTS if format is None else (LAYOUT_BY_FORMAT[format],)
    assembly = assemble_zone([c.text for c in cleaned], layouts)
    if assembly is None or not is_plausible(assembly):
        return None
    glyphs = sum(c.glyph_fillers for c in cleaned)
    notes = (f"{glyphs} filler glyph(s) such as « read as <",) if glyphs else ()
    return _result(assembly, today, notes + assembly.adjustments)


@dataclass(frozen=True, slots=True)
class _Specific:
    """The fields whose source differs between ICAO zones and the French 1995 card."""

    document_number: str | None
    nationality: str | None
    expiry_date: date | None
    issue_year_month: YearMonth | None
    optional_data: tuple[str, ...]


def _result(assembly: Assembly, today: date, notes: tuple[str, ...]) -> MrzResult:
    layout = assembly.layout
    fixed = repair_zone(layout, assembly.zone)
    zone = fixed.zone
    checks = evaluate_checks(layout, zone)
    warnings = list(fixed.warnings)
    failing = [name for name, ok in checks.items() if not ok]
    if failing:
        warnings.append("check digit(s) failing: " + ", ".join(failing))
    illegal = _illegal_fields(layout, zone)
    if illegal:
        warnings.append("character(s) illegal for the field left in: " + ", ".join(illegal))
    if layout.format is MrzFormat.FR_CNI_1995:
        names = decode.french_names(layout.text(zone, "surname"), layout.text(zone, "given_names"))
    else:
        names = decode.icao_names(layout.text(zone, "name"))
    if names.truncated:
        warnings.append("name field full: names may be truncated")
    issuer = _country(layout.text(zone, "issuing_country"), "issuing_country", warnings)
    birth = decode.birth_date(layout.text(zone, "birth_date"), today)
    if birth is None:
        warnings.append("birth_date unreadable or unknown")
    sex = layout.text(zone, "sex")
    if decode.is_unreadable_sex(sex):
        warnings.append("sex unreadable")
    if layout.format is MrzFormat.FR_CNI_1995:
        specific = _french_fields(layout, zone, today, issuer, warnings)
    else:
        specific = _icao_fields(layout, zone, today, warnings)
    n = layout.line_length
    return MrzResult(
        format=layout.format,
        lines=tuple(zone[i : i + n] for i in range(0, layout.size, n)),
        document_code=layout.text(zone, "document_code").strip(FILLER) or None,
        issuing_country=issuer,
        last_name=names.last_name,
        first_names=names.first_names,
        document_number=specific.document_number,
        nationality=specific.nationality,
        birth_date=birth,
        sex=decode.sex(sex),
        expiry_date=specific.expiry_date,
        issue_year_month=specific.issue_year_month,
        optional_data=specific.optional_data,
        names_truncated=names.truncated,
        checks=MappingProxyType(checks),
        valid=not failing and not illegal and not fixed.unconfirmed,
        repaired=notes + fixed.repaired,
        warnings=tuple(warnings),
    )


def _illegal_fields(layout: Layout, zone: str) -> list[str]:
    """Checked fields still holding a character they cannot hold (a digit in a name).

    Such a zone is not valid even if its check digits hold: `1` and `L` weigh the same in a
    check, and two misreads can cancel out.
    """
    covered = {p for check in resolve_checks(layout, zone) for p in check.covered}
    names = {
        layout.field_at[p].name for p in covered if not fits_field(zone[p], layout.field_at[p])
    }
    return sorted(names)


def _icao_fields(layout: Layout, zone: str, today: date, warnings: list[str]) -> _Specific:
    check = next(c for c in resolve_checks(layout, zone) if c.name == "document_number")
    number = "".join(zone[p] for p in check.positions).rstrip(FILLER)
    optional = []
    for name in ("optional_data_1", "optional_data_2"):
        if layout.has_field(name):
            span = layout.positions(name)
            # A long document number's tail and check digit open optional data 1: skip them.
            start = check.digit + 1 if check.digit in span else span.start
            optional.append(zone[start : span.stop].strip(FILLER))
    expiry = decode.expiry_date(layout.text(zone, "expiry_date"), today)
    if expiry is None:
        warnings.append("expiry_date unreadable or unknown")
    return _Specific(
        document_number=number or None,
        nationality=_country(layout.text(zone, "nationality"), "nationality", warnings),
        expiry_date=expiry,
        issue_year_month=None,
        optional_data=tuple(optional),
    )


def _french_fields(
    layout: Layout, zone: str, today: date, issuer: str | None, warnings: list[str]
) -> _Specific:
    # The 12-character card number: issue YYMM, département, sequence (DOMAIN.md §5.2).
    start, stop = layout.positions("issue_year_month").start, layout.positions("card_sequence").stop
    number = zone[start:stop]
    issued = decode.issue_year_month(layout.text(zone, "issue_year_month"), today)
    if issued is None:
        warnings.append("issue year-month unreadable")
    return _Specific(
        document_number=number.strip(FILLER) or None,
        nationality=issuer,  # only French nationals get this card: issuer is the nationality
        expiry_date=None,  # not in this zone (DOMAIN.md §5.2); computed from §5.3 elsewhere
        issue_year_month=issued,
        optional_data=(
            layout.text(zone, "issuing_department").strip(FILLER),
            layout.text(zone, "issuing_office").strip(FILLER),
        ),
    )


def _country(code: str, name: str, warnings: list[str]) -> str | None:
    value = contract_code(code)
    if value is not None and not is_known_code(code.strip(FILLER)):
        warnings.append(f"{name} is not an ISO 3166-1 or ICAO 9303 code")
    return value
