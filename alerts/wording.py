"""French formatting of values inside alert messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date


def pct_fr(value: float | None) -> str:
    """"33,33 %"; "?" when unknown."""
    if value is None:
        return "?"
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " %"


def day_fr(value: date | None) -> str:
    """"12/03/1970"; "inconnue" when unknown."""
    return f"{value:%d/%m/%Y}" if value is not None else "inconnue"
