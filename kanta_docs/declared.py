"""What a firm declared about a client dossier: the `declared.json` of ../shared/CONTRACT.md.

Unknown keys are ignored so firms can keep their own annotations in the file; a value of the
wrong type is an error naming the field.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from kanta_docs.vocab import OfficerRole


class _Declared(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class DeclaredClient(_Declared):
    """The client company as the firm knows it."""

    siren: str | None = None
    name: str | None = None
    legal_form: str | None = None
    naf: str | None = None  # APE/NAF code, "6920Z" or "69.20Z"
    country: str | None = "FRA"  # ISO 3166-1 alpha-3 of the head office
    mission: str | None = None  # engagement type, e.g. "tenue_comptable"


class DeclaredPerson(_Declared):
    """A natural person the firm declared; `last_name` is the birth name."""

    last_name: str
    first_names: str | None = None
    birth_date: date | None = None
    nationality: str | None = None  # ISO 3166-1 alpha-3
    country_of_residence: str | None = None  # ISO 3166-1 alpha-3
    pep: bool = False  # politically exposed person (CMF R.561-18)


class DeclaredOwner(DeclaredPerson):
    """A declared beneficial owner with the holding the firm knows of (direct + indirect)."""

    capital_pct: float | None = Field(default=None, ge=0, le=100)
    voting_pct: float | None = Field(default=None, ge=0, le=100)


class DeclaredOfficer(DeclaredPerson):
    """A declared officer (legal representative or other)."""

    role: OfficerRole = OfficerRole.OTHER


class Declared(_Declared):
    """The whole of declared.json."""

    client: DeclaredClient = DeclaredClient()
    beneficial_owners: list[DeclaredOwner] = []
    officers: list[DeclaredOfficer] = []
