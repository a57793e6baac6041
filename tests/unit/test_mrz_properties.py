"""Property tests for extractors.mrz against an encoder written here, independently of it.

The encoder builds zones from field values following ICAO 9303 Parts 4-6 and DOMAIN.md §5.2 with
its own check-digit code. Generated names avoid words made only of K, C and L, and words ending
in four of them: the parser takes those for misread fillers (a documented limit of the filler
heuristics in extractors/mrz/repair.py, which no check digit can arbitrate for K).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from extractors.mrz import MrzFormat, MrzResult, find_mrz, parse_mrz, read_mrz

if TYPE_CHECKING:
    import random

TODAY = date(2026, 6, 15)
ALNUM = string.ascii_uppercase + string.digits
COUNTRIES = ["FRA", "DEU", "D", "ITA", "GBR", "GBD", "UNO", "XXA", "UTO", "ESP", "MAR", "USA"]
LOOKALIKE_LETTERS = {"0": "OQD", "1": "IL", "2": "Z", "5": "S", "6": "G", "8": "B"}


def check_digit(data: str) -> str:
    total = 0
    for i, ch in enumerate(data):
        if ch.isdigit():
            value = int(ch)
        elif ch == "<":
            value = 0
        else:
            value = string.ascii_uppercase.index(ch) + 10
        total += value * (7, 3, 1)[i % 3]
    return str(total % 10)


def pad(text: str, width: int) -> str:
    assert len(text) <= width
    return text + "<" * (width - len(text))


def yymmdd(d: date) -> str:
    return d.strftime("%y%m%d")


@dataclass(frozen=True)
class Holder:
    surname: tuple[str, ...]
    given: tuple[str, ...]
    birth: date
    sex: str  # M, F or <


@dataclass(frozen=True)
class Zone:
    """Generated zone lines and the fields a correct parser returns for them."""

    format: MrzFormat
    lines: tuple[str, ...]
    expected: dict[str, object]
    numeric: tuple[tuple[int, int], ...]  # (line, col) holding digits only by layout
    checked: tuple[tuple[int, int], ...]  # (line, col) covered by some check digit
    letters: tuple[tuple[int, int], ...]  # (line, col) of name letters covered by a check


def _icao_name(holder: Holder) -> str:
    return "<".join(holder.surname) + "<<" + "<".join(holder.given)


def _expected(holder: Holder, **more: object) -> dict[str, object]:
    return {
        "last_name": " ".join(holder.surname),
        "first_names": " ".join(holder.given),
        "birth_date": holder.birth,
        "sex": None if holder.sex == "<" else holder.sex,
        **more,
    }


def _cols(line: int, *spans: tuple[int, int]) -> tuple[tuple[int, int], ...]:
    return tuple((line, c) for start, stop in spans for c in range(start, stop))


def encode_td3(
    holder: Holder, number: str, personal: str, issuer: str, nat: str, expiry: date
) -> Zone:
    line1 = "P<" + pad(issuer, 3) + pad(_icao_name(holder), 39)
    doc = pad(number, 9)
    pers = pad(personal, 14)
    dob = yymmdd(holder.birth)
    body = doc + check_digit(doc) + pad(nat, 3) + dob + check_digit(dob) + holder.sex
    body += yymmdd(expiry) + check_digit(yymmdd(expiry))
    body += pers + (check_digit(pers) if personal else "<")
    line2 = body + check_digit(body[0:10] + body[13:20] + body[21:43])
    expected = _expected(
        holder,
        document_number=number,
        nationality="DEU" if nat == "D" else nat,
        issuing_country="DEU" if issuer == "D" else issuer,
        expiry_date=expiry,
        optional_data=(personal,),
    )
    numeric = _cols(1, (9, 10), (13, 20), (21, 28), (43, 44))
    checked = _cols(1, (0, 10), (13, 20), (21, 44))
    return Zone(MrzFormat.TD3, (line1, line2), expected, numeric, checked, ())


def encode_td1(holder: Holder, number: str, opt2: str, issuer: str, nat: str, expiry: date) -> Zone:
    if len(number) <= 9:
        head = pad(number, 9) + check_digit(pad(number, 9)) + pad("", 15)
    else:  # ICAO 9303 Part 5 note j: overflow into optional data, then the check digit
        head = number[:9] + "<" + pad(number[9:] + check_digit(number), 15)
    line1 = "I" + "D" + pad(issuer, 3) + head
    dob, exp = yymmdd(holder.birth), yymmdd(expiry)
    body = dob + check_digit(dob) + holder.sex + exp + check_digit(exp) + pad(nat, 3)
    body += pad(opt2, 11)
    line2 = body + check_digit(line1[5:30] + body[0:7] + body[8:15] + body[18:29])
    line3 = pad(_icao_name(holder), 30)
    expected = _expected(
        holder,
        document_number=number,
        nationality="DEU" if nat == "D" else nat,
        issuing_country="DEU" if issuer == "D" else issuer,
        expiry_date=expiry,
        optional_data=("", opt2),
    )
    numeric = _cols(1, (0, 7), (8, 15), (29, 30)) + (() if len(number) > 9 else _cols(0, (14, 15)))
    checked = _cols(0, (5, 30)) + _cols(1, (0, 7), (8, 15), (18, 30))
    return Zone(MrzFormat.TD1, (line1, line2, line3), expected, numeric, checked, ())


def encode_td2(holder: Holder, number: str, opt: str, issuer: str, nat: str, expiry: date) -> Zone:
    line1 = "I<" + pad(issuer, 3) + pad(_icao_name(holder), 31)
    dob, exp = yymmdd(holder.birth), yymmdd(expiry)
    doc = pad(number, 9)
    body = doc + check_digit(doc) + pad(nat, 3) + dob + check_digit(dob) + holder.sex
    body += exp + check_digit(exp) + pad(opt, 7)
    line2 = body + check_digit(body[0:10] + body[13:20] + body[21:35])
    expected = _expected(
        holder,
        document_number=number,
        nationality="DEU" if nat == "D" else nat,
        issuing_country="DEU" if issuer == "D" else issuer,
        expiry_date=expiry,
        optional_data=(opt,),
    )
    numeric = _cols(1, (9, 10), (13, 20), (21, 28), (35, 36))
    checked = _cols(1, (0, 10), (13, 20), (21, 36))
    return Zone(MrzFormat.TD2, (line1, line2), expected, numeric, checked, ())


def encode_fr(holder: Holder, issued: date, department: str, sequence: str, office: str) -> Zone:
    """French card 1995-2021, DOMAIN.md §5.2."""
    line1 = "IDFRA" + pad("<".join(holder.surname), 25) + pad(department, 3) + pad(office, 3)
    number = issued.strftime("%y%m") + pad(department, 3) + sequence
    dob = yymmdd(holder.birth)
    body = number + check_digit(number) + pad("<<".join(holder.given), 14) + dob
    body += check_digit(dob) + holder.sex
    line2 = body + check_digit(line1 + body)
    expected = _expected(
        holder,
        document_number=number,
        nationality="FRA",
        issuing_country="FRA",
        expiry_date=None,
        issue_year_month=(issued.year, issued.month),
        optional_data=(department, office),
    )
    numeric = _cols(1, (0, 4), (7, 13), (27, 34), (35, 36)) + _cols(0, (33, 33 + len(office)))
    checked = _cols(0, (0, 36)) + _cols(1, (0, 36))
    surname_cols = _cols(0, (5, 5 + len(line1[5:30].rstrip("<"))))
    given_cols = _cols(1, (13, 13 + len(body[13:27].rstrip("<"))))
    letters = tuple((ln, c) for ln, c in surname_cols + given_cols if (line1, line2)[ln][c] != "<")
    return Zone(MrzFormat.FR_CNI_1995, (line1, line2), expected, numeric, checked, letters)


# --- strategies -------------------------------------------------------------------------------

word = st.text(string.ascii_uppercase, min_size=2, max_size=8).filter(
    lambda w: not set(w) <= set("KCL") and not (len(w) >= 4 and set(w[-4:]) <= set("KCL"))
)


def words(max_chars: int, joiner: int) -> st.SearchStrategy[tuple[str, ...]]:
    return (
        st.lists(word, min_size=1, max_size=3)
        .map(tuple)
        .filter(lambda ws: sum(map(len, ws)) + joiner * (len(ws) - 1) <= max_chars)
    )


def dates(start: date, end: date) -> st.SearchStrategy[date]:
    return st.integers(0, (end - start).days).map(lambda d: start + timedelta(days=d))


births = dates(date(TODAY.year - 99, 1, 1), TODAY)
expiries = dates(date(TODAY.year - 30, 1, 1), date(TODAY.year + 15, 12, 31))
sexes = st.sampled_from(["M", "F", "<"])
countries = st.sampled_from(COUNTRIES)


# A data field whose value ends in K, C, L or E next to the fillers is read as fillers
# (extractors/mrz/repair.py, rule 2): OCR reads `<` as those letters, and for K no check digit
# can tell (K weighs 20, `<` 0). Such values are ambiguous by design, so the properties below,
# which say a clean zone reads back exactly, are stated for the others.
AMBIGUOUS_ENDINGS = frozenset("KCLE")


def alnum(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(ALNUM, min_size=min_size, max_size=max_size).filter(
        lambda text: text[-1:] not in AMBIGUOUS_ENDINGS)


@st.composite
def holders(draw: st.DrawFn, name_width: int) -> Holder:
    surname = draw(words(name_width // 2, 1))
    given = draw(words(name_width - sum(map(len, surname)) - len(surname) - 2, 1))
    return Holder(surname, given, draw(births), draw(sexes))


@st.composite
def td3_zones(draw: st.DrawFn) -> Zone:
    return encode_td3(
        draw(holders(39)),
        draw(alnum(5, 9)),
        draw(st.one_of(st.just(""), alnum(1, 14))),
        draw(countries),
        draw(countries),
        draw(expiries),
    )


@st.composite
def td1_zones(draw: st.DrawFn) -> Zone:
    return encode_td1(
        draw(holders(30)),
        # A long number's first nine characters stand before a filler too (ICAO note j).
        draw(st.one_of(alnum(5, 9), alnum(10, 14).filter(
            lambda n: n[8] not in AMBIGUOUS_ENDINGS))),
        draw(st.one_of(st.just(""), alnum(1, 11))),
        draw(countries),
        draw(countries),
        draw(expiries),
    )


@st.composite
def td2_zones(draw: st.DrawFn) -> Zone:
    return encode_td2(
        draw(holders(31)),
        draw(alnum(5, 9)),
        draw(st.one_of(st.just(""), alnum(1, 7))),
        draw(countries),
        draw(countries),
        draw(expiries),
    )


@st.composite
def fr_zones(draw: st.DrawFn) -> Zone:
    surname = draw(words(25, 1))
    given = draw(words(14, 2))
    holder = Holder(surname, given, draw(births), draw(sexes))
    issued = draw(dates(date(1995, 1, 1), date(2021, 8, 1)))
    department = draw(st.one_of(st.text(string.digits, min_size=3, max_size=3), st.just("2A")))
    sequence = draw(st.text(string.digits, min_size=5, max_size=5))
    office = draw(st.one_of(st.just(""), st.text(string.digits, min_size=3, max_size=3)))
    return encode_fr(holder, issued, department, sequence, office)


any_zone = st.one_of(td3_zones(), td1_zones(), td2_zones(), fr_zones())


def assert_fields(result: MrzResult | None, zone: Zone) -> None:
    assert result is not None
    assert result.format is zone.format
    got = {key: getattr(result, key) for key in zone.expected}
    if result.issue_year_month is not None:
        got["issue_year_month"] = (result.issue_year_month.year, result.issue_year_month.month)
    assert got == zone.expected


def replace_at(lines: tuple[str, ...], line: int, col: int, ch: str) -> list[str]:
    out = list(lines)
    out[line] = out[line][:col] + ch + out[line][col + 1 :]
    return out


# --- properties -------------------------------------------------------------------------------


@given(any_zone)
def test_valid_zones_parse_to_their_fields(zone: Zone) -> None:
    result = parse_mrz(zone.lines, today=TODAY)
    assert_fields(result, zone)
    assert result is not None
    assert result.valid
    assert all(result.checks.values())
    assert result.lines == zone.lines
    assert result.repaired == ()


@given(any_zone, st.data())
def test_a_changed_digit_is_never_valid_with_wrong_data(zone: Zone, data: st.DataObject) -> None:
    digits = [(ln, c) for ln, c in zone.checked if zone.lines[ln][c].isdigit()]
    line, col = data.draw(st.sampled_from(digits))
    old = zone.lines[line][col]
    new = data.draw(st.sampled_from([d for d in string.digits if d != old]))
    result = parse_mrz(replace_at(zone.lines, line, col, new), today=TODAY)
    assert result is not None
    assert not result.valid or result.lines == zone.lines


@given(any_zone, st.data())
def test_letters_read_for_digits_are_repaired(zone: Zone, data: st.DataObject) -> None:
    confusable = [(ln, c) for ln, c in zone.numeric if zone.lines[ln][c] in LOOKALIKE_LETTERS]
    assume(confusable)
    picks = data.draw(st.lists(st.sampled_from(confusable), min_size=1, max_size=3, unique=True))
    lines = list(zone.lines)
    for line, col in picks:
        letter = data.draw(st.sampled_from(LOOKALIKE_LETTERS[lines[line][col]]))
        lines = replace_at(tuple(lines), line, col, letter)
    result = parse_mrz(lines, today=TODAY)
    assert_fields(result, zone)
    assert result is not None
    assert result.valid
    assert result.lines == zone.lines
    assert len(result.repaired) == len(picks)


@given(fr_zones(), st.data())
def test_a_digit_read_for_a_name_letter_is_repaired_by_the_composite(
    zone: Zone, data: st.DataObject
) -> None:
    inverse = {ch: digit for digit, letters in LOOKALIKE_LETTERS.items() for ch in letters}
    confusable = [(ln, c) for ln, c in zone.letters if zone.lines[ln][c] in inverse]
    assume(confusable)
    line, col = data.draw(st.sampled_from(confusable))
    lines = replace_at(zone.lines, line, col, inverse[zone.lines[line][col]])
    result = parse_mrz(lines, today=TODAY)
    assert_fields(result, zone)
    assert result is not None
    assert result.valid


# Scanning a page tries many windows and layouts (tens of ms); no deadline, to stay unflaky.
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(any_zone, st.randoms(use_true_random=False))
def test_zone_is_found_in_noisy_page_text(zone: Zone, rnd: random.Random) -> None:
    noisy = []
    for line in zone.lines:
        chars = ["«" if ch == "<" and rnd.random() < 0.2 else ch for ch in line]
        for _ in range(rnd.randint(0, 3)):
            chars.insert(rnd.randint(1, len(chars) - 1), " ")
        noisy.append("".join(chars))
    page = "\n".join(
        [
            "RÉPUBLIQUE FRANÇAISE",
            "Le titulaire est prié de présenter cette pièce à toute réquisition.",
            "Signature du titulaire :",
            "",
            *noisy,
            "",
            "page 1/1",
        ]
    )
    candidate = find_mrz(page)
    assert candidate is not None
    assert candidate.lines == zone.lines
    result = read_mrz(page, today=TODAY)
    assert_fields(result, zone)
    assert result is not None
    assert result.valid


def _ocr_noise(zone: Zone, rnd: random.Random) -> list[str]:
    """Misreads OCR makes on OCR-B: look-alike letters for digits in digit fields and the
    reverse in checked names, fillers read as glyphs anywhere and as K/C/L inside long runs
    (the context the parser documents), spaces."""
    digit_for = {ch: d for d, letters in LOOKALIKE_LETTERS.items() for ch in letters}
    numeric, letters = set(zone.numeric), set(zone.letters)
    out = []
    for ln, line in enumerate(zone.lines):
        chars = list(line)
        for col, ch in enumerate(line):
            roll = rnd.random()
            if (ln, col) in numeric and ch in LOOKALIKE_LETTERS and roll < 0.1:
                chars[col] = rnd.choice(LOOKALIKE_LETTERS[ch])
            elif (ln, col) in letters and ch in digit_for and roll < 0.05:
                chars[col] = digit_for[ch]
            elif ch == "<" and line[max(0, col - 3) : col] == "<<<" and roll < 0.1:
                chars[col] = rnd.choice("KCL")
            elif ch == "<" and roll < 0.05:
                chars[col] = rnd.choice("«‹")
        for _ in range(rnd.randint(0, 2)):
            chars.insert(rnd.randint(1, len(chars) - 1), " ")
        out.append("".join(chars))
    return out


@given(any_zone, st.randoms(use_true_random=False))
def test_ocr_noise_never_gives_a_valid_zone_with_wrong_checked_data(
    zone: Zone, rnd: random.Random
) -> None:
    result = parse_mrz(_ocr_noise(zone, rnd), today=TODAY)
    if result is None or not result.valid:
        return
    wrong = [(ln, c) for ln, c in zone.checked if result.lines[ln][c] != zone.lines[ln][c]]
    assert wrong == []
