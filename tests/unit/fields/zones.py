"""Machine-readable zones for hand-written identity pages, with check digits computed.

Layouts as ../shared/DOMAIN.md §5.2 (old French card), §5.4 (TD1), §5.5 (TD3) describe them;
`tests/unit/fields/test_identity.py` checks the builders against the public specimens.
"""

from __future__ import annotations

from extractors.mrz import compute_check_digit


def check(data: str) -> str:
    """The ICAO 9303 check digit of `data`, as a character."""
    return str(compute_check_digit(data))


def old_card_zone(surname: str, given: str, number: str, birth: str, sex: str,
                  line1_tail: str = "<" * 6) -> list[str]:
    """The 2 x 36 zone of the French card of 1988/1995-2021 (names with `<`)."""
    line1 = ("IDFRA" + surname).ljust(30, "<")[:30] + line1_tail
    body = number + check(number) + given.ljust(14, "<")[:14] + birth + check(birth) + sex
    return [line1, body + check(line1 + body)]


def td1_zone(code: str, number: str, birth: str, sex: str, expiry: str, nationality: str,
             name: str, issuer: str = "FRA") -> list[str]:
    """A 3 x 30 ICAO TD1 zone (identity cards, residence permits)."""
    line1 = (code + issuer + number + check(number)).ljust(30, "<")
    head = (birth + check(birth) + sex + expiry + check(expiry) + nationality).ljust(29, "<")
    composite = check(line1[5:30] + head[0:7] + head[8:15] + head[18:29])
    return [line1, head + composite, name.ljust(30, "<")[:30]]


def td3_zone(number: str, birth: str, sex: str, expiry: str, nationality: str, name: str,
             issuer: str = "FRA") -> list[str]:
    """A 2 x 44 ICAO TD3 zone (passports), without a personal number."""
    line1 = ("P<" + issuer + name).ljust(44, "<")[:44]
    padded = number.ljust(9, "<")
    head = (padded + check(padded) + nationality + birth + check(birth) + sex + expiry
            + check(expiry) + "<" * 14 + "<")
    return [line1, head + check(head[0:10] + head[13:20] + head[21:43])]
