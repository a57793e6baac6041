"""The printed labels of identity documents' visual zones, and matching them in a cell of words.

French cards, passports and residence permits print French labels, bilingual ones since the
ICAO layouts (« NOM / Surname », « DATE DE NAISS. / DATE OF BIRTH »), and foreign passports
print their own language then English (« Cognome / Surname »). A label cell is read as a run
of known labels (French or English) for one field, optionally after one unknown foreign label
ending in "/"; what follows the run in the cell (after ":") is the value. Labels the parser does
not read are known too (key "other"): they end a value and are never taken as one.

Wording from ../shared/DOMAIN.md §5 and the label variants French documents print.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from kanta_docs.text import fold

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kanta_docs.models import Word

# Approximate-match threshold on folded labels of more than SHORT_LABEL characters (OCR slips);
# shorter labels ("nom", "sexe", "à") must match exactly: one slip turns them into other words.
LABEL_CUTOFF = 88.0
SHORT_LABEL = 5
# At most this many words of an unknown foreign label before "/" and a known label.
_FOREIGN_WORDS = 4

# "N°" folds to "n"; documents also print "No", "Nº", "Numéro", "Nr".
_NUMBER_SIGNS = ("n", "no", "numero", "nr", "num")

_VOCABULARY: dict[str, tuple[str, ...]] = {
    "last_name": (
        "Nom", "Nom de naissance", "Nom de famille", "Nom patronymique", "Surname", "Surnames",
        "Name", "Family name", "Last name", "Name at birth", "Birth name", "Primary identifier",
    ),
    "usage_name": (
        "Nom d'usage", "Nom d'épouse", "Nom marital", "Nom d'époux", "Usage name", "Nom usuel",
        "Married name", "Used name",
    ),
    "first_names": (
        "Prénom(s)", "Prénoms", "Prénom", "Given names", "Given name(s)", "Given name",
        "Forenames", "Forename", "First names", "First name", "Secondary identifier",
    ),
    "sex": ("Sexe", "Sex", "Genre"),
    "nationality": ("Nationalité", "Nationality", "Nationalités"),
    "birth_date": (
        "Né(e) le", "Né le", "Née le", "Date de naissance", "Date de naiss.", "Date of birth",
        "Birth date", "Date et lieu de naissance", "Date and place of birth",
    ),
    "birth_place": (
        "Lieu de naissance", "Né(e) à", "Né à", "Née à", "Place of birth", "Birth place",
        "Commune de naissance", "à",
    ),
    "document_number": (
        "N° du document", "Numéro du document", "N° de document", "Document No",
        "Document number", "Carte nationale d'identité N°", "Carte N°", "N° de la carte",
        "N° de carte", "Card No", "Card number", "Passeport N°", "N° du passeport",
        "N° de passeport", "Passport No", "Passport number", "N° du titre", "N° de titre",
        "N° du titre de séjour", "Permit No", "Permit number", "Titre N°",
    ),
    "issue_date": (
        "Date de délivrance", "Date de déliv.", "Délivrée le", "Délivré le", "Date of issue",
        "Issue date", "Date d'émission", "Émise le", "Émis le", "Date of issuance",
    ),
    "expiry_date": (
        "Date d'expiration", "Date d'expir.", "Date of expiry", "Expiry date", "Expiry",
        "Valable jusqu'au", "Carte valable jusqu'au", "Valid until", "Date de fin de validité",
        "Fin de validité", "Expire le", "Valable jusqu'à", "Date of expiration",
        "Titre valable jusqu'au", "Valid thru",
    ),
    "issuing_country": (
        "Code du pays", "Country code", "Code of issuing State", "Code de l'État émetteur",
        "Pays émetteur", "Issuing country", "Issuing State", "Code pays", "État émetteur",
    ),
    "other": (
        "Adresse", "Address", "Domicile", "Residence", "Taille", "Height", "Couleur des yeux",
        "Colour of eyes", "Color of eyes", "Yeux", "Eyes", "Autorité", "Authority",
        "Signature du titulaire", "Holder's signature", "Signature", "Signature de l'autorité",
        "Type", "Type de titre", "Type of permit", "Type de document", "Document type",
        "Remarques", "Remarks", "Observations", "Mentions", "N° étranger", "Numéro étranger",
        "N° d'étranger", "Lieu de délivrance", "Place of issue", "Par", "Délivrée par",
        "Délivré par", "Issued by", "Code", "Personal No", "N° personnel", "Catégorie",
        "Category", "Profession", "Lieu de résidence", "CAN", "Nom du père", "Nom de la mère",
    ),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Label:
    key: str
    tokens: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def _variants(label: str) -> list[str]:
    """A label's folded forms; "N°" expands to the number signs documents print."""
    folded = fold(label.replace("(s)", "s").replace("(e)", "e"))
    plain = fold(label)
    forms = {folded, plain}
    for form in list(forms):
        words = form.split()
        if "n" in words:
            for sign in _NUMBER_SIGNS:
                forms.add(" ".join(sign if w == "n" else w for w in words))
    return sorted(forms)


