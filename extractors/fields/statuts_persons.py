"""People and companies named in statuts, with what their civil-status formula says.

A natural person appears as "Monsieur|Madame <name>, né(e) le <date> à <place>, de nationalité
<…>, demeurant <…>" with the clauses in any order and any of them missing; a legal person as
"La société <DÉNOMINATION>, <forme> au capital de …, immatriculée au RCS de <ville> sous le
numéro <SIREN>, représentée par M. <…>" (../shared/DOMAIN.md §4.2). The spaCy rule component
(`extractors.nlp`) marks the names and the cues; this module reads each mention's description,
from its name to the next mention or the end of its clause (";", a new list item, the end of
the sentence), with the French helpers (dates, nationalities, names, SIREN).

A person the model finds without a civility (NER "PER") counts only when a civil-status cue
follows it, or when the caller says the place expects a name (`loose`). A person named right
after a spouse cue ("époux de Madame X", "mariée à M. Y sous le régime …") is part of the
formula before it, never a mention of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from extractors.fields.statuts_text import sentence_end
from extractors.french.dates import find_dates
from extractors.french.folding import fold_words
from extractors.french.identifiers import find_identifiers, select_siren
from extractors.french.names import PersonName, split_person_name
from extractors.french.nationality import find_nationalities
from extractors.french.roles import parse_officer_role
from extractors.nlp import SpanLabel, TextSpan
from kanta_docs.facts import PersonFacts, Value
from kanta_docs.text import collapse_spaces, fold

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from extractors.fields.statuts_text import StatutsText

# A new list item ends the previous description: "- M. X", "1°) M. X", "a) M. X".
_ITEM_START = re.compile(r"\n\s*(?:[-–—•*]|\d{1,2}\s*[°)\-.]\)?|[a-h]\))\s")
# How far after a name a cue may start and still belong to it (", susnommé", ", né le").
_CUE_GAP = 4
_CLAUSE_CUES = frozenset({SpanLabel.BIRTH, SpanLabel.NATIONALITY, SpanLabel.RESIDENCE,
                          SpanLabel.REGISTRATION, SpanLabel.REFERENCE})  # fmt: skip
_CUES = _CLAUSE_CUES | {SpanLabel.REPRESENTATIVE}
_COMPANY_CUE = re.compile(
    r"^(?:la|une|le)\s+(?:(?:soci[ée]t[ée]|st[ée]|cabinet)\s+)?(?:(?:civile|anonyme|"
    r"coop[ée]rative)\s+)?(?:(?:immobili[èe]re|professionnelle)\s+)?(?:d[ée]nomm[ée]e\s+)?",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"\s*[«\"“]\s*([^»\"”]{1,120}?)\s*[»\"”]")
_BIRTH_PLACE = re.compile(r"(?:^|\s)(?:à|a)\s+([^,;]+?)(?=\s*(?:,|;|\s+le\s|$))", re.IGNORECASE)
# "représentée par son Président en exercice, M. X": the words allowed between cue and name.
_REPRESENTATIVE_GAP = 50
_NOT_BIRTH_NAME = frozenset({"", "le", "la", "de", "du", "des", "d", "a", "en", "au"})
_NAME_MATCH = 88.0  # rapidfuzz ratio for the same name read twice (OCR slips)
# Birth-date and -place windows: a formula's clause is short.
_CLAUSE_CHARS = 120


class MentionKind(StrEnum):
    """Whether a mention names a natural or a legal person."""

    PERSON = "person"
    COMPANY = "company"


@dataclass(frozen=True, slots=True)
class Mention:
    """A person or company named in the text and the facts its description gives."""

    kind: MentionKind
    start: int  # where the name starts
    name_end: int
    end: int  # where its description ends
    name_text: str  # the name as printed (civility included for a person)
    person_name: PersonName | None = None  # for a natural person
    person: PersonFacts | None = None
    company_name: str | None = None  # for a legal person
    siren: Value[str] | None = None
    is_reference: bool = False  # "susnommé": the text named it earlier
    confidence: float = 1.0  # OCR confidence of the name's words, 0-1
    notes: tuple[str, ...] = ()  # why a stated fact was left None ("nationality: several")

    @property
    def display_name(self) -> str:
        """The contract's holder name: "First names LAST" for a person, the denomination else."""
        if self.kind is MentionKind.COMPANY:
            return self.company_name or self.name_text
        name = self.person_name
        if name is not None and name.last_name:
            return " ".join(filter(None, (name.first_names, name.last_name)))
        return self.name_text


