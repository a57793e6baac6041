"""NPLAB scoring: a dossier's factors on the four criteria (client, activity, location, mission)
plus the weight of its alerts, summed into a score, mapped to a level and a vigilance.

Legal mandates override the points: a politically exposed person (CMF L.561-10 1°) or a person
or head office established in a country on a mandatory list (L.561-10 3°: EU high-risk third
countries, FATF call for action; the FATF grey list when the firm's data says so) force enhanced
vigilance and at least a high level. They show as factors with a `mandate_` code and no points,
so the assessment alone tells whoever overrides it that a floor applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from alerts.risk.reference import (
    CountryList,
    CountryLists,
    CountryListVersion,
    MissionTable,
    NafTable,
    RiskReference,
    Weights,
    is_valid_naf,
    naf_key,
)
from kanta_docs.assessment import Alert, RiskAssessment, RiskFactor
from kanta_docs.vocab import AlertType, Criterion, RiskLevel, Vigilance

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from alerts.risk.inputs import RiskInput, RiskPerson

MANDATE_PEP = "mandate_pep"
MANDATE_HIGH_RISK_COUNTRY = "mandate_high_risk_country"
MANDATE_CODES = frozenset({MANDATE_PEP, MANDATE_HIGH_RISK_COUNTRY})

LEVEL_RANK = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2}
LEVEL_LABELS = {RiskLevel.LOW: "faible", RiskLevel.MEDIUM: "moyen", RiskLevel.HIGH: "élevé"}
ROLE_LABELS = {
    "beneficial_owner": "bénéficiaire effectif",
    "legal_representative": "représentant légal",
    "officer": "dirigeant",
}

_MISSION_SEPARATORS = re.compile(r"[,;+/]")


def assess_risk(inputs: RiskInput, reference: RiskReference) -> RiskAssessment:
    """A dossier's risk level, vigilance, score and the factors behind them."""
    factors = [
        *client_factors(inputs, reference.weights),
        *alert_factors(inputs.alerts, reference.weights),
        *activity_factors(inputs.client.naf, reference.naf),
        *location_factors(inputs, reference),
        *mission_factors(inputs.client.mission, reference.missions),
    ]
    return rate_factors(factors, reference.weights)


def rate_factors(factors: Sequence[RiskFactor], weights: Weights) -> RiskAssessment:
    """Factors -> score (their points, never below 0), level by thresholds, then mandates."""
    score = max(0, sum(factor.points for factor in factors))
    if score >= weights.thresholds.high:
        level = RiskLevel.HIGH
    elif score >= weights.thresholds.medium:
        level = RiskLevel.MEDIUM
    else:
        level = RiskLevel.LOW
    if is_mandated(factors):
        level = RiskLevel.HIGH
    return RiskAssessment(
        level=level,
        vigilance=vigilance_for(
            level, factors, simplified_allowed=weights.vigilance.simplified_allowed
        ),
        score=score,
        factors=list(factors),
    )


def is_mandated(factors: Iterable[RiskFactor]) -> bool:
    """Whether a legal mandate (PEP, high-risk country) applies."""
    return any(factor.code in MANDATE_CODES for factor in factors)


def vigilance_for(
    level: RiskLevel, factors: Sequence[RiskFactor], *, simplified_allowed: bool
) -> Vigilance:
    """High or mandated -> enhanced (L.561-10, L.561-10-1); low with nothing aggravating and
    the firm allowing it -> simplified (L.561-9); otherwise standard (NPLAB)."""
    if level is RiskLevel.HIGH or is_mandated(factors):
        return Vigilance.ENHANCED
    is_clean = all(factor.points <= 0 for factor in factors)
    if level is RiskLevel.LOW and simplified_allowed and is_clean:
        return Vigilance.SIMPLIFIED
    return Vigilance.STANDARD


# --- client -------------------------------------------------------------------------------------


def client_factors(inputs: RiskInput, weights: Weights) -> Iterator[RiskFactor]:
    """Legal form, ownership structure, owner transparency, politically exposed persons."""
    client = weights.client
    yield from _legal_form_factors(inputs.client.legal_form, weights)
    if inputs.legal_person_shareholders > 0:
        count = inputs.legal_person_shareholders
        yield _client(
            "legal_person_shareholders",
            min(count * client.legal_person_shareholder, client.legal_person_shareholder_max),
            f"Structure : {_count(count, 'société', 'sociétés')} parmi les associés",
        )
    extra_layers = inputs.ownership_layers - client.ownership_layers_free
    if extra_layers > 0:
        yield _client(
            "ownership_chain",
            min(extra_layers * client.ownership_layer, client.ownership_layer_max),
            f"Chaîne de détention complexe : {_count(inputs.ownership_layers, 'niveau', 'niveaux')}"
            " de sociétés entre le client et une personne physique",
        )
    if not inputs.owners_identified:
        yield _client(
            "owners_unidentified",
            client.owners_unidentified,
            "Aucun bénéficiaire effectif identifié",
        )
    peps = [person for person in inputs.persons if person.pep]
    if peps:
        who = _people(peps)
        yield _client("pep", client.pep, f"Personne politiquement exposée : {who}")
        yield _client(
            MANDATE_PEP,
            0,
            "Vigilance renforcée obligatoire (CMF L.561-10 1°) : personne politiquement exposée"
            f" ({who})",
        )


