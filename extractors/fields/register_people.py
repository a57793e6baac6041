"""Officers of a register extract as facts: from a block of labelled rows, or from one phrase.

A block is what a Kbis prints under one « Qualité »: « Nom, prénoms », « Nom d'usage », « Date
et lieu de naissance », « Nationalité » for a person; « Dénomination », « Forme juridique »,
« Immatriculation au RCS, numéro » for a legal person (a CAC firm, a holding président). A
phrase is the prose form « M. Jean DUPONT, né le 12/03/1970 à Lyon, de nationalité française »
or « la société AUDIT CONSEIL, SAS, RCS Lyon 123 456 789 ».
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from extractors.french.dates import find_dates
from extractors.french.folding import fold_text, fold_words
from extractors.french.identifiers import find_identifiers, parse_siren
from extractors.french.legal_forms import normalise_legal_form
from extractors.french.names import PersonName, split_bracketed_usage, split_person_name
from extractors.french.nationality import find_nationalities, parse_nationality
from kanta_docs.facts import OfficerFacts, PersonFacts, Value

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from extractors.fields.register_rows import Row
    from kanta_docs.models import Provenance
    from kanta_docs.vocab import OfficerRole

# Words that name a company rather than a person ("la société …", "HOLDING …", "… AUDIT").
_COMPANY_WORDS = re.compile(
    r"(?<![a-z])(?:societe|ste|cabinet|groupe|groupement|holding|audit|audits|conseil|conseils"
    r"|expertise|experts?|participations?|finances?|financiere|invest\w*|gestion|partners"
    r"|associes|compagnie|cie|fiduciaire|consulting|international|capital|patrimoine"
    r"|commissariat|immobiliere|sci|selarl|selas|sarl|sas|sasu|eurl|snc|scp)(?![a-z])"
)
# Where a phrase about a person stops naming them.
_PERSON_CLAUSE = re.compile(
    r"[,;]?\s*(?:\bnee?\s*(?:\(e\))?\s+(?:le|a|en)\b|\bdemeurant\b|\bdomicilie|\bde\s+nationalite"
    r"|\bnationalite\b|\bresidant\b)"
)
# Where a phrase about a company stops naming it.
_COMPANY_CLAUSE = re.compile(
    r"\s*(?:[,;(]|\s-\s|\brcs\b|\br\.c\.s|\bsiren\b|\bimmatricul|\brepresente|\bdont le siege"
    r"|\bayant son siege|\bsise?\b|\bau capital\b)"
)
# « la société X »: the article says the words after it are the name ("Société Générale" is one).
_COMPANY_LEAD = re.compile(r"^\s*la\s+(?:societe|ste)\s+")
_BARE_LEAD = re.compile(r"^\s*(societe|ste)\.?\s+")
_FIRST_DIGIT_WORD = re.compile(r"[,;(]?\s*\S*\d")
_DATE_LEAD = re.compile(r"(?:\s+(?:le|du|en|n[ée]e?|n[ée]\(e\)))+\s*$", re.IGNORECASE)
# « DURAND Claire - MARTIN (nom d'usage) »: the name before the bracket is the usage name.
_USAGE_AFTER = re.compile(r"\s*\(\s*(?:nom\s+d'usage|nom\s+marital|nom\s+d'epouse)\s*\)")
# « Claire DURAND, nom d'usage MARTIN », « Claire DURAND (nom d'usage : MARTIN) ».
_INLINE_USAGE = re.compile(
    r"[,;(\s-]*\b(?:nom\s+d'usage|nom\s+marital|nom\s+d'epouse|nom\s+usuel)\s*:?\s*")
_DATE_MAX_CHARS = 30  # « né le » is followed by the date itself ("1er septembre 1970")
_BIRTH_CUE = re.compile(r"(?<![a-z])nee?\s*(?:\(e\))?\s+le\s+")
_PLACE_AFTER_DATE = re.compile(r"^\s*(?:a|à)\s+(?P<place>[^,;\n]+)", re.IGNORECASE)
_CIVILITY = re.compile(r"^\s*(?:m|mr|mme|mlle|monsieur|madame|mademoiselle)\b\.?", re.IGNORECASE)


def _person_clause(text: str, folded: str) -> int | None:
    """Where the clauses after a person's name begin (« , né le … », « demeurant … »); None
    if the text has none. « née LE GALL » gives a birth name, not a birth date: « le » must be
    printed in lower case and followed by the date (a digit, or a day in words)."""
    for m in _PERSON_CLAUSE.finditer(folded):
        if folded[m.start() : m.end()].endswith("le"):
            rest = text[m.end() :].lstrip()
            if text[m.end() - 2 : m.end()] != "le" or not rest[:1].isdigit() and not (
                    rest[:1].islower()):
                continue
        return m.start()
    return None


def labelled_usage(text: str) -> str | None:
    """A name with its usage name inline (« nom d'usage : MARTIN », « (MARTIN) ») -> the labelled
    form the name splitter reads ("Nom, prénoms : Claire DURAND Nom d'usage : MARTIN"); None
    without an inline usage name."""
    folded = fold_text(text)
    after = _USAGE_AFTER.search(folded)
    if after is not None:  # « DURAND Claire - MARTIN (nom d'usage) »
        head, _, marked = text[: after.start()].rstrip(" ,;-").rpartition(" ")
        if head and marked.isupper():
            return f"Nom, prénoms : {head.rstrip(' ,;-')} Nom d'usage : {marked}"
    m = _INLINE_USAGE.search(folded)
    if m is None or m.start() == 0:
        # « Mme Claire DURAND (MARTIN) »: a name in capitals in brackets is the usage name
        name, bracketed = split_bracketed_usage(text)
        return f"Nom, prénoms : {name} Nom d'usage : {bracketed}" if bracketed else None
    usage = text[m.end() :].strip(" )]")
    return f"Nom, prénoms : {text[: m.start()]} Nom d'usage : {usage}" if usage else None


def _value(text: str | None, provenance: Provenance | None) -> Value[str] | None:
    """A text value, or None for an empty one."""
    return Value(text, provenance) if text else None


def _dated(text: str) -> tuple[date, str] | None:
    """The first full date in a text and what follows it; None for "05/1961" or no date."""
    dates = find_dates(text)
    return (dates[0].value, text[dates[0].end :]) if dates else None


def _birth_place(rest: str) -> str | None:
    """"à Bayonne (64)" after a birth date -> "Bayonne (64)"."""
    m = _PLACE_AFTER_DATE.match(rest)
    return m.group("place").strip() if m else None


def company_name(text: str) -> str:
    """« la société AUDIT X, SAS, RCS Lyon … » -> "AUDIT X": the name before its particulars."""
    folded = fold_text(text)
    cut = _COMPANY_CLAUSE.search(folded, 1)
    lead = _COMPANY_LEAD.match(folded) or _capitals_after_lead(text, folded)
    return text[lead.end() if lead else 0 : cut.start() if cut else len(text)].strip(" ,;-")


def _capitals_after_lead(text: str, folded: str) -> re.Match[str] | None:
    """« Société MASSON AUDIT »: a « Société » in lower case before a name in capitals is the
    article's word, not the name's (« SOCIÉTÉ GÉNÉRALE », « Société Générale » keep it)."""
    m = _BARE_LEAD.match(folded)
    if m is None or text[m.start(1) : m.end(1)].isupper():
        return None
    name = re.split(r"[,;(]", text[m.end() :], maxsplit=1)[0]
    letters = [c for c in name if c.isalpha()]
    return m if letters and all(c.isupper() for c in letters) else None


def looks_like_company(text: str) -> bool:
    """Whether a name reads as a company's: company words in the name itself (before its first
    comma or bracket), or a legal form or a SIREN in its particulars."""
    if _CIVILITY.match(text):
        return False
    name = re.split(r"[,;(]", text, maxsplit=1)[0]
    return bool(_COMPANY_WORDS.search(fold_text(name)) or normalise_legal_form(text)
                or any(m.is_valid for m in find_identifiers(text)))


def split_name_parts(surname: str, first_names: str, usage: str = "") -> PersonName:
    """A surname, first names and usage name printed apart -> the name's parts.

    The surname field holds only the surname ("DU BOIS DE LA ROCHE"), maybe with « ép. X »: the
    trailing comma tells split_person_name that no first names follow it.
    """
    last = split_person_name(f"{surname} ,", surname_first=True)
    firsts = split_person_name(f"Prénoms : {first_names}").first_names if first_names else None
    usage_name = (split_person_name(f"Nom d'usage : {usage}").usage_name if usage
                  else last.usage_name)
    return PersonName(last.last_name, firsts, usage_name, last.civility, last.sex)


def _split_rows(rows: Mapping[str, Row]) -> PersonName | None:
    """The name in a block's rows; None when no row names the person. A birth-name row
    (« Nom de naissance : DURAND ») beside a name line that gives the name in use (« Claire
    MARTIN ») is the surname, the other the usage name."""
    split = _split_name_rows(rows)
    if split is None or "full_name" not in rows or "last_name" not in rows:
        return split
    birth = split_person_name(f"{rows['last_name'].value} ,", surname_first=True).last_name
    if birth is None or birth == split.last_name:
        return split
    return replace(split, last_name=birth, usage_name=split.usage_name or split.last_name)


def _split_name_rows(rows: Mapping[str, Row]) -> PersonName | None:
    """The name in a block's rows, the name line (« Nom, prénoms ») first."""
    usage = rows["usage_name"].value if "usage_name" in rows else ""
    if "full_name" in rows:
        full = rows["full_name"].value
        if fold_words(rows["full_name"].label).startswith("prenom"):
            # « Prénom(s) et nom : JEAN DUPONT »: the label tells the order case cannot
            split = split_person_name(full, surname_first=False)
            return replace(split, usage_name=split.usage_name or _usage(usage))
        text = labelled_usage(full) or f"Nom, prénoms : {full}"
        return split_person_name(text + (f" Nom d'usage : {usage}" if usage else ""))
    if "last_name" in rows and "first_names" in rows:
        return split_name_parts(rows["last_name"].value, rows["first_names"].value, usage)
    if "last_name" in rows:  # « Nom : DUPONT Jean » with no first-names row
        return split_person_name(f"Nom : {rows['last_name'].value}"
                                 + (f" Nom d'usage : {usage}" if usage else ""))
    return None


