"""Shapes shared by the stages: pages of text with positions, provenance, and the contract output.

Pages and provenance are frozen dataclasses (inside the core); the contract shapes of
../shared/CONTRACT.md are frozen pydantic models, because they cross the CLI/API/DB edges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, ConfigDict

from kanta_docs.vocab import DocType, FileKind, OfficerRole, TextSource

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Word:
    """One word on a page. Coordinates are PDF points (1/72 in) from the page's top-left corner."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float | None = None  # OCR confidence 0-100; None for a text layer

    @property
    def area(self) -> float:
        """The box's area in square points (never 0, so shares of it can be taken)."""
        return max((self.x1 - self.x0) * (self.bottom - self.top), 1e-6)

    def shared_area(self, other: Word) -> float:
        """The area of the part of this box that lies inside `other`'s."""
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.bottom, other.bottom) - max(self.top, other.top)
        return w * h if w > 0 and h > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Page:
    """The text of one page, with its words and where they came from."""

    number: int  # 1-based
    width: float  # points
    height: float  # points
    text: str
    words: tuple[Word, ...]
    source: TextSource
    ocr_confidence: float | None = None  # mean word confidence 0-100, None without OCR
    warnings: tuple[str, ...] = ()
    # A machine-readable zone read again by OCR on its own, restricted to the zone's characters
    # (extractors/scan.py); None when the page has no zone-like text or no OCR.
    zone_text: str | None = None


@dataclass(frozen=True, slots=True)
class ReadDocument:
    """A file turned into pages: the output of the reading stage."""

    kind: FileKind
    pages: tuple[Page, ...]
    warnings: tuple[str, ...] = ()

    @property
    def ocr_used(self) -> bool:
        """Whether any page's text came from OCR."""
        return any(p.source is TextSource.OCR for p in self.pages)

    @property
    def text(self) -> str:
        """All pages' text, separated by form feeds."""
        return "\f".join(p.text for p in self.pages)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an extracted value came from, so a person can check it."""

    page: int  # 1-based
    text: str  # the span of page text the value was read from
    box: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom in points
    confidence: float = 1.0  # 0-1


@dataclass(frozen=True, slots=True)
class Classification:
    """A document type with the evidence that decided it."""

    doc_type: DocType
    confidence: float  # 0-1
    reasons: tuple[str, ...] = field(default_factory=tuple)


class _Contract(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CompanyOut(_Contract):
    """`company` block of the extract contract."""

    siren: str | None = None
    name: str | None = None
    legal_form: str | None = None
    capital_eur: float | None = None
    address: str | None = None


class BeneficialOwnerOut(_Contract):
    """One entry of `beneficial_owners`."""

    last_name: str | None = None
    first_names: str | None = None
    birth_date: date | None = None
    nationality: str | None = None
    capital_pct: float | None = None
    voting_pct: float | None = None


class OfficerOut(_Contract):
    """One entry of `officers`."""

    last_name: str | None = None
    first_names: str | None = None
    role: OfficerRole = OfficerRole.OTHER


class ShareholderOut(_Contract):
    """One entry of `shareholders`."""

    name: str
    shares: int | None = None
    pct: float | None = None


class IdentityOut(_Contract):
    """`identity` block of the extract contract."""

    last_name: str | None = None
    first_names: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    nationality: str | None = None
    document_number: str | None = None
    issuing_country: str | None = None
    expiry_date: date | None = None
    mrz_valid: bool | None = None


class ExtractResult(_Contract):
    """One document's `kanta-docs extract` object; every field of the contract is present."""

    schema_version: int = SCHEMA_VERSION
    file: str
    sha256: str
    doc_type: DocType = DocType.UNKNOWN
    pages: int = 0
    ocr_used: bool = False
    document_date: date | None = None
    expiry_date: date | None = None
    effective_expiry_date: date | None = None
    company: CompanyOut | None = None
    beneficial_owners: list[BeneficialOwnerOut] = []
    officers: list[OfficerOut] = []
    shareholders: list[ShareholderOut] = []
    identity: IdentityOut | None = None
    warnings: list[str] = []

    def to_json_dict(self) -> dict[str, object]:
        """The contract JSON object (dates as ISO strings, enums as their values)."""
        return self.model_dump(mode="json")
