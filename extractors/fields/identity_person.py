"""The holder of an identity document: names, sex and nationality from both zones.

`last_name` is the birth name; a usage name (« Nom d'usage », « épouse X ») is kept apart and
only the visual zone prints it. Names keep the visual zone's spelling where it agrees with the
machine-readable zone (identity_names); sex and nationality follow identity_merge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractors.fields.identity_merge import Sources, merge_field
from extractors.fields.identity_names import ZoneName, agrees, merge_name, zone_name
from extractors.fields.identity_values import (
    first_value,
    provenance_of,
    read_first_names,
    read_last_name,
    read_nationality,
    read_sex,
    read_usage_in_name,
    read_usage_name,
)
from kanta_docs.facts import PersonFacts, Value

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from extractors.fields.identity_visual import VisualZone
    from extractors.fields.identity_zone import Zone


@dataclass(frozen=True, slots=True)
class Holder:
    """The holder as kept, and the warnings reading them raised."""

    person: PersonFacts
    warnings: tuple[str, ...]


def read_holder(visual: VisualZone, zone: Zone | None, birth: Value[date] | None, *,
                tolerant: bool, implied_nationality: Value[str] | None) -> Holder:
    """Both zones -> the holder; `implied_nationality` when the document's kind implies one."""
    warnings: list[str] = []
    result = zone.result if zone is not None else None
    provenance = zone.provenance() if zone is not None else None
    names = []
    for field, reader, zone_text in (
        ("last_name", read_last_name, result.last_name if result else None),
        ("first_names", read_first_names, result.first_names if result else None),
    ):
        in_zone = zone_name(zone_text, zone is not None and zone.is_name_cut(field))
        printed = first_value(visual, field, reader) or _unlabelled(visual, in_zone, reader)
        if printed is not None and zone is not None and not zone.is_credible():
            in_zone = None  # a garbled zone has nothing to say against the printed name
        merged = merge_name(field.replace("_", " "), printed, in_zone, provenance,
                            trusted=zone is not None and zone.is_trusted(field),
                            covered=zone is not None and zone.is_covered(field),
                            tolerant=tolerant, first_names=field == "first_names")
        warnings.extend(merged.warnings)
        names.append(merged.value)
    usage = (first_value(visual, "usage_name", read_usage_name)
             or first_value(visual, "last_name", read_usage_in_name))
    sex = _merge(warnings, "sex", first_value(visual, "sex", read_sex), zone,
                 result.sex if result else None)
    nationality = _merge(warnings, "nationality",
                         first_value(visual, "nationality", read_nationality), zone,
                         result.nationality if result else None) or implied_nationality
    person = PersonFacts(last_name=names[0], first_names=names[1], usage_name=usage,
                         birth_date=birth, nationality=nationality, sex=sex,
                         birth_place=first_value(visual, "birth_place", _place))
    return Holder(person, tuple(warnings))


def _unlabelled(visual: VisualZone, zone: ZoneName | None,
                reader: Callable[[str], str | None]) -> Value[str] | None:
    """A name printed without its label (lost by OCR) that the zone's name confirms exactly
    (no OCR tolerance here: any word of the page could be one slip away from the name)."""
    if zone is None:
        return None
    for candidate in visual.unlabelled:
        name = reader(candidate.text)
        if name is not None and agrees(name, zone, tolerant=False):
            return Value(name, provenance_of(candidate))
    return None


def _merge(warnings: list[str], field: str, visual: Value[str] | None, zone: Zone | None,
           encoded: str | None) -> Value[str] | None:
    sources = (zone.sources(field, visual, encoded) if zone is not None
               else Sources(visual, None, zone_trusted=False))
    merged = merge_field(field, sources)
    warnings.extend(merged.warnings)
    return merged.value


def _place(text: str) -> str | None:
    """A birth place as printed (« LILLE (59) »); None when it has no letters."""
    cleaned = text.strip(" :;,.")
    return cleaned if any(c.isalpha() for c in cleaned) else None
