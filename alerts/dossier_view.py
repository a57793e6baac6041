"""A dossier's documents sorted by what they say about the client: which company documents
describe the client and which describe a company holding it, the newest register and
beneficial-owner extracts, the identity documents, the files nobody could read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from alerts.companies import same_company
from kanta_docs.facts import value_of
from kanta_docs.vocab import DocType

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kanta_docs.declared import DeclaredClient
    from kanta_docs.facts import DossierDocument


@dataclass(frozen=True, slots=True)
class DossierView:
    """The dossier's documents, each in the role it plays for the cross-check."""

    documents: tuple[DossierDocument, ...]
    client_docs: tuple[DossierDocument, ...]  # kbis, rbe, statuts about the client itself
    holding_docs: tuple[DossierDocument, ...]  # statuts (or extracts) of companies holding it
    identity_docs: tuple[DossierDocument, ...]
    unreadable: tuple[DossierDocument, ...]  # could not be read or classified

    def newest(self, doc_type: DocType) -> DossierDocument | None:
        """The client document of `doc_type` with the latest document date (undated ones last)."""
        docs = [d for d in self.client_docs if d.result.doc_type is doc_type]
        if not docs:
            return None
        return max(docs, key=lambda d: d.result.document_date or date.min)


def view_dossier(documents: Sequence[DossierDocument], client: DeclaredClient) -> DossierView:
    """Sort `documents` into their roles.

    A company document is about a holding when its company is a corporate shareholder named in
    another document's statuts and is not the declared client; everything else describing a
    company is about the client (a wrong declared SIREN must not hide the client's documents).
    """
    company_docs = [d for d in documents if d.result.doc_type.is_company and d.facts]
    holders = [
        (value_of(s.company_siren), value_of(s.name))
        for d in company_docs if d.result.doc_type is DocType.STATUTS and d.facts
        for s in d.facts.shareholders if s.person is None
    ]
    client_docs: list[DossierDocument] = []
    holding_docs: list[DossierDocument] = []
    for doc in company_docs:
        company = doc.result.company
        siren, name = (company.siren, company.name) if company else (None, None)
        is_client = same_company(siren, name, client.siren, client.name)
        is_holder = any(same_company(siren, name, hs, hn) for hs, hn in holders)
        (holding_docs if is_holder and not is_client else client_docs).append(doc)
    return DossierView(
        documents=tuple(documents),
        client_docs=tuple(client_docs),
        holding_docs=tuple(holding_docs),
        identity_docs=tuple(d for d in documents if d.result.doc_type.is_identity),
        unreadable=tuple(d for d in documents if d.result.doc_type is DocType.UNKNOWN),
    )
