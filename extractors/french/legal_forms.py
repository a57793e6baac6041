"""Legal forms as written in French documents -> the usual abbreviation (SAS, SARL, EURL, ...).

Rules:
- A single-associate company is named by its single-associate form: "Société à responsabilité
  limitée (Société à associé unique)", "SARL à associé unique", "SARL unipersonnelle" -> EURL
  (C. com. L.223-1 al. 2: a SARL with one associate is an "entreprise unipersonnelle à
  responsabilité limitée"); likewise SAS -> SASU, SELAS -> SELASU, SELARL -> SELARLU. Use
  `base_legal_form` to compare across the two (an EURL that gains an associate becomes a
  SARL without changing its statuts' form clause).
- Governance and capital clauses do not change the form: "SA à conseil d'administration",
  "SA à directoire", "SAS à capital variable" -> SA, SA, SAS.
- Associations -> "ASSOCIATION"; entrepreneur individuel, micro/auto-entrepreneur -> "EI".
- A text naming two different forms ("SARL transformée en SAS") -> None; a form and its own
  single-associate variant ("SASU (société par actions simplifiée)") -> the variant.
"""

from __future__ import annotations

import re

from extractors.french.folding import fold_text

_UNIQUE = r"(?:\s*[,(\-]?\s*(?:societe\s+)?(?:a\s+associe\s+unique|unipersonnelle)\s*\)?)"
_SOCIETE = r"(?:societe|ste)\s+"

# (pattern on folded text, form, single-associate form or None), most specific first.
_LONG_FORMS: tuple[tuple[str, str, str | None], ...] = (
    (rf"{_SOCIETE}d'exercice\s+liberal\s+a\s+forme\s+anonyme", "SELAFA", None),
    (rf"{_SOCIETE}d'exercice\s+liberal\s+en\s+commandite\s+par\s+actions", "SELCA", None),
    (rf"{_SOCIETE}d'exercice\s+liberal\s+par\s+actions\s+simplifiee", "SELAS", "SELASU"),
    (rf"{_SOCIETE}d'exercice\s+liberal\s+a\s+responsabilite\s+limitee", "SELARL", "SELARLU"),
    (r"entreprise\s+unipersonnelle\s+a\s+responsabilite\s+limitee", "EURL", None),
    (r"entrepreneur\s+individuel\s+a\s+responsabilite\s+limitee", "EIRL", None),
    (rf"{_SOCIETE}par\s+actions\s+simplifiee", "SAS", "SASU"),
    (rf"{_SOCIETE}a\s+responsabilite\s+limitee", "SARL", "EURL"),
    (rf"{_SOCIETE}en\s+commandite\s+par\s+actions", "SCA", None),
    (rf"{_SOCIETE}en\s+commandite\s+simple", "SCS", None),
    (rf"{_SOCIETE}en\s+nom\s+collectif", "SNC", None),
    (rf"{_SOCIETE}europeenne", "SE", None),
    (rf"{_SOCIETE}anonyme", "SA", None),
    (rf"{_SOCIETE}civile\s+(?:immobiliere\s+)?de\s+construction[\s-]+vente", "SCCV", None),
    (rf"{_SOCIETE}civile\s+immobiliere", "SCI", None),
    (rf"{_SOCIETE}civile\s+professionnelle", "SCP", None),
    (rf"{_SOCIETE}civile\s+de\s+moyens", "SCM", None),
    (rf"{_SOCIETE}civile\s+d'exploitation\s+agricole", "SCEA", None),
    (rf"{_SOCIETE}cooperative\s+d'interet\s+collectif", "SCIC", None),
    (
        rf"{_SOCIETE}cooperative\s+(?:ouvriere\s+)?(?:de\s+production|et\s+participative)",
        "SCOP",
        None,
    ),  # fmt: skip
    (rf"{_SOCIETE}civile", "SC", None),
    (r"groupement\s+agricole\s+d'exploitation\s+en\s+commun", "GAEC", None),
    (r"groupement\s+europeen\s+d'interet\s+economique", "GEIE", None),
    (r"groupement\s+d'interet\s+economique", "GIE", None),
    (r"association", "ASSOCIATION", None),
    (
        r"entrepreneur\s+individuel|entreprise\s+individuelle|(?:micro|auto)[\s-]?entrepr\w*",
        "EI",
        None,
    ),  # fmt: skip
)
_LONG = re.compile(
    "|".join(
        rf"(?P<f{i}>(?<![a-z]){p}(?![a-z]){_UNIQUE}?)" for i, (p, _, _) in enumerate(_LONG_FORMS)
    )
)
_IS_UNIQUE = re.compile(rf"{_UNIQUE}$")
_UNIQUE_AFTER = re.compile(_UNIQUE)

