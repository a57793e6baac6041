"""Re-ranking person candidates: which person of a record best matches a typed or heard name.

Both backends fetch candidates broadly (`indexers.name_keys`) and call `rank_person` on each, so
the scores, the threshold and the explanations are the same whatever the engine.

The query is one free string: which words are the surname is unknown. Every way to cut it into
a surname (a run of words at the start or the end) and first names (the rest, maybe none) is
tried against the person's birth name and usage name; the best reading wins.

Scores, in [0, 1]:

- The product's own verdict first (`alerts.persons.compare_persons`, the rules of the
  cross-check): names that agree there (accents, case, hyphens, particles, first-name order,
  usage name, OCR slips set aside) score 0.90 to 1.0.
- Otherwise a search is more forgiving than the cross-check (the name was heard, not read):
  the surname scores 1.0 identical, 0.97 with a particle set aside, 0.92 within the OCR
  allowance of `alerts.names.count_slips`, 0.85 when it sounds the same (Soundex2), 0.75 when
  close (rapidfuzz ratio >= 80); never when one name is the other plus letters at an end
  (MARTIN/MARTINE, as in alerts.names); first names likewise,
  word by word (0 when one differs, 0.5 when the document has none, x 0.9 when the
  query gives fewer). The name score is
  0.6 x surname + 0.4 x first names, capped at 0.89 so agreeing names always rank first; a query
  with no first names scores 0.85 x surname.
- Birth date: when the query gives one and the person has a different one, the person is
  EXCLUDED (a namesake is another person; whoever typed the date meant to narrow). Equal dates
  add 0.05 (capped at 1); a person without a birth date is kept at 0.9 x the score.

Persons scoring below `MIN_PERSON_SCORE` (0.65) do not match: a lone surname heard the same way
(0.85 x 0.85 = 0.72) still matches, a right surname with another first name (0.6) does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from alerts.names import PARTICLES, count_slips, fold_name, parse_name_parts, surname_variants
from alerts.persons import MatchKind, PersonRef, compare_persons
from indexers.contract import PersonMatch
from indexers.name_keys import CIVILITIES, soundex2

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from indexers.contract import PersonEntry, PersonQuery

# Pure functions of one name, cached: a search meets the same names again and again.
_fold = lru_cache(maxsize=1 << 16)(fold_name)
_variants = lru_cache(maxsize=1 << 14)(surname_variants)
_parts = lru_cache(maxsize=1 << 14)(parse_name_parts)

MIN_PERSON_SCORE = 0.65
AGREEING_FLOOR = 0.90  # compare_persons says the names agree: 0.90 + 0.10 x its name score
LENIENT_CAP = 0.89
SURNAME_ONLY_FACTOR = 0.85
LAST_NAME_SHARE = 0.6
IDENTICAL, PARTICLE_DROPPED, OCR_SLIP, SOUNDS_ALIKE, CLOSE = 1.0, 0.97, 0.92, 0.85, 0.75
CLOSE_RATIO = 80.0
NO_FIRST_NAMES_IN_DOCUMENT = 0.5
PARTIAL_FIRST_NAMES_FACTOR = 0.9  # "Jean" for "Jean-Pierre": maybe the father, maybe the son
BIRTH_DATE_BONUS = 0.05
NO_BIRTH_DATE_FACTOR = 0.9
MAX_QUERY_WORDS = 8  # longer queries are cut: nobody types a name that long

# compare_persons' English reasons -> what the user reads.
_REASONS_FR = {
    "last name equal after folding": "nom identique",
    "particles set aside in last name": "particule ignorée",
    "usage name used": "nom d'usage",
    "first names reordered": "prénoms dans un autre ordre",
    "compound first names split": "prénom composé écrit autrement",
    "only the leading first names on one side": "premiers prénoms seulement",
    "first names equal after folding": "prénoms identiques",
    "first names equal once spaces set aside": "prénoms identiques",
    "first and last names swapped": "nom et prénom inversés",
}


@dataclass(frozen=True, slots=True)
class _Part:
    """How one part of the name compares: a similarity in [0, 1] and why."""

    score: float
    reasons: tuple[str, ...]


def rank_person(query: PersonQuery, persons: Sequence[PersonEntry]) -> PersonMatch | None:
    """The person of a record that best matches the query, or None when none reaches
    `MIN_PERSON_SCORE` (module docstring for the scores and the birth-date rule)."""
    return PersonRanker(query).rank(persons)


class PersonRanker:
    """`rank_person` for one query over many records: the query's readings are made once, and
    each (query part, person) comparison is made once per search (a pool of a few hundred
    candidates names the same persons many times: the owner on the RBE, the statuts, the ID)."""

    def __init__(self, query: PersonQuery) -> None:
        self.query = query
        self.words = _query_words(query.name)
        self.readings = _readings(self.words)
        self._seen: dict[tuple[str, str, PersonEntry], tuple[float, tuple[str, ...]] | None] = {}

    def rank(self, persons: Sequence[PersonEntry]) -> PersonMatch | None:
        """The best-matching person of one record, or None."""
        if not self.words:
            return None
        best: PersonMatch | None = None
        for person in persons:
            match = self._match_person(person)
            if match is not None and (best is None or match.score > best.score):
                best = match
        return best if best is not None and best.score >= MIN_PERSON_SCORE else None

    def _match_person(self, person: PersonEntry) -> PersonMatch | None:
        return _match_person(self.readings, self.query, person, self._score)

    def _score(self, surname: str, first_names: str,
               person: PersonEntry) -> tuple[float, tuple[str, ...]] | None:
        key = (surname, first_names, person)
        if key not in self._seen:
            self._seen[key] = _score_reading(surname, first_names, person)
        return self._seen[key]


def _query_words(name: str) -> list[str]:
    """The query's words as typed (hyphenated first names kept whole), civilities dropped."""
    words = [w for w in name.replace(",", " ").split() if _fold(w)]
    while len(words) > 1 and _fold(words[0]) in CIVILITIES | {"m"}:
        words = words[1:]
    return words[:MAX_QUERY_WORDS]


