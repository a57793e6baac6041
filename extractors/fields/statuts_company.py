"""The company the statuts constitute: name, legal form, capital, registered office, SIREN.

Each value is read from the article that states it ("Dénomination", "Forme", "Capital social",
"Siège social"), and from the cover (the lines before the founders' block or the first article:
"<NAME> / Société par actions simplifiée au capital de … / Siège social : … / 889 924 320 RCS
Paris") when the article is missing or unreadable. The SIREN is only ever read from the cover:
the founders' block holds other companies' numbers. "En cours d'immatriculation" means none yet.

Legal form (as `extractors.french.legal_forms` decides): an SAS or SARL with a single associate is
an SASU or EURL (C. com. L.223-1 al. 2, L.227-1): when the form's wording does not say so, a sole
holder of all the shares (or a founders' block in the singular with one founder) does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from extractors.fields.company_sentence import address_end
from extractors.fields.statuts_articles import articles_titled
from extractors.fields.statuts_text import sentence_end
from extractors.french.amounts import find_amounts
from extractors.french.folding import fold_text
from extractors.french.identifiers import find_identifiers, select_siren
from extractors.french.legal_forms import base_legal_form, normalise_legal_form, refines
from kanta_docs.facts import CompanyFacts, Value
from kanta_docs.text import collapse_spaces

if TYPE_CHECKING:
    from collections.abc import Callable

    from extractors.fields.statuts_articles import Article
    from extractors.fields.statuts_text import StatutsText

T = TypeVar("T")

_NAME_CUE = re.compile(
    r"(?:d[eé]nomination|raison)(?:\s+sociale)?(?:\s+de\s+la\s+soci[eé]t[eé])?\s*(?:est|sera)?"
    r"\s*(?:(?:la\s+)?suivante\s*)?(?:de\s*)?:?\s*(?=\S)"
    r"|(?:elle\s+est|est|sera)\s+d[eé]nomm[eé]e\s*:?\s*(?=\S)"
    r"|(?:prend|porte|a\s+pour)\s+(?:le\s+|pour\s+)?nom\s*(?:de\s*)?:?\s*(?=\S)"
    r"|sous\s+le\s+nom\s+de\s*:?\s*(?=\S)"
)
# What follows a denomination in its sentence: ", société civile …", ", au capital de …".
_NAME_CLAUSE = re.compile(r",\s*(?:[a-zà-ÿ]|(?i:soci[eé]t[eé]|sci|sas|sarl|eurl|snc|sa)"
                          r"(?![a-z])).*$")
_NEW_SENTENCE = re.compile(r"\n(?=[A-ZÀ-Ý][a-zà-ÿ]+\s+[a-zà-ÿ])")
_QUOTED = re.compile(r"[«\"“]\s*([^»\"”\n]{1,120}?)\s*[»\"”]")
_NAME_TAIL = re.compile(
    r"\s*(?:[,(]\s*(?:ci-?(?:apr[eè]s|dessous)|sigle|nom\s+commercial|denomm).*|[.,;:]+"
    r"|\s+et\s+(?:pour|comme)\s+(?:sigle|nom\s+commercial|enseigne).*)$",
    re.IGNORECASE,
)
_FORM_LINE = re.compile(r"(?<![a-z])(?:soci[eé]t[eé]|entreprise)\s|(?<![a-z])au\s+capital")
_CAPITAL_CUE = re.compile(
    r"capital\s+social\s+(?:initial\s+)?(?:est\s+|a\s+[eé]t[eé]\s+)?(?:fix[eé]|s'[eé]l[eè]ve|de"
    r"|d'un\s+montant|port[eé])|(?<![a-z])au\s+capital(?:\s+social)?\s+de"
    r"|(?:^|\n)[ \t]*capital(?:\s+social)?\s*:"  # a cover's label: "Capital social : 1 000 €"
)
_SEAT_CUE = re.compile(
    r"si[eè]ge(?:\s+social)?(?:\s+de\s+la\s+soci[eé]t[eé])?\s*(?:est|sera)?\s*"
    r"(?:fix[eé]|[eé]tabli|situ[eé]|sis|transf[eé]r[eé])?\s*(?:au|aux|à|a|en|:|-)?\s*"
    r"(?:l'adresse\s+suivante\s*:?\s*)?(?=\S)"
)
_PENDING = re.compile(r"en\s+cours\s+d'immatriculation|en\s+formation\s+et\s+non\s+immatricul")
_NOT_A_NAME = re.compile(r"statuts|page\s|\W*\d+\s*(?:/|sur)\s*\d+\W*$|[\W\d]*$")
_UNIPERSONAL_BASES = frozenset({"SAS", "SARL", "SELAS", "SELARL"})
_MAX_NAME_CHARS = 120
_MAX_ADDRESS_CHARS = 200
_CAPITAL_GAP = 60  # how far past its cue an amount may begin ("fixé à la somme de …")


@dataclass(frozen=True, slots=True)
class CompanyResult:
    """The company's facts and the warnings reading them raised."""

    company: CompanyFacts
    warnings: tuple[str, ...]


