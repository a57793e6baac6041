"""`kanta-docs reindex` and `kanta-docs search`: the search index from the command line."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import select

from indexers.contract import PersonQuery, SearchQuery, SearchResult, Visibility
from indexers.factory import open_index
from indexers.records import firm_records
from kanta_docs.errors import InvalidInput
from kanta_docs.store.tables import Firm

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.orm import Session

    from kanta_docs.tasks import Runtime


def _firm_id(session: Session, name: str) -> uuid.UUID:
    found = session.scalar(select(Firm.id).where(Firm.name == name))
    if found is None:
        raise InvalidInput(f"no firm named {name!r} in the store")
    return found


def reindex(rt: Runtime, firm_name: str | None, err: IO[str]) -> int:
    """Rebuild the index of one firm (or every firm) from the store; returns the count."""
    index = open_index(rt.settings)
    total = 0
    try:
        with rt.sessions.begin() as session:
            firms = ([_firm_id(session, firm_name)] if firm_name
                     else list(session.scalars(select(Firm.id).order_by(Firm.id))))
            for firm_id in firms:
                count = index.reindex(firm_records(session, firm_id), str(firm_id))
                err.write(f"firm {firm_id}: {count} documents indexed\n")
                total += count
        index.refresh()
    finally:
        index.close()
    return total


def search(rt: Runtime, firm_name: str, text: str, *, person: bool, doc_types: tuple[str, ...],
           birth_date: date | None, limit: int) -> SearchResult:
    """One search in the firm's documents."""
    with rt.sessions.begin() as session:
        firm_id = _firm_id(session, firm_name)
    query = SearchQuery(text="" if person else text,
                        person=PersonQuery(text, birth_date) if person else None,
                        doc_types=doc_types, limit=limit)
    index = open_index(rt.settings)
    try:
        return index.search(Visibility(str(firm_id)), query)
    finally:
        index.close()


def print_result(result: SearchResult, fmt: str, out: IO[str]) -> None:
    """JSON, or a table for a person."""
    if fmt == "json":
        out.write(json.dumps(asdict(result), default=_json_default, ensure_ascii=False,
                             indent=2) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{result.total} document(s)")
    for column in ("score", "dossier", "type", "fichier", "date", "extrait / personne"):
        table.add_column(column, overflow="fold")
    for hit in result.hits:
        detail = (f"{hit.person_match.last_name} {hit.person_match.first_names}: "
                  + ", ".join(hit.person_match.explanation)) if hit.person_match else (
                      hit.highlights[0] if hit.highlights else "")
        table.add_row(f"{hit.score:.2f}", hit.client_name, hit.doc_type, hit.file_name,
                      hit.document_date.isoformat() if hit.document_date else "", detail)
    Console(file=out, width=140).print(table)


def _json_default(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