def better_read(first: Mention, second: Mention) -> Mention:
    """Of two readings of the same name, the better one (the first on a tie).

    The more complete first; then, when they differ only by accents, the one with more of them:
    OCR drops accents far more often than it invents them, above all on capitals ("THERON" for
    "THÉRON"), and its confidence does not show it (96 % for the unaccented reading, measured);
    else the one OCR was surer of.
    """
    def parts(m: Mention) -> int:
        n = m.person_name
        if m.kind is MentionKind.COMPANY or n is None:
            return 0
        return sum(1 for part in (n.last_name, n.first_names, n.usage_name) if part)

    if parts(first) != parts(second):
        return first if parts(first) > parts(second) else second
    a, b = first.display_name, second.display_name
    if a != b and fold_words(a) == fold_words(b):
        return second if _accents(b) > _accents(a) else first
    return second if second.confidence > first.confidence else first


def _accents(text: str) -> int:
    """How many letters of `text` carry a diacritic."""
    return sum(1 for c in text if c.isalpha() and not c.isascii())


def match_score(a: Mention, b: Mention) -> int:
    """How surely two mentions name the same person or company: 0 for not, higher for surer.

    Names are compared folded, allowing an OCR slip; a person's surname may be their birth or
    usage name ("Mme MARTIN" for "Claire DURAND épouse MARTIN"); differing first names or sexes
    rule a match out, missing ones do not.
    """
    if a.kind is not b.kind:
        return 0
    if a.kind is MentionKind.COMPANY:
        return 3 if _similar(a.company_name or "", b.company_name or "") else 0
    an, bn = a.person_name, b.person_name
    if an is None or bn is None or not an.last_name or not bn.last_name:
        return 0
    if an.sex and bn.sex and an.sex != bn.sex:
        return 0
    a_names = [n for n in (an.last_name, an.usage_name) if n]
    b_names = [n for n in (bn.last_name, bn.usage_name) if n]
    if not any(_similar(x, y) for x in a_names for y in b_names):
        return 0
    score = 2 if _similar(an.last_name, bn.last_name) else 1
    af, bf = fold_words(an.first_names or ""), fold_words(bn.first_names or "")
    if af and bf:
        # The first given name whole: "Jean-Pierre" is not "Jean Alexandre".
        a1, b1 = (fold_words((n.first_names or "").split()[0]) for n in (an, bn))
        if a1 != b1 and fuzz.ratio(af, bf) < _NAME_MATCH:
            return 0
        score += 2
    return score


def best_match(mention: Mention, candidates: Sequence[Mention]) -> Mention | None:
    """The candidate naming the same person or company, None if none or two equally good."""
    scored = sorted(((match_score(c, mention), i) for i, c in enumerate(candidates)), reverse=True)
    if not scored or scored[0][0] == 0:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # "M. MARTIN" when two founders are called MARTIN
    return candidates[scored[0][1]]


def _similar(a: str, b: str) -> bool:
    """Whether two names are the same once folded, allowing an OCR slip."""
    fa, fb = fold_words(a), fold_words(b)
    return bool(fa) and (fa == fb or fuzz.ratio(fa, fb) >= _NAME_MATCH)


def find_mentions(doc: StatutsText, spans: Sequence[TextSpan], start: int, end: int,
                  *, loose: bool = False) -> list[Mention]:  # fmt: skip
    """Mentions of people and companies whose names start in [start, end), in text order."""
    inside = [s for s in spans if start <= s.start < end]
    heads = _name_heads(inside, doc.text, loose)
    mentions: list[Mention] = []
    for index, head in enumerate(heads):
        limit = heads[index + 1].start if index + 1 < len(heads) else end
        desc_end = _description_end(doc.text, head, limit, inside)
        cues = [s for s in inside if head.end <= s.start < desc_end and s.label in _CUES]
        mentions.append(_mention(doc, head, desc_end, cues))
    return mentions


def _name_heads(spans: Sequence[TextSpan], text: str, loose: bool) -> list[TextSpan]:
    """The spans that start a mention: rule names, else model persons; not representatives."""
    spouses = [s for s in spans if s.label is SpanLabel.SPOUSE]
    rule = [s for s in spans if s.label in (SpanLabel.PERSON, SpanLabel.COMPANY)
            and not _is_spouse(text, spouses, s)]  # fmt: skip
    cues = [s for s in spans if s.label in _CUES]
    heads = [s for s in rule if not _looks_like_role(s.text)]
    for ent in (s for s in spans if s.label is SpanLabel.NER_PERSON):
        if any(h.start < ent.end and ent.start < h.end for h in rule) \
                or _is_spouse(text, spouses, ent):  # fmt: skip
            continue
        followed = any(c.label in _CLAUSE_CUES and 0 <= c.start - ent.end <= _CUE_GAP + 2
                       for c in cues)  # fmt: skip
        if (followed or loose) and _is_person_name(ent.text):
            heads.append(ent)
    heads.sort(key=lambda s: s.start)
    kept: list[TextSpan] = []
    for head in heads:
        if kept and head.start < kept[-1].end:
            continue
        if head.label is SpanLabel.NER_PERSON and kept \
                and _description_end(text, kept[-1], head.start, spans) >= head.start:
            continue  # inside the previous formula: "demeurant 3 rue Victor Hugo"
        if kept and _is_representative(text, cues, head):
            continue
        kept.append(head)
    return kept


