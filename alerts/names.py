"""Person names folded and compared for matching: accents, case, particles, OCR slips.

The rules of ../shared/CONTRACT.md (`check`, last paragraph): two names agree once accents, case,
hyphens, apostrophes, particles and the order of first names are set aside, allowing for OCR
slips. What counts as a slip is deliberately narrow, because a false match hides an alert:

- Digits inside a name are always OCR slips (0 -> o, 1 -> l, 5 -> s, 8 -> b, 6 -> g, 2 -> z).
- Below 4 letters nothing else is forgiven; from 4 to 7 letters one slip OCR is known to make
  (i/l, rn/m, vv/w); from 8 letters one character edit of any kind, from 12 letters two (and
  at most two OCR slips).
- One name being the other plus letters at either end is never a slip: MARTIN/MARTINEZ,
  LAFONTAINE/FONTAINE, Louis/Louise, Daniel/Danielle, Jean/Jeanne are different names. Nor is
  another last letter, unless OCR confuses the two: Alexandre/Alexandra, Francesco/Francesca.

So DUPONT and DUPOND (6 letters, t/d is no OCR confusion) do not agree, while BERTHIER and
BERTHER (a dropped letter in an 8-letter name) do.

Folding drops accents, but a folded word remembers which letters carried one (`NameWord`):
Tesseract's French model does not know Portuguese, Spanish or Slavic accents and reads "António"
as "Anténio". From 4 letters, one vowel read as another where either side printed an accent is
an OCR slip like i/l; never on the last letter, which often tells a name's gender (René, Rena).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from rapidfuzz.distance import Levenshtein

# Particles set aside in surnames (the contract's "particles"): French, Dutch, German, Iberian,
# Italian. Arabic "ben", "el", "al" are left out: there they are part of the name proper.
PARTICLES = frozenset({
    "de", "du", "des", "d", "la", "le", "les", "l", "van", "von", "der", "den", "ter", "ten",
    "da", "das", "do", "dos", "di", "del", "della", "dei", "degli",
})  # fmt: skip
# Words written before a name that are not part of it.
_CIVILITIES = frozenset({"monsieur", "madame", "mademoiselle", "mme", "mlle", "mr", "melle"})
# "DURAND épouse MARTIN": the name after the marker is the usage name.
_USAGE_MARKERS = frozenset({"epouse", "ep", "epoux", "veuve", "vve", "veuf"})
# "MARTIN née DURAND": the name after the marker is the birth name.
_BIRTH_MARKERS = frozenset({"nee"})

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d",
                            "ı": "i", "ð": "d", "þ": "th"})
_UNIT_SPLIT = re.compile(r"[\s,;/]+")
_DIGIT_SLIPS = str.maketrans({"0": "o", "1": "l", "2": "z", "5": "s", "6": "g", "8": "b"})
# Confusions OCR makes between letters, reduced to one spelling on both sides.
_OCR_CONFUSIONS = (("rn", "m"), ("vv", "w"), ("i", "l"))
_VOWELS = frozenset("aeiouy")
# Letters with an accent that Tesseract's French model reads (French spelling uses them).
_FRENCH_ACCENTED = frozenset("àâäçéèêëîïôöùûüÿ")
_FOREIGN_MIN_KEPT = 3  # letters before the foreign one: « Inês » / « Inud » is too short to tell
_CONFUSED_ACCENT = "*"  # stands for both vowels of an accent confusion

SHORT_NAME_MIN_LETTERS = 4  # below this, only digit slips are forgiven
LONG_NAME_MIN_LETTERS = 8  # from this, one edit of any kind is forgiven
VERY_LONG_NAME_MIN_LETTERS = 12  # from this, two edits


def fold_name(text: str) -> str:
    """Name text -> lower-case words without accents, separated by single spaces.

    Hyphens, apostrophes, dots and other punctuation become spaces; ligatures are expanded
    ("Œ" -> "oe"). Idempotent: folding folded text changes nothing.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LIGATURES)
    bare = unicodedata.normalize("NFKC", bare).casefold()
    words = "".join(c if c.isalnum() else " " for c in bare).split()
    return " ".join(words)


class NameWord(str):
    """A folded name word that remembers which of its letters carried an accent.

    It compares, hashes and prints as the plain folded word; only `count_slips` reads
    `accented` (positions in the folded word), to forgive accents OCR does not know.
    """

    accented: frozenset[int]
    foreign: frozenset[int]  # of those, letters French has not (ò, á, ñ, ã…)

    def __new__(cls, text: str, accented: frozenset[int] = frozenset(),
                foreign: frozenset[int] = frozenset()) -> NameWord:
        """The folded word `text`, its letters at `accented` printed with an accent, those at
        `foreign` with one French does not use."""
        word = super().__new__(cls, text)
        word.accented = accented
        word.foreign = foreign
        return word


