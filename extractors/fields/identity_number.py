"""The document number, arbitrated by the zone's check digit when OCR confused look-alikes.

OCR reads O for 0, S for 5, I for 1 (« 16OG14557 » read « 160G14557 »). A document number is
free text, so the zone parser does not swap a letter for a digit there on its own. When the
zone's number fails its check digit on a scan, the check digit arbitrates (ICAO 9303 Part 3
§4.9) between the readings, the two zones' numbers and their one-look-alike variants, if
exactly one satisfies it, and only with a second piece of evidence: the two zones read the
number differently (one of them misread it), the check digit itself was read as a letter (a
look-alike slip on that line), or the number's known shape (French passport: 2 digits,
2 letters, 5 digits, DOMAIN.md §5.5) rules the reading out. A check digit read as a letter
only confirms a number one of the zones prints as read: a guessed digit does not vouch for
a look-alike variant that neither zone shows. A printed number one character longer than the
field is tried without its first or last character (a speck read beside it). Both zones agreeing on
a shape-fitting number that fails its check is a failed check, not an OCR slip: a corrupted
zone must stay a fraud signal. A number of no known shape (the French card's nine letters and
digits) that both zones read alike takes the one variant with which every check of the zone
holds: the same evidence leaves such a zone undecided rather than invalid
(`Zone.has_illegible_failure`), so the number may as well be the likelier reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING

from extractors.mrz import char_value, compute_check_digit
from extractors.mrz.charset import DIGIT_TO_LETTERS, FILLER, LETTER_TO_DIGIT, MRZ_ALPHABET
from extractors.mrz.checks import WEIGHTS, evaluate_checks, resolve_checks
from extractors.mrz.layouts import LAYOUT_BY_FORMAT

if TYPE_CHECKING:
    from collections.abc import Iterable

    from extractors.fields.identity_zone import Zone

_CHECK = "document_number"
_AS_DIGITS = str.maketrans(dict(LETTER_TO_DIGIT))


@dataclass(frozen=True, slots=True)
class Arbitrated:
    """A number the check digit confirms, and the zone as it reads with that number."""

    number: str
    zone_text: str
    # The number is what the visual zone prints: two readings and the check digit agree.
    is_printed: bool = False


def confirmed_number(zone: Zone, printed: str | None,
                     shape: str | None = None) -> Arbitrated | None:
    """The one reading of the number its check digit confirms; None if none, several, or
    nothing but the check digit says the zone's reading is wrong.

    `shape` is the number's known pattern, "9" a digit and "A" a letter ("99AA99999").
    """
    layout = LAYOUT_BY_FORMAT[zone.result.format]
    text = "".join(zone.result.lines)
    check = next(c for c in resolve_checks(layout, text) if c.name == _CHECK)
    # The check position holds only digits: a look-alike letter there is that digit, and
    # shows that the OCR confused look-alikes on this very line.
    slipped = text[check.digit] in LETTER_TO_DIGIT
    digit = LETTER_TO_DIGIT.get(text[check.digit], text[check.digit])
    if not digit.isdigit() or check.digit != check.positions[-1] + 1:
        return None  # illegible digit, or a long number continued elsewhere
    text = text[:check.digit] + digit + text[check.digit + 1:]
    width = len(check.positions)
    start = check.positions[0]
    encoded = text[start:start + width]
    seeds = [encoded] + _printed_seeds(printed, width)
    # A reading one of the zones gave beats a look-alike variant; a shape rules variants out.
    variants = _variants(seeds)
    if shape is not None:
        variants |= {r.ljust(width, FILLER) for seed in seeds
                     for r in shape_readings(seed.rstrip(FILLER), shape)}
    matching = {c for c in seeds if _holds(c, int(digit))} or {
        c for c in variants if _holds(c, int(digit))
        and (shape is None or fits_shape(c.rstrip(FILLER), shape))}
    if len(matching) != 1:
        return None
    number = matching.pop()
    readings_differ = len({seed.rstrip(FILLER) for seed in seeds}) > 1
    shape_rules_out = shape is not None and not fits_shape(encoded.rstrip(FILLER), shape) \
        and fits_shape(number.rstrip(FILLER), shape)
    zone_text = text[:start] + number + text[start + width:]
    zone_whole = shape is None and all(evaluate_checks(layout, zone_text).values())
    if not (readings_differ or slipped or shape_rules_out or zone_whole):
        return None
    if slipped and number not in seeds:
        # The check digit itself was misread: a look-alike variant that neither zone prints
        # would rest on a guessed digit confirming a guessed number.
        return None
    return Arbitrated(number.rstrip(FILLER), zone_text,
                      is_printed=printed is not None and number.rstrip(FILLER) == printed)


def _printed_seeds(printed: str | None, width: int) -> list[str]:
    """The printed number as the zone's field would hold it; one character too long, without
    its first or its last (a speck OCR read beside the number, « UTJ9MVHR9I »)."""
    if not printed:
        return []
    if len(printed) <= width:
        return [printed.ljust(width, FILLER)]
    return [printed[:-1], printed[1:]] if len(printed) == width + 1 else []


def fits_shape(number: str, shape: str) -> bool:
    """Whether a number has a shape's length and a digit or a letter where it says."""
    return len(number) == len(shape) and all(
        ch.isdigit() if kind == "9" else ch.isalpha() for ch, kind in zip(number, shape,
                                                                         strict=True))


