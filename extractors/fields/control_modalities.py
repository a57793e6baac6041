"""The modalities of an owner's control (CMF R.561-1, C. com. L.233-3), as a set of codes.

Codes (OwnerFacts.modalities):
    capital                  holds capital (a percentage of it, or a ticked capital option)
    voting_rights            holds voting rights
    other_means_of_control   controls by other means (R.561-1; L.233-3 I 3° and 4°)
    legal_representative     owner by default, as the legal representative (R.561-1 a-d)
    direct, indirect         how the capital or votes are held
    full_ownership           pleine propriété
    bare_ownership           nue-propriété
    usufruct                 usufruit
    joint_ownership          indivision
    via_legal_persons        through interposed legal persons (« via des personnes morales »)
    right_to_become_holder   « vocation à devenir titulaire » of shares or votes
    decision_power_ag        decides in the general meeting (« pouvoir de décision en AG »)
    appoint_dismiss_board    appoints or dismisses most of the board (« nommer ou révoquer »)

Where they come from: every percentage held (`control_holdings`) gives its measure and parts;
then the phrases of the statements, each with a polarity: a "Oui"/"Non" after it (RNE
listings), the checkbox opening its option ("☒ directe", "[ ] indirecte"), a negation before
it ("aucune", "sans"). In a form with checkboxes, an option that is not ticked is not a
modality: a DBE-S-1 prints every option, ticked or not. In prose (greffe extracts), a phrase
is a modality unless something says no.

Percentages are computed from the figures, never from the booleans alone (DOMAIN.md 2.2: RNE
data migrated from the old register has "detentionPartDirecte": false next to a 33.33 %).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractors.fields.control_holdings import (
    CAPITAL,
    VOTES,
    ConflictingFigures,
    Holding,
    find_holdings,
    measures_named,
    total_percent,
)
from extractors.french.folding import fold_text

if TYPE_CHECKING:
    from collections.abc import Sequence

MODALITY_CODES = frozenset({
    "capital", "voting_rights", "other_means_of_control", "legal_representative", "direct",
    "indirect", "full_ownership", "bare_ownership", "usufruct", "joint_ownership",
    "via_legal_persons", "right_to_become_holder", "decision_power_ag", "appoint_dismiss_board",
})  # fmt: skip

_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("right_to_become_holder", re.compile(r"vocation a devenir titulaire")),
    ("decision_power_ag", re.compile(
        r"pouvoir de decision|decisions? (?:prises? )?(?:en|dans les) assemblees? generales?"
        r"|determine en fait les decisions"
    )),
    ("appoint_dismiss_board", re.compile(
        r"nommer ou (?:de )?revoquer|nomination (?:et|ou) (?:de )?(?:la )?revocation"
        r"|revoquer la majorite"
    )),
    ("other_means_of_control", re.compile(
        r"autres? moyens? de controle|tout autre moyen|pouvoir de controle"
    )),
    ("legal_representative", re.compile(r"representant(?:e)?s? lega(?:l|ux|le)s?")),
    ("full_ownership", re.compile(r"pleine?s?[ -]propriete")),
    ("bare_ownership", re.compile(r"nue?s?[ -]propriete")),
    ("usufruct", re.compile(r"usufruit")),
    ("joint_ownership", re.compile(r"indivision")),
    ("via_legal_persons", re.compile(
        r"personnes? morales? interposee|par l'intermediaire d(?:e|'une?) (?:personnes? morales?"
        r"|societes?|holding)|(?<![a-z])via (?!(?:une |l')?indivision)"
    )),
    ("direct", re.compile(r"(?<![a-z])(?:directe?s?|directement)(?![a-z])")),
    ("indirect", re.compile(r"(?<![a-z])(?:indirecte?s?|indirectement)(?![a-z])")),
    ("capital", re.compile(r"(?<![a-z])capital(?![a-z])")),
    ("voting_rights", re.compile(r"droits? de vote")),
)  # fmt: skip
_HOLDING_CODES = frozenset({
    "direct", "indirect", "full_ownership", "bare_ownership", "usufruct", "joint_ownership",
    "via_legal_persons", "capital", "voting_rights",
})  # fmt: skip
_MARK = re.compile(r"\[(?P<state>[x ])\]")
# A yes/no answer after a phrase, before the next phrase of the line ("Représentant légal  Non").
_ANSWER = re.compile(
    r"(?<![a-z])(?:(?P<yes>oui|vrai|true)|non|faux|false|neant)(?![a-z])"
    r"|(?<![\d,.])0(?:[.,]0+)?\s?%"
)
_NEGATION = re.compile(r"(?<![a-z])(?:aucune?|sans|pas|ni)\s+(?:[\w']+\s+){0,2}$")
_DIGIT = re.compile(r"\d")
_CIVILITY = re.compile(r"\s*(?:m|mr|mme|mlle|monsieur|madame)(?![a-z])")
_OPTION_CHARS = 60
_SEGMENT_BREAK = re.compile(r"[|;]")
_GLYPHS = str.maketrans({"☒": "[x]", "☑": "[x]", "■": "[x]", "☐": "[ ]", "□": "[ ]"})


@dataclass(frozen=True, slots=True)
class Statement:
    """One control statement of an owner: label and value as printed, boxes as "[x]"/"[ ]"."""

    text: str
    percent_label: bool = False  # the label says the value is a percentage ("% du capital")


@dataclass(frozen=True, slots=True)
class Control:
    """An owner's holdings and modalities of control."""

    capital_pct: float | None
    voting_pct: float | None
    modalities: frozenset[str]
    capital_source: str | None = None  # the statement the capital figure was read from
    voting_source: str | None = None
    conflicts: tuple[str, ...] = ()  # measures given two different figures ("capital")
    unreadable: tuple[str, ...] = ()  # measures whose labelled figure could not be read


