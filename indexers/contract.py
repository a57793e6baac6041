"""The search contract: what is indexed, what can be asked, what comes back. Every backend
(embedded Tantivy, Elasticsearch) implements `SearchIndex` and passes the same contract tests
(tests/integration/search/).

One record per document, with its dossier's data denormalised (firm, SIREN, client name, risk
level, open-alert types, assignees). The firm is not a query option: it is the mandatory
`Visibility` argument of every search and delete, applied inside the backend, together with the
collaborator's assignment filter. There is no way to query without it.

Person search never stems names: candidates come broadly from folded-exact, trigram and phonetic
fields, then `indexers.person_rank` re-scores them the same way for every backend and says what
matched (the approach OpenSanctions' yente takes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import date, datetime


class PersonRole(StrEnum):
    """Why a person is named in a document."""

    BENEFICIAL_OWNER = "beneficial_owner"
    OFFICER = "officer"
    SHAREHOLDER = "shareholder"
    IDENTITY_HOLDER = "identity_holder"


@dataclass(frozen=True, slots=True)
class PersonEntry:
    """A natural person named in a document."""

    role: PersonRole
    last_name: str  # birth name as read
    first_names: str = ""
    birth_date: date | None = None
    usage_name: str | None = None


@dataclass(frozen=True, slots=True)
class IndexRecord:
    """One document as the index holds it."""

    document_id: str
    firm_id: str
    dossier_id: str
    client_name: str
    doc_type: str  # kanta_docs.vocab.DocType value
    file_name: str
    siren: str | None = None
    document_date: date | None = None
    expiry_date: date | None = None  # the effective expiry date (legal end of validity)
    pages: tuple[str, ...] = ()
    persons: tuple[PersonEntry, ...] = ()
    open_alert_types: tuple[str, ...] = ()
    risk_level: str | None = None  # low | medium | high
    assignee_ids: tuple[str, ...] = ()  # users assigned to the dossier (collaborator filter)
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Visibility:
    """Who is asking: always a firm; for a collaborator, only dossiers assigned to them."""

    firm_id: str
    assigned_to: str | None = None


class SortBy(StrEnum):
    """Result order."""

    RELEVANCE = "relevance"
    DOCUMENT_DATE = "document_date"
    EXPIRY_DATE = "expiry_date"


@dataclass(frozen=True, slots=True)
class PersonQuery:
    """A person to find: a name as typed or heard, optionally narrowed by birth date."""

    name: str
    birth_date: date | None = None


@dataclass(frozen=True, slots=True)
class DateRange:
    """Inclusive bounds; either may be open."""

    start: date | None = None
    end: date | None = None


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """Everything a search can ask. Empty text and no person: filters only (browse)."""

    text: str = ""  # French full text; "double quotes" make a phrase
    person: PersonQuery | None = None
    siren: str | None = None  # exact SIREN, or a SIRET (its first 9 digits are used)
    doc_types: tuple[str, ...] = ()
    dossier_ids: tuple[str, ...] = ()
    document_date: DateRange | None = None
    expiry_date: DateRange | None = None
    alert_types: tuple[str, ...] = ()  # documents of dossiers with one of these open alerts
    risk_levels: tuple[str, ...] = ()
    sort: SortBy = SortBy.RELEVANCE
    descending: bool = True  # for date sorts; relevance is always best first
    limit: int = 20  # 1..100
    cursor: str | None = None  # from the previous page's `next_cursor`
    group_by_dossier: bool = False
    highlight: bool = True
    facets: bool = True


@dataclass(frozen=True, slots=True)
class PersonMatch:
    """Why a hit matched a person query: the name found, a score in [0, 1], the reasons."""

    last_name: str
    first_names: str
    birth_date: date | None
    role: PersonRole
    score: float
    explanation: tuple[str, ...]  # e.g. ("nom identique sans accents", "prénoms inversés")


@dataclass(frozen=True, slots=True)
class Hit:
    """One matching document."""

    document_id: str
    dossier_id: str
    score: float
    client_name: str
    siren: str | None
    doc_type: str
    file_name: str
    document_date: date | None
    expiry_date: date | None
    risk_level: str | None
    highlights: tuple[str, ...] = ()  # passages with <mark>…</mark> around matched terms
    person_match: PersonMatch | None = None


@dataclass(frozen=True, slots=True)
class DossierGroup:
    """Hits of one dossier (group_by_dossier): the best few and how many there are."""

    dossier_id: str
    client_name: str
    siren: str | None
    risk_level: str | None
    score: float  # the best hit's
    total_hits: int
    hits: tuple[Hit, ...]


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A page of results. `total` counts documents (or dossiers when grouped)."""

    total: int
    hits: tuple[Hit, ...] = ()
    groups: tuple[DossierGroup, ...] = ()
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # doc_type, risk_level,
    next_cursor: str | None = None                                   # alert_type -> counts


FACETS = ("doc_type", "risk_level", "alert_type")
MAX_LIMIT = 100
GROUP_HITS = 3  # hits shown per dossier group


class SearchIndex(Protocol):
    """A search backend. Writes are visible to searches after `refresh()`."""

    def upsert(self, records: Sequence[IndexRecord]) -> None:
        """Add or replace records (by document_id)."""
        ...

    def delete_documents(self, firm_id: str, document_ids: Sequence[str]) -> None:
        """Remove documents of the firm (unknown ids are ignored)."""
        ...

    def replace_dossier(self, firm_id: str, dossier_id: str,
                        records: Sequence[IndexRecord]) -> None:
        """Make the dossier's records exactly `records` (empty: the dossier is gone)."""
        ...

    def delete_firm(self, firm_id: str) -> None:
        """Remove everything of the firm."""
        ...

    def search(self, visibility: Visibility, query: SearchQuery) -> SearchResult:
        """Search within what `visibility` allows; raises `InvalidQuery` for a bad query."""
        ...

    def reindex(self, records: Iterable[IndexRecord], firm_id: str | None = None) -> int:
        """Rebuild from the source of truth: the firm's records (all when None) are replaced
        by `records`, without a moment where searches see an empty index. Returns the count."""
        ...

    def refresh(self) -> None:
        """Make every write so far visible to searches."""
        ...

    def close(self) -> None:
        """Release files and connections."""
        ...


class InvalidQuery(ValueError):
    """A query the index cannot run (bad cursor, limit out of range, unparsable text)."""


class SearchUnavailable(RuntimeError):
    """The engine cannot be reached; the outbox retries the write later."""
