"""Search keys of person names: folded words, trigrams and a French phonetic code.

Every backend indexes these keys as plain keyword terms and builds its person-candidate query
from `query_keys`, so Tantivy and Elasticsearch fetch exactly the same candidates; the final
verdict is `indexers.person_rank`'s. Keys are deliberately broad (recall): precision comes from
the re-ranking.

The phonetic code is Soundex2 ("Soundex français", Frédéric Brouard, 2000), on one word:

1. Upper case, accents removed, only letters kept (OCR digits are first read back as letters:
   0 -> O, 1 -> L, 5 -> S, 8 -> B, 6 -> G, 2 -> Z).
2. Letter groups: GUI -> KI, GUE -> KE, GA -> KA, GO -> KO, GU -> K, CA -> KA, CO -> KO,
   CU -> KU, Q -> K, CC -> K, CK -> K.
3. Every vowel but the first letter and Y becomes A (E, I, O, U -> A).
4. Prefixes: MAC -> MCC, SCH -> SSS, ASA -> AZA, KN -> NN, PH -> FF, PF -> FF.
5. H is dropped unless after C or S; Y is dropped unless after A.
6. A final A, D, T or S is dropped.
7. Every A but the first letter is dropped.
8. Runs of one letter are reduced to one; the code is the first 4 letters.

DUPONT and DUPOND both give "DPN"; LEFEBVRE and LEFEVRE give "LFBR" and "LFVR" (the trigrams
catch that one).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from alerts.names import PARTICLES, fold_name, parse_name_parts, surname_variants

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from indexers.contract import PersonEntry

# Words written before a name that are not part of it ("M." only as the first word).
CIVILITIES = frozenset({"monsieur", "madame", "mademoiselle", "mme", "mlle", "melle", "mr",
                        "mrs", "ms", "dr", "docteur", "maitre", "me"})
_LEADING_ONLY_CIVILITIES = frozenset({"m"})
_DIGIT_SLIPS = str.maketrans({"0": "o", "1": "l", "2": "z", "5": "s", "6": "g", "8": "b"})
_GROUPS = (("GUI", "KI"), ("GUE", "KE"), ("GA", "KA"), ("GO", "KO"), ("GU", "K"), ("CA", "KA"),
           ("CO", "KO"), ("CU", "KU"), ("Q", "K"), ("CC", "K"), ("CK", "K"))
_PREFIXES = (("MAC", "MCC"), ("SCH", "SSS"), ("ASA", "AZA"), ("KN", "NN"), ("PH", "FF"),
             ("PF", "FF"))
_SQUEEZE = re.compile(r"(.)\1+")
SOUNDEX2_LENGTH = 4
TRIGRAM_PAD = "_"
MAX_JOINED_WORDS = 5  # spellings without spaces are only built for names this short


def fold_tokens(text: str) -> list[str]:
    """Name text -> folded words: lower case, no accents, split on spaces, hyphens, apostrophes.

    Leading civilities ("Madame", "M.") are dropped, and "Monsieur"-like words anywhere; a name
    made only of such words is kept as it is.
    """
    tokens = fold_name(text).split()
    while len(tokens) > 1 and tokens[0] in CIVILITIES | _LEADING_ONLY_CIVILITIES:
        tokens = tokens[1:]
    kept = [t for t in tokens if t not in CIVILITIES]
    return kept or tokens


def trigrams(tokens: Sequence[str]) -> list[str]:
    """Padded trigrams of each word ("dupont" -> "__d", "_du", "dup", ..., "nt_"), deduplicated
    in order of first appearance."""
    seen: dict[str, None] = {}
    for token in tokens:
        padded = f"{TRIGRAM_PAD * 2}{token}{TRIGRAM_PAD}"
        for i in range(len(padded) - 2):
            seen.setdefault(padded[i:i + 3], None)
    return list(seen)


@lru_cache(maxsize=1 << 16)  # names repeat across a dossier's documents and across queries
def soundex2(word: str) -> str:
    """One word -> its Soundex2 code (module docstring); "" for a word without letters."""
    code = "".join(c for c in fold_name(word).translate(_DIGIT_SLIPS) if "a" <= c <= "z").upper()
    if not code:
        return ""
    for group, replacement in _GROUPS:
        code = code.replace(group, replacement)
    code = code[0] + re.sub("[EIOU]", "A", code[1:])
    for prefix, replacement in _PREFIXES:
        if code.startswith(prefix):
            code = replacement + code[len(prefix):]
            break
    code = re.sub("([^CS])H", r"\1", code)
    code = re.sub("([^A])Y", r"\1", code)
    if len(code) > 1:
        code = re.sub("[ADTS]$", "", code)
    code = code[0] + code[1:].replace("A", "")
    return _SQUEEZE.sub(r"\1", code)[:SOUNDEX2_LENGTH]


def phonetic_keys(tokens: Sequence[str]) -> list[str]:
    """Soundex2 codes of the words that are not particles, deduplicated in order."""
    seen: dict[str, None] = {}
    for token in tokens:
        if token in PARTICLES:
            continue
        code = soundex2(token)
        if code:
            seen.setdefault(code, None)
    return list(seen)


def _keys(words: Iterable[str], surnames: Iterable[tuple[str, ...]]) -> dict[str, list[str]]:
    """Exact, trigram and phonetic keys of some name words plus surnames' spaceless spellings
    ("de la fontaine" -> "delafontaine", "lafontaine", "fontaine")."""
    bare = [w for w in dict.fromkeys(words) if w not in PARTICLES]
    joined: dict[str, None] = {}
    for surname in surnames:
        if 1 < len(surname) <= MAX_JOINED_WORDS:
            joined.update(dict.fromkeys(surname_variants(surname)))
    exact = list(dict.fromkeys([*bare, *joined]))
    return {"exact": exact, "trigram": trigrams(exact), "phonetic": phonetic_keys(exact)}


def person_keys(p: PersonEntry) -> dict[str, list[str]]:
    """A person's keys: "exact" (folded words and spaceless surname spellings), "trigram" and
    "phonetic", over the birth and usage names and the first names. Particles alone are no key.
    """
    parts = parse_name_parts(p.last_name, p.first_names, p.usage_name)
    words = [*parts.birth, *parts.usage, *parts.first_tokens]
    return _keys(words, [parts.birth, parts.usage])


def query_keys(name: str) -> dict[str, list[str]]:
    """The keys a typed or heard name looks up, same shape as `person_keys`.

    Which words are the surname is unknown, so every word counts, and the whole name (when
    short) gives spaceless spellings too ("de la Fontaine" finds "DELAFONTAINE").
    """
    tokens = fold_tokens(name)
    return _keys(tokens, [tuple(tokens)])
