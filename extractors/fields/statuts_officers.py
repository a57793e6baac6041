"""Officers the statuts appoint: first Président, Directeur général, gérant(s), auditors.

An appointment is a sentence with a role (ROLE span: "Président", "cogérants", "Directeur
général délégué") and an appointment cue ("est nommé", "désignée", "premier gérant", "les
fonctions de"), or any sentence naming a role and a person inside an article whose title is
about appointing ("Nomination des premiers dirigeants", "Premier gérant", "Dispositions
transitoires", "Gérance"). Generic clauses ("Le Président est nommé par décision collective")
name nobody and give no officer.

Who holds which role, in one sentence: a person takes the first role named after them, before
the next person ("M. X est nommé Président et Mme Y Directeur général"), else the last role
named before them ("Sont nommés cogérants : M. X et Mme Y"). A person "représenté(e) par"
someone is the officer, not the representative. "L'associé unique" / "le soussigné" without a
name is the sole founder. A person named again ("susnommé") gets the founder's civil status.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractors.fields.statuts_articles import article_at
from extractors.fields.statuts_dates import closing_start
from extractors.fields.statuts_persons import (
    Mention,
    MentionKind,
    best_match,
    better_read,
    find_mentions,
)
from extractors.fields.statuts_text import sentence_end, sentence_start
from extractors.french.folding import fold_text, fold_words
from extractors.french.roles import parse_officer_role
from extractors.nlp import SpanLabel
from kanta_docs.facts import OfficerFacts, PersonFacts, Value
from kanta_docs.text import collapse_spaces

if TYPE_CHECKING:
    from collections.abc import Sequence

    from extractors.fields.statuts_articles import Article
    from extractors.fields.statuts_parties import PartiesBlock
    from extractors.fields.statuts_text import StatutsText
    from extractors.nlp import TextSpan
    from kanta_docs.vocab import OfficerRole

# Updated statuts name the officers in force in a transitional clause or the gérance article.
_APPOINTING_TITLE = re.compile(r"(?<![a-z])(?:nomination|designation|premiers?\s|premiere"
                               r"|dirigeants|transitoires?|gerance)")
# A colon alone between a role and the next name: the role introduces that name ("… ;
# commissaire aux comptes suppléant : M. X"), unlike "M. X, Président ; M. Y, …".
_INTRODUCES = re.compile(r"\s*:\s*$")
_SOLE_FOUNDER = re.compile(r"associe\s+unique|soussigne|fondateur")
# The officer an appointment replaces is no officer any more.
_FORMER_BEFORE = re.compile(r"(?:en\s+remplacement\s+de|succedant\s+a|en\s+lieu\s+et\s+place\s+de"
                            r"|remplace|succede\s+a)\s*$")
_FORMER_AFTER = re.compile(r"\s*,?\s*(?:demissionnaire|decede|revoque|sortant)")
_FORMER_GAP = 30
# An office named for its holder ("La gérance est assurée par M. X"): the role it gives.
_OFFICES = {"gerance": "gerant", "cogerance": "cogerant", "co-gerance": "cogerant",
            "presidence": "president"}


def parse_officers(doc: StatutsText, spans: Sequence[TextSpan], articles: list[Article],
                   parties: PartiesBlock | None,
                   holders: Sequence[Mention] = ()) -> list[OfficerFacts]:  # fmt: skip
    """The officers appointed in the statuts, in text order, each role of a person once.

    `holders` (the shareholders as the capital article names them) complete an officer's civil
    status when the founders' block does not give it.
    """
    skip = (parties.start, parties.end) if parties else (0, 0)
    founders = list(parties.parties) if parties else []
    founders += [h for h in holders if all(h is not f for f in founders)]
    roles = [s for s in spans if s.label is SpanLabel.ROLE and not skip[0] <= s.start < skip[1]]
    closing = closing_start(doc.text)
    officers: list[OfficerFacts] = []
    seen_sentences: set[int] = set()
    for role in roles:
        start = sentence_start(doc.text, role.start)
        if start in seen_sentences:
            continue
        end = sentence_end(doc.text, role.end)
        if not _is_appointment(doc.text, spans, articles, start, end,
                               after_closing=closing is not None and end > closing):
            continue
        seen_sentences.add(start)
        for officer in _sentence_officers(doc, spans, start, end, founders):
            if not any(_same_officer(officer, o) for o in officers):
                officers.append(officer)
    return officers


def _is_appointment(text: str, spans: Sequence[TextSpan], articles: list[Article], start: int,
                    end: int, *, after_closing: bool = False) -> bool:  # fmt: skip
    """Whether the sentence [start, end) appoints someone (a cue, or an appointing article; the
    signatures after the last article's text are no part of it)."""
    if any(s.label is SpanLabel.APPOINTMENT and start <= s.start < end for s in spans):
        return True
    if after_closing:
        return False
    article = article_at(articles, start)
    return article is not None and bool(_APPOINTING_TITLE.search(article.title + " "))


def _sentence_officers(doc: StatutsText, spans: Sequence[TextSpan], start: int, end: int,
                       founders: Sequence[Mention]) -> list[OfficerFacts]:  # fmt: skip
    """The (person, role) pairs one appointing sentence names."""
    roles = [s for s in spans if s.label is SpanLabel.ROLE and start <= s.start < end]
    people = find_mentions(doc, spans, start, end, loose=True)
    if not people and len(founders) == 1 and _SOLE_FOUNDER.search(fold_text(doc.text[start:end])):
        people = [founders[0]]  # "est nommé Président : l'associé unique"
        return [o for r in roles[-1:] if (o := _officer(doc, people[0], r, founders))]
    out: list[OfficerFacts] = []
    for index, person in enumerate(people):
        nxt = people[index + 1].start if index + 1 < len(people) else end
        if _is_former(doc.text, person):
            continue
        # A role inside the person's own clauses after "représentée par" is the representative's.
        rep = next((c.start for c in spans if c.label is SpanLabel.REPRESENTATIVE
                    and person.name_end <= c.start < person.end), person.end)  # fmt: skip
        after = [r for r in roles if person.name_end <= r.start < nxt
                 and not rep <= r.start < person.end
                 and not (nxt < end and _INTRODUCES.match(doc.text, r.end, nxt))]  # fmt: skip
        before = [r for r in roles if r.end <= person.start]
        role = after[0] if after else (before[-1] if before else None)
        officer = _officer(doc, person, role, founders) if role else None
        if officer is not None:
            out.append(officer)
    return out


def _is_former(text: str, person: Mention) -> bool:
    """Whether the sentence names the person as the officer replaced ("en remplacement de M. X,
    démissionnaire")."""
    before = fold_text(text[max(0, person.start - _FORMER_GAP) : person.start])
    after = fold_text(text[person.name_end : person.name_end + _FORMER_GAP])
    return bool(_FORMER_BEFORE.search(before) or _FORMER_AFTER.match(after))


def _officer(doc: StatutsText, person: Mention, role: TextSpan,
             founders: Sequence[Mention]) -> OfficerFacts | None:  # fmt: skip
    """One officer from a mention and its role; the founder's facts when it is one."""
    office = _OFFICES.get(fold_text(collapse_spaces(role.text)))
    parsed: OfficerRole | None = parse_officer_role(office or role.text)
    if parsed is None:
        return None
    role_text = collapse_spaces(role.text)
    source = best_match(person, founders) or person
    if person.kind is MentionKind.COMPANY:
        name = Value(person.company_name or person.name_text,
                     doc.provenance(person.start, person.name_end))  # fmt: skip
        return OfficerFacts(PersonFacts(last_name=name), parsed, role_text, is_company=True,
                            siren=person.siren or source.siren)  # fmt: skip
    named = better_read(person, source)
    facts = _prefer(named.person, person.person if named is source else source.person)
    if facts is None or facts.last_name is None:
        return None
    return OfficerFacts(facts, parsed, role_text)


def _prefer(own: PersonFacts | None, founder: PersonFacts | None) -> PersonFacts | None:
    """`own` facts completed by the other reading's where missing."""
    if own is None or founder is None or own is founder:
        return own or founder
    return PersonFacts(
        last_name=own.last_name or founder.last_name,
        first_names=own.first_names or founder.first_names,
        usage_name=own.usage_name or founder.usage_name,
        birth_date=own.birth_date or founder.birth_date,
        birth_place=own.birth_place or founder.birth_place,
        nationality=own.nationality or founder.nationality,
        sex=own.sex or founder.sex,
    )


def _same_officer(a: OfficerFacts, b: OfficerFacts) -> bool:
    """Whether two officer records are one person in one role."""
    def key(o: OfficerFacts) -> tuple[str, str]:
        p = o.person
        last = p.last_name.value if p.last_name else ""
        first = p.first_names.value if p.first_names else ""
        return fold_words(last), fold_words(first)

    return a.role is b.role and key(a) == key(b)
