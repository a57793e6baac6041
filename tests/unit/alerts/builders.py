"""Dossier documents built as the extraction stage would return them, for the rule tests.

These are real records (kanta_docs.facts + the contract models), not stand-ins: the rules read
exactly these types from the pipeline.
"""

from __future__ import annotations

import hashlib
from datetime import date

from kanta_docs.declared import Declared, DeclaredClient, DeclaredOfficer, DeclaredOwner
from kanta_docs.facts import (
    CompanyFacts,
    DocumentFacts,
    DossierDocument,
    IdentityFacts,
    OfficerFacts,
    OwnerFacts,
    PersonFacts,
    ShareholderFacts,
    Value,
)
from kanta_docs.models import ExtractResult, Provenance
from kanta_docs.vocab import DocType, OfficerRole

SIREN = "889924320"
NAME = "KANTA"


def v(value, text=None, page=1):  # type: ignore[no-untyped-def]
    return Value(value, Provenance(page=page, text=text if text is not None else str(value)))


def person(last: str, first: str | None = None, birth: date | None = None,
           nationality: str | None = None, usage: str | None = None) -> PersonFacts:
    return PersonFacts(last_name=v(last), first_names=v(first) if first else None,
                       birth_date=v(birth) if birth else None,
                       nationality=v(nationality) if nationality else None,
                       usage_name=v(usage) if usage else None)


def _company(siren: str | None, name: str | None, form: str | None) -> CompanyFacts:
    return CompanyFacts(siren=v(siren) if siren else None, name=v(name) if name else None,
                        legal_form=v(form) if form else None)


def _document(file: str, doc_type: DocType, facts: DocumentFacts) -> DossierDocument:
    result = ExtractResult(
        file=file, sha256=hashlib.sha256(file.encode()).hexdigest(), doc_type=doc_type, pages=1,
        document_date=facts.document_date.value if facts.document_date else None,
        expiry_date=facts.expiry_date.value if facts.expiry_date else None,
        effective_expiry_date=(facts.effective_expiry_date or facts.expiry_date).value
        if (facts.effective_expiry_date or facts.expiry_date) else None,
        company=facts.company.to_contract() if facts.company else None,
        beneficial_owners=[o.to_contract() for o in facts.beneficial_owners],
        officers=[o.to_contract() for o in facts.officers],
        shareholders=[s.to_contract() for s in facts.shareholders],
        identity=facts.identity.to_contract() if facts.identity else None,
    )
    return DossierDocument(result, facts)


def kbis(day: date, officers: list[tuple[str, str, OfficerRole]], *, siren: str = SIREN,
         name: str = NAME, form: str = "SAS", file: str = "kbis.pdf") -> DossierDocument:
    return _document(file, DocType.KBIS, DocumentFacts(
        document_date=v(day), company=_company(siren, name, form),
        officers=tuple(OfficerFacts(person(last, first), role) for last, first, role in officers)))


def rbe(day: date, owners: list[tuple[PersonFacts, float | None, float | None]], *,
        siren: str = SIREN, name: str = NAME, file: str = "rbe.pdf") -> DossierDocument:
    return _document(file, DocType.RBE, DocumentFacts(
        document_date=v(day), company=_company(siren, name, None),
        beneficial_owners=tuple(
            OwnerFacts(p, v(cap) if cap is not None else None,
                       v(vote) if vote is not None else None) for p, cap, vote in owners)))


def holder(name: str, pct: float, who: PersonFacts | None = None,
           siren: str | None = None) -> ShareholderFacts:
    return ShareholderFacts(name=v(name), pct=v(pct), person=who,
                            company_siren=v(siren) if siren else None)


def statuts(holders: list[ShareholderFacts], *, siren: str | None = SIREN, name: str = NAME,
            form: str = "SAS", day: date = date(2020, 1, 15),
            file: str = "statuts.pdf") -> DossierDocument:
    return _document(file, DocType.STATUTS, DocumentFacts(
        document_date=v(day), company=_company(siren, name, form), shareholders=tuple(holders)))


def identity(holder_: PersonFacts, expiry: date | None, *, mrz_valid: bool | None = True,
             file: str = "cni.pdf", effective: date | None = None,
             doc_type: DocType = DocType.ID_CARD) -> DossierDocument:
    return _document(file, doc_type, DocumentFacts(
        expiry_date=v(expiry) if expiry else None,
        effective_expiry_date=v(effective) if effective else None,
        identity=IdentityFacts(holder_, expiry_date=v(expiry) if expiry else None,
                               mrz_valid=mrz_valid,
                               mrz_lines=("IDFRA<<<",) if mrz_valid is not None else ())))


def unreadable(file: str, reason: str = "corrupt PDF: no trailer") -> DossierDocument:
    return DossierDocument(ExtractResult(file=file, sha256="", warnings=[f"unreadable: {reason}"]))


def declared(owners: list[DeclaredOwner] | None = None,
             officers: list[DeclaredOfficer] | None = None, **client: str) -> Declared:
    base = {"siren": SIREN, "name": NAME, "legal_form": "SAS", "naf": "6920Z",
            "country": "FRA", "mission": "tenue_comptable"}
    return Declared(client=DeclaredClient(**(base | client)),
                    beneficial_owners=owners or [], officers=officers or [])
