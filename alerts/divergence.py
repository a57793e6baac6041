"""The beneficial-owner register divergence report (CMF L.561-47-1).

An obliged professional must report to the greffier any divergence between the register of
beneficial owners and what they know, including a missing declaration. Filing happens on the
Infogreffe "Portail des divergences" by a person; this report gathers what the form asks for:
the company, the register's data as retrieved, the firm's knowledge with its sources, and each
divergence with its evidence (../shared/DOMAIN.md §1.4).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from alerts.people import display_name
from alerts.persons import PersonRef
from alerts.wording import day_fr, pct_fr
from kanta_docs.assessment import Evidence, Subject
from kanta_docs.facts import value_of
from kanta_docs.vocab import AlertType, DocType

if TYPE_CHECKING:
    from alerts.check import DossierCheck

LEGAL_BASIS = ("Article L.561-47-1 du code monétaire et financier : signalement au greffier du "
               "tribunal de commerce de toute divergence entre les informations du registre des "
               "bénéficiaires effectifs et celles dont dispose le professionnel assujetti.")
_REGISTER_ALERTS = (AlertType.BE_NOT_DECLARED, AlertType.BE_NOT_IN_REGISTER,
                    AlertType.BE_SHARE_MISMATCH, AlertType.BE_IDENTITY_MISMATCH)


class _Report(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReportCompany(_Report):
    """The company concerned, as its register documents name it."""

    siren: str | None
    name: str | None
    legal_form: str | None
    address: str | None


class RegisterOwner(_Report):
    """A beneficial owner as the register extract shows them."""

    last_name: str | None
    first_names: str | None
    birth_date: date | None
    nationality: str | None
    capital_pct: float | None
    voting_pct: float | None


class Divergence(_Report):
    """One difference between the register and the firm's knowledge."""

    type: AlertType
    person: Subject | None
    description: str
    evidence: list[Evidence]


class DivergenceReport(_Report):
    """Everything needed to fill in a divergence report, ready for a person to file."""

    as_of: date
    legal_basis: str = LEGAL_BASIS
    company: ReportCompany
    register_file: str | None
    register_date: date | None
    register_owners: list[RegisterOwner]
    divergences: list[Divergence]

    @property
    def has_divergence(self) -> bool:
        """Whether there is anything to report."""
        return bool(self.divergences)


def build_divergence_report(check: DossierCheck) -> DivergenceReport:
    """The report for one checked dossier (with an empty list when nothing diverges)."""
    ctx = check.context
    rbe = ctx.view.newest(DocType.RBE)
    register = ctx.view.newest(DocType.KBIS) or rbe
    company = register.result.company if register else None
    declared = ctx.declared.client
    owners = rbe.facts.beneficial_owners if rbe and rbe.facts else ()
    return DivergenceReport(
        as_of=ctx.as_of,
        company=ReportCompany(
            siren=(company.siren if company else None) or declared.siren,
            name=(company.name if company else None) or declared.name,
            legal_form=(company.legal_form if company else None) or declared.legal_form,
            address=company.address if company else None),
        register_file=rbe.file if rbe else None,
        register_date=rbe.result.document_date if rbe else None,
        register_owners=[RegisterOwner(
            last_name=value_of(o.person.last_name), first_names=value_of(o.person.first_names),
            birth_date=value_of(o.person.birth_date), nationality=value_of(o.person.nationality),
            capital_pct=value_of(o.capital_pct), voting_pct=value_of(o.voting_pct))
            for o in owners],
        divergences=[Divergence(type=a.type, person=a.subject, description=a.message,
                                evidence=a.evidence)
                     for a in check.alerts if a.type in _REGISTER_ALERTS],
    )


def render_text(report: DivergenceReport) -> str:
    """The report as plain French text a person reads before filing it."""
    c = report.company
    lines = [
        "SIGNALEMENT D'UNE DIVERGENCE — REGISTRE DES BÉNÉFICIAIRES EFFECTIFS",
        f"Établi le {day_fr(report.as_of)} (à déposer sur le Portail des divergences "
        "d'Infogreffe après vérification)",
        "",
        report.legal_basis,
        "",
        "Société concernée",
        f"  Dénomination : {c.name or 'inconnue'}",
        f"  SIREN : {c.siren or 'inconnu'}",
        f"  Forme juridique : {c.legal_form or 'inconnue'}",
        f"  Siège : {c.address or 'inconnu'}",
        "",
        "Données du registre consultées",
    ]
    if report.register_file is None:
        lines.append("  Aucun extrait du registre des bénéficiaires effectifs dans le dossier.")
    else:
        lines.append(f"  Extrait : {report.register_file}, daté du "
                     f"{day_fr(report.register_date)}")
        for o in report.register_owners:
            name = display_name(PersonRef(o.last_name, o.first_names, o.birth_date))
            lines.append(f"  - {name}, né(e) le {day_fr(o.birth_date)}, nationalité "
                         f"{o.nationality or '?'}, capital {pct_fr(o.capital_pct)}, "
                         f"droits de vote {pct_fr(o.voting_pct)}")
    lines += ["", "Divergences constatées"]
    if not report.divergences:
        lines.append("  Aucune divergence constatée : pas de signalement à faire.")
    for number, d in enumerate(report.divergences, start=1):
        lines.append(f"  {number}. {d.description}")
        for e in d.evidence:
            page = f", page {e.page}" if e.page else ""
            lines.append(f"     Justificatif : {e.file}{page} — « {e.text} »")
    return "\n".join(lines) + "\n"