def _legal_form_factors(legal_form: str | None, weights: Weights) -> Iterator[RiskFactor]:
    client = weights.client
    if legal_form is None or not legal_form.strip():
        yield _client(
            "legal_form_unknown", client.unknown_legal_form, "Forme juridique non renseignée"
        )
        return
    found = client.legal_form(legal_form)
    if found is None:
        yield _client(
            "legal_form_unlisted",
            client.unlisted_legal_form,
            f"Forme juridique non répertoriée : « {legal_form.strip()} »",
        )
    elif found[1].points:
        yield _client(
            "legal_form",
            found[1].points,
            f"Forme juridique à risque : {found[1].label} ({legal_form.strip()})",
        )


def alert_factors(alerts: Iterable[Alert], weights: Weights) -> Iterator[RiskFactor]:
    """One factor per alert type present, each alert counted once (by its key)."""
    counts: dict[AlertType, int] = {}
    seen: set[str] = set()
    for alert in alerts:
        if alert.key not in seen:
            seen.add(alert.key)
            counts[alert.type] = counts.get(alert.type, 0) + 1
    for alert_type in AlertType:  # the catalogue's order, whatever order alerts came in
        count = counts.get(alert_type)
        if count is None:
            continue
        weight = weights.alerts[alert_type]
        times = f" ({count} alertes)" if count > 1 else ""
        yield RiskFactor(
            criterion=weight.criterion,
            code=f"alert_{alert_type.value}",
            points=weight.points,
            reason=f"Alerte : {weight.label}{times}",
        )


# --- activity -----------------------------------------------------------------------------------


def activity_factors(naf: str | None, table: NafTable) -> Iterator[RiskFactor]:
    """Sector risk of the NAF code; an unknown or unreadable code says so."""
    if naf is None or not naf.strip():
        yield _activity(
            "naf_unknown", table.unknown_points, "Activité inconnue : code NAF non renseigné"
        )
        return
    code = naf_key(naf)
    if not is_valid_naf(code):
        yield _activity(
            "naf_invalid", table.unknown_points, f"Code NAF illisible : « {naf.strip()} »"
        )
        return
    found = table.sector(code)
    if found is not None and found[1].points:
        yield _activity(
            "sector_risk", found[1].points, f"Activité à risque : {found[1].label} (NAF {code})"
        )


# --- location -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Mention:
    """A country the dossier is tied to, and how (French, for the reason)."""

    country: str
    where: str
    is_establishment: bool  # head office or residence: "établies dans" of L.561-10 3°
    is_head_office: bool = False


def location_factors(inputs: RiskInput, reference: RiskReference) -> Iterator[RiskFactor]:
    """Head office, residences and nationalities against the country lists in force on as_of."""
    weights = reference.weights
    countries = reference.countries
    mentions = list(_mentions(inputs))
    yield from _unavailable_lists(inputs, countries)
    mandated: list[str] = []
    for code in dict.fromkeys(mention.country for mention in mentions):
        about = [mention for mention in mentions if mention.country == code]
        hits = _lists_holding(code, inputs, countries)
        if not hits:
            if any(m.is_head_office for m in about) and code != weights.location.home_country:
                yield _location(
                    "head_office_abroad",
                    weights.location.head_office_abroad,
                    f"Siège social à l'étranger : {countries.name(code)}",
                )
            continue
        hits.sort(key=lambda hit: (hit[1].mandate, hit[1].points), reverse=True)
        lists = ", ".join(
            f"{clist.label} (version du {version.effective.isoformat()})"
            for _, clist, version in hits
        )
        wheres = ", ".join(mention.where for mention in about)
        yield _location(
            f"country_{hits[0][0]}",
            max(clist.points for _, clist, _ in hits),
            f"Pays à risque : {countries.name(code)} pour {wheres} — {lists}",
        )
        if any(clist.mandate for _, clist, _ in hits):
            triggers = [
                mention.where
                for mention in about
                if mention.is_establishment or weights.vigilance.nationality_is_mandate
            ]
            if triggers:
                mandated.append(f"{countries.name(code)} pour {', '.join(triggers)}")
    if mandated:
        yield _location(
            MANDATE_HIGH_RISK_COUNTRY,
            0,
            "Vigilance renforcée obligatoire (CMF L.561-10 3°), pays tiers à haut risque : "
            + " ; ".join(mandated),
        )
    unknown = _unknown_countries(inputs)
    if unknown:
        yield _location(
            "country_unknown",
            weights.location.unknown_country,
            f"Pays non renseigné, non vérifié sur les listes : {', '.join(unknown)}",
        )


