"""Usage names printed in brackets after the birth name, as tables print them, and how OCR
reads those brackets."""

from __future__ import annotations

import pytest

from extractors.french.names import split_bracketed_usage


@pytest.mark.parametrize(("text", "expected"), [
    ("LE GALL (BENARD)", ("LE GALL", "BENARD")),
    ("EL AMRANI (FRANÇOIS }", ("EL AMRANI", "FRANÇOIS")),  # ) read as }
    ("EL AMRANI [FRANÇOIS)", ("EL AMRANI", "FRANÇOIS")),  # ( read as [
    ("EL AMRANI (FRANÇOIS", ("EL AMRANI", "FRANÇOIS")),  # ) lost at the cell's end
    ("DUPONT (gérant)", ("DUPONT (gérant)", None)),  # not a name in capitals
    ("MARTIN (née DURAND)", ("MARTIN née DURAND", None)),  # a marker: left to its rules
    ("(BENARD)", ("(BENARD)", None)),  # nothing before it
])  # fmt: skip
def test_split_bracketed_usage(text: str, expected: tuple[str, str | None]) -> None:
    assert split_bracketed_usage(text) == expected
