"""The persons of a dossier as the matcher sees them, whatever record they come from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alerts.persons import PersonRef
from kanta_docs.assessment import Subject
from kanta_docs.facts import value_of

if TYPE_CHECKING:
    from kanta_docs.declared import DeclaredPerson
    from kanta_docs.facts import PersonFacts


def ref_from_facts(person: PersonFacts) -> PersonRef:
    """A person as a document names them."""
    return PersonRef(last_name=value_of(person.last_name),
                     first_names=value_of(person.first_names),
                     birth_date=value_of(person.birth_date),
                     usage_name=value_of(person.usage_name))


def ref_from_declared(person: DeclaredPerson) -> PersonRef:
    """A person as the firm declared them."""
    return PersonRef(last_name=person.last_name, first_names=person.first_names,
                     birth_date=person.birth_date)


def subject_of(person: PersonRef) -> Subject:
    """The alert subject for a person."""
    return Subject(last_name=person.last_name, first_names=person.first_names,
                   birth_date=person.birth_date)


def display_name(person: PersonRef) -> str:
    """"Jean Pierre DUPONT": first names then the birth name in capitals, for messages."""
    last = (person.last_name or "").upper()
    return f"{person.first_names} {last}".strip() if person.first_names else last or "?"