# Abbreviations, matched on the original text (upper case, dots optional: "S.A.R.L.").
_ABBREVIATIONS: dict[str, tuple[str, str | None]] = {
    "SAS": ("SAS", "SASU"), "SASU": ("SASU", None), "SARL": ("SARL", "EURL"),
    "SARLU": ("EURL", None), "EURL": ("EURL", None), "SA": ("SA", None), "SE": ("SE", None),
    "SNC": ("SNC", None), "SCS": ("SCS", None), "SCA": ("SCA", None), "SCI": ("SCI", None),
    "SCCV": ("SCCV", None), "SCP": ("SCP", None), "SCM": ("SCM", None), "SCEA": ("SCEA", None),
    "SC": ("SC", None), "SELARL": ("SELARL", "SELARLU"), "SELARLU": ("SELARLU", None),
    "SELURL": ("SELARLU", None), "SELAS": ("SELAS", "SELASU"), "SELASU": ("SELASU", None),
    "SELAFA": ("SELAFA", None), "SELCA": ("SELCA", None), "SCOP": ("SCOP", None),
    "SCIC": ("SCIC", None), "GIE": ("GIE", None), "GEIE": ("GEIE", None),
    "GAEC": ("GAEC", None), "EI": ("EI", None), "EIRL": ("EIRL", None),
}  # fmt: skip
_ABBREVIATION = re.compile(
    r"(?<![A-Za-z])(?:(?:[A-Z]\.){2,7}[A-Z]?|[A-Z]{2,7}|Sarl|Eurl|Sasu|Selarl|Selas)(?![A-Za-z])"
)

_WEAK = frozenset({"SA", "SE", "SC", "EI"})
_BASE_FORMS = {"SASU": "SAS", "EURL": "SARL", "SELASU": "SELAS", "SELARLU": "SELARL"}
# Civil companies by purpose: each is a kind of the form it maps to. A scan that garbles the
# purpose word (« Société civile inimobilière ») leaves the general form only.
_REFINED = {"SCI": "SC", "SCP": "SC", "SCM": "SC", "SCEA": "SC", "SCCV": "SCI"}

# INSEE "catégories juridiques" (niveau III) for forms that have exactly one code.
_INSEE_BY_FORM = {
    "EI": "1000", "SNC": "5202", "SCS": "5306", "SELARL": "5485", "EURL": "5498",
    "SARL": "5499", "SAS": "5710", "SASU": "5720", "SELAS": "5785", "SE": "5800",
    "GIE": "6220", "SCI": "6540", "SCCV": "6541",
}  # fmt: skip
_FORM_BY_INSEE = {
    **{code: form for form, code in _INSEE_BY_FORM.items()},
    "5599": "SA",  # SA à conseil d'administration (s.a.i.)
    "5699": "SA",  # SA à directoire (s.a.i.)
    "9210": "ASSOCIATION",  # association non déclarée
    "9220": "ASSOCIATION",  # association déclarée
    "9230": "ASSOCIATION",  # association déclarée reconnue d'utilité publique
    "9260": "ASSOCIATION",  # association de droit local (Alsace-Moselle)
}


def _forms_in(text: str) -> set[str]:
    """Every legal form named in the text, long or abbreviated."""
    folded = fold_text(text)
    forms: set[str] = set()
    for m in _LONG.finditer(folded):
        index = int(next(name for name, value in m.groupdict().items() if value)[1:])
        _, form, unique = _LONG_FORMS[index]
        forms.add(unique if unique and _IS_UNIQUE.search(m.group()) else form)
    weak: set[str] = set()
    for m in _ABBREVIATION.finditer(text):
        entry = _ABBREVIATIONS.get(m.group().replace(".", "").upper())
        if entry is None:
            continue
        form, unique = entry
        if unique and _UNIQUE_AFTER.match(folded, m.end()):
            form = unique
        (weak if m.group() in _WEAK else forms).add(form)
    # "SA", "SE" in capitals are also words ("LA SOCIETE SE RESERVE"): they count only alone.
    return forms or weak


def normalise_legal_form(text: str) -> str | None:
    """A legal form as written ("Société par actions simplifiée", "S.A.R.L.") -> "SAS", "SARL"...

    None when the text names no known form, or two different ones.
    """
    forms = _forms_in(text)
    if len(forms) == 2:
        a, b = sorted(forms)
        if _BASE_FORMS.get(a) == b or _BASE_FORMS.get(b) == a:
            return a if a in _BASE_FORMS else b
    return forms.pop() if len(forms) == 1 else None


def refines(form: str, general: str) -> bool:
    """Whether `form` is a kind of `general` (SCI of SC, SCCV of SCI and SC), not itself."""
    while form in _REFINED:
        form = _REFINED[form]
        if form == general:
            return True
    return False


def base_legal_form(form: str) -> str:
    """A form -> the form it is a single-associate variant of (EURL -> SARL), else itself."""
    return _BASE_FORMS.get(form, form)


def insee_category(form: str) -> str | None:
    """A form -> its INSEE catégorie juridique code ("SAS" -> "5710"); None if not one code."""
    return _INSEE_BY_FORM.get(form)


def legal_form_from_insee(code: str) -> str | None:
    """An INSEE catégorie juridique code ("5710") -> the form ("SAS"); None if not mapped."""
    return _FORM_BY_INSEE.get(code.strip())