def _build() -> tuple[_Label, ...]:
    labels = {(key, tuple(v.split())) for key, variants in _VOCABULARY.items()
              for label in variants for v in _variants(label)}
    return tuple(_Label(key, tokens) for key, tokens in sorted(labels))


LABELS = _build()


@dataclass(frozen=True, slots=True)
class LabelMatch:
    """A label at the start of a cell: its field key, the words it covers, how sure we are."""

    key: str
    end_word: int  # index in the cell of the first word after the label (and its ":")
    score: float  # 0-100
    has_colon: bool  # "Nom :" prints its value on the right; a bare "NOM" usually below


def _tokens(words: Sequence[Word]) -> list[tuple[str, int]]:
    """Folded tokens of the words, each with the index of the word it came from."""
    return [(token, i) for i, word in enumerate(words) for token in fold(word.text).split()]


def _match_at(tokens: Sequence[tuple[str, int]], start: int) -> tuple[_Label, int, float] | None:
    """The longest label starting at token `start`: (label, tokens used, score)."""
    best: tuple[_Label, int, float] | None = None
    for label in LABELS:
        n = len(label.tokens)
        for size in (n, n + 1):  # one extra token for an OCR split ("Nationa lité")
            if start + size > len(tokens):
                continue
            words = tuple(t for t, _ in tokens[start:start + size])
            score = _score(words, label.tokens)
            if score >= LABEL_CUTOFF and (best is None or (n, score) > (len(best[0].tokens),
                                                                         best[2])):
                best = (label, size, score)
    return best


def _score(words: tuple[str, ...], label: tuple[str, ...]) -> float:
    """0-100: how well folded words read as a label (short words exact, others one slip)."""
    joined, wanted = " ".join(words), " ".join(label)
    if len(wanted) < SHORT_LABEL:
        return 100.0 if joined == wanted else 0.0
    if len(words) == len(label):
        if any(min(len(a), len(b)) <= 3 and a != b for a, b in zip(words, label, strict=True)):
            return 0.0  # "n" against "identity": short words carry the meaning
        return fuzz.ratio(joined, wanted)
    glued, target = "".join(words), "".join(label)  # a word split in two by OCR
    if abs(len(glued) - len(target)) > 1:
        return 0.0
    return fuzz.ratio(glued, target)


def _after_slashes(words: Sequence[Word], tokens: Sequence[tuple[str, int]]) -> list[int]:
    """Token indexes just after each "/" in the cell's first words (« Naam / Nom »)."""
    starts: list[int] = []
    slashes = [i for i, w in enumerate(words[:_FOREIGN_WORDS * 2]) if "/" in w.text]
    if not slashes or slashes[0] > _FOREIGN_WORDS:
        return starts  # a label in another language is a few words, not a sentence
    for index in slashes:
        word = words[index]
        # "/" alone or ending a word: the next word; "/Nom" or "Naam/Nom": this word's tail.
        next_word = index + 1 if word.text.endswith("/") else index
        first = next((k for k, (_, w) in enumerate(tokens) if w >= next_word), None)
        if first is not None and word.text.strip("/") and not word.text.endswith("/"):
            first += 1 if not word.text.startswith("/") else 0
        if first is not None and first < len(tokens) and first not in starts:
            starts.append(first)
    return starts


def _is_place_cue(words: Sequence[Word]) -> bool:
    """Whether a cell opening with "a" is the old card's « à : » (birth place), not a word."""
    first = words[0].text.lower()
    return first.startswith("à") or ":" in first or (len(words) > 1 and words[1].text == ":")


def match_label(words: Sequence[Word]) -> LabelMatch | None:
    """The label a cell of words starts with, bilingual parts included; None if it has none."""
    tokens = _tokens(words)
    if not tokens:
        return None
    position = 0
    found = _match_at(tokens, 0)
    for start in _after_slashes(words, tokens) if found is None else ():
        # Labels in another language first (« Cognome / Surname », « Naam / Nom / Name »).
        found = _match_at(tokens, start)
        if found is not None:
            position = start
            break
    if found is None:
        return None
    label, size, score = found
    if label.tokens == ("a",) and not _is_place_cue(words):
        return None
    position += size
    while position < len(tokens):  # the same field's translation: « NOM / Surname »
        more = _match_at(tokens, position)
        if more is None or more[0].key != label.key:
            break
        position += more[1]
        score = min(score, more[2])
    end_word = tokens[position - 1][1] + 1
    has_colon = any(":" in w.text for w in words[:end_word])
    if end_word < len(words) and words[end_word].text.startswith("/"):
        # More translations of the label (« Nom / Naam / Name »): a value follows a colon.
        colon = next((i for i in range(end_word, len(words)) if ":" in words[i].text), None)
        end_word, has_colon = (len(words), has_colon) if colon is None else (colon + 1, True)
    while end_word < len(words) and not fold(words[end_word].text):
        has_colon = has_colon or ":" in words[end_word].text
        end_word += 1  # ":" or "/" printed as its own word
    return LabelMatch(label.key, end_word, score, has_colon)
