"""spaCy adapter: French named entities plus rule components for civil-status formulas and roles.

The model is `fr_core_news_sm` from its installed package. Only its NER is kept: NER has its own
tok2vec, and excluding the tagger, parser and lemmatizer makes it 2.3x faster for the same
entities (../shared/PERF.md §3). A rule component (`kanta_civil_status`, a spaCy `Matcher`)
runs after it and marks what statuts and register extracts say about people and companies:

- PERSON: a civility and the name after it ("Monsieur Jean DUPONT", "Mme Marie MARTIN épouse
  DURAND", "M. DE LUCA Andrée"), trimmed before the clause that follows it ("née le ...");
- COMPANY: "la société" and the denomination after it ("La société NOTOR PARTICIPATIONS");
- cues of the formulas: BIRTH ("né le", "née à", "né(e) le"), NATIONALITY ("de nationalité"),
  RESIDENCE ("demeurant", "domicilié", "dont le siège"), REGISTRATION ("immatriculée",
  "RCS", "sous le numéro"), REPRESENTATIVE ("représentée par"), REFERENCE ("susnommé"),
  APPOINTMENT ("nommé", "désignée", "premier gérant"), ROLE ("Président", "Directeur
  général délégué", "co-gérant", "commissaire aux comptes suppléant") and SPOUSE ("époux de",
  "mariée à", "pacsé avec"): the person named after it is a spouse, not a party.

First names may be listed with commas ("Madame PELLETIER Anne-Sophie, Isabelle", "M. Jean,
Pierre DUPONT"): a PERSON span keeps such commas only where case shows a list of first names
(`_comma_end`).

Callers get plain `TextSpan`s with character offsets into the text they passed, never spaCy
objects, so field rules stay pure functions of text and spans. Accents are optional in every
cue (OCR drops them); matching is on lower-cased tokens.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from kanta_docs.errors import ExtractorFailed

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from spacy.vocab import Vocab

MODEL_NAME = "fr_core_news_sm"
# fr_core_news_sm 3.8 components other than NER; "senter" is disabled in the package already.
_UNUSED_COMPONENTS = ("tok2vec", "morphologizer", "parser", "senter", "attribute_ruler",
                      "lemmatizer")  # fmt: skip
RULES_COMPONENT = "kanta_civil_status"
SPAN_KEY = "kanta_rules"
# nlp.pipe batch size: the default (1,000) peaked at 1.7 GB RSS for the full pipeline, 16 keeps
# NER-only under 250 MB (PERF.md §3).
BATCH_SIZE = 16
# Texts are cut into chunks of about this many characters at line ends: spaCy's own limit is
# 1,000,000, and small chunks let nlp.pipe batch a long document.
CHUNK_CHARS = 20_000

TokenPattern = list[dict[str, Any]]  # spaCy Matcher patterns, only inside this adapter


class SpanLabel(StrEnum):
    """What a span marks: rule labels first, then the model's entity labels."""

    PERSON = "PERSON"
    COMPANY = "COMPANY"
    BIRTH = "BIRTH"
    NATIONALITY = "NATIONALITY"
    RESIDENCE = "RESIDENCE"
    REGISTRATION = "REGISTRATION"
    REPRESENTATIVE = "REPRESENTATIVE"
    REFERENCE = "REFERENCE"
    APPOINTMENT = "APPOINTMENT"
    ROLE = "ROLE"
    SPOUSE = "SPOUSE"
    NER_PERSON = "PER"
    NER_ORG = "ORG"
    NER_LOCATION = "LOC"
    NER_MISC = "MISC"


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A labelled span of the analysed text: [start, end) in characters."""

    label: SpanLabel
    start: int
    end: int
    text: str  # the analysed text's [start, end), newlines included


# --- rule patterns ----------------------------------------------------------------------------

_UP = "A-ZÀ-ÖØ-ÞŒ"
_LETTER = "A-Za-zÀ-ÖØ-öø-ÿŒœ"
# Capitalised words that follow a name without being part of it ("Monsieur X Président").
_NOT_NAME = (r"(?!(?:Pr[ée]sidente?s?|PR[ÉE]SIDENTE?S?|G[ée]rante?s?|G[ÉE]RANTE?S?|Directeur|"
             r"DIRECTEUR|Directrice|Soci[ée]t[ée]|SOCI[ÉE]T[ÉE]|Associ[ée]e?s?|Demeurant|"
             r"DEMEURANT|Monsieur|Madame|Mademoiselle|Mme|Mlle|Melle|Bon|BON)$)")  # fmt: skip
_PARTICLES = ("de|du|des|d'|d’|la|le|les|l'|l’|van|von|der|den|ter|ten|da|das|do|dos|di|del|"
              "della|dei|ben|bin|ibn|el|al|y")  # fmt: skip
_MARKERS = "épouse|epouse|ép\\.|ep\\.|née|nee|veuve|vve|époux|epoux|veuf"
# One token of a person's name: a capitalised word or initial, a particle, a hyphen, or a
# marker introducing a usage or birth name ("épouse", "née").
_NAME_TOKEN = {"TEXT": {"REGEX": rf"^(?:{_NOT_NAME}[{_UP}][{_LETTER}'’\-]*\.?|"
                                 rf"(?:{_PARTICLES}|{_MARKERS})|-)$"}}  # fmt: skip
_CAPITALISED = {"TEXT": {"REGEX": rf"^{_NOT_NAME}[{_UP}][{_LETTER}'’\-]*\.?$"}}
# A name token or a comma between first names; `_comma_end` decides which commas stay.
_NAME_OR_COMMA = {"TEXT": {"REGEX": rf"^(?:{_NOT_NAME}[{_UP}][{_LETTER}'’\-]*\.?|"
                                    rf"(?:{_PARTICLES}|{_MARKERS})|-|,)$"}}  # fmt: skip
# One first name in a comma list: "Isabelle", "Anne-Sophie" (not "DUPONT", not "née").
_FIRST_NAME = re.compile(r"^[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿœ'’]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿœ'’]+)*$")
_CIVILITY = {"LOWER": {"IN": ["monsieur", "madame", "mademoiselle", "mr", "mr.", "m.", "mme",
                              "mme.", "mlle", "mlle.", "melle", "mrs", "ms"]}}  # fmt: skip
# A company name: capitalised words, digits, "&", particles; quotes around it are allowed.
_COMPANY_TOKEN = {"TEXT": {"REGEX": rf"^(?:[{_UP}0-9][{_LETTER}0-9'’&.\-]*|&|et|{_PARTICLES}|-)$"}}
_COMPANY_START = {"TEXT": {"REGEX": rf"^[{_UP}0-9]"}}
_OPEN_QUOTE = {"ORTH": {"IN": ["«", '"', "“"]}}
_FORM_ABBREVIATION = {"TEXT": {"REGEX": r"^(?:SAS|SASU|SARL|EURL|SA|SCI|SNC|SC|SCP|SCM|SELARL|"
                                        r"SELAS|SELAFA|GIE|S\.A\.S\.?|S\.A\.R\.L\.?|S\.A\.?)$"}}


def _lower(regex: str) -> dict[str, Any]:
    """A token whose lower-cased text matches `regex` (anchored)."""
    return {"LOWER": {"REGEX": f"^(?:{regex})$"}}


def _words(*words: str) -> TokenPattern:
    """A fixed sequence of lower-case words."""
    return [{"LOWER": w} for w in words]


_ROLE_HEAD = {
    "president": _lower(r"pr[ée]sidente?s?"),
    "directeur": _lower(r"direct(?:eur|rice)s?"),
    "general": _lower(r"g[ée]n[ée]ra(?:l|le|ux|les)"),
    "delegue": _lower(r"d[ée]l[ée]gu[ée]e?s?"),
}
_ROLES: list[TokenPattern] = [
    [_ROLE_HEAD["president"]],
    [_ROLE_HEAD["president"], _lower("du"), _lower("conseil"), _lower("d['’]"),
     _lower("administration")],
    [_ROLE_HEAD["president"], _lower("du"), _lower("directoire")],
    [_ROLE_HEAD["president"], {"ORTH": "-", "OP": "?"}, _ROLE_HEAD["directeur"],
     _ROLE_HEAD["general"]],
    [_ROLE_HEAD["directeur"], _ROLE_HEAD["general"]],
    [_ROLE_HEAD["directeur"], _ROLE_HEAD["general"], _ROLE_HEAD["delegue"]],
    [{"TEXT": {"IN": ["DG", "DGD", "PDG", "D.G.", "P.D.G."]}}],
    [_lower(r"(?:co-?)?g[ée]rante?s?")],
    [_lower("co"), {"ORTH": "-"}, _lower(r"g[ée]rante?s?")],
    [_lower(r"administrat(?:eur|rice)s?")],
    [_lower(r"commissaires?"), _lower("aux"), _lower("comptes"),
     {**_lower(r"titulaires?|suppl[ée]ante?s?"), "OP": "?"}],
    [_lower(r"membres?"), _lower("du"), _lower("directoire")],
    [_lower(r"membres?"), _lower("du"), _lower("conseil"), _lower("de"), _lower("surveillance")],
    # The office for its holder: "La gérance est assurée par M. X", "la présidence est confiée à".
    [_lower(r"(?:co-?)?g[ée]rance|pr[ée]sidence")],
]  # fmt: skip
_APPOINTMENT_VERB = _lower(r"nomm[ée]e?s?|d[ée]sign[ée]e?s?|nomination|institu[ée]e?s?|"
                           r"nommons|nomment|d[ée]signent|d[ée]signons")

# A name without civility counts only as a list item followed by its formula ("- Paul DUBOIS,
# né le …"): the item's lead token and the formula's first words are matched, then cut off.
_BARE_PERSON = "PERSON_BARE"
_ITEM_LEAD: dict[str, Any] = {"TEXT": {"IN": [
    "-", "–", "—", "•", "*", ":", ";", ")", "°", "et", "Et", "ET", "entre", "Entre", "ENTRE",
]}}  # fmt: skip
_NOT_FIRST = (r"(?!(?:Entre|Et|Est|Sont|Par|Pour|Dont|Les|Le|La|Des|Du|De|Il|Elle|Ils|Lequel|"
              r"Laquelle|Lesquels|Soit|Sous|Sur|Au|Aux|En|À|A)$)")  # fmt: skip
_BARE_FIRST: dict[str, Any] = {
    "TEXT": {"REGEX": rf"^{_NOT_FIRST}{_NOT_NAME}[{_UP}][{_LETTER}'’\-]*$"}
}
# A legal person as a list item without "la société": "- MOREL HOLDING, SAS au capital de …",
# "- ACME INVEST, société par actions simplifiée …", or an allocation item "- ACME INVEST, à
# concurrence de …" / "- ACME INVEST : 50 parts"; its name in capitals, cut before the comma.
_BARE_COMPANY = "COMPANY_BARE"
_COMPANY_WORD = {"TEXT": {"REGEX": rf"^(?:[{_UP}0-9][{_UP}0-9'’&.\-]*|&|-)$"}}
_NOT_COMPANY = frozenset({"total", "soit", "ensemble", "article", "titre"})  # "- TOTAL : 500 parts"
_BARE_COMPANY_CUES: list[TokenPattern] = [
    [{"ORTH": ","}, _lower(r"soci[ée]t[ée]|sas|sasu|sarl|eurl|sa|sci|snc")],
    [{"ORTH": ","}, _lower(r"à|a"), _lower("concurrence")],
    [{"ORTH": ","}, _lower(r"titulaire|propri[ée]taire|d[ée]tentrice|d[ée]tenteur")],
    [{"ORTH": ":"}, {"LIKE_NUM": True}],
]
_BARE_CUES: list[TokenPattern] = [
    [{"ORTH": ","}, _lower(r"n[ée]e?|n[ée]\(e")],
    [{"ORTH": ","}, _lower(r"demeurant|domicili[ée]e?|r[ée]sidant")],
    [{"ORTH": ","}, _lower("de"), _lower(r"nationalit[ée]")],
]

_PATTERNS: dict[SpanLabel, list[TokenPattern]] = {
    SpanLabel.PERSON: [
        [_CIVILITY, _CAPITALISED, {**_NAME_OR_COMMA, "OP": "*"}],
        # "M Jean DUPONT": the dot of "M." lost (typing or OCR); only in capitals.
        [{"ORTH": "M"}, _CAPITALISED, {**_NAME_TOKEN, "OP": "*"}],
    ],
    SpanLabel.COMPANY: [
        [_lower("la|une"), _lower(r"soci[ée]t[ée]|st[ée]"),
         {**_lower(r"civile|anonyme|coop[ée]rative"), "OP": "?"},
         {**_lower(r"immobili[èe]re|professionnelle"), "OP": "?"},
         {**_lower(r"d[ée]nomm[ée]e"), "OP": "?"}, {**_FORM_ABBREVIATION, "OP": "?"},
         {**_OPEN_QUOTE, "OP": "?"}, _COMPANY_START, {**_COMPANY_TOKEN, "OP": "*"}],
        [_lower("la|le"), _FORM_ABBREVIATION, _COMPANY_START, {**_COMPANY_TOKEN, "OP": "*"}],
        [_lower("le"), _lower("cabinet"), {**_OPEN_QUOTE, "OP": "?"}, _COMPANY_START,
         {**_COMPANY_TOKEN, "OP": "*"}],
    ],
    SpanLabel.BIRTH: [
        [_lower(r"n[ée]e?|n[ée]\(e|n[ée]e?\(s?\)?"), {"ORTH": ")", "OP": "?"},
         _lower(r"le|à|a|en|au|aux")],
        # "Madame Simone PEREIRA, née LECOQ le 31 mai 1972": the birth name inside the cue
        # (what follows it is not required: OCR reads that "le" as "ts" too).
        [_lower(r"n[ée]e?"), {"TEXT": {"REGEX": rf"^(?:[{_UP}][{_UP}'’\-]+|DE|DU|DES|D'|LE|LA|-)$"},
                              "OP": "+"}],
        # In mixed case, set off by commas: "Madame Chiara Martin, née Rossi, le 3 mai 1970".
        [_lower(r"n[ée]e?"), {"TEXT": {"REGEX": rf"^{_NOT_NAME}[{_UP}][a-zß-öø-ÿ'’\-]+$"}},
         {"ORTH": ","}],
    ],
    SpanLabel.NATIONALITY: [[{**_lower("de|d['’]"), "OP": "?"}, _lower(r"nationalit[ée]s?")]],
    SpanLabel.RESIDENCE: [
        [_lower(r"demeurant|demeurent|domicili[ée]e?s?|r[ée]sidant|r[ée]sident")],
        [_lower("ayant|dont"), {**_lower("son|le|leur"), "OP": "?"}, _lower(r"si[èe]ge")],
    ],
    SpanLabel.REGISTRATION: [
        [_lower(r"immatricul[ée]e?s?")],
        _words("sous", "le") + [_lower(r"num[ée]ro")],
        [{"TEXT": {"REGEX": r"^R\.?C\.?S\.?$"}}],
        [_lower("siren")],
    ],
    SpanLabel.REPRESENTATIVE: [
        [_lower(r"repr[ée]sent[ée]e?s?"), _lower("par|aux")],
        [{**_lower("prise|pris"), "OP": "?"}, *_words("en", "la", "personne", "de")],
        _words("agissant", "par"),
        [_lower("ayant"), _lower("pour"), _lower(r"repr[ée]sentante?s?")],
    ],
    SpanLabel.REFERENCE: [
        [_lower(r"sus-?(?:nomm|d[ée]sign|vis|mentionn)[ée]e?s?|pr[ée]cit[ée]e?s?")],
        [_lower("ci-dessus|ci"), {"ORTH": "-", "OP": "?"}, {**_lower("dessus"), "OP": "?"},
         _lower(r"nomm[ée]e?s?|d[ée]sign[ée]e?s?")],
    ],
    SpanLabel.APPOINTMENT: [
        [_APPOINTMENT_VERB],
        [_lower(r"premi(?:er|[èe]re)s?"), _ROLE_HEAD["president"]],
        [_lower(r"premi(?:er|[èe]re)s?"), _lower(r"(?:co-?)?g[ée]rante?s?")],
        [_lower(r"premi(?:er|[èe]re)s?"), _ROLE_HEAD["directeur"]],
        [_lower(r"premi(?:er|[èe]re)s?"), _lower(r"administrat(?:eur|rice)s?")],
        [_lower("fonctions"), _lower("de|d['’]")],
        [_lower(r"assur[ée]e?s?|confi[ée]e?s?|exerc[ée]e?s?"), _lower(r"par|à|a|au|aux")],
        # "La société est dirigée par Mme X, gérante".
        [_lower(r"dirig[ée]e|g[ée]r[ée]e|administr[ée]e|pr[ée]sid[ée]e"), _lower("par")],
    ],
    SpanLabel.ROLE: _ROLES,
    SpanLabel.SPOUSE: [
        [_lower(r"[ée]poux|[ée]pouse|veuf|veuve|conjointe?|divorc[ée]e?"), _lower(r"de|d['’]")],
        [_lower(r"mari[ée]e?s?|mari[ée]\(e\)?|pacs[ée]e?s?|pacs[ée]\(e\)?"),
         {"ORTH": {"IN": ["(", "e", ")", "(e)"]}, "OP": "*"}, _lower(r"à|a|avec")],
    ],
}
# Cues that end a name the PERSON pattern ran into ("Madame X née le ...").
_CLAUSE_LABELS = frozenset({SpanLabel.BIRTH, SpanLabel.NATIONALITY, SpanLabel.RESIDENCE,
                            SpanLabel.ROLE, SpanLabel.REPRESENTATIVE,
                            SpanLabel.SPOUSE})  # fmt: skip
_CUE_ONLY = re.compile(r"(?i)^(?:la|une|le)\s+(?:soci[ée]t[ée]|st[ée]|cabinet)(?:\s+(?:civile|"
                       r"anonyme|coop[ée]rative|immobili[èe]re|professionnelle|d[ée]nomm[ée]e))*$")
_TRAILING = re.compile(rf"^(?:{_PARTICLES}|{_MARKERS}|-|«|\"|“|,)$", re.IGNORECASE)


class CivilStatusRuler:
    """spaCy component: marks civil-status formulas, names and roles in `doc.spans[SPAN_KEY]`."""

    def __init__(self, vocab: Vocab) -> None:
        self.matcher = Matcher(vocab)
        for label, patterns in _PATTERNS.items():
            # LONGEST: "Directeur général délégué" wins over "Directeur général".
            self.matcher.add(label.value, patterns, greedy="LONGEST")
        bare: list[TokenPattern] = [[_ITEM_LEAD, _BARE_FIRST, {**_NAME_TOKEN, "OP": "*"}, *cue]
                                    for cue in _BARE_CUES]  # fmt: skip
        self.matcher.add(_BARE_PERSON, bare, greedy="LONGEST")
        self.matcher.add(_BARE_COMPANY, [[_ITEM_LEAD, _COMPANY_START, {**_COMPANY_WORD, "OP": "*"},
                                          *cue] for cue in _BARE_COMPANY_CUES], greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        """Annotate `doc` in place and return it (spaCy's component protocol)."""
        spans: list[Span] = sorted(self.matcher(doc, as_spans=True),
                                   key=lambda s: (s.start, -s.end))  # fmt: skip
        clause_starts = sorted(s.start for s in spans if s.label_ in _CLAUSE_LABELS)
        kept: list[Span] = []
        for span in spans:
            if span.label_ == _BARE_COMPANY:
                bare_company = _trim_bare_company(doc, span)
                if bare_company is None:
                    continue
                span = bare_company
            elif span.label_ == _BARE_PERSON:
                bare = _trim_bare(doc, span)
                if bare is None:
                    continue
                span = bare
            elif span.label_ in (SpanLabel.PERSON, SpanLabel.COMPANY):
                trimmed = _trim_name(doc, span, clause_starts)
                if trimmed is None:
                    continue
                span = trimmed
            kept.append(span)
        doc.spans[SPAN_KEY] = kept
        return doc


def _trim_name(doc: Doc, span: Span, clause_starts: Sequence[int]) -> Span | None:
    """A PERSON/COMPANY span cut before a following clause, a spaced dash and trailing
    particles or markers; None when no name is left."""
    end = span.end
    for start in clause_starts:
        if span.start < start < end:
            end = start
            break
    end = _comma_end(doc, span.start + 1, end)
    for i in range(span.start + 2, end):
        # A dash with spaces around it separates ("X - Bon pour acceptation"); "Anne-Laure" not.
        if doc[i].text == "-" and doc[i - 1].whitespace_ and doc[i].whitespace_:
            end = i
            break
    while end > span.start + 1 and _TRAILING.match(doc[end - 1].text):
        end -= 1
    if span.label_ == SpanLabel.COMPANY:
        end = _without_figures(doc, span.start + 2, end)
        if _CUE_ONLY.match(doc[span.start : end].text):
            return None  # "de la société\nLa gérance …": the cue and no name after it
    if end <= span.start + 1:
        return None
    return Span(doc, span.start, end, label=span.label_)


def _without_figures(doc: Doc, floor: int, end: int) -> int:
    """A company name's end before the figures a table row prints after it ("La société X 4 140
    euros 207 82,8 %"): digit groups followed by a currency, a percentage or another figure."""
    while end > floor and doc[end - 1].text.isdigit():
        after = doc[end].text.lower() if end < len(doc) else ""
        if not (doc[end - 2].text.isdigit() or after[:1].isdigit()
                or after in ("€", "euros", "euro", "eur", "%", "à", "a")):
            break
        end -= 1
    return end


def _comma_end(doc: Doc, start: int, end: int) -> int:
    """Where a name with commas stops: after the longest run of comma-separated parts that case
    shows to be first names, else at its first comma.

    Surname first, the first part holds a surname in capitals and each later part is one first
    name ("PELLETIER Anne-Sophie, Isabelle"); first names first, each part but the last is one
    first name and the last has two words or more ("Claude, Chloé, Clémence Le Corre").
    """
    commas = [i for i in range(start, end) if doc[i].text == ","]
    if not commas:
        return end
    starts, ends = [start, *(c + 1 for c in commas)], [*commas, end]
    parts = [doc[a:b].text for a, b in zip(starts, ends, strict=True)]
    capitals = any(t.text.isupper() and len(t.text) >= 2 for t in doc[start : commas[0]])
    for count in range(len(parts), 1, -1):
        kept = parts[:count]
        if not all(kept):
            continue  # ", ," or a trailing comma
        single = [bool(_FIRST_NAME.match(p)) for p in kept]
        if capitals and all(single[1:]) or all(single[:-1]) and len(kept[-1].split()) >= 2:
            return ends[count - 1]
    return commas[0]


def _trim_bare_company(doc: Doc, span: Span) -> Span | None:
    """A bare company match without its list lead and what follows the name; None when the
    name is a person's with a civility ("- MONSIEUR JEAN DUPONT : 50 parts") or a total."""
    end = next(i for i in range(span.start + 1, span.end) if doc[i].text in (",", ":"))
    first = doc[span.start + 1].lower_
    if first in _CIVILITY["LOWER"]["IN"] or first in _NOT_COMPANY or end <= span.start + 1 \
            or not any(t.is_alpha for t in doc[span.start + 1 : end]):  # fmt: skip
        return None
    return Span(doc, span.start + 1, end, label=SpanLabel.COMPANY.value)


def _trim_bare(doc: Doc, span: Span) -> Span | None:
    """A civility-less name match without its list lead and formula; None unless it has two
    words or more, one of them a surname in capitals."""
    start = span.start + 1
    end = next(i for i in range(start, span.end) if doc[i].text == ",")
    words = [t.text for t in doc[start:end] if any(c.isalpha() for c in t.text)]
    if any(_CIVILITY["LOWER"]["IN"].count(w.lower()) for w in words):
        return None  # "- À M. Jean X, né …": the civility rule reads that name
    if len(words) < 2 or not any(w.isupper() and len(w) >= 2 for w in words):
        return None
    return Span(doc, start, end, label=SpanLabel.PERSON.value)


@Language.factory(RULES_COMPONENT)
def make_civil_status_ruler(nlp: Language, name: str) -> CivilStatusRuler:
    """The spaCy factory of `CivilStatusRuler` (registered on import of this module)."""
    return CivilStatusRuler(nlp.vocab)


# --- loading and running ----------------------------------------------------------------------


@functools.cache
def french_pipeline() -> Language:
    """The NER-only French pipeline with the rule component, loaded once per process.

    The one process-global of the extractors, on purpose: loading takes ~4.3 s and ~240 MB
    (PERF.md §3), far more than a document's analysis, and the loaded pipeline is never changed
    after this function returns, so sharing it cannot leak state between documents.
    """
    try:
        nlp = spacy.load(MODEL_NAME, exclude=list(_UNUSED_COMPONENTS))
    except OSError as e:  # spaCy's error for a missing or broken model package
        raise ExtractorFailed(
            f"spaCy model {MODEL_NAME} cannot be loaded ({e.__class__.__name__}); "
            "reinstall the project's dependencies (uv sync)"
        ) from e
    nlp.add_pipe(RULES_COMPONENT, last=True)
    return nlp


def _chunks(text: str) -> list[tuple[int, str]]:
    """Text -> (offset, chunk) pieces of about CHUNK_CHARS, cut after a line ending a sentence."""
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > CHUNK_CHARS:
        window = text[start : start + CHUNK_CHARS]
        cut = max(window.rfind(".\n"), window.rfind(";\n"))
        cut = cut + 2 if cut > CHUNK_CHARS // 2 else window.rfind("\n") + 1
        if cut <= 0:
            cut = CHUNK_CHARS
        out.append((start, text[start : start + cut]))
        start += cut
    out.append((start, text[start:]))
    return out


def _spans_of(doc: Doc, text: str, offset: int) -> Iterable[TextSpan]:
    """A processed chunk -> its rule spans and entities as TextSpans of `text` (the original,
    newlines included), shifted by `offset`."""
    for span in [*doc.spans[SPAN_KEY], *doc.ents]:
        start, end = offset + span.start_char, offset + span.end_char
        yield TextSpan(SpanLabel(span.label_), start, end, text[start:end])


def analyse_texts(texts: Sequence[str]) -> list[tuple[TextSpan, ...]]:
    """Texts -> for each, its entities and rule spans sorted by position (offsets into it)."""
    nlp = french_pipeline()
    pieces = [(i, offset, chunk.replace("\n", " "))  # newlines would be tokens of their own
              for i, text in enumerate(texts) for offset, chunk in _chunks(text)]  # fmt: skip
    found: list[list[TextSpan]] = [[] for _ in texts]
    docs = nlp.pipe((chunk for _, _, chunk in pieces), batch_size=BATCH_SIZE)
    for (i, offset, _), doc in zip(pieces, docs, strict=True):
        found[i].extend(_spans_of(doc, texts[i], offset))
    return [tuple(sorted(spans, key=lambda s: (s.start, -s.end, s.label))) for spans in found]


def analyse_text(text: str) -> tuple[TextSpan, ...]:
    """One text -> its entities and rule spans sorted by position."""
    return analyse_texts([text])[0]
