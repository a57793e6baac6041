"""Whether two records name the same natural person, and pairing two lists of persons.

Used by the cross-check (`kanta-docs check`) between declared data, register extracts, statuts
and identity documents. The rule is the contract's (../shared/CONTRACT.md, `check`, last
paragraph): the names agree once accents, case, hyphens, particles and the order of first names
are set aside, allowing for OCR slips (alerts/names.py says which); the birth date, where both
sides have it, must agree for a match.

Decisions on the borderline cases:

- Last names: either record's usage name may stand for the other's last name, unless both
  records carry a usage name (then the birth names must agree: "DURAND ép. MARTIN" and
  "MARTIN ép. LEROY" are two women). Particles may be dropped and spaces ignored, so
  "de La Fontaine", "DE LA FONTAINE", "DELAFONTAINE" and "LAFONTAINE" agree; "FONTAINE" agrees
  with "de La Fontaine" (particle set aside) but not with "LAFONTAINE" (a glued particle cannot
  be told from a letter). A double-barrelled name does not agree with one of its halves.
- First names: the same words in any order agree, hyphens aside ("Jean-Pierre" = "Jean Pierre").
  One side may give only the leading first names of the other ("Jean" = "Jean Pierre Marie",
  "Pierre Jean" = "Jean Pierre Marie") but not a later one alone ("Pierre" != "Jean Pierre
  Marie") nor half of a hyphenated one ("Jean" != "Jean-Pierre": father and son).
- Missing first names on either side: the names do not agree (nothing tells a father from his
  son); with agreeing birth dates this is reported as a near miss.
- Fields swapped ("Jean" typed as last name, "DUPONT" as first name) or the whole name typed in
  one field agree only when the words are equal after folding, without OCR slips.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from itertools import permutations
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from alerts.names import PARTICLES, NameParts, count_slips, parse_name_parts, surname_variants

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

NEARLY_AGREES_SCORE = 80.0  # rapidfuzz ratio (0-100) from which differing names "nearly agree"
LAST_NAME_WEIGHT = 0.6  # share of the last name in `PersonMatch.name_score`
PARTICLE_PENALTY = 2.0  # score points per particle set aside
PARTIAL_FIRST_NAMES_PENALTY = 5.0  # score points when one side gives fewer first names
REORDER_PENALTY = 2.0  # score points when the first names come in another order
MAX_FIRST_NAME_WORDS = 7  # more first-name words are matched greedily, not exhaustively


@dataclass(frozen=True, slots=True)
class PersonRef:
    """A natural person as one record names them; any field may be unknown (None)."""

    last_name: str | None  # birth name as printed, any case/accents
    first_names: str | None  # space-separated, any order
    birth_date: date | None = None
    usage_name: str | None = None  # "épouse X", nom d'usage, when known


class MatchKind(StrEnum):
    """How two person records relate."""

    SAME = "same"  # names agree; birth dates agree or at least one is unknown
    NAMESAKE = "namesake"  # names agree, both birth dates known and different
    NONE = "none"  # names do not agree


@dataclass(frozen=True, slots=True)
class PersonMatch:
    """The verdict on two person records, with what it rests on."""

    kind: MatchKind
    name_score: float  # 0-100; 100 for names equal after folding
    birth_date_agrees: bool | None  # None when one side lacks it
    reasons: tuple[str, ...]  # short English explanations, last name first
    # kind is NONE, both birth dates are known and equal, and the names only nearly agree (last
    # names close but not within the OCR allowance, close first names, or first names missing):
    # the caller may report an identity mismatch rather than two unrelated persons.
    near_miss: bool = False


@dataclass(frozen=True, slots=True)
class _PartVerdict:
    """How one part of two names (last name, or first names) compares."""

    agrees: bool
    nearly: bool  # close without agreeing (only meaningful when not `agrees`)
    score: float  # 0-100
    reasons: tuple[str, ...]
    rank: tuple[int, int] = (0, 0)  # (slips, particles): lower is a better agreement


def compare_persons(a: PersonRef, b: PersonRef) -> PersonMatch:
    """Two person records -> SAME, NAMESAKE or NONE, with a name score and the reasons."""
    names = _compare_names(_parts(a), _parts(b))
    if a.birth_date is None or b.birth_date is None:
        birth_date_agrees: bool | None = None
        date_reason = "birth date missing on one side"
    else:
        birth_date_agrees = a.birth_date == b.birth_date
        date_reason = "birth date equal" if birth_date_agrees else "birth dates differ"
    if not names.agrees:
        kind = MatchKind.NONE
    else:
        kind = MatchKind.NAMESAKE if birth_date_agrees is False else MatchKind.SAME
    near_miss = kind is MatchKind.NONE and names.nearly and birth_date_agrees is True
    return PersonMatch(kind=kind, name_score=round(names.score, 1),
                       birth_date_agrees=birth_date_agrees,
                       reasons=(*names.reasons, date_reason), near_miss=near_miss)


def pair_persons(left: Sequence[PersonRef], right: Sequence[PersonRef],
                 ) -> list[tuple[int | None, int | None, PersonMatch | None]]:
    """One-to-one pairing maximising matches: SAME pairs first (best score first), then NAMESAKE
    pairs among what is left, then near misses (equal birth dates, names one OCR slip too far
    apart: the match's kind stays NONE, `near_miss` True); every index of left and right appears
    exactly once (unpaired as (i, None, None) or (None, j, None)).

    Within each round the number of pairs is maximised first, then their total name score, so
    a person matching two others never takes the one a third person needed. Rows come in the
    order of `left`, then the unpaired indices of `right` in order.
    """
    matches = [[compare_persons(a, b) for b in right] for a in left]
    paired: dict[int, tuple[int, PersonMatch]] = {}
    for kind, near in ((MatchKind.SAME, False), (MatchKind.NAMESAKE, False),
                       (MatchKind.NONE, True)):
        free_left = [i for i in range(len(left)) if i not in paired]
        taken = {j for j, _ in paired.values()}
        free_right = [j for j in range(len(right)) if j not in taken]
        scores = [[matches[i][j].name_score
                   if matches[i][j].kind is kind and matches[i][j].near_miss is near else None
                   for j in free_right] for i in free_left]
        for row, col in _best_assignment(scores):
            i, j = free_left[row], free_right[col]
            paired[i] = (j, matches[i][j])
    rows: list[tuple[int | None, int | None, PersonMatch | None]] = []
    for i in range(len(left)):
        if i in paired:
            rows.append((i, *paired[i]))
        else:
            rows.append((i, None, None))
    taken = {j for j, _ in paired.values()}
    rows.extend((None, j, None) for j in range(len(right)) if j not in taken)
    return rows


def person_key(p: PersonRef) -> str:
    """A stable normalised key (folded last name + sorted folded first names + birth date) used to
    deduplicate alerts about the same person across runs.

    Shape "lastname|first names|YYYY-MM-DD": the birth name without spaces or particles (the
    usage name when no birth name is known), first-name words sorted, an empty date when unknown.
    """
    parts = _parts(p)
    surname = parts.birth or parts.usage
    last = "".join(t for t in surname if t not in PARTICLES) or "".join(surname)
    first = " ".join(sorted(parts.first_tokens))
    born = p.birth_date.isoformat() if p.birth_date else ""
    return f"{last}|{first}|{born}"


def _parts(p: PersonRef) -> NameParts:
    """A record's name fields, folded and split."""
    return parse_name_parts(p.last_name, p.first_names, p.usage_name)


def _compare_names(a: NameParts, b: NameParts) -> _PartVerdict:
    """Two folded names -> whether they agree, with the score and reasons.

    Tried in turn: the fields as given; then, without OCR slips, one side's fields swapped or
    its whole name typed in one field.
    """
    last = _compare_last_names(a, b)
    first = _compare_first_names(a.first_units, b.first_units, allow_slips=True)
    score = LAST_NAME_WEIGHT * last.score + (1 - LAST_NAME_WEIGHT) * first.score
    if last.agrees and first.agrees:
        return _PartVerdict(True, False, score, (*last.reasons, *first.reasons))
    for x, y in ((a, b), (b, a)):
        for fixed, why in ((_swapped(x), "first and last names swapped"),
                           (_unmerged(x, y.birth), "full name typed in one field")):
            if fixed is None:
                continue
            exact_last = _compare_surnames(fixed.birth, y.birth, allow_slips=False)
            exact_first = _compare_first_names(fixed.first_units, y.first_units,
                                               allow_slips=False)
            if exact_last.agrees and exact_first.agrees:
                fixed_score = (LAST_NAME_WEIGHT * exact_last.score
                               + (1 - LAST_NAME_WEIGHT) * exact_first.score)
                return _PartVerdict(True, False, fixed_score,
                                    (why, *exact_last.reasons, *exact_first.reasons))
    nearly = (last.agrees and first.nearly) or (last.nearly and first.agrees)
    return _PartVerdict(False, nearly, score, (*last.reasons, *first.reasons))


def _compare_last_names(a: NameParts, b: NameParts) -> _PartVerdict:
    """The best agreement between the birth names, or a usage name and the other's last name.

    A usage name stands for the other side's last name only when that side has no usage name
    of its own (its last name may then be a usage name typed as such).
    """
    verdicts = [_compare_surnames(a.birth, b.birth, allow_slips=True)]
    candidates: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    if a.usage and not b.usage:
        candidates.append((a.usage, b.birth))
    if b.usage and not a.usage:
        candidates.append((a.birth, b.usage))
    if a.usage and b.usage and not (a.birth and b.birth):
        candidates.append((a.usage, b.usage))
    for x, y in candidates:
        verdict = _compare_surnames(x, y, allow_slips=True)
        verdicts.append(_PartVerdict(verdict.agrees, verdict.nearly, verdict.score,
                                     ("usage name used", *verdict.reasons), verdict.rank))
    agreeing = [v for v in verdicts if v.agrees]
    if agreeing:
        return min(agreeing, key=lambda v: v.rank)  # first (birth names) wins ties
    return max(verdicts, key=lambda v: v.score)


def _compare_surnames(a: tuple[str, ...], b: tuple[str, ...], *,
                      allow_slips: bool) -> _PartVerdict:
    """Two surnames' words -> agreement, spaces and particles set aside, OCR slips allowed."""
    if not a or not b:
        return _PartVerdict(False, False, 0.0, ("last name missing",))
    best: tuple[int, int, float] | None = None  # slips, particles, -ratio
    closest = 0.0
    for spelling_a, dropped_a in surname_variants(a).items():
        for spelling_b, dropped_b in surname_variants(b).items():
            ratio = fuzz.ratio(spelling_a, spelling_b)
            closest = max(closest, ratio)
            slips = count_slips(spelling_a, spelling_b)
            if slips is None or (slips and not allow_slips):
                continue
            candidate = (slips, dropped_a + dropped_b, -ratio)
            if best is None or candidate < best:
                best = candidate
    if best is None:
        return _PartVerdict(False, closest >= NEARLY_AGREES_SCORE, closest, ("last names differ",))
    slips, particles, neg_ratio = best
    reasons: list[str] = []
    if particles:
        reasons.append("particles set aside in last name")
    if slips:
        reasons.append(f"{slips} OCR slip{'s' if slips > 1 else ''} in last name")
    if not reasons:
        reasons.append("last name equal after folding")
    score = max(0.0, -neg_ratio - PARTICLE_PENALTY * particles)
    return _PartVerdict(True, False, score, tuple(reasons), (slips, particles))


def _compare_first_names(a: tuple[tuple[str, ...], ...], b: tuple[tuple[str, ...], ...], *,
                         allow_slips: bool) -> _PartVerdict:
    """Two lists of first names (by unit) -> agreement, order and hyphens set aside.

    The side with fewer words must match, word for word, whole first names of the other that
    include its leading ones (see the module docstring).
    """
    if not a or not b:
        return _PartVerdict(False, True, 0.0, ("first names missing on one side",))
    words_a, words_b = [t for unit in a for t in unit], [t for unit in b for t in unit]
    if words_a != words_b and "".join(words_a) == "".join(words_b):
        # "Marie-Christ ine": a word cut by a table cell's wrap or an OCR space.
        return _PartVerdict(True, False, 100.0, ("first names equal once spaces set aside",))
    short, long = (a, b) if _count_words(a) <= _count_words(b) else (b, a)
    short_words = [t for unit in short for t in unit]
    long_words = [t for unit in long for t in unit]
    unit_of = [u for u, unit in enumerate(long) for _ in unit]
    slips = [[count_slips(s, t) for t in long_words] for s in short_words]
    best: tuple[int, tuple[int, ...]] | None = None
    for chosen in _injections(slips, len(long_words)):
        pair_slips = [slips[k][j] for k, j in enumerate(chosen)]
        if any(s is None or (s and not allow_slips) for s in pair_slips):
            continue
        if not _covers_leading_units(chosen, unit_of):
            continue
        candidate = (sum(s or 0 for s in pair_slips), chosen)
        if best is None or candidate < best:
            best = candidate
    if best is None:
        leading = fuzz.ratio(" ".join(a[0]), " ".join(b[0]))
        score = fuzz.token_sort_ratio(" ".join(short_words), " ".join(long_words))
        return _PartVerdict(False, leading >= NEARLY_AGREES_SCORE, score,
                            ("first names differ",))
    total_slips, chosen = best
    return _first_names_verdict(short, long, short_words, long_words, total_slips, chosen)


def _first_names_verdict(short: tuple[tuple[str, ...], ...], long: tuple[tuple[str, ...], ...],
                         short_words: list[str], long_words: list[str], total_slips: int,
                         chosen: tuple[int, ...]) -> _PartVerdict:
    """The reasons and score of agreeing first names, `chosen[k]` the long side's word for the
    short side's k-th word."""
    reasons: list[str] = []
    is_reordered = list(chosen) != sorted(chosen)
    is_partial = len(short_words) < len(long_words)
    if is_reordered:
        reasons.append("first names reordered")
    if _unit_sizes(short) != _unit_sizes_of(long, chosen):
        reasons.append("compound first names split")
    if is_partial:
        reasons.append("only the leading first names on one side")
    if total_slips:
        reasons.append(f"{total_slips} OCR slip{'s' if total_slips > 1 else ''} in first names")
    if not reasons:
        reasons.append("first names equal after folding")
    matched = " ".join(long_words[j] for j in chosen)
    score = (fuzz.ratio(" ".join(short_words), matched)
             - PARTIAL_FIRST_NAMES_PENALTY * is_partial - REORDER_PENALTY * is_reordered)
    return _PartVerdict(True, False, max(0.0, score), tuple(reasons), (total_slips, 0))


def _count_words(units: tuple[tuple[str, ...], ...]) -> int:
    """How many words some first names have."""
    return sum(len(unit) for unit in units)


def _unit_sizes(units: tuple[tuple[str, ...], ...]) -> list[int]:
    """Words per first name, sorted: the shape hyphenation gives the names."""
    return sorted(len(unit) for unit in units)


def _unit_sizes_of(units: tuple[tuple[str, ...], ...], chosen: tuple[int, ...]) -> list[int]:
    """Words per first name among the units `chosen` word indices fall in, sorted."""
    unit_of = [u for u, unit in enumerate(units) for _ in unit]
    covered = {unit_of[j] for j in chosen}
    return sorted(len(units[u]) for u in covered)


def _covers_leading_units(chosen: tuple[int, ...], unit_of: list[int]) -> bool:
    """Whether the chosen words make up whole first names, and the leading ones.

    "Jean" may stand for "Jean Pierre Marie" but not for "Jean-Pierre" (half a first name) nor
    "Pierre" for "Jean Pierre" (not the leading one).
    """
    covered = {unit_of[j] for j in chosen}
    if covered != set(range(len(covered))):
        return False
    words_in_covered = sum(1 for u in unit_of if u in covered)
    return words_in_covered == len(chosen)


def _injections(slips: list[list[int | None]], n_long: int) -> list[tuple[int, ...]]:
    """Candidate assignments of the short side's words to distinct long-side words.

    Exhaustive up to MAX_FIRST_NAME_WORDS long-side words; beyond, one greedy assignment
    (exact matches first), which is enough for real names.
    """
    n_short = len(slips)
    if n_long <= MAX_FIRST_NAME_WORDS:
        return list(permutations(range(n_long), n_short))
    chosen: list[int] = []
    for row in slips:
        options = sorted((s, j) for j, s in enumerate(row) if s is not None and j not in chosen)
        if not options:
            return []
        chosen.append(options[0][1])
    return [tuple(chosen)]


def _swapped(p: NameParts) -> NameParts | None:
    """A name with its last and first names exchanged, or None when that makes no sense."""
    if not p.birth or not p.first_units or p.usage:
        return None
    return NameParts(birth=p.first_tokens, usage=(), first_units=tuple((t,) for t in p.birth))


def _unmerged(p: NameParts, other_last: tuple[str, ...]) -> NameParts | None:
    """A name typed whole in one field, split around `other_last` found at its start or end.

    None when one field is not empty or the other's last name is not a run of its words.
    """
    if p.birth and p.first_units:
        return None
    words = p.birth or p.first_tokens
    n = len(other_last)
    if not other_last or len(words) <= n:
        return None
    if words[:n] == other_last:
        rest = words[n:]
    elif words[-n:] == other_last:
        rest = words[:-n]
    else:
        return None
    return NameParts(birth=other_last, usage=p.usage, first_units=tuple((t,) for t in rest))


def _best_assignment(scores: list[list[float | None]]) -> list[tuple[int, int]]:
    """(row, column) pairs of a matrix of optional scores: as many pairs as possible, then the
    highest total score; None marks a pair that may not be made."""
    n_rows = len(scores)
    n_cols = len(scores[0]) if scores else 0
    if not n_rows or not n_cols:
        return []
    # Integer weights: a pair is worth more than any total of score differences, so the count
    # of pairs comes first. Scores are kept to one decimal (x 10).
    pair_worth = 1000 * (min(n_rows, n_cols) + 1)
    weights = [[0 if s is None else pair_worth + round(s * 10) for s in row] for row in scores]
    is_transposed = n_rows > n_cols
    if is_transposed:
        weights = [list(col) for col in zip(*weights, strict=True)]
    columns = _hungarian_max(weights)
    pairs = [(r, c) for r, c in enumerate(columns) if weights[r][c] > 0]
    return sorted((c, r) for r, c in pairs) if is_transposed else pairs


def _hungarian_max(weights: list[list[int]]) -> list[int]:
    """A maximum-weight assignment of every row to a distinct column (rows <= columns).

    The Hungarian algorithm with potentials (Kuhn-Munkres, O(rows^2 x columns)) on costs that
    are the negated weights; returns the column of each row.
    """
    n, m = len(weights), len(weights[0])
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j]: the row (1-based) holding column j; 0 for none
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        min_reduced = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = owner[j0], inf, 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                reduced = -weights[i0 - 1][j - 1] - u[i0] - v[j]
                if reduced < min_reduced[j]:
                    min_reduced[j], way[j] = reduced, j0
                if min_reduced[j] < delta:
                    delta, j1 = min_reduced[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    min_reduced[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    columns = [0] * n
    for j in range(1, m + 1):
        if owner[j]:
            columns[owner[j] - 1] = j - 1
    return columns
