from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

import pdfplumber
import pytest

from api.exports import dossier_csv, dossier_json, render_dossier_report, snapshot_from_store
from api.exports.report_pdf import _safe
from kanta_docs.assessment import Alert, Evidence, RiskAssessment, RiskFactor, Subject
from kanta_docs.declared import Declared, DeclaredClient, DeclaredOfficer, DeclaredOwner
from kanta_docs.models import CompanyOut, ExtractResult, IdentityOut
from kanta_docs.store.repositories import FirmScope, NewDocument, create_firm
from kanta_docs.store.tables import AlertOutcome, AlertStatus, DocState, UserRole
from kanta_docs.vocab import (
    AlertType,
    Criterion,
    DocType,
    OfficerRole,
    RiskLevel,
    Severity,
    Vigilance,
)
from tests.integration.store.helpers import sha

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from api.exports.snapshot import DossierSnapshot
    from kanta_docs.store.tables import Dossier

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
SIREN = "889924320"
CLIENT = "KANTA Conseil & Associés"
JUSTIFICATION = ("Attestation de cession reçue le 20/11/2026 : « M. DURAND a cédé ses parts » ; "
                 "l’extrait RBE sera mis à jour (cœur du dossier, frais 120 €).")
MESSAGES = (
    "Paul DURAND détient 40 % selon l'extrait RBE mais n'est pas déclaré",
    "Corinne BERTHIER n'a pas de pièce d'identité au dossier",
    "=cmd",
)


@dataclass
class World:
    scope: FirmScope
    dossier: Dossier
    other_scope: FirmScope
    other_dossier: Dossier


def _processed(scope: FirmScope, dossier_id: uuid.UUID, n: str, result: ExtractResult,
               file_name: str) -> None:
    doc, _ = scope.add_document(NewDocument(dossier_id, sha(n), file_name, 1000,
                                            "application/pdf"), now=NOW)
    assert scope.transition_document(doc.id, DocState.RECEIVED, DocState.PROCESSING, now=NOW)
    assert scope.store_extraction(doc.id, result, None, [], "test", now=NOW)


def _alert(key: str, message: str, severity: Severity = Severity.HIGH,
           type_: AlertType = AlertType.BE_NOT_DECLARED) -> Alert:
    return Alert(type=type_, severity=severity,
                 subject=Subject(last_name="DURAND", first_names="Paul"),
                 evidence=[Evidence(file="rbe.pdf", page=1, text=f"DURAND Paul {key}")],
                 message=message, key=key)


def _risk(level: RiskLevel, vigilance: Vigilance, score: int) -> RiskAssessment:
    return RiskAssessment(level=level, vigilance=vigilance, score=score, factors=[
        RiskFactor(criterion=Criterion.CLIENT, code="be_discrepancy", points=20,
                   reason="Bénéficiaire effectif non déclaré"),
        RiskFactor(criterion=Criterion.LOCATION, code="high_risk_country", points=37,
                   reason="Un bénéficiaire réside dans un pays à risque élevé"),
    ])