def parse_company(doc: StatutsText, articles: list[Article], cover_end: int,
                  sole_holder: bool) -> CompanyResult:  # fmt: skip
    """The company block; `cover_end` bounds the cover, `sole_holder` says one associate."""
    warnings: list[str] = []
    cover = (0, cover_end)
    # The Dénomination article first: a Forme article may mention "la dénomination" in passing.
    name = _from_articles(doc, articles, ("denomination", "raison sociale"), _name_in) \
        or _from_articles(doc, articles, ("denomination", "raison sociale"), _name_alone) \
        or _from_articles(doc, articles, ("forme",), _name_in) \
        or _name_in(doc, *cover) or _cover_name(doc, cover_end)  # fmt: skip
    form = _legal_form(doc, articles, cover_end, sole_holder, warnings)
    capital = _from_articles(doc, articles, ("capital",), _capital_in) or _capital_in(doc, *cover)
    address = _from_articles(doc, articles, ("siege",), _address_in) \
        or _address_in(doc, *cover) \
        or _from_articles(doc, articles, ("siege",), _place_in)  # fmt: skip
    siren = _siren(doc, cover_end)
    for label, value in (("name", name), ("legal form", form), ("capital", capital),
                         ("registered office", address)):  # fmt: skip
        if value is None:
            warnings.append(f"company {label} not found")
    return CompanyResult(CompanyFacts(siren, name, form, capital, address), tuple(warnings))


def _from_articles(doc: StatutsText, articles: list[Article], titles: tuple[str, ...],
                   reader: Callable[[StatutsText, int, int], Value[T] | None]) -> Value[T] | None:
    """The first value `reader` finds in the articles titled with one of `titles`."""
    for article in articles_titled(articles, *titles):
        value = reader(doc, article.body_start, article.end)
        if value is not None:
            return value
    return None


def _name_in(doc: StatutsText, start: int, end: int) -> Value[str] | None:
    """The name after "La dénomination (sociale) est :" in [start, end)."""
    folded = fold_text(doc.text)
    for cue in _NAME_CUE.finditer(folded, start, end):
        at = cue.end()
        quoted = _QUOTED.match(doc.text, at, end)
        if quoted:
            return _value(doc, quoted.start(1), quoted.end(1), quoted.group(1))
        stop = min(sentence_end(doc.text, at, end), at + _MAX_NAME_CHARS)
        semicolon = doc.text.find(";", at, stop)
        stop = semicolon if semicolon >= 0 else stop
        # A sentence that starts on the next line without the name's full stop ("ACME SAS\nDans
        # tous les actes …") ends the name too.
        new_sentence = _NEW_SENTENCE.search(doc.text, at, stop)
        stop = new_sentence.start() if new_sentence else stop
        raw = _NAME_TAIL.sub("", _NAME_CLAUSE.sub("", collapse_spaces(doc.text[at:stop])))
        # Prose after the cue ("la dénomination sociale doit être précédée …") is no name.
        if raw and len(raw) < _MAX_NAME_CHARS and not raw[0].islower():
            return _value(doc, at, stop, raw)
    return None


def _name_alone(doc: StatutsText, start: int, end: int) -> Value[str] | None:
    """A Dénomination article whose body is the name alone, quoted or in capitals."""
    line_end = doc.text.find("\n", start + 1, end)
    line_end = end if line_end < 0 else line_end
    line = doc.text[start:line_end].strip()
    quoted = _QUOTED.fullmatch(line.rstrip("."))
    if quoted:
        at = start + doc.text[start:line_end].find(quoted.group(1))
        return _value(doc, at, at + len(quoted.group(1)), quoted.group(1))
    letters = [c for c in line if c.isalpha()]
    if line and len(line) <= _MAX_NAME_CHARS // 2 and letters \
            and sum(c.isupper() for c in letters) >= 0.8 * len(letters):  # fmt: skip
        at = start + doc.text[start:line_end].find(line)
        return _value(doc, at, at + len(line), line.rstrip("."))
    return None


def _cover_name(doc: StatutsText, cover_end: int) -> Value[str] | None:
    """The cover line just above the legal form ("ACME / Société par actions simplifiée …")."""
    folded = fold_text(doc.text[:cover_end])
    form = _FORM_LINE.search(folded)
    if form is None:
        return None
    line_start = folded.rfind("\n", 0, form.start()) + 1
    before = doc.text[line_start : form.start()].strip(" ,-–")
    quoted = _QUOTED.search(before)
    if quoted:  # "SCI « LES TILLEULS », société civile …": the name without its form
        return _value(doc, line_start + quoted.start(1), line_start + quoted.end(1),
                      quoted.group(1))  # fmt: skip
    if before:  # "ACME, société par actions simplifiée au capital de …" on one line
        return _value(doc, line_start, form.start(), before)
    lines = doc.text[:line_start].rstrip("\n").split("\n")
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index].strip()
        if line and not _NOT_A_NAME.match(fold_text(line)):
            offset = len("\n".join(lines[:index])) + (1 if index else 0)
            quoted = _QUOTED.search(line)
            if quoted:  # « SAS « ACME » »: the name without its form
                at = offset + lines[index].find(quoted.group(0))
                return _value(doc, at, at + len(quoted.group(0)), quoted.group(1))
            return _value(doc, offset, offset + len(lines[index]), line)
    return None


