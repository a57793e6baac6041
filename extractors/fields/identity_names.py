"""Names in the two zones of an identity document: do they agree, and which spelling to keep.

The machine-readable zone writes names in A-Z only, transliterated (ICAO 9303 Part 3 §6: « É »
-> E, « Ü » -> UE or U, « ß » -> SS, hyphens and spaces -> `<`, apostrophes dropped) and cut
to the field's width. The contract wants the name as the document gives it, so the visual
zone's spelling (accents, hyphens) is kept where it transliterates to what the zone says; on
an OCR page one slip on either side still counts as agreement (« QUMOU » for « OUMOU »). Where
the printed name was read unsurely and the zone at least as surely, the zone's letters are
taken at the slips, keeping the printed accents elsewhere (« HADJAD] » with HADJADJ ->
« HADJADJ »): the zone's OCR-B font is made for machines, the visual zone's is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

from rapidfuzz.distance import Levenshtein

from extractors.fields.identity_merge import Merged, Sources, merge_field
from extractors.french.names import capitalise_name
from kanta_docs.facts import Value
from kanta_docs.text import strip_accents

if TYPE_CHECKING:
    from kanta_docs.models import Provenance

# ICAO 9303 Part 3 §6 (Table of transliterations): the letters with two accepted spellings.
_TWO_WAYS = {"Ä": ("AE", "A"), "Ö": ("OE", "O"), "Ü": ("UE", "U"), "Å": ("AA", "A")}
_ONE_WAY = {"Æ": "AE", "Ø": "OE", "ß": "SS", "Œ": "OE", "Þ": "TH", "Ð": "D", "Ĳ": "IJ"}
# One OCR slip per this many letters counts as agreement on an OCR page.
_LETTERS_PER_SLIP = 6
# Letters OCR reads for the filler `<`; a run of them after a name is filler, not a name.
_FILLER_LOOKALIKES = frozenset("CK")
# Letters OCR also makes of a run of fillers (« LLLELELLLLLEE »); no name of five letters or
# more is written with these alone.
_FILLER_MISREADS = frozenset("CKLE")
_FILLER_RUN = 5
_DEBRIS_WORD_LETTERS = 2  # « E », « CE »: longer words of C, K, L, E may be names (« CLEK »)
_UMLAUTS = {"A": "Ä", "O": "Ö", "U": "Ü", "a": "ä", "o": "ö", "u": "ü"}
_MAX_UMLAUT_POSITIONS = 8  # subsets tried: 2**8
# A printed name read below this confidence (0-1) yields to the zone's letters at OCR slips.
UNSURE_PRINTED_NAME = 0.7
_LETTER_RUNS = re.compile(r"[^\W\d_]+|[\W\d_]+")


@dataclass(frozen=True, slots=True)
class ZoneName:
    """A name as the machine-readable zone gives it: upper-case words, maybe cut short."""

    text: str
    truncated: bool


def zone_name(text: str | None, truncated: bool) -> ZoneName | None:
    """A zone's name without trailing filler look-alikes (« COSTE CC C »); None if empty."""
    if text is None:
        return None
    words = text.split()
    while len(words) > 1 and (set(words[-1]) <= _FILLER_LOOKALIKES or (
            len(words[-1]) >= _FILLER_RUN and set(words[-1]) <= _FILLER_MISREADS)
            or words[-1] in _FILLER_MISREADS):  # « NOEL<<<<<<E<E » : lone misread fillers
        words.pop()
    return ZoneName(" ".join(words), truncated) if words else None


def _keys(name: str) -> set[str]:
    """A printed name -> its possible zone spellings, letters only."""
    upper = name.upper()
    keys = set()
    for option in (0, 1):
        out = []
        for ch in upper:
            if ch in _TWO_WAYS:
                out.append(_TWO_WAYS[ch][option])
            else:
                out.append(_ONE_WAY.get(ch, ch))
        keys.add("".join(c for c in strip_accents("".join(out)) if "A" <= c <= "Z"))
    return keys


