"""What NPLAB scoring reads about a dossier: the declared client, the persons acting for it or
owning it, the alerts the cross-checks raised, and what the documents show of its structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, get_args

from kanta_docs.errors import InvalidInput
from kanta_docs.vocab import OfficerRole

if TYPE_CHECKING:
    from datetime import date

    from kanta_docs.assessment import Alert
    from kanta_docs.declared import Declared, DeclaredClient

PersonRole = Literal["beneficial_owner", "legal_representative", "officer"]
PERSON_ROLES: frozenset[str] = frozenset(get_args(PersonRole))

# Officers who represent the company towards third parties (C. com. L.223-18 gérant,
# L.227-6 président of an SAS, L.225-56 directeur général and délégués of an SA).
LEGAL_REPRESENTATIVE_ROLES = frozenset(
    {
        OfficerRole.PRESIDENT,
        OfficerRole.GERANT,
        OfficerRole.DIRECTEUR_GENERAL,
        OfficerRole.DIRECTEUR_GENERAL_DELEGUE,
    }
)


@dataclass(frozen=True, slots=True)
class RiskPerson:
    """A natural person whose status and countries weigh on the dossier's risk."""

    role: PersonRole
    last_name: str
    first_names: str | None
    nationality: str | None  # ISO 3166-1 alpha-3; None when unknown
    country_of_residence: str | None  # ISO 3166-1 alpha-3; None when unknown
    pep: bool = False

    def __post_init__(self) -> None:
        if self.role not in PERSON_ROLES:
            raise InvalidInput(
                f"risk person role {self.role!r}: expected one of {', '.join(sorted(PERSON_ROLES))}"
            )

    @property
    def display_name(self) -> str:
        """First names then last name ("Jean Pierre DUPONT"), or the last name alone."""
        return f"{self.first_names} {self.last_name}" if self.first_names else self.last_name


@dataclass(frozen=True, slots=True)
class RiskInput:
    """One dossier as scoring sees it. `as_of` picks the country-list versions in force that day."""

    client: DeclaredClient
    persons: tuple[RiskPerson, ...]
    alerts: tuple[Alert, ...]
    legal_person_shareholders: int = 0  # companies among the holders the documents show
    ownership_layers: int = 0  # longest chain of companies between the client and a natural person
    owners_identified: bool = True  # at least one beneficial owner known
    # The clock is a parameter (STYLE.md §3): required, keyword-only, never "today" by default.
    as_of: date = field(kw_only=True)

    def __post_init__(self) -> None:
        if self.legal_person_shareholders < 0 or self.ownership_layers < 0:
            raise InvalidInput("risk input: shareholder and layer counts cannot be negative")


def persons_from_declared(declared: Declared) -> tuple[RiskPerson, ...]:
    """The declared owners and officers as risk persons (officers who represent the company
    are legal representatives, the others officers)."""
    owners = tuple(
        RiskPerson(
            role="beneficial_owner",
            last_name=owner.last_name,
            first_names=owner.first_names,
            nationality=owner.nationality,
            country_of_residence=owner.country_of_residence,
            pep=owner.pep,
        )
        for owner in declared.beneficial_owners
    )
    officers = tuple(
        RiskPerson(
            role="legal_representative"
            if officer.role in LEGAL_REPRESENTATIVE_ROLES
            else "officer",
            last_name=officer.last_name,
            first_names=officer.first_names,
            nationality=officer.nationality,
            country_of_residence=officer.country_of_residence,
            pep=officer.pep,
        )
        for officer in declared.officers
    )
    return owners + officers


def risk_input_from_declared(
    declared: Declared,
    alerts: tuple[Alert, ...],
    *,
    as_of: date,
    legal_person_shareholders: int = 0,
    ownership_layers: int = 0,
) -> RiskInput:
    """A RiskInput from declared.json and the dossier's alerts; owners count as identified when
    at least one is declared."""
    return RiskInput(
        client=declared.client,
        persons=persons_from_declared(declared),
        alerts=alerts,
        legal_person_shareholders=legal_person_shareholders,
        ownership_layers=ownership_layers,
        owners_identified=bool(declared.beneficial_owners),
        as_of=as_of,
    )
