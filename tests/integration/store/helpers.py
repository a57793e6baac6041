"""Small builders shared by the store tests."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from kanta_docs.assessment import Alert, Evidence, Subject
from kanta_docs.store.repositories import FirmScope, NewDocument, create_firm
from kanta_docs.vocab import AlertType, Severity

if TYPE_CHECKING:
    import uuid

    from sqlalchemy.orm import Session

    from kanta_docs.store.tables import Document, Dossier

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def sha(n: int | str) -> str:
    return hashlib.sha256(str(n).encode()).hexdigest()


def firm_with_dossier(session: Session, name: str = "Cabinet A",
                      siren: str = "123456789") -> tuple[FirmScope, Dossier]:
    firm = create_firm(session, name, {"sla_days": {"high": 1, "medium": 5}}, now=NOW)
    scope = FirmScope(session, firm.id)
    dossier, _ = scope.upsert_dossier(siren, f"Client {siren}", now=NOW)
    return scope, dossier


def add_doc(scope: FirmScope, dossier_id: uuid.UUID, n: int | str = 1) -> Document:
    doc, _ = scope.add_document(NewDocument(dossier_id, sha(n), f"f{n}.pdf", 100,
                                            "application/pdf"), now=NOW)
    return doc


def raised(key: str = "k1", text: str = "Jean DUPONT", severity: Severity = Severity.HIGH,
           message: str = "Bénéficiaire non déclaré") -> Alert:
    return Alert(type=AlertType.BE_NOT_DECLARED, severity=severity,
                 subject=Subject(last_name="DUPONT", first_names="Jean",
                                 birth_date=date(1971, 4, 3)),
                 evidence=[Evidence(file="rbe.pdf", page=1, text=text)],
                 message=message, key=key)
