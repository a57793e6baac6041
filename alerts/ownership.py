"""Indirect beneficial ownership computed from the statuts in a dossier.

When a shareholder of the client is a company whose own statuts are in the dossier, the natural
persons behind it hold the client indirectly. Two conventions are in use (../shared/DOMAIN.md
§1.1) and both are computed, with the path that produced each figure:

- multiplied: percentages multiplied along each path, paths added (AMLR 2024/1624 art. 52;
  ACPR "participations simples"). This one decides alerts.
- control: a link to a company the person controls (more than 50 %) counts as 100 %, so
  everything held through a controlled company is attributed to the person. Reported for a
  person to judge; it never raises an alert on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from alerts.companies import same_company
from alerts.evidence import evidence_from
from alerts.people import ref_from_facts
from alerts.persons import MatchKind, compare_persons
from alerts.wording import pct_fr
from kanta_docs.facts import value_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from alerts.persons import PersonRef
    from kanta_docs.assessment import Evidence
    from kanta_docs.facts import DossierDocument, ShareholderFacts

_MAX_DEPTH = 6  # chains deeper than this are reported as complex, not followed
_CONTROL_PCT = 50.0


@dataclass(frozen=True, slots=True)
class HoldingLink:
    """One holder's share of one company, as a statuts document distributes it."""

    holder: str
    company: str
    pct: float
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class HoldingPath:
    """A chain from a natural person to the client, the person's link first."""

    links: tuple[HoldingLink, ...]

    @property
    def multiplied_pct(self) -> float:
        """The percentages multiplied along the path."""
        product = 1.0
        for link in self.links:
            product *= link.pct / 100
        return product * 100

    @property
    def control_pct(self) -> float:
        """The path's share when every controlled intermediate counts as wholly held."""
        product = self.links[-1].pct / 100
        for link in self.links[:-1]:
            product *= 1.0 if link.pct > _CONTROL_PCT else link.pct / 100
        return product * 100

    def describe(self) -> str:
        """"Jean DUPONT → 60 % HOLDCO → 40 % KANTA" for messages."""
        parts = [self.links[0].holder]
        parts += [f"{pct_fr(link.pct)} {link.company}" for link in self.links]
        return " → ".join(parts)


@dataclass(frozen=True, slots=True)
class PersonHolding:
    """Everything one natural person holds of the client, directly and through companies."""

    person: PersonRef
    paths: tuple[HoldingPath, ...]

    @property
    def multiplied_pct(self) -> float:
        """Sum over paths of the multiplied percentages."""
        return sum(p.multiplied_pct for p in self.paths)

    @property
    def control_pct(self) -> float:
        """Sum over paths under the control convention."""
        return sum(p.control_pct for p in self.paths)

    @property
    def layers(self) -> int:
        """The most companies crossed by one of the person's paths (0: held directly)."""
        return max(len(p.links) - 1 for p in self.paths)

    @property
    def evidence(self) -> list[Evidence]:
        """Each link's evidence once, in path order."""
        seen: list[Evidence] = []
        for path in self.paths:
            seen.extend(link.evidence for link in path.links if link.evidence not in seen)
        return seen


@dataclass(frozen=True, slots=True)
class OwnershipChart:
    """The natural persons behind the client per its statuts, and how complex the structure is."""

    holdings: tuple[PersonHolding, ...]
    legal_person_shareholders: int  # companies among the client's direct holders
    unresolved_companies: tuple[str, ...]  # corporate holders whose statuts are not in the dossier
    layers: int  # the longest chain of companies between the client and a person


def chart_ownership(client_statuts: DossierDocument | None,
                    holding_docs: Sequence[DossierDocument]) -> OwnershipChart:
    """Follow the client's statuts through the holdings' statuts down to natural persons."""
    if client_statuts is None or client_statuts.facts is None:
        return OwnershipChart((), 0, (), 0)
    paths: list[tuple[PersonRef, HoldingPath]] = []
    unresolved: list[str] = []
    statuts = [d for d in holding_docs if d.facts is not None]
    _walk(client_statuts, (), statuts, paths, unresolved, depth=0)
    holdings = _group_by_person(paths)
    corporate = sum(1 for s in client_statuts.facts.shareholders if s.person is None)
    layers = max((h.layers for h in holdings), default=0)
    return OwnershipChart(tuple(holdings), corporate, tuple(dict.fromkeys(unresolved)), layers)


def _walk(doc: DossierDocument, below: tuple[HoldingLink, ...],
          statuts: Sequence[DossierDocument], out: list[tuple[PersonRef, HoldingPath]],
          unresolved: list[str], depth: int) -> None:
    assert doc.facts is not None
    company = doc.result.company
    company_name = (company.name if company else None) or doc.file
    for holder in doc.facts.shareholders:
        pct = value_of(holder.pct)
        if pct is None or pct <= 0:
            continue
        link = HoldingLink(holder.name.value, company_name, pct,
                           evidence_from(doc, holder.name, holder.pct, text=holder.name.value))
        chain = (link, *below)
        if holder.person is not None:
            out.append((ref_from_facts(holder.person), HoldingPath(chain)))
            continue
        nested = _statuts_of(holder, statuts)
        if nested is None or depth >= _MAX_DEPTH or nested is doc:
            unresolved.append(holder.name.value)
            continue
        _walk(nested, chain, [s for s in statuts if s is not nested], out, unresolved, depth + 1)


def _statuts_of(holder: ShareholderFacts,
                statuts: Sequence[DossierDocument]) -> DossierDocument | None:
    siren, name = value_of(holder.company_siren), holder.name.value
    for doc in statuts:
        company = doc.result.company
        if company and same_company(siren, name, company.siren, company.name):
            return doc
    return None


def _group_by_person(paths: Sequence[tuple[PersonRef, HoldingPath]]) -> list[PersonHolding]:
    groups: list[tuple[PersonRef, list[HoldingPath]]] = []
    for person, path in paths:
        for known, group in groups:
            if compare_persons(known, person).kind is MatchKind.SAME:
                group.append(path)
                break
        else:
            groups.append((person, [path]))
    return [PersonHolding(person, tuple(group)) for person, group in groups]