def _match_person(readings: list[tuple[str, str]], query: PersonQuery, person: PersonEntry,
                  score_reading: Callable[[str, str, PersonEntry],
                                          tuple[float, tuple[str, ...]] | None],
                  ) -> PersonMatch | None:
    """The best reading of the query against one person, birth date applied."""
    if query.birth_date and person.birth_date and query.birth_date != person.birth_date:
        return None  # a namesake born another day is another person
    best: tuple[float, tuple[str, ...]] | None = None
    for surname, first_names in readings:
        scored = score_reading(surname, first_names, person)
        if scored is not None and (best is None or scored[0] > best[0]):
            best = scored
    if best is None:
        return None
    score, reasons = best
    if query.birth_date:
        if person.birth_date:
            score, reasons = min(1.0, score + BIRTH_DATE_BONUS), (
                *reasons, "date de naissance identique")
        else:
            score, reasons = score * NO_BIRTH_DATE_FACTOR, (
                *reasons, "date de naissance absente du document")
    return PersonMatch(last_name=person.last_name, first_names=person.first_names,
                       birth_date=person.birth_date, role=person.role,
                       score=round(score, 4), explanation=reasons)


def _readings(words: list[str]) -> list[tuple[str, str]]:
    """(surname, first names) cuts of the query: the whole as a surname, then each run of words
    at the start or the end as the surname and the rest as first names."""
    cuts = [(" ".join(words), "")]
    for n in range(1, len(words)):
        cuts.append((" ".join(words[:n]), " ".join(words[n:])))
        cuts.append((" ".join(words[-n:]), " ".join(words[:-n])))
    return cuts


def _score_reading(surname: str, first_names: str,
                   person: PersonEntry) -> tuple[float, tuple[str, ...]] | None:
    """One reading of the query against a person: (score, reasons), None when the surname is
    not even close."""
    parts = _parts(person.last_name, person.first_names, person.usage_name)
    query_surname = tuple(_fold(surname).split())
    last = max((_surname_part(query_surname, parts.birth, ()),
                _surname_part(query_surname, parts.usage, ("nom d'usage",))),
               key=lambda p: p.score)
    # The lenient surname test accepts everything compare_persons' does (the same OCR
    # allowance, particles, usage names) and more: when it fails, so would the cross-check,
    # which is the costly part and is skipped.
    if last.score == 0:
        return None
    if first_names and person.first_names:
        verdict = compare_persons(PersonRef(surname, first_names),
                                  PersonRef(person.last_name, person.first_names,
                                            usage_name=person.usage_name))
        # A swapped reading is the other cut of the query, tried on its own.
        if verdict.kind is MatchKind.SAME and "first and last names swapped" not in verdict.reasons:
            return (AGREEING_FLOOR + (1 - AGREEING_FLOOR) * verdict.name_score / 100,
                    _french_reasons(verdict.reasons))
    if not first_names:
        return SURNAME_ONLY_FACTOR * last.score, (*last.reasons, "prénom non précisé")
    first = _first_names_part(_fold(first_names).split(), list(parts.first_tokens))
    score = LAST_NAME_SHARE * last.score + (1 - LAST_NAME_SHARE) * first.score
    return min(LENIENT_CAP, score), (*last.reasons, *first.reasons)


