"""Comparing companies as documents and firms name them: SIREN, name, legal form."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from kanta_docs.text import fold

# Words that say what kind of company it is, not which one: left out when comparing names.
_FORM_WORDS = frozenset({
    "societe", "ste", "sas", "sasu", "sarl", "eurl", "sa", "sci", "snc", "scs", "sca",
    "selarl", "selas", "selafa", "selurl", "scp", "scm", "gie", "sc", "civile", "immobiliere",
    "anonyme", "simplifiee", "unipersonnelle", "responsabilite", "limitee", "par", "actions",
    "a", "en", "nom", "collectif",
})
_NOT_DIGIT = re.compile(r"\D")
# Forms that differ only by the number of partners: a SASU is an SAS with one shareholder, and
# registers and statuts do not spell it the same way; not a discrepancy worth an alert.
_FORM_FAMILIES = {"SASU": "SAS", "EURL": "SARL", "SELARLU": "SELARL", "SELASU": "SELAS"}
NAME_MATCH_MIN = 90.0  # rapidfuzz ratio on folded names: tolerates an OCR slip, not a new word


def normalise_siren(value: str | None) -> str | None:
    """The 9 digits of a SIREN (a SIRET's first 9), or None when it does not have them."""
    if not value:
        return None
    digits = _NOT_DIGIT.sub("", value)
    return digits[:9] if len(digits) in (9, 14) else None


def company_name_key(name: str | None) -> str:
    """A company name folded for comparison: case, accents, punctuation and form words dropped."""
    if not name:
        return ""
    words = [w for w in fold(name).replace("'", " ").split() if w not in _FORM_WORDS]
    return " ".join(words)


def same_company_name(a: str | None, b: str | None) -> bool:
    """Whether two company names designate the same company once typography is set aside."""
    ka, kb = company_name_key(a), company_name_key(b)
    if not ka or not kb:
        return False
    return ka == kb or ka.replace(" ", "") == kb.replace(" ", "") \
        or fuzz.ratio(ka, kb) >= NAME_MATCH_MIN


def legal_form_family(form: str | None) -> str | None:
    """The legal form's family for comparison (SASU -> SAS, EURL -> SARL)."""
    if not form:
        return None
    key = form.strip().upper().replace(".", "").replace(" ", "")
    return _FORM_FAMILIES.get(key, key)


def same_company(siren_a: str | None, name_a: str | None,
                 siren_b: str | None, name_b: str | None) -> bool:
    """Whether two descriptions designate one company: equal SIRENs, else equal names."""
    sa, sb = normalise_siren(siren_a), normalise_siren(siren_b)
    if sa and sb:
        return sa == sb
    return same_company_name(name_a, name_b)