def build_world(session: Session) -> World:
    firm = create_firm(session, "Cabinet Dupuis", now=NOW)
    scope = FirmScope(session, firm.id)
    bob = scope.add_user("bob@dupuis.fr", "Bob LEROY", UserRole.COLLABORATOR)
    dossier, _ = scope.upsert_dossier(SIREN, CLIENT, collaborator_id=bob.id, now=NOW)
    scope.add_declared_version(dossier.id, Declared(
        client=DeclaredClient(siren=SIREN, name=CLIENT, legal_form="SAS", naf="6920Z",
                              mission="tenue_comptable"),
        beneficial_owners=[
            DeclaredOwner(last_name="DUPONT", first_names="Jean Pierre",
                          birth_date=date(1970, 3, 12), nationality="FRA", capital_pct=60.0,
                          voting_pct=60.0),
            DeclaredOwner(last_name="BERTHIER", first_names="Corinne",
                          birth_date=date(1965, 12, 6), nationality="FRA", capital_pct=33.33,
                          voting_pct=40.0)],
        officers=[DeclaredOfficer(last_name="MARTIN", first_names="Claire",
                                  role=OfficerRole.PRESIDENT)],
    ), "claire@dupuis.fr", now=NOW)
    _processed(scope, dossier.id, "kbis", ExtractResult(
        file="kbis.pdf", sha256=sha("kbis"), doc_type=DocType.KBIS, pages=1,
        document_date=date(2026, 10, 2),
        company=CompanyOut(siren=SIREN, name=CLIENT, legal_form="SAS", capital_eur=10000.0,
                           address="304 boulevard des Belles Portes 14200 Hérouville")),
        "kbis.pdf")
    _processed(scope, dossier.id, "cni", ExtractResult(
        file="cni_dupont.pdf", sha256=sha("cni"), doc_type=DocType.ID_CARD, pages=1,
        document_date=date(2017, 1, 5), expiry_date=date(2027, 1, 4),
        effective_expiry_date=date(2027, 1, 4),
        identity=IdentityOut(last_name="DUPONT", first_names="Jean Pierre",
                             birth_date=date(1970, 3, 12), nationality="FRA",
                             expiry_date=date(2027, 1, 4), mrz_valid=True)),
        "cni_dupont.pdf")
    failed, _ = scope.add_document(NewDocument(dossier.id, sha("scan"), "scan.jpg", 10,
                                               "image/jpeg"), now=NOW)
    scope.transition_document(failed.id, DocState.RECEIVED, DocState.PROCESSING, now=NOW)
    scope.transition_document(failed.id, DocState.PROCESSING, DocState.FAILED,
                              failure_reason="image trop floue", now=NOW)
    first, _ = scope.record_alert(dossier.id, _alert("k1", MESSAGES[0]), now=NOW)
    scope.record_alert(dossier.id, _alert("k2", MESSAGES[1], Severity.MEDIUM,
                                          AlertType.ID_DOCUMENT_MISSING), now=NOW)
    scope.record_alert(dossier.id, _alert("k3", MESSAGES[2], Severity.LOW), now=NOW)
    assert scope.transition_alert(first.id, AlertStatus.RESOLVED, "Claire MARTIN",
                                  JUSTIFICATION, outcome=AlertOutcome.FIXED,
                                  now=NOW + timedelta(hours=2))
    scope.add_risk(dossier.id, _risk(RiskLevel.LOW, Vigilance.SIMPLIFIED, 10),
                   now=NOW - timedelta(days=30))
    scope.add_risk(dossier.id, _risk(RiskLevel.HIGH, Vigilance.ENHANCED, 57),
                   override={"level": "high", "by": "Claire MARTIN",
                             "reason": "Bénéficiaire hors UE"}, now=NOW)

    other = create_firm(session, "Cabinet Autre", now=NOW)
    other_scope = FirmScope(session, other.id)
    other_dossier, _ = other_scope.upsert_dossier("552100554", "SECRET SA", now=NOW)
    other_scope.record_alert(other_dossier.id, _alert("x", "Alerte d'un autre cabinet"), now=NOW)
    session.commit()
    return World(scope, dossier, other_scope, other_dossier)


def snapshot(world: World) -> DossierSnapshot:
    snap = snapshot_from_store(world.scope, world.dossier.id, generated_by="Claire MARTIN",
                               now=NOW + timedelta(hours=3))
    assert snap is not None
    return snap


def pdf_text(pdf: bytes) -> tuple[str, int, dict[str, str]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
        return " ".join(text.split()), len(doc.pages), dict(doc.metadata)


def test_another_firms_dossier_is_none(session: Session) -> None:
    w = build_world(session)
    assert snapshot_from_store(w.scope, w.other_dossier.id, generated_by="x", now=NOW) is None
    assert snapshot_from_store(w.other_scope, w.dossier.id, generated_by="x", now=NOW) is None
    assert snapshot_from_store(w.scope, uuid.uuid4(), generated_by="x", now=NOW) is None
    with pytest.raises(ValueError, match="naive"):
        snapshot_from_store(w.scope, w.dossier.id, generated_by="x", now=datetime(2026, 1, 1))


def test_snapshot_holds_the_dossier(session: Session) -> None:
    snap = snapshot(build_world(session))
    assert snap.firm_name == "Cabinet Dupuis" and snap.dossier.siren == SIREN
    assert snap.declared is not None and snap.declared.version == 1
    docs = {d.file_name: d for d in snap.documents}
    assert set(docs) == {"kbis.pdf", "cni_dupont.pdf", "scan.jpg"}
    assert docs["scan.jpg"].failure_reason == "image trop floue"
    assert docs["kbis.pdf"].result is not None and docs["kbis.pdf"].doc_type == "kbis"
    # Open alerts first, by severity; the resolved one last, with its history.
    assert [a.message for a in snap.alerts] == [MESSAGES[1], MESSAGES[2], MESSAGES[0]]
    resolved = snap.alerts[-1]
    assert resolved.resolution_note == JUSTIFICATION and resolved.outcome == "fixed"
    assert [(e.from_status, e.to_status) for e in resolved.events] == [
        (None, "open"), ("open", "resolved")]
    assert snap.alerts[0].assignee == "Bob LEROY"
    assert snap.risk is not None and snap.risk.level == "high" and snap.risk.score == 57
    assert [r.level for r in snap.risk_history] == ["low", "high"]


def test_json_round_trips(session: Session) -> None:
    snap = snapshot(build_world(session))
    data = dossier_json(snap)
    again = json.loads(json.dumps(data, ensure_ascii=False))
    assert again == data
    assert again["dossier"]["siren"] == SIREN and again["firm"]["name"] == "Cabinet Dupuis"
    assert again["as_of"] == "2026-11-26"
    docs = {d["file_name"]: d for d in again["documents"]}
    # The identity card ends on 2027-01-04, within 90 days of the export.
    assert {name: d["validity"] for name, d in docs.items()} == {
        "kbis.pdf": "valid", "cni_dupont.pdf": "expiring", "scan.jpg": "unreadable"}
    assert docs["kbis.pdf"]["result"]["company"]["legal_form"] == "SAS"
    assert again["alerts"][-1]["resolution_note"] == JUSTIFICATION
    assert again["alerts"][-1]["events"][-1]["to_status"] == "resolved"
    assert again["risk"]["override"]["level"] == "high"
    assert "Alerte d'un autre cabinet" not in json.dumps(data, ensure_ascii=False)


def test_csv_opens_in_french_excel_and_defuses_formulas(session: Session) -> None:
    text = dossier_csv(snapshot(build_world(session)))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["section", "élément", "champ", "valeur"]
    assert all(len(r) == 4 for r in rows)
    values = [r[3] for r in rows]
    assert "'=cmd" in values and "=cmd" not in values
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r)
    assert ["dossier", "", "SIREN", "889 924 320"] in rows
    assert ["dossier", "", "niveau de risque calculé", "élevé"] in rows
    sections = {r[0] for r in rows[1:]}
    assert {"dossier", "bénéficiaire effectif déclaré", "dirigeant déclaré", "document", "alerte",
            "facteur de risque"} <= sections
    assert ["bénéficiaire effectif déclaré", "Corinne BERTHIER", "% du capital", "33,33"] in rows
    assert JUSTIFICATION in values
    assert "Alerte d'un autre cabinet" not in text