def _is_spouse(text: str, spouses: Sequence[TextSpan], head: TextSpan) -> bool:
    """Whether a name follows a spouse cue closely ("époux de Madame X", "marié à X")."""
    return any(0 <= head.start - s.end <= _CUE_GAP and not text[s.end : head.start].strip(" \n")
               for s in spouses)  # fmt: skip


def _is_representative(text: str, cues: Sequence[TextSpan], head: TextSpan) -> bool:
    """Whether a name follows "représentée par" (maybe "par son gérant, M. X") closely: that
    person acts for the mention before and is not one of its own."""
    before = [c for c in cues if c.end <= head.start]
    if not before or before[-1].label is not SpanLabel.REPRESENTATIVE:
        return False
    gap = text[before[-1].end : head.start]
    return len(gap) <= _REPRESENTATIVE_GAP and not re.search(r"[;.]", gap)


def _looks_like_role(text: str) -> bool:
    """Whether a name span is a role after a civility ("Madame la Présidente")."""
    words = fold(text).split()
    return parse_officer_role(" ".join(words[1:])) is not None and len(words) <= 3 \
        and not any(w.isupper() and len(w) > 1 for w in text.split()[1:])


def _is_person_name(text: str) -> bool:
    """Whether an entity splits into a surname and first names and is not a role or company."""
    if parse_officer_role(text) is not None or re.search(r"soci[ée]t[ée]", text, re.IGNORECASE):
        return False
    name = split_person_name(text, surname_first=False)
    return bool(name.last_name and name.first_names)


def _description_end(text: str, head: TextSpan, limit: int, spans: Sequence[TextSpan]) -> int:
    """Where the clauses after a name stop: ";", a new list item or the sentence's end."""
    stops = [limit, sentence_end(text, head.end, limit)]
    semicolon = text.find(";", head.end, limit)
    if semicolon >= 0:
        stops.append(semicolon)
    item = _ITEM_START.search(text, head.end, limit)
    if item:
        stops.append(item.start())
    end = min(stops)
    # A role given right after the name ("M. X, Président, ...") ends the formula too.
    for role in (s for s in spans if s.label is SpanLabel.ROLE and head.end <= s.start < end):
        if not any(c.end <= role.start and c.start >= head.end and c.label in _CUES
                   for c in spans):  # fmt: skip
            end = min(end, role.start)
            break
    return end


def _mention(doc: StatutsText, head: TextSpan, end: int, cues: Sequence[TextSpan]) -> Mention:
    """One mention from its name span, its description's end and the cues inside."""
    text = doc.text
    reference = any(c.label is SpanLabel.REFERENCE and c.start - head.end <= _CUE_GAP
                    for c in cues)  # fmt: skip
    if head.label is SpanLabel.COMPANY:
        return Mention(MentionKind.COMPANY, head.start, head.end, end, collapse_spaces(head.text),
                       company_name=_company_name(text, head),
                       siren=_siren(doc, head.end, end, cues), is_reference=reference,
                       confidence=doc.confidence(head.start, head.end))
    name_text = collapse_spaces(head.text)
    # The rule keeps commas only between first names ("DUPONT Anne, Marie"): read as spaces.
    listed = collapse_spaces(name_text.replace(",", " ")) \
        if head.label is SpanLabel.PERSON else name_text  # fmt: skip
    name = _with_birth_name(split_person_name(listed, surname_first=False), head, cues)
    facts = _person_facts(doc, head, end, cues, name)
    stated = any(c.label is SpanLabel.NATIONALITY for c in cues)
    notes = ("nationality: several or unreadable",) if stated and not facts.nationality else ()
    return Mention(MentionKind.PERSON, head.start, head.end, end, name_text,
                   person_name=name, person=facts, is_reference=reference,
                   confidence=doc.confidence(head.start, head.end), notes=notes)


