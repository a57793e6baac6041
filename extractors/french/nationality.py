"""Nationalities and countries as French documents write them -> ISO 3166-1 alpha-3.

Accepted: nationality adjectives in both genders and numbers, with or without accents, any case
("Française", "FRANCAIS", "algériennes"); country names in French (and English, as foreign
passports print them); ISO alpha-2/alpha-3 codes, and the MRZ "D" for Germany. The adjectives
are the table in `nationalities.tsv`; country names and codes come from pycountry.

One OCR slip is tolerated on words of 7 letters or more, only when every table entry within one
edit belongs to the same country: "algerlenne" is Algeria, but a slip that lands between
"nigérien" (NER) and "nigérian" (NGA) is unknown. Ambiguous words ("congolaise": Congo or DR
Congo; "coréenne": North or South Korea) are unknown unless a qualifier settles them
("congolaise (RDC)").
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from importlib import resources

import pycountry
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from extractors.french.folding import fold_text, fold_words

FUZZY_MIN_LETTERS = 7
_AMBIGUOUS = "-"  # table value of a word shared by two countries

_CUE_WORD = re.compile(
    r"(?:de|d|la|le|les|l|du|nationalite|nationalites|nationality|pays|country|citoyen|"
    r"citoyenne)\s+"
)
_SPLIT = re.compile(r"\s*(?:[()/,;]|\bet\b|\band\b)\s*", re.IGNORECASE)
_CODE = re.compile(r"[A-Z]{1,3}<*")
_FIND_CUE = re.compile(r"nationalit(?:e|es|y)(?![a-z])\s*(?:[:.]\s*)?(?:de\s+|d')?")
_FIND_WORD = re.compile(r"[a-z]+(?:['-][a-z]+)*")
_FIND_JOIN = re.compile(r"\s*(?:et|/|,)\s*")
_FIND_MAX_WORDS = 4


@dataclass(frozen=True, slots=True)
class NationalityMatch:
    """A nationality found after a "nationalité" cue, with its span in the original text."""

    value: str  # ISO 3166-1 alpha-3
    start: int
    end: int
    text: str


def _plurals(word: str) -> tuple[str, ...]:
    """An adjective -> itself and its plural (français -> français, allemande -> allemandes)."""
    return (word,) if word.endswith(("s", "x")) else (word, word + "s")


def _load_table() -> tuple[dict[str, str], dict[str, str]]:
    """nationalities.tsv -> (adjective -> alpha3 or "-", extra country name -> alpha3 or "-")."""
    adjectives: dict[str, str] = {}
    countries: dict[str, str] = {}
    text = resources.files(__package__).joinpath("nationalities.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, masculine, feminine, others, names = (line.split("\t") + [""] * 5)[:5]
        words = [masculine, feminine, *others.split("|")]
        for word in filter(None, words):
            for form in _plurals(fold_words(word)):
                adjectives[form] = code
        for name in filter(None, names.split("|")):
            countries[fold_words(name)] = code
    return adjectives, countries


def _pycountry_names() -> dict[str, str]:
    """Every ISO country's French and English names, folded -> alpha3 ("-" when shared)."""
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    names: dict[str, str] = {}

    def add(name: str, code: str) -> None:
        key = fold_words(name)
        if key:
            names[key] = code if names.get(key, code) == code else _AMBIGUOUS

    for country in pycountry.countries:
        code = country.alpha_3
        english = [country.name, getattr(country, "common_name", ""),
                   getattr(country, "official_name", "")]  # fmt: skip
        for name in filter(None, english):
            for variant in (french.gettext(name), name):
                add(variant, code)
                # "Corée, République de" -> "République de Corée" and "Corée"
                head, sep, tail = variant.partition(", ")
                if sep:
                    tail = re.sub(r"\s*\(.*\)$", "", tail)
                    add(f"{tail}{'' if tail.endswith(chr(39)) else ' '}{head}", code)
                    add(head, code)
    return names