def test_pdf_report(session: Session) -> None:
    pdf = render_dossier_report(snapshot(build_world(session)))
    assert pdf.startswith(b"%PDF")
    text, pages, meta = pdf_text(pdf)
    assert meta["Title"] == f"Rapport LCB-FT — {CLIENT}"
    for expected in ("Rapport LCB-FT", CLIENT, "889 924 320", "Cabinet Dupuis",
                     "1. Identification du client", "6. Historique du risque",
                     "304 boulevard des Belles Portes", "Jean Pierre DUPONT", "60 %", "33,33 %",
                     "Carte d'identité « cni_dupont.pdf »", "président(e)", "illisible",
                     "résolue", "Claire MARTIN", "expire bientôt", JUSTIFICATION, "élevé",
                     "renforcée", "Bénéficiaire hors UE", f"Page 1 / {pages}",
                     f"Page {pages} / {pages}"):
        assert expected in text, expected
    for message in MESSAGES:
        assert message in text, message
    assert "Alerte d'un autre cabinet" not in text and "SECRET SA" not in text


def test_pdf_of_a_dossier_without_data(session: Session) -> None:
    firm = create_firm(session, "Cabinet Vide", now=NOW)
    scope = FirmScope(session, firm.id)
    dossier, _ = scope.upsert_dossier(None, "Nouveau client", now=NOW)
    snap = snapshot_from_store(scope, dossier.id, generated_by="a@b.fr", now=NOW)
    assert snap is not None and snap.declared is None and snap.risk is None
    text, pages, _ = pdf_text(render_dossier_report(snap))
    assert "Aucune donnée déclarée" in text and "Aucune alerte" in text
    assert pages == 1 and "Page 1 / 1" in text
    json.dumps(dossier_json(snap))
    assert dossier_csv(snap).count("\r\n") > 3


def test_two_hundred_alerts_span_pages(session: Session) -> None:
    firm = create_firm(session, "Cabinet Grand", now=NOW)
    scope = FirmScope(session, firm.id)
    dossier, _ = scope.upsert_dossier(SIREN, CLIENT, now=NOW)
    for n in range(200):
        alert, _ = scope.record_alert(dossier.id, _alert(
            f"k{n}", f"Écart n°{n} : détention de {n % 100} % selon l'extrait RBE → à vérifier "
            + "avec le client " * (n % 7)), now=NOW)
        if n % 3 == 0:
            scope.transition_alert(alert.id, AlertStatus.DISMISSED, "Claire MARTIN",
                                   f"Justification {n} " + "détaillée " * (n % 40),
                                   now=NOW + timedelta(minutes=n))
    session.commit()
    snap = snapshot_from_store(scope, dossier.id, generated_by="Claire MARTIN", now=NOW)
    assert snap is not None and len(snap.alerts) == 200
    pdf = render_dossier_report(snap)
    # Text of a few pages only: pdfplumber takes ~0.3 s a page.
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = len(doc.pages)
        first, second, last = (" ".join((doc.pages[i].extract_text() or "").split())
                               for i in (0, 1, -1))
    assert pages > 5
    assert f"Page 1 / {pages}" in first and f"Page {pages} / {pages}" in last
    assert "N° Type Gravité Statut Traitement" in second  # the header row repeats
    assert "6. Historique du risque" in last


def test_text_outside_the_font_is_replaced() -> None:
    assert _safe("« Œuvre » ’ œ € …") == "« Œuvre » ’ œ € …"
    assert _safe("Łódź → Ștefan\x00") == "Lódz -> Stefan "
    assert _safe("40\u202f%") == "40\u00a0%"
    assert _safe("名前") == "??"
