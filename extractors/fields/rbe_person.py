"""An owner's block -> who the person is: birth name, usage name, first names, birth date,
nationality, sex, and the date they became a beneficial owner.

`last_name` is the birth name (CONTRACT.md): "Nom de naissance", or "Nom" on RNE listings. A
name written "DURAND épouse MARTIN" or "MARTIN née DURAND" is split: DURAND is the birth
name, MARTIN the usage name, which is kept apart; so is a usage name in brackets after the
birth name, as tables print it under "Nom de naissance (nom d'usage)": "LE GALL (BENARD)".
First names are "Prénom principal" then "Autres prénoms" (DBE-S-1), or "Prénom(s)", in
document order, commas dropped. A "Nom et prénoms" value is split by `split_person_name`
(capitals mark the surname).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractors.fields.rbe_labels import Key, is_qualifier, strip_inflection
from extractors.french.dates import find_dates
from extractors.french.folding import fold_text, fold_words
from extractors.french.names import (
    PARTICLES,
    capitalise_name,
    split_bracketed_usage,
    split_person_name,
)
from extractors.french.nationality import find_nationalities, parse_nationality
from kanta_docs.facts import PersonFacts, Value

if TYPE_CHECKING:
    from datetime import date

    from extractors.fields.rbe_entry import Entry
    from extractors.fields.rbe_owner_blocks import OwnerBlock

# Values of a sex or gender field ("Sexe : Masculin").
_SEX_WORDS = frozenset({"masculin", "feminin", "homme", "femme"})
# "épouse"/"veuve" introduce the usage name; "née" the birth name.
_USAGE_MARKER = re.compile(r"(?<![a-z])(?:epouse|ep|epse|veuve|vve|epoux|veuf)(?![a-z])\.?")
_BIRTH_MARKER = re.compile(r"(?<![a-z])nee?(?![a-z])")
_MARKER_WORDS = frozenset({"epouse", "ep", "epse", "veuve", "vve", "epoux", "veuf", "nee", "ne"})
_EMPTY = frozenset({"", "neant", "sans", "aucun", "aucune", "non renseigne", "nc", "n a", "x"})
_NAME_TOKEN = re.compile(r"[^\s,;]+")
# Words of the person labels: a value never starts with one ("Prénom(s) usuel(s) Jean").
_LABEL_WORDS = frozenset({
    "nom", "noms", "prenom", "prenoms", "patronymique", "patronyme", "marital", "usage",
    "naissance", "nationalite", "nationalites", "principal", "autres", "autre", "identite",
    "civilite",
})  # fmt: skip
# A prose line that names a person: a civility first, or a name then ", né(e) le".
_PROSE_PERSON = re.compile(
    r"^\s*(?:(?:m|mr|mme|mlle|monsieur|madame|mademoiselle)\.?\s+[a-z]"
    r"|[^,]{3,60},?\s+nee?\s+le\s)"
)
_CLAUSE_START = re.compile(r",|\s+nee?\s+(?:le|a|en)\s|\s+demeurant|\s+de nationalite")
_BORN_ON = re.compile(r"(?<![a-z])nee?\s+le\s*:?\s*")
_DATE_MAX_CHARS = 40  # "le mercredi 12 septembre 2018" and the like fit
_SINCE_IN_TEXT = re.compile(r"(?:depuis le|depuis|a compter du|date d'effet)\s*:?\s*")


@dataclass(frozen=True, slots=True)
class PersonReading:
    """A person read from a block, with what could not be read."""

    person: PersonFacts
    since: Value[date] | None
    unreadable: tuple[str, ...]  # field names printed but not understood ("birth date")


def read_person(block: OwnerBlock) -> PersonReading:
    """An owner's block -> the person's facts; missing values are None."""
    unreadable: list[str] = []
    birth, usage = _names(block)
    birth, usage = _a_name(birth), _a_name(usage)
    firsts = _first_names(block)
    born = _first_date(_entry(block, Key.BIRTH_DATE)) or _born_in_text(block)
    if born is None and _entry(block, Key.BIRTH_DATE) is not None:
        unreadable.append("birth date")
    nationality = _nationality(block)
    if nationality is None and _entry(block, Key.NATIONALITY) is not None:
        unreadable.append("nationality")
    since = _first_date(_entry(block, Key.SINCE)) or _since_in_text(block)
    person = PersonFacts(last_name=birth, first_names=firsts, usage_name=usage, birth_date=born,
                         nationality=nationality, sex=_sex(block))  # fmt: skip
    return PersonReading(person, since, tuple(unreadable))


def _a_name(value: Value[str] | None) -> Value[str] | None:
    """A surname, or None when it is particles alone (« DE LA » from a heading OCR read in
    pieces: « … BÉNÉFICIAIRE DE LA ») or the sex field's value (« Masculin » taken from the
    cell beside or under the name's on a scanned form): never a name on their own."""
    if value is None:
        return None
    words = set(fold_words(value.value).split())
    if words <= PARTICLES or words <= _SEX_WORDS:
        return None
    return value