_ADJECTIVES, _EXTRA_NAMES = _load_table()
_COUNTRY_NAMES = {**_pycountry_names(), **_EXTRA_NAMES}  # the table's word wins
_ALL_FORMS = {**_COUNTRY_NAMES, **_ADJECTIVES}
# Candidates for one-slip matching: short words are left out, a slip there changes the word.
_FUZZY_ALL = [form for form in _ALL_FORMS if len(form) >= FUZZY_MIN_LETTERS - 1]
_FUZZY_COUNTRIES = [form for form in _COUNTRY_NAMES if len(form) >= FUZZY_MIN_LETTERS - 1]


def _code(text: str) -> str | None:
    """An upper-case ISO alpha-2/alpha-3 code (or MRZ "D<<") -> alpha3, else None."""
    raw = text.strip()
    if not _CODE.fullmatch(raw):
        return None
    raw = raw.rstrip("<")
    if raw == "D":  # ICAO 9303: Germany's MRZ code
        return "DEU"
    if len(raw) == 2:
        country = pycountry.countries.get(alpha_2=raw)
    elif len(raw) == 3:
        country = pycountry.countries.get(alpha_3=raw)
    else:
        return None
    return str(country.alpha_3) if country else None


def _lookup(words: str, table: dict[str, str], fuzzy: list[str]) -> str | None:
    """Folded words -> alpha3 by exact or one-slip match in `table`; None if unknown/ambiguous."""
    # Drop leading cue words one at a time: "pays pays bas" -> "pays bas" (Pays-Bas).
    while words not in table and (cue := _CUE_WORD.match(words)):
        words = words[cue.end() :]
    if words in table:
        code = table[words]
        return None if code == _AMBIGUOUS else code
    if sum(c.isalpha() for c in words) < FUZZY_MIN_LETTERS:
        return None
    close = process.extract(words, fuzzy, scorer=Levenshtein.distance, score_cutoff=1, limit=None)
    codes = {table[form] for form, _, _ in close}
    if len(codes) != 1 or _AMBIGUOUS in codes:
        return None
    return codes.pop()


def _resolve(text: str, table: dict[str, str], fuzzy: list[str]) -> str | None:
    """A short value, maybe with a qualifier or several parts -> the one alpha3 it names."""
    whole = _code(text) or _lookup(fold_words(text), table, fuzzy)
    if whole:
        return whole
    parts = [p for p in _SPLIT.split(text) if p.strip()]
    if len(parts) < 2:
        return None
    codes = {c for p in parts if (c := _code(p) or _lookup(fold_words(p), table, fuzzy))}
    return codes.pop() if len(codes) == 1 else None


def parse_nationality(text: str) -> str | None:
    """A nationality ("Française", "algériennes"), country or ISO code -> alpha3, else None.

    A dual nationality ("française et marocaine") is None here: use `find_nationalities`.
    """
    return _resolve(text, _ALL_FORMS, _FUZZY_ALL)


def parse_country(text: str) -> str | None:
    """A country name ("Royaume-Uni", "Allemagne") or ISO code -> alpha3; None if unknown."""
    return _resolve(text, _COUNTRY_NAMES, _FUZZY_COUNTRIES)


def _match_at(folded: str, pos: int) -> tuple[str, int, int] | None:
    """The words starting at folded[pos:] -> (alpha3, start, end) of the longest that resolves."""
    words: list[re.Match[str]] = []
    for m in _FIND_WORD.finditer(folded, pos):
        if folded[words[-1].end() if words else pos : m.start()].strip():
            break  # punctuation before the first word, or between words, ends the value
        words.append(m)
        if len(words) == _FIND_MAX_WORDS:
            break
    for n in range(len(words), 0, -1):
        value = fold_words(folded[words[0].start() : words[n - 1].end()])
        code = _lookup(value, _ALL_FORMS, _FUZZY_ALL)
        if code:
            return code, words[0].start(), words[n - 1].end()
    return None


def find_nationalities(text: str) -> list[NationalityMatch]:
    """Text -> nationalities stated after a cue ("de nationalité française et marocaine")."""
    folded = fold_text(text)
    found: list[NationalityMatch] = []
    for cue in _FIND_CUE.finditer(folded):
        pos = cue.end()
        while (hit := _match_at(folded, pos)) is not None:
            code, start, end = hit
            if not found or start >= found[-1].end:
                found.append(NationalityMatch(code, start, end, text[start:end]))
            join = _FIND_JOIN.match(folded, end)
            if not join:
                break
            pos = join.end()
    return found