def _usage(text: str) -> str | None:
    """A usage name as printed -> upper-cased; None if empty."""
    return split_person_name(f"Nom d'usage : {text}").usage_name if text else None


def person_from_rows(rows: Mapping[str, Row]) -> PersonFacts | None:
    """A person block's rows (keys of kbis_labels) -> PersonFacts; None without a name row."""
    split = _split_rows(rows)
    if split is None:
        return None
    surname_row = rows.get("full_name") or rows.get("last_name")
    firsts_row = rows.get("first_names") or rows.get("full_name")
    birth, place = None, None
    if "birth" in rows and (dated := _dated(rows["birth"].value)) is not None:
        birth = Value(dated[0], rows["birth"].provenance())
        place = _birth_place(dated[1])
    if "birth_place" in rows:
        place = rows["birth_place"].value or place
    nationality = None
    if "nationality" in rows and (code := parse_nationality(rows["nationality"].value)):
        nationality = Value(code, rows["nationality"].provenance())
    place_row = rows.get("birth_place") or rows.get("birth")
    return PersonFacts(
        last_name=_value(split.last_name, surname_row.provenance() if surname_row else None),
        first_names=_value(split.first_names, firsts_row.provenance() if firsts_row else None),
        usage_name=_value(split.usage_name, rows["usage_name"].provenance()
                          if "usage_name" in rows else surname_row.provenance()
                          if surname_row else None),
        birth_date=birth,
        birth_place=_value(place, place_row.provenance() if place_row else None),
        nationality=nationality,
        sex=_value(split.sex, surname_row.provenance() if surname_row else None),
    )


