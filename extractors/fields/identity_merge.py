"""One field read in both zones of an identity document -> the value to keep, and why.

Where the two zones agree, the value is kept with the higher confidence of the two. Where
they disagree, the zone whose check digits hold for that field wins (the machine-readable zone
when its checks hold, else the visual zone), and a warning says so: a document whose zones
disagree is a fraud signal for the alert stage (`id_document_mismatch`, `mrz_invalid`).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Generic, TypeVar

from kanta_docs.facts import Value

if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Sources(Generic[T]):
    """A field as the visual zone and the machine-readable zone give it (None: not read)."""

    visual: Value[T] | None
    zone: Value[T] | None
    zone_trusted: bool  # every check digit covering the field holds
    # The field's own check digit fails on a scanned zone: its value is most likely misread.
    zone_misread: bool = False
    # Some check digit covers the field; where none does (names, sex and nationality in ICAO
    # zones) the zone's checks cannot vouch for it, and a disagreement keeps the printed value.
    zone_covered: bool = True


@dataclass(frozen=True, slots=True)
class Merged(Generic[T]):
    """The value kept for a field and the warnings its reading raised."""

    value: Value[T] | None
    warnings: tuple[str, ...] = ()


def merge_field(name: str, sources: Sources[T], *,
                same: Callable[[T, T], bool] = operator.eq,
                prefer_visual: bool = False) -> Merged[T]:
    """Both zones' readings of the field called `name` (for warnings) -> the value to keep."""
    visual, zone = sources.visual, sources.zone
    if visual is None and zone is None:
        return Merged(None)
    if visual is None:
        assert zone is not None
        if sources.zone_trusted:
            return Merged(zone)
        if sources.zone_misread:
            return Merged(None, (f"{name} unreadable: its check digit fails on the scanned "
                                 "zone",))
        return Merged(zone, (f"{name} read only in a machine-readable zone whose check "
                             "digits fail",))
    if zone is None:
        return Merged(visual)
    if same(visual.value, zone.value):
        kept = visual if prefer_visual else zone
        return Merged(_with_confidence(kept, max(visual.confidence, zone.confidence)))
    kept = zone if sources.zone_trusted and sources.zone_covered else visual
    return Merged(kept, (f"{name} differs between the visual zone and the machine-readable "
                         "zone",))


def _with_confidence(value: Value[T], confidence: float) -> Value[T]:
    if value.provenance is None:
        return value
    return Value(value.value, replace(value.provenance, confidence=confidence))