def fold_name_words(text: str) -> tuple[NameWord, ...]:
    """Name text -> the words of `fold_name(text)`, each remembering its accented letters.

    A twin of `fold_name` on purpose: the search index folds every name it stores, and this
    letter-by-letter loop is several times slower; a property test keeps the two equal.
    """
    words: list[NameWord] = []
    letters: list[str] = []
    accented: set[int] = set()
    foreign: set[int] = set()

    def end_word() -> None:
        if letters:
            if letters[-1] == "j":  # a J ending a word, never French: lost or read « ] », « Ï »
                foreign.add(len(letters) - 1)
            words.append(NameWord("".join(letters), frozenset(accented), frozenset(foreign)))
        letters.clear()
        accented.clear()
        foreign.clear()

    for char in text.casefold():
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        has_accent = base != decomposed
        if not base:  # a combining accent typed apart belongs to the letter before it
            if has_accent and letters:
                accented.add(len(letters) - 1)
            continue
        folded = unicodedata.normalize("NFKC", base.translate(_LIGATURES)).casefold()
        for c in folded:
            if not c.isalnum():
                end_word()
                continue
            if has_accent:
                accented.add(len(letters))
                if char not in _FRENCH_ACCENTED:
                    foreign.add(len(letters))
            letters.append(c)
    end_word()
    return tuple(words)


def _tokens(text: str | None) -> tuple[str, ...]:
    """Name text -> its folded words; empty for None."""
    return fold_name_words(text) if text else ()


