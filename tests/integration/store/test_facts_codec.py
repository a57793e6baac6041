from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kanta_docs.facts import (
    CompanyFacts,
    DocumentFacts,
    IdentityFacts,
    OfficerFacts,
    OwnerFacts,
    PersonFacts,
    ShareholderFacts,
    Value,
)
from kanta_docs.models import Provenance
from kanta_docs.store import facts_codec
from kanta_docs.store.tables import DocState
from kanta_docs.vocab import OfficerRole

from .helpers import NOW, add_doc, firm_with_dossier

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# PostgreSQL text and JSONB refuse NUL; page text never contains it (extractors strip controls).
text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20)
finite = st.floats(allow_nan=False, allow_infinity=False)
provenance = st.builds(Provenance, page=st.integers(1, 500), text=text,
                       box=st.none() | st.tuples(finite, finite, finite, finite),
                       confidence=st.floats(0, 1))


def value(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Value[Any] | None]:
    return st.none() | st.builds(Value, inner, st.none() | provenance)


dates = st.dates(date(1900, 1, 1), date(2100, 12, 31))
person = st.builds(PersonFacts, last_name=value(text), first_names=value(text),
                   usage_name=value(text), birth_date=value(dates), birth_place=value(text),
                   nationality=value(text), sex=value(st.sampled_from(["M", "F"])))
facts_strategy = st.builds(
    DocumentFacts,
    document_date=value(dates), expiry_date=value(dates), effective_expiry_date=value(dates),
    company=st.none() | st.builds(CompanyFacts, siren=value(text), name=value(text),
                                  legal_form=value(text), capital_eur=value(finite),
                                  address=value(text)),
    beneficial_owners=st.lists(st.builds(
        OwnerFacts, person=person, capital_pct=value(finite), voting_pct=value(finite),
        modalities=st.frozensets(text, max_size=3), since=value(dates)), max_size=2).map(tuple),
    officers=st.lists(st.builds(
        OfficerFacts, person=person, role=st.sampled_from(OfficerRole), role_text=text,
        is_company=st.booleans(), siren=value(text)), max_size=2).map(tuple),
    shareholders=st.lists(st.builds(
        ShareholderFacts, name=st.builds(Value, text, st.none() | provenance),
        shares=value(st.integers(0, 10**12)), pct=value(finite),
        person=st.none() | person, company_siren=value(text)), max_size=2).map(tuple),
    identity=st.none() | st.builds(
        IdentityFacts, person=person, document_number=value(text),
        issuing_country=value(text), expiry_date=value(dates), issue_date=value(dates),
        mrz_valid=st.none() | st.booleans(), mrz_lines=st.lists(text, max_size=3).map(tuple)),
    warnings=st.lists(text, max_size=3).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(facts_strategy)
def test_facts_round_trip_through_json_text(facts: DocumentFacts) -> None:
    stored = json.loads(json.dumps(facts_codec.to_json(facts)))
    assert facts_codec.from_json(stored) == facts


def test_facts_round_trip_through_the_database(session: Session) -> None:
    a, dossier = firm_with_dossier(session)
    doc = add_doc(a, dossier.id)
    prov = Provenance(2, "né le 03/04/1971", (10.5, 20.0, 110.25, 32.0), 0.87)
    facts = DocumentFacts(
        document_date=Value(date(2026, 1, 2), prov),
        company=CompanyFacts(capital_eur=Value(1000.0, prov), siren=Value("123456789")),
        beneficial_owners=(OwnerFacts(PersonFacts(last_name=Value("DUPONT", prov)),
                                      capital_pct=Value(25.0), modalities=frozenset({"capital"}),
                                      since=Value(date(2020, 5, 1))),),
        shareholders=(ShareholderFacts(Value("HOLDCO"), shares=Value(500)),),
        warnings=("page 2: OCR confidence 61% below 70%",))
    a.transition_document(doc.id, DocState.RECEIVED, DocState.PROCESSING, now=NOW)
    doc.facts = facts_codec.to_json(facts)
    session.commit()
    session.expire_all()
    stored = a.get_document(doc.id)
    assert stored is not None and stored.facts is not None
    assert facts_codec.from_json(stored.facts) == facts


def test_unknown_format_is_refused() -> None:
    import pytest

    with pytest.raises(ValueError, match="format"):
        facts_codec.from_json({"format": 99})