def _french_reasons(reasons: tuple[str, ...]) -> tuple[str, ...]:
    """compare_persons' reasons in French; slips become "faute de lecture", unknown ones go."""
    out: list[str] = []
    for reason in reasons:
        if "OCR slip" in reason:
            out.append("nom proche (faute de lecture)" if "last name" in reason
                       else "prénom proche (faute de lecture)")
        elif reason in _REASONS_FR:
            out.append(_REASONS_FR[reason])
    return tuple(dict.fromkeys(out))


def _surname_part(query: tuple[str, ...], surname: tuple[str, ...],
                  prefix: tuple[str, ...]) -> _Part:
    """How close the query's surname words are to one of the person's surnames."""
    if not query or not surname:
        return _Part(0.0, ())
    best = _Part(0.0, ())
    for a, dropped_a in _variants(query).items():
        for b, dropped_b in _variants(surname).items():
            word = _word_part(a, b, "nom")
            score = word.score
            reasons = word.reasons
            if score == IDENTICAL and dropped_a + dropped_b:
                score, reasons = PARTICLE_DROPPED, ("nom identique", "particule ignorée")
            if score > best.score:
                best = _Part(score, (*prefix, *reasons))
    return best


def _word_part(a: str, b: str, what: str) -> _Part:
    """Two folded words (or spaceless surnames) -> similarity tier and reason."""
    if a == b:
        return _Part(IDENTICAL, (f"{what} identique",))
    if count_slips(a, b) is not None:
        return _Part(OCR_SLIP, (f"{what} proche (faute de lecture)",))
    if a.startswith(b) or b.startswith(a) or a.endswith(b) or b.endswith(a):
        return _Part(0.0, ())  # MARTIN/MARTINE, Jean/Jeanne: other names, even if they rhyme
    if len(a) > 1 and len(b) > 1 and soundex2(a) == soundex2(b):
        return _Part(SOUNDS_ALIKE, (f"{what} de même prononciation",))
    if fuzz.ratio(a, b) >= CLOSE_RATIO:
        return _Part(CLOSE, (f"{what} approchant",))
    return _Part(0.0, ())


def _first_names_part(query: list[str], person: list[str]) -> _Part:
    """The query's first-name words against the person's, any order, word by word."""
    query = [w for w in query if w not in PARTICLES or w in person]
    if not person:
        return _Part(NO_FIRST_NAMES_IN_DOCUMENT, ("prénom absent du document",))
    if not query:
        return _Part(NO_FIRST_NAMES_IN_DOCUMENT, ())
    scores: list[float] = []
    positions: list[int] = []
    reasons: list[str] = []
    for word in query:
        best, at = 0.0, -1
        why: tuple[str, ...] = ()
        for j, other in enumerate(person):
            if j in positions:
                continue
            part = _word_part(word, other, "prénom")
            if part.score > best:
                best, at, why = part.score, j, part.reasons
        if best == 0:
            return _Part(0.0, ("prénom différent",))
        scores.append(best)
        positions.append(at)
        reasons.extend(r for r in why if r != "prénom identique")
    if positions != sorted(positions):
        reasons.append("prénoms dans un autre ordre")
    share = 1.0
    if len(query) < len(person):
        reasons.append("prénoms en partie seulement")
        share = PARTIAL_FIRST_NAMES_FACTOR
    if not reasons:
        reasons.append("prénoms identiques")
    return _Part(share * sum(scores) / len(scores), tuple(dict.fromkeys(reasons)))