def _without_civility(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Tokens without a leading "Madame", "M." etc., unless nothing would be left."""
    while len(tokens) > 1 and tokens[0] in _CIVILITIES:
        tokens = tokens[1:]
    return tokens


@dataclass(frozen=True, slots=True)
class NameParts:
    """One person's name, folded: words of the birth and usage names, first names by unit.

    A unit is one first name as written: "Jean-Pierre Marie" has units ("jean", "pierre") and
    ("marie").
    """

    birth: tuple[str, ...]
    usage: tuple[str, ...]
    first_units: tuple[tuple[str, ...], ...]

    @property
    def first_tokens(self) -> tuple[str, ...]:
        """Every first-name word, in document order."""
        return tuple(t for unit in self.first_units for t in unit)


@lru_cache(maxsize=65536)  # search ranks one query against many readings of the same names
def parse_name_parts(last_name: str | None, first_names: str | None,
                     usage_name: str | None) -> NameParts:
    """Raw name fields -> folded parts; "X épouse Y" and "Y née X" in the last name are split.

    An "épouse"/"ép."/"veuve" prefix of the usage name is dropped. Missing fields give empty
    tuples.
    """
    birth = _without_civility(_tokens(last_name))
    usage = _tokens(usage_name)
    for i, token in enumerate(birth):
        if token in _USAGE_MARKERS:  # "DURAND épouse MARTIN", or only "épouse MARTIN"
            birth, usage = birth[:i], usage or birth[i + 1:]
            break
        if token in _BIRTH_MARKERS:  # "MARTIN née DURAND", or only "née DURAND"
            birth, usage = birth[i + 1:], usage or birth[:i]
            break
    while usage and usage[0] in _USAGE_MARKERS | _BIRTH_MARKERS:
        usage = usage[1:]
    units = [unit for unit in map(_tokens, _UNIT_SPLIT.split(first_names or "")) if unit]
    while len(units) > 1 and units[0] in {(c,) for c in _CIVILITIES}:
        units = units[1:]
    return NameParts(birth=birth, usage=usage, first_units=tuple(units))


def surname_variants(tokens: tuple[str, ...]) -> dict[str, int]:
    """Surname words -> its spellings without spaces, each with how many particles it drops.

    "de la fontaine" -> {"delafontaine": 0, "lafontaine": 1, "defontaine": 1, "fontaine": 2}.
    At least one word that is not a particle is always kept.
    """
    particle_at = [i for i, t in enumerate(tokens) if t in PARTICLES]
    if len(particle_at) == len(tokens):
        return {_joined(list(tokens)): 0} if tokens else {}
    variants: dict[str, int] = {}
    for count in range(len(particle_at) + 1):
        for dropped in combinations(particle_at, count):
            spelling = _joined([t for i, t in enumerate(tokens) if i not in dropped])
            variants[spelling] = min(count, variants.get(spelling, count))
    return variants


def _joined(words: list[str]) -> NameWord:
    """Words glued into one, keeping where their accents were."""
    accented: set[int] = set()
    foreign: set[int] = set()
    offset = 0
    for word in words:
        accented.update(offset + i for i in _accented(word))
        foreign.update(offset + i for i in _foreign(word))
        offset += len(word)
    return NameWord("".join(words), frozenset(accented), frozenset(foreign))


def _foreign(word: str) -> frozenset[int]:
    """Positions of a folded word's letters printed with an accent French has not."""
    return word.foreign if isinstance(word, NameWord) else frozenset()


def _foreign_letter_read_otherwise(a: str, b: str) -> bool:
    """Whether `b` is `a` with one letter French has not (« ò », a final « j ») lost or read
    as one or two other characters: the French OCR model cannot output it, or not there, and
    makes something up (« Niccolò » read « Niccolùd », « Niccold »; « HADJADJ » « HADJAD »,
    « KHADIJ » « KHADIÏ »), even in last place."""
    for i in _foreign(a):
        head, tail = a[:i], a[i + 1:]
        read = b[len(head):len(b) - len(tail)]
        if (len(a) - 1 <= len(b) <= len(a) + 1 and b.startswith(head) and b.endswith(tail)
                and len(b) >= len(head) + len(tail) and len(head) >= _FOREIGN_MIN_KEPT
                and not read.startswith(a[i])):  # the letter read, then more: letters added
            return True
    return False


def _accented(word: str) -> frozenset[int]:
    """Positions of a folded word's letters that carried an accent (none for a plain str)."""
    return word.accented if isinstance(word, NameWord) else frozenset()


def _ocr_canonical(text: str) -> str:
    """Text with the letters OCR confuses reduced to one spelling (rn -> m, i -> l ...)."""
    for confused, canonical in _OCR_CONFUSIONS:
        text = text.replace(confused, canonical)
    return text


def _edit_blocks(a: str, b: str) -> int:
    """How many separate places two strings differ in ("rn" for "m" is one place)."""
    blocks, is_differing = 0, False
    for op in Levenshtein.opcodes(a, b):
        if op.tag != "equal" and not is_differing:
            blocks += 1
        is_differing = op.tag != "equal"
    return blocks


def count_slips(a: str, b: str) -> int | None:
    """Two folded words -> how many OCR slips separate them, or None when they differ too much.

    0 means equal. The allowances are in the module docstring; the function is symmetric.
    """
    if a == b:
        return 0
    if _foreign_letter_read_otherwise(a, b) or _foreign_letter_read_otherwise(b, a):
        return 1
    repaired_a, repaired_b = a.translate(_DIGIT_SLIPS), b.translate(_DIGIT_SLIPS)
    if repaired_a != repaired_b:
        if _is_extension(repaired_a, repaired_b) or _is_extension(repaired_b, repaired_a):
            return None
        letters = max(len(repaired_a), len(repaired_b))
        loose_a, loose_b = _accent_confusions_set_aside(repaired_a, repaired_b,
                                                        _accented(a) | _accented(b))
        canonical_a, canonical_b = _ocr_canonical(loose_a), _ocr_canonical(loose_b)
        any_edits = Levenshtein.distance(canonical_a, canonical_b)
        ocr_slips = _edit_blocks(repaired_a, repaired_b)
        if any_edits > _edits_allowed(letters) or ocr_slips > _ocr_slips_allowed(letters):
            return None
        if any_edits and canonical_a[-1] != canonical_b[-1]:  # Alexandre/Alexandra
            return None
    return _edit_blocks(a, b)


def _accent_confusions_set_aside(a: str, b: str, accented: frozenset[int]) -> tuple[str, str]:
    """Two equally long words with each vowel pair that differs where either side printed an
    accent (ó read as é) replaced by a wildcard, the last letter excepted."""
    if len(a) != len(b):
        return a, b
    loose_a, loose_b = list(a), list(b)
    for i in accented:
        if (i < len(a) - 1 and a[i] != b[i] and a[i] in _VOWELS and b[i] in _VOWELS):
            loose_a[i] = loose_b[i] = _CONFUSED_ACCENT
    return "".join(loose_a), "".join(loose_b)


def _is_extension(longer: str, shorter: str) -> bool:
    """Whether `longer` is `shorter` with letters added at one end (MARTINEZ, LAFONTAINE)."""
    return longer.startswith(shorter) or longer.endswith(shorter)


def _edits_allowed(letters: int) -> int:
    """How many edits of any kind a name of that length may carry."""
    if letters >= VERY_LONG_NAME_MIN_LETTERS:
        return 2
    return 1 if letters >= LONG_NAME_MIN_LETTERS else 0


def _ocr_slips_allowed(letters: int) -> int:
    """How many edits OCR is known to make (i/l, rn/m, ...) a name of that length may carry."""
    if letters < SHORT_NAME_MIN_LETTERS:
        return 0
    return 1 if letters < LONG_NAME_MIN_LETTERS else 2