def read_control(statements: Sequence[Statement], *, is_form: bool) -> Control:
    """An owner's control statements -> percentages (direct + indirect) and modality codes.

    `is_form`: the document ticks options in boxes, so an unticked option is not a modality.
    """
    holdings: list[Holding] = []
    unreadable: set[str] = set()
    for statement in statements:
        found = find_holdings(statement.text, percent_label=statement.percent_label)
        holdings += found
        if statement.percent_label and not found and _DIGIT.search(statement.text):
            unreadable |= measures_named(statement.text)
    conflicts: list[str] = []
    totals: dict[str, float | None] = {}
    for dim in (CAPITAL, VOTES):
        try:
            totals[dim] = total_percent(holdings, dim)
        except ConflictingFigures:
            totals[dim], conflicts = None, [*conflicts, dim]
    codes = _codes_from_holdings(holdings)
    for statement in statements:
        codes |= find_modalities(statement.text, is_form=is_form)
    return Control(
        capital_pct=totals[CAPITAL],
        voting_pct=totals[VOTES],
        modalities=frozenset(codes),
        capital_source=_source(holdings, CAPITAL),
        voting_source=_source(holdings, VOTES),
        conflicts=tuple(conflicts),
        unreadable=tuple(sorted(d for d in unreadable if totals[d] is None)),
    )


def has_ticked_options(text: str) -> bool:
    """Whether a statement opens an option with a box ("☒ directe", "[ ] Mme"): the document
    is then a form, whose unticked options are not modalities."""
    folded = fold_text(text.translate(_GLYPHS))
    for box in _MARK.finditer(folded):
        option = folded[box.end() : box.end() + _OPTION_CHARS]
        if _CIVILITY.match(option) or any(p.match(option.lstrip(" abcdefgh)")) or
                                           p.search(option[:20]) for _, p in _PHRASES):
            return True
    return False


def _source(holdings: Sequence[Holding], dim: str) -> str | None:
    """The first statement holding a figure for `dim` (for provenance)."""
    return next((h.text for h in holdings if dim in h.dims and not h.is_vocation), None)


def _codes_from_holdings(holdings: Sequence[Holding]) -> set[str]:
    """Modality codes the percentages held imply (a 0 % figure implies none)."""
    codes: set[str] = set()
    for h in holdings:
        if h.value <= 0:
            continue
        if h.is_vocation:
            codes.add("right_to_become_holder")
            continue
        codes |= set(h.dims)
        codes |= {c for c in (h.channel, h.via, h.kind) if c is not None}
    return codes


def find_modalities(text: str, *, is_form: bool) -> set[str]:
    """A statement -> the modality codes its phrases assert (see the module docstring)."""
    folded = fold_text(text.translate(_GLYPHS))
    hits = sorted(
        (m.start(), m.end(), code) for code, pattern in _PHRASES for m in pattern.finditer(folded)
    )
    hits = [h for i, h in enumerate(hits) if not any(o[0] < h[0] < o[1] for o in hits[:i])]
    asserted = [(folded.count(";", 0, h[0]), h[2]) for i, h in enumerate(hits)
                if _is_asserted(folded, hits, i, is_form=is_form)]  # fmt: skip
    # "Vocation à devenir titulaire de parts directes en pleine propriété": the parts are
    # the ones the person may get, not holdings.
    vocation_lines = {line for line, code in asserted if code == "right_to_become_holder"}
    codes = {code for line, code in asserted
             if line not in vocation_lines or code not in _HOLDING_CODES}  # fmt: skip
    if is_form and codes & {"direct", "indirect"}:
        # "☒ directe ☐ indirecte de plus de 25 % du capital": the ticked line is about capital.
        codes |= {c for _, _, c in hits if c in ("capital", "voting_rights")}
    return codes


def _is_asserted(
    folded: str, hits: Sequence[tuple[int, int, str]], index: int, *, is_form: bool
) -> bool:
    """Whether the phrase hits[index] is said to hold (see the module docstring)."""
    start, end, _ = hits[index]
    line_end = folded.find(";", end)
    line_end = len(folded) if line_end < 0 else line_end
    following = [h[0] for h in hits[index + 1 :] if h[0] < line_end]
    after = folded[end : following[0] if following else line_end]
    answer = _ANSWER.search(after)
    if answer:
        return answer.group("yes") is not None
    if not following:
        box = _MARK.search(after)  # a box in a value column: "Représentant légal  ☒"
        if box:
            return box.group("state") == "x"
    previous_end = hits[index - 1][1] if index else 0
    mark = _mark_before(folded, start, previous_end)
    if mark is not None:
        return mark
    if _NEGATION.search(folded[max(previous_end, start - 30) : start]):
        return False
    return not is_form


def _mark_before(folded: str, start: int, previous_end: int) -> bool | None:
    """The box opening the phrase's option: the last one before it, with no other phrase and
    no cell break between; None when there is none."""
    window = _SEGMENT_BREAK.split(folded[previous_end:start])[-1]
    marks = list(_MARK.finditer(window))
    if not marks:
        return None
    return marks[-1].group("state") == "x"