def differs_unseen_by_check(printed: str, encoded: str) -> bool:
    """Whether two readings differ only by look-alikes the check digit weighs the same (1/L,
    6/G, 0/O at some positions): the zone's check then cannot have chosen between them."""
    if printed == encoded or len(printed) != len(encoded):
        return False
    for i, (a, b) in enumerate(zip(printed, encoded, strict=True)):
        if a == b:
            continue
        if a not in MRZ_ALPHABET or b not in MRZ_ALPHABET \
                or a.translate(_AS_DIGITS) != b.translate(_AS_DIGITS) \
                or (char_value(a) - char_value(b)) * WEIGHTS[i % 3] % 10:
            return False
    return True


def shape_readings(number: str, shape: str) -> set[str]:
    """The readings of `number` that fit `shape`, look-alikes swapped where it does not fit
    (« 170150097 » -> « 17OI50097 », « 17QI50097 »…); empty when a character cannot fit."""
    if len(number) != len(shape):
        return set()
    options: list[tuple[str, ...]] = []
    for ch, kind in zip(number, shape, strict=True):
        if ch.isdigit() if kind == "9" else ch.isalpha():
            options.append((ch,))
        elif kind == "9":
            options.append((LETTER_TO_DIGIT[ch],) if ch in LETTER_TO_DIGIT else ())
        else:
            options.append(DIGIT_TO_LETTERS.get(ch, ()))
    return {"".join(p) for p in product(*options)}


def same_but_lookalikes(a: str, b: str) -> bool:
    """Whether two readings differ only by OCR look-alikes (« 160G14557 », « 16OG14557 »)."""
    return a.translate(_AS_DIGITS) == b.translate(_AS_DIGITS)


def _variants(seeds: Iterable[str]) -> set[str]:
    """Every reading of a seed with one look-alike character swapped, when the check digit can
    tell the two apart (1/L and 6/G weigh the same to it: no use trying them)."""
    out: set[str] = set()
    for seed in seeds:
        for i, ch in enumerate(seed):
            for other in (LETTER_TO_DIGIT.get(ch, ""), *DIGIT_TO_LETTERS.get(ch, ())):
                if other and (char_value(other) - char_value(ch)) * WEIGHTS[i % 3] % 10:
                    out.add(seed[:i] + other + seed[i + 1:])
    return out


def _holds(number: str, digit: int) -> bool:
    if any(ch not in MRZ_ALPHABET for ch in number):
        return False
    return compute_check_digit(number) == digit
