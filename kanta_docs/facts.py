"""Internal records of extracted facts, each value with its provenance and confidence.

The contract (../shared/CONTRACT.md) exposes only values; these records keep where every value
came from (page, text, box) and how sure we are, for alerts a person can check, plus facts the
contract does not expose (usage names, modalities of control, the date someone became an owner,
officers' birth dates). `to_contract` turns them into the contract's blocks.

A value the document does not give is `None`, never a guess; a value read with low confidence
carries a warning in `DocumentFacts.warnings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from kanta_docs.models import (
    BeneficialOwnerOut,
    CompanyOut,
    ExtractResult,
    IdentityOut,
    OfficerOut,
    Provenance,
    ShareholderOut,
)

if TYPE_CHECKING:
    from datetime import date

    from kanta_docs.vocab import OfficerRole

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Value(Generic[T]):
    """An extracted value and where it came from."""

    value: T
    provenance: Provenance | None = None

    @property
    def confidence(self) -> float:
        """0-1; 1 when the provenance does not say."""
        return self.provenance.confidence if self.provenance is not None else 1.0


def value_of(v: Value[T] | None) -> T | None:
    """The bare value of an optional `Value`."""
    return None if v is None else v.value


@dataclass(frozen=True, slots=True)
class CompanyFacts:
    """Who the company is, as one document states it."""

    siren: Value[str] | None = None
    name: Value[str] | None = None
    legal_form: Value[str] | None = None
    capital_eur: Value[float] | None = None
    address: Value[str] | None = None

    def to_contract(self) -> CompanyOut:
        """The contract's `company` block."""
        return CompanyOut(siren=value_of(self.siren), name=value_of(self.name),
                          legal_form=value_of(self.legal_form),
                          capital_eur=value_of(self.capital_eur), address=value_of(self.address))


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """A natural person as a document names them; `last_name` is the birth name."""

    last_name: Value[str] | None = None
    first_names: Value[str] | None = None
    usage_name: Value[str] | None = None
    birth_date: Value[date] | None = None
    birth_place: Value[str] | None = None
    nationality: Value[str] | None = None  # ISO 3166-1 alpha-3
    sex: Value[str] | None = None  # "M" / "F"


@dataclass(frozen=True, slots=True)
class OwnerFacts:
    """A beneficial owner: the person, their holdings and the modalities of their control."""

    person: PersonFacts
    capital_pct: Value[float] | None = None  # direct + indirect
    voting_pct: Value[float] | None = None  # direct + indirect
    # "capital", "voting_rights", "other_means_of_control", "legal_representative", plus
    # the kind of holding where printed: "direct", "indirect", "usufruct", "bare_ownership"…
    modalities: frozenset[str] = frozenset()
    since: Value[date] | None = None  # the date the person became a beneficial owner

    def to_contract(self) -> BeneficialOwnerOut:
        """One entry of the contract's `beneficial_owners`."""
        p = self.person
        return BeneficialOwnerOut(last_name=value_of(p.last_name),
                                  first_names=value_of(p.first_names),
                                  birth_date=value_of(p.birth_date),
                                  nationality=value_of(p.nationality),
                                  capital_pct=value_of(self.capital_pct),
                                  voting_pct=value_of(self.voting_pct))


@dataclass(frozen=True, slots=True)
class OfficerFacts:
    """An officer; a legal-person officer has its name in `person.last_name` and no first names."""

    person: PersonFacts
    role: OfficerRole
    role_text: str = ""  # the wording as printed ("Commissaire aux comptes suppléant")
    is_company: bool = False
    siren: Value[str] | None = None  # for a legal-person officer

    def to_contract(self) -> OfficerOut:
        """One entry of the contract's `officers`."""
        return OfficerOut(last_name=value_of(self.person.last_name),
                          first_names=value_of(self.person.first_names), role=self.role)


@dataclass(frozen=True, slots=True)
class ShareholderFacts:
    """A holder of shares or parts as the statuts distribute them."""

    name: Value[str]
    shares: Value[int] | None = None
    pct: Value[float] | None = None
    person: PersonFacts | None = None  # for a natural person
    company_siren: Value[str] | None = None  # for a legal person

    def to_contract(self) -> ShareholderOut:
        """One entry of the contract's `shareholders`."""
        return ShareholderOut(name=self.name.value, shares=value_of(self.shares),
                              pct=value_of(self.pct))


@dataclass(frozen=True, slots=True)
class IdentityFacts:
    """What an identity document says about its holder and itself."""

    person: PersonFacts
    document_number: Value[str] | None = None
    issuing_country: Value[str] | None = None
    expiry_date: Value[date] | None = None
    issue_date: Value[date] | None = None
    mrz_valid: bool | None = None
    mrz_lines: tuple[str, ...] = ()

    def to_contract(self) -> IdentityOut:
        """The contract's `identity` block."""
        p = self.person
        return IdentityOut(last_name=value_of(p.last_name), first_names=value_of(p.first_names),
                           birth_date=value_of(p.birth_date), sex=value_of(p.sex),
                           nationality=value_of(p.nationality),
                           document_number=value_of(self.document_number),
                           issuing_country=value_of(self.issuing_country),
                           expiry_date=value_of(self.expiry_date), mrz_valid=self.mrz_valid)


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """Everything extracted from one document, ready to become the contract's object."""

    document_date: Value[date] | None = None
    expiry_date: Value[date] | None = None
    effective_expiry_date: Value[date] | None = None
    company: CompanyFacts | None = None
    beneficial_owners: tuple[OwnerFacts, ...] = ()
    officers: tuple[OfficerFacts, ...] = ()
    shareholders: tuple[ShareholderFacts, ...] = ()
    identity: IdentityFacts | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class DossierDocument:
    """One document of a dossier as the cross-check sees it: its contract object and, when it
    could be read, its facts with provenance."""

    result: ExtractResult
    facts: DocumentFacts | None = None

    @property
    def file(self) -> str:
        """The file name as given (evidence points at it)."""
        return self.result.file