def _mentions(inputs: RiskInput) -> Iterator[_Mention]:
    head_office = _country(inputs.client.country)
    if head_office:
        yield _Mention(head_office, "siège social", is_establishment=True, is_head_office=True)
    for person in inputs.persons:
        who = f"{person.display_name} ({ROLE_LABELS[person.role]})"
        residence = _country(person.country_of_residence)
        if residence:
            yield _Mention(residence, f"résidence de {who}", is_establishment=True)
        nationality = _country(person.nationality)
        if nationality:
            yield _Mention(nationality, f"nationalité de {who}", is_establishment=False)


def _lists_holding(
    code: str, inputs: RiskInput, countries: CountryLists
) -> list[tuple[str, CountryList, CountryListVersion]]:
    hits: list[tuple[str, CountryList, CountryListVersion]] = []
    for key, clist in countries.lists.items():
        version = clist.in_force(inputs.as_of)
        if version is not None and code in version.countries:
            hits.append((key, clist, version))
    return hits


def _unavailable_lists(inputs: RiskInput, countries: CountryLists) -> Iterator[RiskFactor]:
    # A day before the oldest version we hold: say so rather than guess the list was empty.
    for clist in countries.lists.values():
        if clist.in_force(inputs.as_of) is None:
            oldest = min(version.effective for version in clist.versions)
            yield _location(
                "country_list_unavailable",
                0,
                f"{clist.label.capitalize()} : aucune version connue au {inputs.as_of.isoformat()}"
                f" (la plus ancienne date du {oldest.isoformat()}),"
                " pays non vérifiés sur cette liste",
            )


def _unknown_countries(inputs: RiskInput) -> list[str]:
    unknown = [] if _country(inputs.client.country) else ["siège social"]
    for person in inputs.persons:
        if person.role != "beneficial_owner":
            continue  # officers' countries are often not collected; owners' are required
        if not _country(person.nationality):
            unknown.append(f"nationalité de {person.display_name}")
        if not _country(person.country_of_residence):
            unknown.append(f"résidence de {person.display_name}")
    return unknown


def _country(code: str | None) -> str | None:
    cleaned = (code or "").strip().upper()
    return cleaned or None


# --- mission ------------------------------------------------------------------------------------


def mission_factors(mission: str | None, table: MissionTable) -> Iterator[RiskFactor]:
    """Each declared mission once; an unknown one (or none) gives a neutral factor saying so."""
    names = [part.strip() for part in _MISSION_SEPARATORS.split(mission or "") if part.strip()]
    if not names:
        yield _mission("mission_unknown", table.unknown_points, "Mission non renseignée")
        return
    known: dict[str, int] = {}
    unknown: list[str] = []
    for name in names:
        found = table.mission(name)
        if found is None:
            unknown.append(f"« {name} »")
        elif found[0] not in known:
            known[found[0]] = found[1].points
            if found[1].points:
                yield _mission(
                    f"mission_{found[0]}", found[1].points, f"Mission à risque : {found[1].label}"
                )
    if unknown:
        yield _mission(
            "mission_unknown",
            table.unknown_points,
            f"Mission inconnue du référentiel : {', '.join(unknown)}",
        )


# --- helpers ------------------------------------------------------------------------------------


def _client(code: str, points: int, reason: str) -> RiskFactor:
    return RiskFactor(criterion=Criterion.CLIENT, code=code, points=points, reason=reason)


def _activity(code: str, points: int, reason: str) -> RiskFactor:
    return RiskFactor(criterion=Criterion.ACTIVITY, code=code, points=points, reason=reason)


def _location(code: str, points: int, reason: str) -> RiskFactor:
    return RiskFactor(criterion=Criterion.LOCATION, code=code, points=points, reason=reason)


def _mission(code: str, points: int, reason: str) -> RiskFactor:
    return RiskFactor(criterion=Criterion.MISSION, code=code, points=points, reason=reason)


def _people(persons: Iterable[RiskPerson]) -> str:
    return ", ".join(f"{person.display_name} ({ROLE_LABELS[person.role]})" for person in persons)


def _count(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"