def _legal_form(doc: StatutsText, articles: list[Article], cover_end: int, sole_holder: bool,
                warnings: list[str]) -> Value[str] | None:  # fmt: skip
    """The legal form from the cover's form line and the "Forme" article, unipersonal if one
    associate."""
    found: list[Value[str]] = []
    cover_line = _FORM_LINE.search(fold_text(doc.text[:cover_end]))
    if cover_line:
        s = doc.text.rfind("\n", 0, cover_line.start()) + 1
        e = doc.text.find("\n", cover_line.start())
        e = cover_end if e < 0 or e > cover_end else e
        form = normalise_legal_form(doc.text[s:e])
        if form:
            found.append(_value(doc, s, e, form))
    for article in articles_titled(articles, "forme"):
        e = sentence_end(doc.text, article.body_start, article.end)
        form = normalise_legal_form(doc.text[article.body_start : e])
        if form:
            found.append(_value(doc, article.body_start, e, form))
            break
    if not found:
        return None
    # « Société civile » on the cover and « société civile immobilière » in the article agree.
    found = [v for v in found if not any(refines(o.value, v.value) for o in found)]
    bases = {base_legal_form(v.value) for v in found}
    if len(bases) > 1:
        warnings.append("company legal form: cover and Forme article differ")
    best = next((v for v in found if v.value != base_legal_form(v.value)), found[0])
    if sole_holder and best.value in _UNIPERSONAL_BASES:
        unipersonal = normalise_legal_form(f"{best.value} à associé unique")
        if unipersonal:
            return Value(unipersonal, best.provenance)
    return best


def _capital_in(doc: StatutsText, start: int, end: int) -> Value[float] | None:
    """The amount after "capital social est fixé à" / "au capital de" in [start, end)."""
    folded = fold_text(doc.text)
    for cue in _CAPITAL_CUE.finditer(folded, start, end):
        window = doc.flat[cue.end() : min(end, cue.end() + _CAPITAL_GAP + 60)]
        amounts = [a for a in find_amounts(window) if a.start <= _CAPITAL_GAP]
        if amounts:
            a = amounts[0]
            return Value(a.value, doc.provenance(cue.end() + a.start, cue.end() + a.end))
    return None


def _address_in(doc: StatutsText, start: int, end: int) -> Value[str] | None:
    """The registered office after "Le siège social est fixé …" / "Siège social :", when it
    has a number (street or postcode): "fixé à l'adresse figurant en tête" is no address."""
    return _seat_value(doc, start, end, needs_digit=True)


def _place_in(doc: StatutsText, start: int, end: int) -> Value[str] | None:
    """The registered office without a number ("Lieu-dit Les Combes, Saint-Martin")."""
    return _seat_value(doc, start, end, needs_digit=False)


def _seat_value(doc: StatutsText, start: int, end: int, *, needs_digit: bool) -> Value[str] | None:
    """The text after a registered-office cue up to the address's end."""
    folded = fold_text(doc.text)
    for cue in _SEAT_CUE.finditer(folded, start, end):
        at = cue.end()
        stop = _address_end(doc.text, folded, at, min(end, at + _MAX_ADDRESS_CHARS))
        raw = collapse_spaces(re.sub(r"\s+[-–]\s+", " ", doc.text[at:stop])).strip(" ,;:.-")
        has_digit = any(c.isdigit() for c in raw)
        if raw and (has_digit or not needs_digit and len(raw.split()) >= 2):
            return _value(doc, at, stop, raw)
    return None


def _address_end(text: str, folded: str, start: int, limit: int) -> int:
    """Where an address ends: after the town following its postcode (`company_sentence`), else
    its sentence."""
    end = address_end(text, folded, start, limit)
    if end is not None and text[end : end + 1] == "\n" \
            and re.search(r"\d{5}\s*$", text[start:end]):  # fmt: skip
        # The town went to the next line ("… 14200\nHérouville-Saint-Clair."): read on.
        joined = end
        end = address_end(text[:joined] + " " + text[joined + 1 :],
                          folded[:joined] + " " + folded[joined + 1 :], start, limit)  # fmt: skip
    if end is not None:
        return end
    stop = sentence_end(text, start, limit)
    newline = text.find("\n", start, stop)
    return newline if newline > start else stop


def _siren(doc: StatutsText, cover_end: int) -> Value[str] | None:
    """The company's SIREN from the cover; None while "en cours d'immatriculation"."""
    cover = doc.text[:cover_end]
    if _PENDING.search(fold_text(cover)):
        return None
    matches = [m for m in find_identifiers(cover) if m.is_valid]
    siren = select_siren(matches)
    if siren is None:
        return None
    hit = next(m for m in matches if m.siren == siren)
    return Value(siren, doc.provenance(hit.start, hit.end))


def _value(doc: StatutsText, start: int, end: int, value: str) -> Value[str]:
    """A string value with the provenance of [start, end)."""
    return Value(value, doc.provenance(start, end))