def _entry(block: OwnerBlock, key: Key) -> Entry | None:
    """The block's first entry for `key` with a value ("—", "néant" are none)."""
    return next((e for e in block.entries if e.key is key and _has_value(e.value)), None)


def _has_value(text: str) -> bool:
    """Whether a value says something: letters or digits, and not a filler."""
    return any(c.isalnum() for c in text) and fold_words(text) not in _EMPTY


def _clean(text: str) -> str:
    """A value without stray punctuation, OCR specks, "néant"-like fillers, and without label
    words that reached it ("usuel(s) Jean", "Prénom(s) : Jean" read as one value)."""
    raw = _NAME_TOKEN.findall(text)
    while raw and _is_label_word(raw[0]):
        raw.pop(0)
    tokens = [strip_inflection(t).strip(".:;|'\"“”‘’()[]") for t in raw]
    tokens = [t for t in tokens if any(c.isalpha() for c in t)]
    cleaned = " ".join(tokens)
    return "" if fold_words(cleaned) in _EMPTY else cleaned


def _is_label_word(token: str) -> bool:
    """Whether a value's first word is a label's ("Prénom(s)", "usuel(s)", "(en", ":")."""
    if not any(c.isalnum() for c in token):
        return True
    words = fold_words(strip_inflection(token)).split()
    return is_qualifier(token) or (bool(words) and words[-1] in _LABEL_WORDS
                                   and all(w in _LABEL_WORDS or len(w) == 1 for w in words))


def _names(block: OwnerBlock) -> tuple[Value[str] | None, Value[str] | None]:
    """(birth name, usage name) from the name entries of a block."""
    usage_entry = _entry(block, Key.USAGE_NAME)
    usage = _surname(_clean(usage_entry.value)) if usage_entry else None
    usage_value = Value(usage, usage_entry.provenance()) if usage and usage_entry else None
    entry, is_full = _name_source(block)
    if entry is None:
        return None, usage_value
    if not is_full:
        text, bracketed = split_bracketed_usage(entry.value, any_case=True)
        birth, married = _split_markers(_clean(text))
        married = married or bracketed
        if married and usage_value is None:
            usage_value = Value(married, entry.provenance())
        return (Value(birth, entry.provenance()) if birth else None), usage_value
    text, bracketed = split_bracketed_usage(entry.value)
    parts = split_person_name(_name_text(entry, text), surname_first=_surname_first(entry.label))
    married = parts.usage_name or bracketed
    if married and usage_value is None:
        usage_value = Value(married, entry.provenance())
    birth_value = Value(parts.last_name, entry.provenance()) if parts.last_name else None
    return birth_value, usage_value


def _name_source(block: OwnerBlock) -> tuple[Entry | None, bool]:
    """The entry naming the person, and whether it holds first names too (a full name)."""
    has_firsts = any(_entry(block, k) for k in (Key.FIRST_NAME_MAIN, Key.FIRST_NAMES))
    entry = _entry(block, Key.BIRTH_NAME)
    if entry is not None:
        # A "Nom" column holding "DUPONT Jean" when there is no first-name column.
        name = _clean(split_bracketed_usage(entry.value)[0])
        return entry, not has_firsts and _has_given_names(name)
    entry = _entry(block, Key.FULL_NAME) or _prose_name_entry(block)
    return entry, entry is not None


def _has_given_names(name: str) -> bool:
    """Whether a name value mixes a capitalised surname with given names ("DUPONT Jean")."""
    words = [w for w in name.split() if fold_words(w) not in _MARKER_WORDS]
    upper = [w.isupper() for w in words if any(c.isalpha() for c in w)]
    return any(upper) and not all(upper) and split_person_name(name).first_names is not None


def is_prose_person(text: str) -> bool:
    """Whether a line of prose introduces a person ("Monsieur Jean DUPONT, né le …")."""
    return bool(_PROSE_PERSON.match(fold_text(text)))


def _prose_name_entry(block: OwnerBlock) -> Entry | None:
    """An unlabelled line naming a person in prose ("Monsieur Jean DUPONT, né le …")."""
    for entry in block.entries:
        if entry.key is None and not entry.label and _PROSE_PERSON.match(fold_text(entry.value)):
            return entry
    return None


def _name_text(entry: Entry, text: str | None = None) -> str:
    """The name part of a name value (`text`: the value without its bracketed usage name): a
    prose line is cut at its first clause ("…, né le")."""
    value = entry.value if text is None else text
    if entry.key is not None:
        return _clean(value)
    folded = fold_text(value)
    cut = _CLAUSE_START.search(folded)
    return _clean(value[: cut.start()] if cut else value)