def _with_birth_name(name: PersonName, head: TextSpan, cues: Sequence[TextSpan]) -> PersonName:
    """The name completed by a birth name given in the birth clause right after it ("Madame
    Simone PEREIRA, née LECOQ le …": LECOQ is the birth name, PEREIRA the usage name)."""
    cue = next((c for c in cues if c.label is SpanLabel.BIRTH), None)
    if cue is None or cue.start - head.end > _CUE_GAP:
        return name
    words = [w.strip(",") for w in cue.text.split()[1:]]
    while words and fold_words(words[-1]) in _NOT_BIRTH_NAME:
        words.pop()  # "née LE 3 MARS" in capitals, "née DUPONT LE 3 MARS"
    birth = " ".join(w for w in words if w)
    if not birth:
        return name
    usage = name.usage_name or (name.last_name if name.last_name != birth.upper() else None)
    return replace(name, last_name=birth.upper(), usage_name=usage)


def _company_name(text: str, head: TextSpan) -> str:
    """The denomination after "la société": quoted text, else the span without the cue."""
    after = text[head.start : head.start + 200]
    cue = _COMPANY_CUE.match(after)
    offset = cue.end() if cue else 0
    quoted = _QUOTED.match(after, offset)
    if quoted:
        return collapse_spaces(quoted.group(1))
    name = head.text[offset:] if offset < len(head.text) else head.text
    return collapse_spaces(name.strip(" «»\"“”"))


def _siren(doc: StatutsText, start: int, end: int, cues: Sequence[TextSpan]) -> Value[str] | None:
    """The company's SIREN from its registration clause, before any representative."""
    rep = next((c.start for c in cues if c.label is SpanLabel.REPRESENTATIVE), end)
    matches = [m for m in find_identifiers(doc.text[start:rep]) if m.is_valid]
    siren = select_siren(matches)
    if siren is None:
        return None
    hit = next(m for m in matches if m.siren == siren)
    return Value(siren, doc.provenance(start + hit.start, start + hit.end))


def _person_facts(doc: StatutsText, head: TextSpan, end: int, cues: Sequence[TextSpan],
                  name: PersonName) -> PersonFacts:  # fmt: skip
    """A person's name parts and civil status, each with its provenance."""
    name_prov = doc.provenance(head.start, head.end)
    births = [c for c in cues if c.label is SpanLabel.BIRTH]  # "née X, née le …": two cues
    nationality = next((c for c in cues if c.label is SpanLabel.NATIONALITY), None)
    return PersonFacts(
        last_name=Value(name.last_name, name_prov) if name.last_name else None,
        first_names=Value(name.first_names, name_prov) if name.first_names else None,
        usage_name=Value(name.usage_name, name_prov) if name.usage_name else None,
        birth_date=next(filter(None, (_birth_date(doc, b, cues, end) for b in births)), None),
        birth_place=next(filter(None, (_birth_place(doc, b, cues, end) for b in births)), None),
        nationality=_nationality(doc, nationality, end) if nationality else None,
        sex=Value(name.sex, name_prov) if name.sex else None,
    )


def _clause_end(cue: TextSpan, cues: Sequence[TextSpan], end: int) -> int:
    """Where a cue's clause stops: the next cue, the description's end or a few words on."""
    nxt = min((c.start for c in cues if c.start >= cue.end), default=end)
    return min(nxt, end, cue.end + _CLAUSE_CHARS)


def _birth_date(doc: StatutsText, cue: TextSpan, cues: Sequence[TextSpan],
                end: int) -> Value[date] | None:  # fmt: skip
    """The date in a "né(e) le … à …" clause (the place may come first: "né à X le …")."""
    stop = _clause_end(cue, cues, end)
    found = find_dates(doc.flat[cue.start : stop])
    if not found:
        return None
    hit = found[0]
    return Value(hit.value, doc.provenance(cue.start + hit.start, cue.start + hit.end))


def _birth_place(doc: StatutsText, cue: TextSpan, cues: Sequence[TextSpan],
                 end: int) -> Value[str] | None:  # fmt: skip
    """The place in a "né(e) le … à <place>" clause, with its "(75)" or "(Belgique)"."""
    stop = _clause_end(cue, cues, end)
    clause = doc.flat[cue.start : stop]
    m = _BIRTH_PLACE.search(clause, len(cue.text) - 2)
    if not m:
        return None
    place = collapse_spaces(m.group(1))
    if not place or any(c.isdigit() for c in place.split("(")[0]):
        return None  # a date or a street, not a town
    start = cue.start + m.start(1)
    return Value(place, doc.provenance(start, cue.start + m.end(1)))


def _nationality(doc: StatutsText, cue: TextSpan, end: int) -> Value[str] | None:
    """The nationality after "de nationalité"; None for none or several (dual nationality)."""
    stop = min(end, cue.end + 60)
    found = find_nationalities(doc.flat[cue.start : stop])
    codes = {m.value for m in found}
    if len(codes) != 1:
        return None
    hit = found[0]
    return Value(hit.value, doc.provenance(cue.start + hit.start, cue.start + hit.end))
