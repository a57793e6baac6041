"""`DocumentFacts` <-> JSON, so the store keeps every extracted value with its provenance.

The facts are what alerts show a person ("page 2: 'né le 03/04/1971'"); the contract's
ExtractResult drops provenance, so the store keeps both. Written out per record rather than
by reflection: `kanta_docs.facts` imports its annotation types only for type checking, and an
explicit codec fails loudly (KeyError/TypeError) on a stored shape it does not know.

Shape: dates as ISO strings, a `Value` as {"v": value, "p": provenance or null}, provenance as
{"page", "text", "box" (list of 4 floats) or null, "confidence"}, frozensets as sorted lists.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from kanta_docs.facts import (
    CompanyFacts,
    DocumentFacts,
    IdentityFacts,
    OfficerFacts,
    OwnerFacts,
    PersonFacts,
    ShareholderFacts,
    Value,
)
from kanta_docs.models import Provenance
from kanta_docs.vocab import OfficerRole

if TYPE_CHECKING:
    from collections.abc import Callable

Json = dict[str, Any]
T = TypeVar("T")
FACTS_FORMAT = 1


def _prov_out(p: Provenance | None) -> Json | None:
    if p is None:
        return None
    return {"page": p.page, "text": p.text, "box": None if p.box is None else list(p.box),
            "confidence": p.confidence}


def _prov_in(d: Json | None) -> Provenance | None:
    if d is None:
        return None
    box = d["box"]
    return Provenance(page=d["page"], text=d["text"],
                      box=None if box is None else (box[0], box[1], box[2], box[3]),
                      confidence=d["confidence"])


def _val_out(v: Value[Any] | None, enc: Callable[[Any], Any] = lambda x: x) -> Json | None:
    return None if v is None else {"v": enc(v.value), "p": _prov_out(v.provenance)}


def _val_in(d: Json | None, dec: Callable[[Any], T]) -> Value[T] | None:
    return None if d is None else Value(dec(d["v"]), _prov_in(d["p"]))


def _date_out(v: Value[date] | None) -> Json | None:
    return _val_out(v, date.isoformat)


def _date_in(d: Json | None) -> Value[date] | None:
    return _val_in(d, date.fromisoformat)


def _str(x: Any) -> str:
    if not isinstance(x, str):
        raise TypeError(f"expected a string in stored facts, got {type(x).__name__}")
    return x


def _num(x: Any) -> float:
    # A float written as 25.0 may come back as 25 from some JSON engines; keep it a number.
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise TypeError(f"expected a number in stored facts, got {type(x).__name__}")
    return x


def _int(x: Any) -> int:
    if isinstance(x, bool) or not isinstance(x, int):
        raise TypeError(f"expected an integer in stored facts, got {type(x).__name__}")
    return x


def _person_out(p: PersonFacts) -> Json:
    return {"last_name": _val_out(p.last_name), "first_names": _val_out(p.first_names),
            "usage_name": _val_out(p.usage_name), "birth_date": _date_out(p.birth_date),
            "birth_place": _val_out(p.birth_place), "nationality": _val_out(p.nationality),
            "sex": _val_out(p.sex)}


def _person_in(d: Json) -> PersonFacts:
    return PersonFacts(last_name=_val_in(d["last_name"], _str),
                       first_names=_val_in(d["first_names"], _str),
                       usage_name=_val_in(d["usage_name"], _str),
                       birth_date=_date_in(d["birth_date"]),
                       birth_place=_val_in(d["birth_place"], _str),
                       nationality=_val_in(d["nationality"], _str),
                       sex=_val_in(d["sex"], _str))


def _company_out(c: CompanyFacts) -> Json:
    return {"siren": _val_out(c.siren), "name": _val_out(c.name),
            "legal_form": _val_out(c.legal_form), "capital_eur": _val_out(c.capital_eur),
            "address": _val_out(c.address)}


def _company_in(d: Json) -> CompanyFacts:
    return CompanyFacts(siren=_val_in(d["siren"], _str), name=_val_in(d["name"], _str),
                        legal_form=_val_in(d["legal_form"], _str),
                        capital_eur=_val_in(d["capital_eur"], _num),
                        address=_val_in(d["address"], _str))


def _owner_out(o: OwnerFacts) -> Json:
    return {"person": _person_out(o.person), "capital_pct": _val_out(o.capital_pct),
            "voting_pct": _val_out(o.voting_pct), "modalities": sorted(o.modalities),
            "since": _date_out(o.since)}


def _owner_in(d: Json) -> OwnerFacts:
    return OwnerFacts(person=_person_in(d["person"]),
                      capital_pct=_val_in(d["capital_pct"], _num),
                      voting_pct=_val_in(d["voting_pct"], _num),
                      modalities=frozenset(_str(m) for m in d["modalities"]),
                      since=_date_in(d["since"]))


def _officer_out(o: OfficerFacts) -> Json:
    return {"person": _person_out(o.person), "role": o.role.value, "role_text": o.role_text,
            "is_company": o.is_company, "siren": _val_out(o.siren)}


def _officer_in(d: Json) -> OfficerFacts:
    return OfficerFacts(person=_person_in(d["person"]), role=OfficerRole(d["role"]),
                        role_text=_str(d["role_text"]), is_company=bool(d["is_company"]),
                        siren=_val_in(d["siren"], _str))


def _shareholder_out(s: ShareholderFacts) -> Json:
    return {"name": _val_out(s.name), "shares": _val_out(s.shares), "pct": _val_out(s.pct),
            "person": None if s.person is None else _person_out(s.person),
            "company_siren": _val_out(s.company_siren)}


def _shareholder_in(d: Json) -> ShareholderFacts:
    name = _val_in(d["name"], _str)
    if name is None:
        raise TypeError("a stored shareholder has no name")
    return ShareholderFacts(name=name, shares=_val_in(d["shares"], _int),
                            pct=_val_in(d["pct"], _num),
                            person=None if d["person"] is None else _person_in(d["person"]),
                            company_siren=_val_in(d["company_siren"], _str))


def _identity_out(i: IdentityFacts) -> Json:
    return {"person": _person_out(i.person), "document_number": _val_out(i.document_number),
            "issuing_country": _val_out(i.issuing_country),
            "expiry_date": _date_out(i.expiry_date), "issue_date": _date_out(i.issue_date),
            "mrz_valid": i.mrz_valid, "mrz_lines": list(i.mrz_lines)}


def _identity_in(d: Json) -> IdentityFacts:
    mrz_valid = d["mrz_valid"]
    return IdentityFacts(person=_person_in(d["person"]),
                         document_number=_val_in(d["document_number"], _str),
                         issuing_country=_val_in(d["issuing_country"], _str),
                         expiry_date=_date_in(d["expiry_date"]),
                         issue_date=_date_in(d["issue_date"]),
                         mrz_valid=None if mrz_valid is None else bool(mrz_valid),
                         mrz_lines=tuple(_str(x) for x in d["mrz_lines"]))


def to_json(facts: DocumentFacts) -> Json:
    """DocumentFacts -> a JSON-ready dict (only str, numbers, bools, None, lists, dicts)."""
    return {
        "format": FACTS_FORMAT,
        "document_date": _date_out(facts.document_date),
        "expiry_date": _date_out(facts.expiry_date),
        "effective_expiry_date": _date_out(facts.effective_expiry_date),
        "company": None if facts.company is None else _company_out(facts.company),
        "beneficial_owners": [_owner_out(o) for o in facts.beneficial_owners],
        "officers": [_officer_out(o) for o in facts.officers],
        "shareholders": [_shareholder_out(s) for s in facts.shareholders],
        "identity": None if facts.identity is None else _identity_out(facts.identity),
        "warnings": list(facts.warnings),
    }


def from_json(data: Json) -> DocumentFacts:
    """The dict `to_json` made (possibly through a database) -> the same DocumentFacts."""
    if data.get("format") != FACTS_FORMAT:
        raise ValueError(f"stored facts have format {data.get('format')!r}, "
                         f"this code reads {FACTS_FORMAT}")
    return DocumentFacts(
        document_date=_date_in(data["document_date"]),
        expiry_date=_date_in(data["expiry_date"]),
        effective_expiry_date=_date_in(data["effective_expiry_date"]),
        company=None if data["company"] is None else _company_in(data["company"]),
        beneficial_owners=tuple(_owner_in(o) for o in data["beneficial_owners"]),
        officers=tuple(_officer_in(o) for o in data["officers"]),
        shareholders=tuple(_shareholder_in(s) for s in data["shareholders"]),
        identity=None if data["identity"] is None else _identity_in(data["identity"]),
        warnings=tuple(_str(w) for w in data["warnings"]),
    )
