"""One entry of a beneficial-owner document: a labelled value, an owner heading or an end line.

Also the line kinds: which lines open an owner ("Bénéficiaire effectif n° 2", "Informations
sur l'identité du bénéficiaire effectif", a DBE-S-2 sheet) and which close the owners' part
(signature, "Pour extrait conforme", "Il n'existe pas d'autre bénéficiaire effectif").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from extractors.fields.rbe_lines import mark_text
from extractors.layout import Line
from kanta_docs.text import fold

if TYPE_CHECKING:
    from extractors.fields.rbe_labels import Key
    from extractors.fields.rbe_lines import FormLine
    from kanta_docs.models import Provenance, Word

# Roman numerals as OCR reads them too: "Ill." and "lll." for "III.".
_HEADING = re.compile(
    r"^(?:[ivxl1]{1,4} |\d{1,2} )?(?:(?:\d{1,2} ?(?:er|eme|e) )?beneficiaire(?: effectif)?"
    r"|beneficiaires(?: effectifs)? (?=n |no |numero |\d)|personne physique"
    r"|personne (?=n |no |numero |\d))"
    r" ?(?:n ?o?|no|numero)? ?(?:\d{1,2}(?: \d{1,2})?)?$"
)
# Where the next of several headings printed on one line begins.
_HEADS_SPLIT = re.compile(r"(?<=\d )(?=(?:personne|beneficiaire)\b)")
_SECTION_START = re.compile(
    r"informations? (?:sur|relatives? a|concernant) (?:l'identite d[ue] |le |au )?"
    r"beneficiaire effectif|identite du beneficiaire effectif"
    r"|document complementaire relatif au beneficiaire"
)
_END = re.compile(
    r"^(?:[ivxl1]{1,4} )?autres informations|^fait a |pour extrait conforme|^signature"
    r"|le greffier|il n'existe pas d'?(?:e |autres? )?beneficiaire|^certifie"
    r"|^(?:[ivxl1]{1,4} )?informations relatives a la societe|lieu et date de signature"
)


class EntryKind(StrEnum):
    """What an entry is."""

    FIELD = "field"  # a value, labelled or not
    HEADING = "heading"  # opens an owner
    END = "end"  # closes the owners' part (signature, certification)


@dataclass(frozen=True, slots=True)
class Entry:
    """A labelled value (or an unlabelled line) with the words it was read from."""

    kind: EntryKind
    key: Key | None  # None: an unlabelled line or an unknown label
    label: str  # as printed; "" when none
    parts: tuple[str, ...]  # the value, one part per line; checkbox marks as "[x] "/"[ ] "
    words: tuple[Word, ...]  # the value's words (the label's when there is no value)
    page: int
    mark: bool | None = None  # the checkbox before the label
    score: float = 100.0  # label match, 0-100
    row: int | None = None  # table row, for owners listed in a table
    is_ocr: bool = False

    @property
    def value(self) -> str:
        """The value's lines joined by spaces."""
        return " ".join(p for p in self.parts if p)

    @property
    def statement(self) -> str:
        """Label and value as one text for the control rules: a line that goes on with a
        small letter or a digit continues a wrapped sentence, another one starts a new
        statement after " ; " ("Parts directes … 35 %" / "Votes directs … 35 %"); a one-word
        line ("Non", "X") answers what precedes it."""
        text = (mark_text(self.mark) + self.label).strip()
        for part in (p for p in self.parts if p):
            wrapped = (not text or part[:1].islower() or part[:1].isdigit() or part[:1] in "(,"
                       or len(part.split()) == 1)  # fmt: skip
            text = f"{text} {part}" if wrapped else f"{text} ; {part}"
        return text

    def provenance(self, confidence: float = 1.0) -> Provenance:
        """Provenance of the value: page, text and the box around its words."""
        words = self.words
        text = self.value or self.label
        conf = confidence * self.score / 100
        ocr = [w.confidence for w in words if w.confidence is not None]
        if ocr:
            conf *= min(ocr) / 100
        return Line(self.page, words).provenance(text, round(conf, 3))


def line_kind(line: FormLine) -> EntryKind:
    """Whether a line opens an owner, closes the owners' part, or is a field."""
    folded = fold(" ".join(c.text for c in line.cells))
    if is_owner_heading_row(folded) or _SECTION_START.search(folded) or heading_name(line):
        return EntryKind.HEADING
    if _END.search(folded):
        return EntryKind.END
    return EntryKind.FIELD


def is_owner_heading_row(folded: str) -> bool:
    """Whether a folded line is one owner heading, or several side by side ("personne n 1
    personne n 2")."""
    parts = [p for p in _HEADS_SPLIT.split(folded) if p.strip()]
    return bool(parts) and all(_HEADING.match(p.strip()) for p in parts)


def is_owner_heading(text: str) -> bool:
    """Whether a text, as printed, is an owner's heading ("Bénéficiaire effectif n° 2",
    "Personne n° 1")."""
    return bool(_HEADING.match(fold(text)))


def heading_name(line: FormLine) -> tuple[str, tuple[Word, ...]] | None:
    """The name a heading gives after a colon ("Bénéficiaire effectif n° 1 : DUPONT Jean"):
    (text, its words); None for any other line."""
    words = [w for cell in line.cells for w in cell.words]
    for index, word in enumerate(words[:-1]):
        if word.text.endswith(":") or (word.text == ":" and index > 0):
            head = " ".join(w.text for w in words[: index + 1]).rstrip(": ")
            rest = words[index + 1 :]
            if _HEADING.match(fold(head)) and any(c.isalpha() for w in rest for c in w.text):
                return " ".join(w.text for w in rest), tuple(rest)
            return None
    return None
