"""Labels of beneficial-owner filings and extracts, and where a cell starts with one.

The wording varies by issuer and era: the DBE-S-1 form ("Nom de naissance", "Prénom principal",
"Autres prénoms"), greffe extracts ("Prénom(s)", "Date et lieu de naissance"), INPI RNE listings
("Nom", "Prénoms", "Date d'effet"), tables ("Nom et prénoms", "% du capital"). Labels are
compared on folded text (no case, accents or punctuation) and fuzzily, for OCR slips; when
several labels fit, the longest wins, so that "Nom d'usage" is not read as "Nom".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from extractors.french.nationality import parse_nationality
from kanta_docs.text import fold

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kanta_docs.models import Word

# Fuzzy threshold on folded labels (OCR slips); labels under _EXACT_BELOW chars must be exact.
LABEL_CUTOFF = 88.0
_EXACT_BELOW = 7
_WORD_CUTOFF = 70.0  # each word of a fuzzily matched label
_SPLIT_CUTOFF = 92.0  # a label whose words OCR split or joined


class Key(StrEnum):
    """What a labelled value is."""

    COMPANY_NAME = "company_name"
    LEGAL_FORM = "legal_form"
    SEAT_ADDRESS = "seat_address"
    SIREN = "siren"
    CAPITAL = "capital"
    BIRTH_NAME = "birth_name"
    USAGE_NAME = "usage_name"
    FULL_NAME = "full_name"  # surname and first names together
    FIRST_NAME_MAIN = "first_name_main"
    OTHER_FIRST_NAMES = "other_first_names"
    FIRST_NAMES = "first_names"
    BIRTH_DATE = "birth_date"  # may also hold the place: "12 mars 1970 à Lyon"
    NATIONALITY = "nationality"
    SINCE = "since"  # the date the person became a beneficial owner
    CONTROL = "control"  # modalities of control, percentages
    OTHER_PERSONAL = "other_personal"  # address, birth place, pseudonym...: read, not used
    SIGNATORY = "signatory"  # who signed the filing: never an owner
    IGNORED = "ignored"  # labels that must not be mistaken for others (greffe, filing date)


# Keys whose value names an owner: a second one in a block starts the next owner.
PERSON_KEYS = frozenset({Key.BIRTH_NAME, Key.FULL_NAME})
COMPANY_KEYS = frozenset({Key.COMPANY_NAME, Key.LEGAL_FORM, Key.SEAT_ADDRESS, Key.SIREN,
                          Key.CAPITAL})  # fmt: skip

# (key, folded label variants). One-word labels also need a separator after them (see
# `match_label`), so that "Société par actions simplifiée" is not the label "Société".
_LABELS: tuple[tuple[Key, tuple[str, ...]], ...] = (
    (Key.COMPANY_NAME, (
        "denomination", "denomination sociale", "raison sociale", "nom de la societe",
        "nom ou denomination", "denomination de la societe", "societe", "entreprise",
        "nom de l'entreprise", "personne morale", "societe declarante",
    )),
    (Key.LEGAL_FORM, ("forme juridique", "forme sociale", "forme")),
    (Key.SEAT_ADDRESS, (
        "adresse du siege", "adresse du siege social", "siege social", "siege",
        "adresse de la societe", "siege de la societe",
    )),
    (Key.SIREN, (
        "numero d'identification", "numero d'identification siren", "siren", "n siren",
        "numero siren", "immatriculation", "numero d'immatriculation", "rcs", "n rcs",
        "numero unique d'identification", "immatriculation rcs",
    )),
    (Key.CAPITAL, ("capital social", "montant du capital", "capital")),
    (Key.BIRTH_NAME, (
        "nom de naissance", "nom patronymique", "nom de famille", "nom", "nom de jeune fille",
    )),
    (Key.USAGE_NAME, ("nom d'usage", "nom marital", "nom d'epouse", "nom usuel")),
    (Key.FULL_NAME, (
        "nom prenoms", "nom prenom", "nom et prenoms", "nom et prenom", "nom prenom s",
        "nom et prenom s", "nom de naissance et prenoms", "identite", "nom complet",
        "beneficiaire effectif", "beneficiaire", "personne physique",
        "identite du beneficiaire effectif", "prenoms et nom", "prenom et nom",
    )),
    (Key.FIRST_NAME_MAIN, ("prenom principal", "premier prenom", "prenom usuel")),
    (Key.OTHER_FIRST_NAMES, ("autres prenoms", "autre prenom", "autre s prenom s",
                             "prenoms secondaires")),
    (Key.FIRST_NAMES, ("prenoms", "prenom s", "prenom")),
    (Key.BIRTH_DATE, (
        "date de naissance", "ne e le", "nee le", "ne le", "date et lieu de naissance",
        "naissance", "mois et annee de naissance", "date naissance",
    )),
    (Key.NATIONALITY, ("nationalite", "nationalites", "nationalite s")),
    (Key.SINCE, (
        "date a laquelle la personne est devenue beneficiaire effectif",
        "date a laquelle", "date d'effet", "depuis le", "date de debut", "date de prise d'effet",
        "date d'acquisition de la qualite de beneficiaire effectif",
        "beneficiaire effectif depuis le", "beneficiaire effectif depuis",
        "beneficiaire effectif a compter du", "qualite de beneficiaire effectif depuis le",
    )),
    (Key.CONTROL, (
        "modalites de controle", "modalites du controle", "nature du controle",
        "nature et etendue des interets effectifs", "nature et etendue des interets",
        "modalites de controle exerce", "total du capital", "total des droits de vote",
        "pourcentage du capital", "pourcentage des droits de vote", "detention",
        # a holding's own line: "Part du capital détenue : 35 %", "Droits de vote : 35 %"
        "pourcentage de detention du capital", "pourcentage de detention", "taux de detention",
        "pourcentage du capital detenu", "part du capital detenue", "part du capital",
        "quote part du capital", "capital detenu", "capital detenu directement",
        "capital detenu indirectement", "droits de vote", "droits de vote detenus",
        "droits de vote detenus directement", "droits de vote detenus indirectement",
        "pourcentage de droits de vote", "part des droits de vote",
    )),
    (Key.OTHER_PERSONAL, (
        "lieu de naissance", "commune de naissance", "pays de naissance", "departement pays",
        "departement de naissance", "adresse du domicile", "adresse personnelle", "domicile",
        "adresse", "code postal", "commune", "pays", "pays de residence", "pseudonyme",
        "civilite", "genre", "sexe", "ville", "residence", "ville de naissance",
        "lieu de residence", "adresse de residence", "pays de domicile", "adresse postale",
        "residence fiscale", "pays de residence fiscale", "complement d'adresse",
    )),
    (Key.SIGNATORY, (
        "nom prenom du representant legal", "nom et prenom du representant legal",
        "nom prenom et qualite du signataire", "signataire", "nom du declarant",
        "nom et qualite du signataire", "lieu et date de signature",
    )),
    (Key.IGNORED, (
        "greffe d'immatriculation", "greffe", "document relatif au beneficiaire effectif depose le",
        "date de depot", "depose le", "nombre de formulaires", "code ape", "activite",
    )),
)  # fmt: skip

# Multi-word labels that are also common phrases: labels only when a ":" follows.
_NEEDS_SEPARATOR = frozenset({
    "beneficiaire effectif", "personne physique", "personne morale", "date de debut",
    "depuis le", "nom complet",
})  # fmt: skip

# Bracketed inflections glued to a label word: "Prénom(s)", "Né(e)", "usuel(le)(s)", "Associé(e)s".
_INFLECTION = re.compile(r"\((?:s|e|es|x|le|les|ne|nes|aux|ale|ales)\)", re.IGNORECASE)
# Words that only qualify a label (folded, uninflected), never part of a value; in brackets
# a few more ("(en majuscules)", "(le cas échéant)").
_QUALIFIERS = frozenset({
    "usuel", "usuels", "usuelle", "usuelles", "complet", "complets", "complete", "completes",
    "entier", "entiers", "officiel", "officiels", "declare", "declares", "declaree", "declarees",
    "actuel", "actuels", "principaux",
})  # fmt: skip
# Phrases (folded) that only say where a label's value comes from, as issuers append them:
# "Prénom(s) à l'état civil", "Nom (tel qu'à l'état civil)", "Prénoms dans l'ordre de l'état
# civil", "Nom figurant sur la pièce d'identité". Never part of a value.
_QUALIFIER_PHRASES = frozenset({
    "a l'etat civil", "de l'etat civil", "d'etat civil", "selon l'etat civil",
    "figurant a l'etat civil", "tel qu'a l'etat civil", "tels qu'a l'etat civil",
    "tel qu'il figure a l'etat civil", "tels qu'ils figurent a l'etat civil",
    "dans l'ordre de l'etat civil", "dans l'ordre de l'acte de naissance", "dans l'ordre",
    "selon la piece d'identite", "figurant sur la piece d'identite",
    "tel qu'il figure sur la piece d'identite", "de la piece d'identite",
    "du beneficiaire effectif", "du beneficiaire", "de la personne",
})  # fmt: skip
_MAX_PHRASE_WORDS = max(len(p.split()) for p in _QUALIFIER_PHRASES) + 1  # OCR splits a word
_NOTE_WORDS = _QUALIFIERS | {
    "en", "majuscules", "capitales", "toutes", "lettres", "le", "cas", "echeant", "facultatif",
    "obligatoire", "si", "applicable", "principal", "marital", "maritale",
}  # fmt: skip

# The words of the labels and notes, folded, of three letters or more: a header word cut by
# its cell's edge is glued back when the pieces make one of these ("Nationa" / "lité").
LABEL_WORDS: frozenset[str] = frozenset(
    word
    for word in {w for _, variants in _LABELS for variant in variants
                 for w in re.findall(r"[a-z]+", variant)}
    | _NOTE_WORDS | {"droits", "droit", "vote", "votes", "parts", "capital", "pourcentage",
                     "detention", "detenus", "modalites", "nature", "controle"}
    if len(word) >= 3
)  # fmt: skip

_VARIANTS: tuple[tuple[Key, str, int], ...] = tuple(
    (key, variant, len(variant.split())) for key, variants in _LABELS for variant in variants
)
_SEPARATOR_AFTER = re.compile(r"^\W*[:=]")
# A word of dots or symbols after a label: a dotted leader ("Nom ........ DUPONT"), a required
# field's "*", or a speck OCR read as punctuation ("Nom . DUPONT", "Nationalité + Française").
# It separates label and value as a ":" would, and belongs to neither. (Not commas:
# "Bénéficiaire effectif, au sens de …" is a sentence.)
_LEADER = re.compile(r"""[.…·_'‘’`"+*~^]+""")
# A dash standing alone after a label separates it from its value too ("Nationalité -
# Française", "Nom — DUPONT"), unless it spaces out a compound name ("Pays - Bas").
_DASH = re.compile(r"[-‐‑‒–—−]")
# Enumerators that open a form's items: "a)", "3)", "II.", "2°", "-", "•".
_ENUMERATOR = re.compile(r"^(?:\(?(?:[a-hA-H]|\d{1,2}|[ivxlIVXL1]{1,4})[).°]|[-•–*>])$")


@dataclass(frozen=True, slots=True)
class LabelMatch:
    """A label found at the start of a cell."""

    key: Key
    label: str  # the folded label variant that matched
    end_word: int  # index of the first word after the label (may be mid-cell)
    score: float  # 0-100
    has_separator: bool  # a ":" follows the label
    by_dash: bool = False  # ... or the separator is a lone dash ("Nationalité - Française")


def _tokens(words: Sequence[Word], *, plain: bool) -> tuple[list[str], list[int]]:
    """Folded tokens of the words after any leading enumerator, each with its word's index
    (`plain`: without bracketed inflections, "Prénom(s) usuel(s)" -> "prenom usuel")."""
    tokens: list[str] = []
    owners: list[int] = []
    skip = 0
    while skip < len(words) - 1 and _ENUMERATOR.match(words[skip].text):
        skip += 1
    for index, word in enumerate(words):
        if index < skip:
            continue
        text = strip_inflection(word.text) if plain else word.text
        for token in fold(text).split():
            tokens.append(token)
            owners.append(index)
    return tokens, owners


def match_label(words: Sequence[Word], *, whole_cell: bool = False) -> LabelMatch | None:
    """The label that starts these words (a cell), longest first; None when none does.

    One-word labels ("Nom", "Siège") count only when a ":" follows them or nothing does (the
    value is in the next cell or below); labels that are also common phrases ("Bénéficiaire
    effectif") only with a ":", or, with `whole_cell` (a table header), when they fill it.
    """
    best: LabelMatch | None = None
    for plain in (False, True):
        best = _best_match(words, *_tokens(words, plain=plain), best, whole_cell=whole_cell)
    return _past_leaders(words, _with_qualifiers(words, best)) if best is not None else None


def _best_match(
    words: Sequence[Word],
    tokens: Sequence[str],
    owners: Sequence[int],
    best: LabelMatch | None,
    *,
    whole_cell: bool,
) -> LabelMatch | None:
    """`best`, or a longer (or surer) label that these tokens of `words` start with."""
    for key, variant, n in _VARIANTS:
        for size in (n, n + 1, n - 1):
            if size < 1 or size > len(tokens):
                continue
            score = _score(tokens[:size], variant)
            if score < LABEL_CUTOFF:
                continue
            if size < len(tokens) and owners[size] == owners[size - 1]:
                continue  # the label would end inside a word: "Pays" in "Pays-Bas"
            end_word = owners[size - 1] + 1
            separated = _has_separator(words, owners[size - 1])
            # A common phrase is a label only before a ":" (a dash after it is a title's:
            # "Bénéficiaires effectifs - page 2").
            if (
                variant in _NEEDS_SEPARATOR
                and not _has_separator(words, owners[size - 1], dash=False)
                and not (whole_cell and size == len(tokens))
            ):
                continue
            tail = _qualifiers_end(words, end_word)  # "Nom (en majuscules) :"
            if (
                n == 1
                and not separated
                and not (
                    tail == len(words) or (tail > end_word and _has_separator(words, tail - 1))
                )
            ):
                continue
            if best is None or (len(variant), score) > (len(best.label), best.score):
                best = LabelMatch(key, variant, end_word, score, separated)
            break
    return best


def strip_inflection(text: str) -> str:
    """A word without the bracketed plural or gender marks of a form's labels: "Prénom(s)"
    -> "Prénom", "usuel(le)(s)" -> "usuel", "Né(e)" -> "Né"; a bare "(s)" becomes ""."""
    return _INFLECTION.sub("", text)


def is_qualifier(text: str) -> bool:
    """Whether a word only qualifies the label before it: a small-letter "usuel(s)",
    "complets", or a bracketed note ("(en", "majuscules)", "(s)", "(1)")."""
    word = text.rstrip(":= ")
    core = fold(strip_inflection(word))
    if word.startswith("(") or word.endswith(")"):
        return not core or core.isdigit() or all(t in _NOTE_WORDS for t in core.split())
    return bool(core) and word[:1].islower() and core in _QUALIFIERS


def _with_qualifiers(words: Sequence[Word], match: LabelMatch) -> LabelMatch:
    """The match extended over the words that only qualify its label ("Prénom(s) usuel(s)",
    "Nom (en majuscules)"), so that they never end up in the value."""
    if match.has_separator:
        return match
    end = _qualifiers_end(words, match.end_word)
    if end == match.end_word:
        return match
    return replace(match, end_word=end, has_separator=_has_separator(words, end - 1))


def _past_leaders(words: Sequence[Word], match: LabelMatch) -> LabelMatch:
    """The match extended over the leader words right after its label ("Nom . DUPONT"), so
    that they never open the value."""
    end = match.end_word
    while end < len(words) and _LEADER.fullmatch(words[end].text):
        end += 1
    if end == match.end_word and _is_dash_separator(words, end - 1):
        end += 1  # one dash only: a second one is the value ("Nom d'usage - —": none)
        return replace(match, end_word=end, has_separator=True, by_dash=True)
    return match if end == match.end_word else replace(match, end_word=end, has_separator=True)


def _qualifiers_end(words: Sequence[Word], start: int) -> int:
    """Index of the first word from `start` on that is not a label's qualifier, word or phrase
    (the run stops after a qualifier a ":" follows)."""
    end = start
    while end < len(words):
        after_phrase = _phrase_end(words, end)
        if after_phrase == end and not is_qualifier(words[end].text):
            break
        end = max(after_phrase, end + 1)
        if _has_separator(words, end - 1):
            break
    return end


def _phrase_end(words: Sequence[Word], start: int) -> int:
    """Index after a qualifying phrase that starts at `start` ("à l'état civil", bracketed
    or not), the longest one; `start` when there is none."""
    for size in range(min(_MAX_PHRASE_WORDS, len(words) - start), 0, -1):
        if fold(" ".join(w.text for w in words[start : start + size])) in _QUALIFIER_PHRASES:
            return start + size
    return start


def _score(tokens: Sequence[str], variant: str) -> float:
    """How well tokens spell a label, 0-100: exact for short labels; else fuzzy, word by word
    when the counts agree (an OCR slip changes a letter, not a word: "Bénéficiaires effectifs
    de" is not "Bénéficiaire effectif depuis"), and stricter when OCR split or joined words."""
    candidate = " ".join(tokens)
    if len(variant) < _EXACT_BELOW or candidate == variant:
        return 100.0 if candidate == variant else 0.0
    words = variant.split()
    if len(words) == len(tokens):
        if any(fuzz.ratio(t, w) < _WORD_CUTOFF for t, w in zip(tokens, words, strict=True)):
            return 0.0
        return fuzz.ratio(candidate, variant)
    score = fuzz.ratio(candidate, variant)
    return score if score >= _SPLIT_CUTOFF else 0.0


def _has_separator(words: Sequence[Word], last: int, *, dash: bool = True) -> bool:
    """Whether a ":" ends the word `last` or opens the word after it, or a leader (or, with
    `dash`, a lone dash) follows it."""
    if words[last].text.rstrip().endswith((":", "=")):
        return True
    return last + 1 < len(words) and bool(
        _SEPARATOR_AFTER.match(words[last + 1].text)
        or _LEADER.fullmatch(words[last + 1].text)
        or (dash and _is_dash_separator(words, last))
    )


def _is_dash_separator(words: Sequence[Word], last: int) -> bool:
    """Whether a lone dash follows the word `last` as a separator: not inside a compound
    spaced out ("Pays - Bas" is the Netherlands; "Nationalité - Française" is no compound,
    since its second word is a nationality of its own)."""
    if last + 1 >= len(words) or not _DASH.fullmatch(words[last + 1].text):
        return False
    if last + 2 >= len(words):
        return True
    head, tail = words[last].text, words[last + 2].text
    return parse_nationality(f"{head}-{tail}") is None or parse_nationality(tail) is not None