def agrees(printed: str, zone: ZoneName, *, tolerant: bool) -> bool:
    """Whether a printed name transliterates to the zone's (a prefix of it if cut short)."""
    wanted = "".join(c for c in zone.text if "A" <= c <= "Z")
    for key in _keys(printed):
        candidate = key[:len(wanted)] if zone.truncated else key
        if candidate == wanted:
            return True
        slips = max(1, len(wanted) // _LETTERS_PER_SLIP)
        if tolerant and Levenshtein.distance(candidate, wanted) <= slips:
            return True
    return False


def without_debris(printed: str, zone: ZoneName, *, tolerant: bool) -> str | None:
    """The printed name without lone letters OCR added after it (« NOEL E E », a diaeresis or
    specks read as letters) when what is left agrees with the zone, as few dropped as that
    takes (exact agreement first); None otherwise."""
    if agrees(printed, zone, tolerant=False):
        return None
    words = printed.split()
    shorter = []
    while len(words) > 1 and len(words[-1]) == 1 and words[-1].isalpha():
        words = words[:-1]
        shorter.append(" ".join(words))
    for strict in (True, False):
        for name in shorter:
            if agrees(name, zone, tolerant=tolerant and not strict):
                return name
    return None


def restore_umlauts(printed: str, zone: ZoneName) -> str | None:
    """The printed name with Ä/Ö/Ü put back where the zone's AE/OE/UE says OCR lost them."""
    if zone.truncated or agrees(printed, zone, tolerant=False):
        return None
    # A, O, U, or one OCR gave another accent (« ÔZTÜRK » for « ÖZTÜRK »).
    positions = [i for i, ch in enumerate(printed) if strip_accents(ch) in _UMLAUTS]
    if len(positions) > _MAX_UMLAUT_POSITIONS:
        return None
    for count in range(1, len(positions) + 1):
        for chosen in combinations(positions, count):
            chars = list(printed)
            for i in chosen:
                chars[i] = _UMLAUTS[strip_accents(chars[i])]
            candidate = "".join(chars)
            if _zone_words(candidate) == zone.text.split():
                return candidate
    return None


def restore_accented_letters(printed: str, zone: ZoneName) -> str | None:
    """The printed name with each accented letter the zone spells as another letter put back
    as the zone's letter (« Anténio » with ANTONIO -> « Antonio »), or None if nothing to do.

    OCR reads an accented letter less surely than a plain one: the accent's few pixels sit on a
    letter of the same size and weigh on which vowel is seen (ó read as é). The zone writes the
    letter without its accent and is read apart; where the two disagree on that letter only,
    the zone's is kept (the accent is lost rather than guessed). Other differences are left to
    `agrees`: only a printed name whose letters map one to one onto the zone's, differing
    only at accented letters, is repaired.
    """
    if agrees(printed, zone, tolerant=False):
        return None
    if any(ch in _ONE_WAY or ch.upper() in _ONE_WAY for ch in printed):
        return None  # a letter the zone writes with two: no one-to-one alignment
    wanted = zone.text.split()
    words = _zone_words(printed, umlaut_letters=1)  # « Ü » misread for « D »: one letter
    whole = wanted[:-1] if zone.truncated else wanted  # a cut zone's last word may be short
    if len(words) != len(wanted) or any(len(w) != len(z) for w, z in zip(words, whole,
                                                                            strict=False)):
        return None
    positions = [i for i, ch in enumerate(printed) if "A" <= strip_accents(ch.upper()) <= "Z"]
    letters = "".join(wanted)
    chars = list(printed)
    changed = False
    for i, want in zip(positions, letters, strict=False):
        got = strip_accents(chars[i].upper())
        if got == want:
            continue
        if chars[i] == strip_accents(chars[i]) or not want.isalpha():
            return None  # a plain letter read otherwise: not an accent slip
        chars[i] = want if chars[i].isupper() else want.lower()
        changed = True
    candidate = "".join(chars)
    return candidate if changed and agrees(candidate, zone, tolerant=False) else None


def respell_from_zone(printed: str, zone: ZoneName) -> str | None:
    """The printed name with the zone's letters where the two differ, the printed accents, case
    and separators kept where they agree; None when words or letters do not align one to one
    (a cut zone, letters the zone writes with two, another number of words)."""
    if zone.truncated or any(ch.upper() in _TWO_WAYS or ch.upper() in _ONE_WAY
                             for ch in printed):
        return None
    runs = _LETTER_RUNS.findall(printed.replace("'", "").replace("’", ""))
    words = [run for run in runs if run[0].isalpha()]
    wanted = zone.text.split()
    if len(words) != len(wanted):
        return None
    respelled = iter(_respell_word(word, want) for word, want in zip(words, wanted, strict=True))
    return "".join(next(respelled) if run[0].isalpha() else run for run in runs)


def _respell_word(printed: str, wanted: str) -> str:
    """One printed word with the zone word's letters at the places they differ."""
    plain = strip_accents(printed.upper())
    if len(plain) != len(printed):
        return wanted if printed.isupper() else capitalise_name(wanted)
    out: list[str] = []
    for op in Levenshtein.opcodes(plain, wanted):
        if op.tag == "equal":
            out.append(printed[op.src_start:op.src_end])
        else:
            letters = wanted[op.dest_start:op.dest_end]
            lower = not printed.isupper() and (op.src_start > 0 or op.dest_start > 0)
            out.append(letters.lower() if lower else letters)
    word = "".join(out)
    return word if printed.isupper() or word[:1].isupper() else capitalise_name(word)


def _zone_words(name: str, *, umlaut_letters: int = 2) -> list[str]:
    """A printed name as the zone would write its words (umlauts as AE/OE/UE, or as one
    letter with `umlaut_letters=1`)."""
    out = []
    option = 0 if umlaut_letters == 2 else 1
    for ch in name.upper().replace("'", "").replace("’", ""):
        out.append(_TWO_WAYS[ch][option] if ch in _TWO_WAYS else _ONE_WAY.get(ch, ch))
    letters = strip_accents("".join(out))
    return "".join(c if "A" <= c <= "Z" else " " for c in letters).split()


def merge_name(name: str, visual: Value[str] | None, zone: ZoneName | None,
               provenance: Provenance | None, *, trusted: bool, covered: bool,
               tolerant: bool, first_names: bool) -> Merged[str]:
    """A name read in both zones -> the spelling to keep (`name` is the field, for warnings)."""
    zone_value = None
    if visual is not None and zone is not None:
        zone = _zone_without_debris(zone, visual.value)
    if tolerant and visual is not None and zone is not None:
        restored = (without_debris(visual.value, zone, tolerant=tolerant)
                    or restore_umlauts(visual.value, zone)
                    or restore_accented_letters(visual.value, zone))
        if restored is None and _yields_to_zone(visual, zone, provenance):
            restored = respell_from_zone(visual.value, zone)
        if restored is not None:
            visual = Value(restored, visual.provenance)
    if zone is not None:
        text = " ".join(capitalise_name(w) for w in zone.text.split()) if first_names else zone.text
        zone_value = Value(text, provenance)
    sources = Sources(visual, zone_value, trusted, zone_covered=covered)
    merged = merge_field(name, sources, prefer_visual=True,
                         same=lambda printed, _: zone is not None
                         and agrees(printed, zone, tolerant=tolerant))
    if visual is None and zone is not None and zone.truncated:
        return Merged(merged.value, (*merged.warnings,
                                     f"{name} may be cut short in the machine-readable zone"))
    return merged


def _zone_without_debris(zone: ZoneName, printed: str) -> ZoneName:
    """The zone's name without trailing short words of filler misreads (« COLIN<<<<E<CE<<E »
    read for « COLIN<<<<<<<< », its check holding by chance) when the printed name agrees
    with what is left and not with the whole (« NOEL<EL » printed « NOEL EL » stays)."""
    if agrees(printed, zone, tolerant=False):
        return zone
    words = zone.text.split()
    while (len(words) > 1 and len(words[-1]) <= _DEBRIS_WORD_LETTERS
           and set(words[-1]) <= _FILLER_MISREADS):
        words.pop()
        shorter = ZoneName(" ".join(words), zone.truncated)
        if agrees(printed, shorter, tolerant=False):
            return shorter
    return zone


def _yields_to_zone(visual: Value[str], zone: ZoneName, provenance: Provenance | None) -> bool:
    """Whether an unsure printed name that agrees with the zone only through OCR slips takes
    the zone's letters: the zone was read at least as surely."""
    zone_confidence = provenance.confidence if provenance is not None else 1.0
    return (visual.confidence < UNSURE_PRINTED_NAME and zone_confidence >= visual.confidence
            and agrees(visual.value, zone, tolerant=True)
            and not agrees(visual.value, zone, tolerant=False))