def _surname_first(label: str) -> bool | None:
    """Whether a full-name label puts the surname first ("Nom et prénoms": yes)."""
    folded = fold_words(label)
    if folded.startswith("nom"):
        return True
    if folded.startswith("prenom"):
        return False
    return None


def _split_markers(name: str) -> tuple[str | None, str | None]:
    """A birth-name value -> (birth name, usage name): "DURAND épouse MARTIN", "MARTIN née
    DURAND"; without a marker the whole value is the birth name."""
    folded = fold_text(name)
    usage = _USAGE_MARKER.search(folded)
    if usage:
        return _surname(name[: usage.start()]), _surname(name[usage.end() :])
    birth = _BIRTH_MARKER.search(folded)
    if birth and birth.start() > 0:
        return _surname(name[birth.end() :]), _surname(name[: birth.start()])
    return _surname(name), None


def _surname(text: str) -> str | None:
    """A surname as the contract spells it: upper case, single spaces; None if empty."""
    joined = re.sub(r"(?i)\b([dl]')\s+", r"\1", " ".join(text.split()))
    return joined.upper() or None


def _first_names(block: OwnerBlock) -> Value[str] | None:
    """First names in order: principal then others, else "Prénoms", else from a full name."""
    main, others = _entry(block, Key.FIRST_NAME_MAIN), _entry(block, Key.OTHER_FIRST_NAMES)
    if main is not None:
        names = [_clean(main.value)] + ([_clean(others.value)] if others else [])
        return Value(_natural(" ".join(names)), main.provenance())
    entry = _entry(block, Key.FIRST_NAMES) or others
    if entry is not None:
        return Value(_natural(_clean(entry.value)), entry.provenance())
    full, is_full = _name_source(block)
    if full is None or not is_full:
        return None
    text, _ = split_bracketed_usage(full.value)
    parts = split_person_name(_name_text(full, text), surname_first=_surname_first(full.label))
    return Value(parts.first_names, full.provenance()) if parts.first_names else None


def _natural(names: str) -> str:
    """First names as printed, each in natural case when written in capitals."""
    return " ".join(capitalise_name(n) for n in names.split())


def _first_date(entry: Entry | None) -> Value[date] | None:
    """The first full date of an entry's value ("24 septembre 1966 à Lyon" -> 1966-09-24)."""
    if entry is None:
        return None
    dates = find_dates(entry.value)
    return Value(dates[0].value, entry.provenance()) if dates else None


def _since_in_text(block: OwnerBlock) -> Value[date] | None:
    """A "depuis le …" date in the block's control statements, when no label gives one."""
    for entry in block.entries:
        if entry.key not in (Key.CONTROL, None):
            continue
        text = entry.statement
        for cue in _SINCE_IN_TEXT.finditer(fold_text(text)):
            dates = find_dates(text[cue.end() : cue.end() + _DATE_MAX_CHARS])
            if dates and dates[0].start == 0:
                return Value(dates[0].value, entry.provenance())
    return None


def _born_in_text(block: OwnerBlock) -> Value[date] | None:
    """A "né(e) le …" date in the block's unlabelled lines, when no label gives one."""
    for entry in block.entries:
        if entry.key is not None:
            continue
        text = entry.statement
        for cue in _BORN_ON.finditer(fold_text(text)):
            dates = find_dates(text[cue.end() : cue.end() + _DATE_MAX_CHARS])
            if dates and dates[0].start == 0:
                return Value(dates[0].value, entry.provenance())
    return None


def _nationality(block: OwnerBlock) -> Value[str] | None:
    """ISO alpha-3 nationality from "Nationalité", else from "de nationalité X" in the text."""
    entry = _entry(block, Key.NATIONALITY)
    if entry is not None:
        code = parse_nationality(_clean(entry.value))
        if code is None:
            found = {m.value for m in find_nationalities(f"nationalité {entry.value}")}
            code = found.pop() if len(found) == 1 else None
        return Value(code, entry.provenance()) if code else None
    for other in block.entries:
        found = {m.value for m in find_nationalities(other.statement)}
        if len(found) == 1:
            return Value(found.pop(), other.provenance())
    return None


def _sex(block: OwnerBlock) -> Value[str] | None:
    """"M"/"F" from "Genre"/"Sexe" ("Féminin") or a ticked civility ("☒ Mme")."""
    for entry in block.entries:
        folded = fold_words(entry.statement)
        if entry.key is Key.OTHER_PERSONAL and fold_words(entry.label) in ("genre", "sexe"):
            value = fold_words(entry.value)
            if value.startswith(("f", "feminin")):
                return Value("F", entry.provenance())
            if value.startswith(("m", "masculin")):
                return Value("M", entry.provenance())
        ticked = re.search(r"\[x\]\s*(m|mr|monsieur|mme|madame|mlle)\b", fold_text(entry.statement))
        if ticked and "civilite" in folded:
            return Value("M" if ticked.group(1) in ("m", "mr", "monsieur") else "F",
                         entry.provenance())  # fmt: skip
    return None