def officer_from_rows(role: OfficerRole, role_text: str,
                      rows: Mapping[str, Row]) -> OfficerFacts | None:
    """One officer block's rows -> the officer (a person, or a legal person); None if unnamed."""
    person = person_from_rows(rows)
    if person is not None and person.last_name is not None:
        return OfficerFacts(person, role, role_text)
    name = rows.get("name")
    if name is None or not name.value:
        return None  # no surname, no denomination: nobody to name
    number = rows.get("siren") or rows.get("rcs")
    siren = parse_siren(f"{number.label} {number.value}") if number is not None else None
    return OfficerFacts(
        PersonFacts(last_name=Value(name.value, name.provenance())), role, role_text,
        is_company=True,
        siren=Value(siren, number.provenance()) if siren and number else None,
    )


def officer_from_phrase(role: OfficerRole, role_text: str, text: str,
                        provenance: Provenance) -> OfficerFacts | None:
    """« M. Jean DUPONT, né le … » or « la société X, RCS … » -> the officer; None if unnamed."""
    folded = fold_text(text)
    clause = _person_clause(text, folded)
    head = text[: clause] if clause is not None else text
    if (digit := _FIRST_DIGIT_WORD.search(head)) is not None and digit.start() > 0:
        # A name holds no digits: « DUPONT Jean 12/03/1970 à … », « …, née DURAND le 1er … ».
        head = _DATE_LEAD.sub("", head[: digit.start()])
    if looks_like_company(head):
        name = company_name(head)
        siren = parse_siren(text)
        if not name:
            return None
        return OfficerFacts(PersonFacts(last_name=Value(name, provenance)), role, role_text,
                            is_company=True,
                            siren=Value(siren, provenance) if siren else None)
    split = split_person_name(labelled_usage(head) or head)
    if split.last_name is None:
        return None
    birth, place = None, None
    cue = _BIRTH_CUE.search(folded)
    dates = find_dates(text[cue.end() : cue.end() + _DATE_MAX_CHARS]) if cue else []
    if cue and dates:
        birth = Value(dates[0].value, provenance)
        place = _birth_place(text[cue.end() + dates[0].end :])
    nationalities = find_nationalities(text)
    return OfficerFacts(
        PersonFacts(last_name=Value(split.last_name, provenance),
                    first_names=_value(split.first_names, provenance),
                    usage_name=_value(split.usage_name, provenance),
                    birth_date=birth, birth_place=_value(place, provenance),
                    nationality=(Value(nationalities[0].value, provenance)
                                 if len(nationalities) == 1 else None),
                    sex=_value(split.sex, provenance)),
        role, role_text,
    )
