"""Personal data: finding one natural person across a firm's dossiers, and redacting their
name, the way the cross-check matches persons (alerts.persons.compare_persons): accents, case,
hyphens, particles and the order of first names set aside, a few OCR slips allowed; a record
whose birth date differs from the one asked for is a namesake and is left out, one without a
birth date matches on the name alone and says so. The HTTP routes (api/routes/privacy.py) add
who may ask, the audit and the deletions.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from alerts.names import PARTICLES, fold_name
from alerts.persons import MatchKind, PersonMatch, PersonRef, compare_persons
from kanta_docs.store.tables import Alert, Document

if TYPE_CHECKING:
    import uuid

    from kanta_docs.store.repositories import FirmScope

ERASED = "[effacé]"
# Fields of a declared person that do not identify them and stay in redacted past versions.
_KEPT_DECLARED_FIELDS = ("role", "capital_pct", "voting_pct")
# Gap between two words of one name: a space, a hyphen, an apostrophe, a dot, a comma.
_NAME_GAP = re.compile(r"[\s\-'’.,]{1,3}")
_WORD = re.compile(r"\w+")


# -- matching ---------------------------------------------------------------------------------


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def person_ref(data: dict[str, Any] | None) -> PersonRef | None:
    """A stored person dict (declared, extracted or an alert's subject) as a PersonRef."""
    if not isinstance(data, dict):
        return None
    last, first = data.get("last_name"), data.get("first_names")
    if not isinstance(last, str) or not last.strip():
        return None
    return PersonRef(last_name=last, first_names=first if isinstance(first, str) else None,
                     birth_date=_date(data.get("birth_date")),
                     usage_name=data.get("usage_name") if isinstance(data.get("usage_name"),
                                                                   str) else None)


def _match(query: PersonRef, other: PersonRef | None) -> PersonMatch | None:
    """The verdict when `other` is the person asked for (names agree, birth dates agree or
    one is unknown), else None."""
    if other is None:
        return None
    verdict = compare_persons(query, other)
    return verdict if verdict.kind is MatchKind.SAME else None


@dataclass
class DeclaredHit:
    """The person in one declared version (`index` in its owners or officers list)."""

    dossier_id: uuid.UUID
    row_id: int
    version: int
    latest: bool
    role: str  # beneficial_owner | officer
    index: int
    data: dict[str, Any]
    birth_date_agrees: bool | None


@dataclass
class DocumentHit:
    """The person as read from one document."""

    dossier_id: uuid.UUID
    document_id: uuid.UUID
    file_name: str
    doc_type: str | None
    role: str  # beneficial_owner | officer | shareholder | identity
    data: dict[str, Any]
    birth_date_agrees: bool | None


@dataclass
class AlertHit:
    """An alert whose subject is the person."""

    alert: Alert
    birth_date_agrees: bool | None


@dataclass
class Findings:
    """Everything held about one person in one firm."""

    declared: list[DeclaredHit] = field(default_factory=list)
    documents: list[DocumentHit] = field(default_factory=list)
    alerts: list[AlertHit] = field(default_factory=list)

    def dossier_ids(self) -> list[uuid.UUID]:
        """The dossiers where the person appears."""
        ids = {h.dossier_id for h in self.declared} | {h.dossier_id for h in self.documents}
        ids |= {h.alert.dossier_id for h in self.alerts}
        return sorted(ids, key=str)

    def names(self) -> list[dict[str, Any]]:
        """Every spelling of the person's name found, for redaction."""
        out = [h.data for h in self.declared] + [h.data for h in self.documents]
        out += [h.alert.subject for h in self.alerts if h.alert.subject]
        return out


def find_person(store: FirmScope, query: PersonRef) -> Findings:
    """The declared persons (every version), extracted persons and alert subjects of the
    firm's dossiers that are `query`."""
    found = Findings()
    db = store.session
    for dossier in store.list_dossiers():
        history = store.declared_history(dossier.id)
        latest = history[-1].version if history else None
        for row in history:
            for role, key in (("beneficial_owner", "beneficial_owners"), ("officer", "officers")):
                for index, person in enumerate(row.data.get(key) or []):
                    verdict = _match(query, person_ref(person))
                    if verdict is None:
                        continue
                    found.declared.append(DeclaredHit(
                        dossier.id, row.id, row.version, row.version == latest, role, index,
                        copy.deepcopy(person), verdict.birth_date_agrees))
    documents = db.scalars(store.documents_query().order_by(Document.created_at, Document.id))
    for doc in documents:
        result = doc.result if isinstance(doc.result, dict) else None
        if not result:
            continue
        candidates: list[tuple[str, dict[str, Any], PersonRef | None]] = []
        for role, key in (("beneficial_owner", "beneficial_owners"), ("officer", "officers")):
            candidates += [(role, p, person_ref(p)) for p in result.get(key) or []]
        for holder in result.get("shareholders") or []:
            name = holder.get("name") if isinstance(holder, dict) else None
            candidates.append(("shareholder", holder, PersonRef(last_name=name, first_names=None)
                               if isinstance(name, str) and name.strip() else None))
        if isinstance(result.get("identity"), dict):
            candidates.append(("identity", result["identity"], person_ref(result["identity"])))
        for role, data, ref in candidates:
            verdict = _match(query, ref)
            if verdict is not None:
                found.documents.append(DocumentHit(doc.dossier_id, doc.id, doc.file_name,
                                                   doc.doc_type, role, copy.deepcopy(data),
                                                   verdict.birth_date_agrees))
    for alert in db.scalars(store.alerts_query().order_by(Alert.created_at, Alert.id)):
        verdict = _match(query, person_ref(alert.subject))
        if verdict is not None:
            found.alerts.append(AlertHit(alert, verdict.birth_date_agrees))
    return found


# -- redaction --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameTokens:
    """The folded words of every spelling of the person's name."""

    last: frozenset[str]
    first: frozenset[str]

    @classmethod
    def of(cls, query: PersonRef, records: list[dict[str, Any]]) -> NameTokens:
        """The words of the name asked for and of every record found."""
        last: set[str] = set()
        first: set[str] = set()
        for rec in [{"last_name": query.last_name, "first_names": query.first_names}, *records]:
            for key, bucket in (("last_name", last), ("usage_name", last),
                                ("first_names", first)):
                value = rec.get(key)
                if isinstance(value, str):
                    bucket.update(fold_name(value).split())
        return cls(frozenset(last - PARTICLES), frozenset(first - PARTICLES))


def redact_text(text: str, names: NameTokens, *, last_name_alone: bool) -> str:
    """`text` with the person's name replaced by "[effacé]".

    A name is a run of words of the person's names (folded: accents and case aside), separated
    by a space, a hyphen, an apostrophe or a dot, particles included inside it. It is redacted
    when it holds a last name and a first name ("Jean DUPONT", "DUPONT Jean Pierre",
    "jean-dupont"), or a last name alone when `last_name_alone` (alerts about the person).
    """
    if not text:
        return text
    words = [(m.start(), m.end(), fold_name(m.group()).replace(" ", ""))
             for m in _WORD.finditer(text)]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        j = i
        run: list[int] = []
        while j < len(words):
            word = words[j][2]
            if word not in names.last and word not in names.first and word not in PARTICLES:
                break
            if run and not _NAME_GAP.fullmatch(text[words[run[-1]][1]:words[j][0]]):
                break
            run.append(j)
            j += 1
        span = _name_span(run, words, names, last_name_alone=last_name_alone)
        if span is not None:
            spans.append(span)
        i = max(j, i + 1)
    for start, end in reversed(spans):
        text = text[:start] + ERASED + text[end:]
    return text


def _name_span(run: list[int], words: list[tuple[int, int, str]], names: NameTokens, *,
               last_name_alone: bool) -> tuple[int, int] | None:
    kinds = [words[k][2] for k in run]
    # Particles at the edges belong to the name only before a last name ("de La FONTAINE").
    while kinds and kinds[-1] in PARTICLES and kinds[-1] not in names.last:
        kinds.pop()
        run = run[:-1]
    while kinds and kinds[0] in PARTICLES and kinds[0] not in names.first:
        rest = [w for w in kinds if w not in PARTICLES]
        if rest and rest[0] in names.last:
            break
        kinds.pop(0)
        run = run[1:]
    has_last = any(w in names.last for w in kinds)
    has_first = any(w in names.first and w not in names.last for w in kinds)
    if not has_last or not (has_first or last_name_alone):
        return None
    return words[run[0]][0], words[run[-1]][1]


def redact_value(value: Any, names: NameTokens, *, last_name_alone: bool) -> Any:
    """Strings (in lists and dicts too) with the person's name redacted."""
    if isinstance(value, str):
        return redact_text(value, names, last_name_alone=last_name_alone)
    if isinstance(value, list):
        return [redact_value(v, names, last_name_alone=last_name_alone) for v in value]
    if isinstance(value, dict):
        return {k: redact_value(v, names, last_name_alone=last_name_alone)
                for k, v in value.items()}
    return value


def redact_subject(subject: dict[str, Any] | None) -> dict[str, Any] | None:
    """An alert's subject with every identifying field redacted."""
    if subject is None:
        return None
    out = dict(subject)
    for key in ("last_name", "first_names"):
        if out.get(key):
            out[key] = ERASED
    if "birth_date" in out:
        out["birth_date"] = None
    return out


def erased_person(person: dict[str, Any]) -> dict[str, Any]:
    """A declared person reduced to what does not identify them."""
    kept = {k: person[k] for k in _KEPT_DECLARED_FIELDS if k in person}
    return {"last_name": ERASED, **kept}


# -- shapes -----------------------------------------------------------------------------------
