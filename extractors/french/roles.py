"""Officer role wording ("Présidente", "DG délégué", "Gérant - Associé unique") -> OfficerRole.

Decisions (the contract's roles are the legal representatives and controllers a dossier checks):
- "Président du conseil d'administration" -> president: the contract's roles name offices as
  printed, and firms declare the chair as their président. Who represents an SA is a rule of the
  alert stage (CMF R.561-1 b names the directeur général), which keeps `role_text` to decide.
  "Président-directeur général" / "PDG" -> directeur_general: one role per entry, and the DG
  capacity is the representative one.
- "Président du directoire" -> president: with the "directeur général unique" he represents an SA à
  directoire (R.561-1 c); "Membre du directoire" -> other.
- Supervisory board (conseil de surveillance) members and chairs -> other: they do not manage.
- Court or liquidation officers (liquidateur, administrateur judiciaire/provisoire, mandataire),
  "Représentant permanent" (the person acting for a legal-person officer), "Commissaire aux
  apports/à la fusion/à la transformation" (not the auditor), associés -> other.
- Wording that names no corporate office ("Directeur", "Dirigeant", "Représentant légal") -> None.
"""

from __future__ import annotations

import re

from extractors.french.folding import fold_text
from kanta_docs.vocab import OfficerRole

# (pattern on folded text, role), first match wins: specific wording before generic.
_RULES: tuple[tuple[str, OfficerRole], ...] = (
    (r"representant\s+permanent", OfficerRole.OTHER),
    (r"liquidat(?:eur|rice)", OfficerRole.OTHER),
    (r"administrat(?:eur|rice)\s+(?:judiciaire|provisoire|ad\s+hoc)", OfficerRole.OTHER),
    (r"mandataire|conciliat(?:eur|rice)|commissaire\s+a\s+l'execution", OfficerRole.OTHER),
    (
        r"commissaire\s+(?:aux\s+apports|a\s+la\s+fusion|a\s+la\s+transformation|aux\s+avantages)",
        OfficerRole.OTHER,
    ),  # fmt: skip
    (
        r"(?:co[\s-]?)?commissaires?\s+aux\s+comptes|(?<![a-z])c\.?a\.?c(?![a-z])"
        r"|controleur\s+legal",
        OfficerRole.COMMISSAIRE_AUX_COMPTES,
    ),  # fmt: skip
    (r"conseil\s+de\s+surveillance", OfficerRole.OTHER),
    (r"president(?:e)?\s+du\s+directoire", OfficerRole.PRESIDENT),
    (r"directoire", OfficerRole.OTHER),
    (
        r"vice[\s-]?president(?:e)?\s+(?:du\s+)?conseil\s+d'administration",
        OfficerRole.ADMINISTRATEUR,
    ),  # fmt: skip
    (
        r"president(?:e)?\s+(?:du\s+)?conseil\s+d'administration"
        r"|(?<![a-z])p\.?c\.?a(?![a-z])",
        OfficerRole.PRESIDENT,
    ),  # fmt: skip
    (
        r"president(?:e)?[\s-]+directeur|president(?:e)?[\s-]+directrice"
        r"|(?<![a-z])p\.?d\.?g(?![a-z])",
        OfficerRole.DIRECTEUR_GENERAL,
    ),  # fmt: skip
    (
        r"direct(?:eur|rice)s?\s+generale?s?\s+delegue|(?<![a-z])d\.?g\.?\s*(?:d(?![a-z])|delegue)",
        OfficerRole.DIRECTEUR_GENERAL_DELEGUE,
    ),  # fmt: skip
    (r"direct(?:eur|rice)s?\s+generale?s?\s+adjoint", OfficerRole.OTHER),
    (r"direct(?:eur|rice)s?\s+generale?s?|(?<![a-z])d\.?g(?![a-z])", OfficerRole.DIRECTEUR_GENERAL),
    (r"(?:co[\s-]?)?gerant", OfficerRole.GERANT),
    (
        r"administrat(?:eur|rice)|membre\s+du\s+conseil\s+d'administration",
        OfficerRole.ADMINISTRATEUR,
    ),  # fmt: skip
    (r"vice[\s-]?president|president(?:e)?\s+d'honneur", OfficerRole.OTHER),
    (r"president", OfficerRole.PRESIDENT),
    (r"associe|censeur|fonde\s+de\s+pouvoirs?|secretaire|tresorier", OfficerRole.OTHER),
)
_RULE = re.compile("|".join(rf"(?P<r{i}>(?<![a-z]){p})" for i, (p, _) in enumerate(_RULES)))


def parse_officer_role(text: str) -> OfficerRole | None:
    """Role wording as printed -> the contract's OfficerRole; None if it names no known office."""
    folded = fold_text(text)
    best: tuple[int, OfficerRole] | None = None
    for m in _RULE.finditer(folded):
        index = int(next(name for name, value in m.groupdict().items() if value)[1:])
        if best is None or index < best[0]:
            best = (index, _RULES[index][1])
    return best[1] if best else None
