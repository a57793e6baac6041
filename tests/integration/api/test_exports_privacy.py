"""Exports (JSON, CSV, PDF, the firm's ZIP), personal data (access, erasure) and dossier
erasure, on the real app and store; documents are rows with contract results (no OCR)."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pdfplumber
from sqlalchemy import func, select

from kanta_docs.assessment import Alert as RaisedAlert
from kanta_docs.assessment import Evidence, RiskAssessment, Subject
from kanta_docs.models import ExtractResult
from kanta_docs.store.repositories import FirmScope, NewDocument
from kanta_docs.store.tables import (
    Alert,
    AlertEvent,
    AuditEvent,
    DeclaredVersion,
    DocState,
    Document,
    Dossier,
    Firm,
    RiskAssessmentRow,
    UserRole,
)
from kanta_docs.tasks import purge_ended_firms
from kanta_docs.vocab import AlertType, DocType, RiskLevel, Severity, Vigilance

if TYPE_CHECKING:
    from .conftest import ApiHarness, LoggedIn

BORN = "1980-05-17"
OWNER = {"last_name": "DURAND", "first_names": "Élodie Marie", "birth_date": BORN,
         "capital_pct": 60}


def _declared(siren: str, name: str, owners: list[dict[str, Any]] | None = None,
              officers: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"client": {"siren": siren, "name": name}, "beneficial_owners": owners or [],
            "officers": officers or []}


def _dossier(api: ApiHarness, who: LoggedIn, siren: str, name: str,
             **people: Any) -> uuid.UUID:
    r = api.client.post("/dossiers", json=_declared(siren, name, **people), headers=who.headers)
    assert r.status_code == 201, r.text
    # The new dossier is checked at once (its own alerts and risk): let that finish so that it
    # does not race the rows the test adds by hand.
    api.ctx.runtime.queue.join()
    return uuid.UUID(r.json()["dossier"]["id"])


def _document(api: ApiHarness, firm_id: uuid.UUID, dossier_id: uuid.UUID, content: bytes,
              file_name: str, **result: Any) -> tuple[uuid.UUID, str]:
    """A processed document whose file is `content` and whose extraction is `result`."""
    sha = api.ctx.runtime.blobs.put(content)
    with api.session() as db:
        scope = FirmScope(db, firm_id)
        doc, _ = scope.add_document(NewDocument(dossier_id, sha, file_name, len(content),
                                                "application/pdf"))
        assert scope.transition_document(doc.id, DocState.RECEIVED, DocState.PROCESSING)
        assert scope.store_extraction(doc.id, ExtractResult(file=file_name, sha256=sha, **result),
                                      None, ["texte"], "test")
        return doc.id, sha


def _alert(api: ApiHarness, firm_id: uuid.UUID, dossier_id: uuid.UUID, key: str,
           message: str, subject: dict[str, Any] | None = None,
           evidence_text: str = "") -> uuid.UUID:
    with api.session() as db:
        alert, _ = FirmScope(db, firm_id).record_alert(dossier_id, RaisedAlert(
            type=AlertType.ID_DOCUMENT_MISSING, severity=Severity.HIGH,
            subject=None if subject is None else Subject(**subject),
            evidence=[Evidence(file="rbe.pdf", page=1, text=evidence_text)],
            message=message, key=key))
        return alert.id


def _audit(api: ApiHarness, firm_id: uuid.UUID, action: str) -> list[AuditEvent]:
    with api.session() as db:
        return list(db.scalars(select(AuditEvent).where(AuditEvent.firm_id == firm_id,
                                                        AuditEvent.action == action)
                               .order_by(AuditEvent.id)))


def _pdf(content: bytes) -> bytes:
    return b"%PDF-1.4\n" + content + b"\n%%EOF\n"


# -- dossier exports ---------------------------------------------------------------------------


def test_dossier_exports_have_their_type_content_name_and_audit(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    admin = api.member(firm, UserRole.ADMIN)
    dossier = _dossier(api, admin, "732829320", "Boulangerie Étoile", owners=[OWNER])
    _document(api, firm, dossier, _pdf(b"kbis"), "kbis.pdf", doc_type=DocType.KBIS,
              document_date=date(2026, 10, 1))
    base = f"/dossiers/{dossier}"

    r = api.client.get(f"{base}/export.json", headers=admin.headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["content-disposition"] == (
        'attachment; filename="dossier-lcb-ft-732829320.json"')
    body = r.json()
    assert body["dossier"]["id"] == str(dossier)
    assert body["dossier"]["name"] == "Boulangerie Étoile"
    assert body["declared"]["data"]["beneficial_owners"][0]["last_name"] == "DURAND"
    assert [d["file_name"] for d in body["documents"]] == ["kbis.pdf"]

    r = api.client.get(f"{base}/export.csv", headers=admin.headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"].endswith('filename="dossier-lcb-ft-732829320.csv"')
    assert r.content.startswith(b"\xef\xbb\xbf")
    assert "Boulangerie Étoile" in r.content.decode("utf-8")

    r = api.client.get(f"{base}/report.pdf", headers=admin.headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == (
        'attachment; filename="rapport-lcb-ft-732829320.pdf"')
    assert r.content.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(r.content)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Boulangerie Étoile" in text
    assert "Rapport LCB-FT" in text

    for action in ("export.dossier_json", "export.dossier_csv", "export.report_pdf"):
        [event] = _audit(api, firm, action)
        assert (event.actor, event.target_type, event.target_id) == (
            admin.email, "dossier", str(dossier))
        assert event.address


def test_exports_answer_404_for_another_firm_and_an_unassigned_dossier(
        api: ApiHarness) -> None:
    firm, other = api.firm("Cabinet A"), api.firm("Cabinet B")
    admin = api.member(firm, UserRole.ADMIN)
    stranger = api.member(other, UserRole.ADMIN)
    collaborator = api.member(firm, UserRole.COLLABORATOR)
    dossier = _dossier(api, admin, "732829320", "Client A")
    paths = [f"/dossiers/{dossier}/{name}" for name in ("export.json", "export.csv",
                                                         "report.pdf")]
    for path in paths:
        for who in (stranger, collaborator):
            r = api.client.get(path, headers=who.headers)
            assert r.status_code == 404, (path, r.text)
            assert r.json()["error"]["code"] == "not_found"
        assert api.client.get(f"/dossiers/{uuid.uuid4()}/export.json",
                              headers=admin.headers).status_code == 404
    assigned = api.client.put(f"/dossiers/{dossier}/assignees", headers=admin.headers,
                              json={"user_ids": [str(collaborator.user_id)]})
    assert assigned.status_code == 200, assigned.text
    for path in paths:
        assert api.client.get(path, headers=collaborator.headers).status_code == 200
    assert not _audit(api, other, "export.dossier_json")
    assert len(_audit(api, firm, "export.dossier_json")) == 1  # the collaborator's


def test_firm_export_is_a_zip_of_everything_without_secrets(api: ApiHarness) -> None:
    firm, other = api.firm("Cabinet A"), api.firm("Cabinet B")
    admin = api.member(firm, UserRole.ADMIN)
    officer = api.member(firm, UserRole.COMPLIANCE_OFFICER)
    stranger = api.member(other, UserRole.ADMIN)
    dossier = _dossier(api, admin, "732829320", "Client A", owners=[OWNER])
    doc, _ = _document(api, firm, dossier, _pdf(b"statuts A"), "statuts.pdf",
                       doc_type=DocType.STATUTS)
    _dossier(api, stranger, "552100554", "Client de B")

    assert api.client.get("/firm/export", headers=officer.headers).status_code == 403
    r = api.client.get("/firm/export", headers=admin.headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    assert r.headers["content-disposition"].startswith('attachment; filename="export-cabinet-')
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        names = set(zf.namelist())
        assert {"manifest.json", "firm.json", "users.json", "api_keys.json", "audit.jsonl",
                f"dossiers/{dossier}.json"} <= names
        assert zf.read(f"documents/{dossier}/{doc}_statuts.pdf") == _pdf(b"statuts A")
        assert json.loads(zf.read(f"dossiers/{dossier}.json"))["dossier"]["name"] == "Client A"
        users = json.loads(zf.read("users.json"))
        assert {u["email"] for u in users} == {admin.email, officer.email}
        raw_users = zf.read("users.json").decode()
        for secret in ("password_hash", "totp_secret", "totp_last_step", "$argon2"):
            assert secret not in raw_users
        assert "secret_hash" not in zf.read("api_keys.json").decode()
        audit = [json.loads(line) for line in zf.read("audit.jsonl").splitlines()]
        assert any(e["action"] == "dossier.create" for e in audit)
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["counts"]["dossiers"] == 1 and manifest["counts"]["documents"] == 1
        assert not any("Client de B" in zf.read(n).decode(errors="ignore") for n in names)
    [event] = _audit(api, firm, "export.firm")
    assert event.actor == admin.email and event.details["documents"] == 1


# -- personal data -----------------------------------------------------------------------------


def _person_world(api: ApiHarness) -> dict[str, Any]:
    """Élodie Marie DURAND (born 1980-05-17): declared owner of dossier 1, identity document and
    alert in dossier 2; a namesake born in 1955 is an officer of dossier 3."""
    firm = api.firm("Cabinet A")
    admin = api.member(firm, UserRole.ADMIN)
    d1 = _dossier(api, admin, "732829320", "Client Un", owners=[
        OWNER, {"last_name": "MARTIN", "first_names": "Paul", "capital_pct": 40}])
    d2 = _dossier(api, admin, "552100554", "Client Deux")
    d3 = _dossier(api, admin, "443061841", "Client Trois", officers=[
        {"last_name": "Durand", "first_names": "Élodie", "birth_date": "1955-01-01",
         "role": "gerant"}])
    id_doc, id_sha = _document(
        api, firm, d2, _pdf(b"cni durand"), "cni.pdf", doc_type=DocType.ID_CARD,
        identity={"last_name": "Durand", "first_names": "Marie Elodie",
                  "birth_date": date(1980, 5, 17)})
    kbis, _ = _document(api, firm, d2, _pdf(b"kbis deux"), "kbis.pdf", doc_type=DocType.KBIS,
                        officers=[{"last_name": "DURAND", "first_names": "Elodie Marie",
                                   "role": "president"}])
    about = _alert(api, firm, d2, "k-person", "Aucune pièce d'identité de Élodie Marie DURAND.",
                   {"last_name": "DURAND", "first_names": "Élodie Marie",
                    "birth_date": date(1980, 5, 17)},
                   evidence_text="Président : Mme Elodie Marie DURAND, née le 17/05/1980")
    mention = _alert(api, firm, d1, "k-mention",
                     "Le bénéficiaire Elodie DURAND détient 60 % ; MARTIN Paul 40 %.")
    namesake = _alert(api, firm, d3, "k-namesake", "Aucune pièce d'identité de Élodie DURAND.",
                      {"last_name": "DURAND", "first_names": "Élodie",
                       "birth_date": date(1955, 1, 1)})
    return {"firm": firm, "admin": admin, "d1": d1, "d2": d2, "d3": d3, "id_doc": id_doc,
            "id_sha": id_sha, "kbis": kbis, "about": about, "mention": mention,
            "namesake": namesake}


QUERY = {"last_name": "durand", "first_names": "marie élodie", "birth_date": BORN}


def test_person_export_finds_the_person_across_dossiers_but_not_a_namesake(
        api: ApiHarness) -> None:
    w = _person_world(api)
    collaborator = api.member(w["firm"], UserRole.COLLABORATOR)
    assert api.client.get("/persons/export", params=QUERY,
                          headers=collaborator.headers).status_code == 403

    r = api.client.get("/persons/export", params=QUERY, headers=w["admin"].headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body["dossier_ids"]) == {str(w["d1"]), str(w["d2"])}
    assert [(h["dossier_id"], h["role"], h["latest"]) for h in body["declared"]] == [
        (str(w["d1"]), "beneficial_owner", True)]
    assert body["declared"][0]["birth_date_agrees"] is True
    extracted = {(h["document_id"], h["role"]): h for h in body["extracted"]}
    assert set(extracted) == {(str(w["id_doc"]), "identity"), (str(w["kbis"]), "officer")}
    assert extracted[(str(w["kbis"]), "officer")]["birth_date_agrees"] is None  # Kbis: no date
    # The alert inserted about her, and those the check raised about her (her identity
    # document is missing from dossier 1); never the namesake's.
    alert_ids = [a["alert_id"] for a in body["alerts"]]
    assert str(w["about"]) in alert_ids and str(w["namesake"]) not in alert_ids
    with api.session() as db:
        for alert_id in alert_ids:
            alert = db.get(Alert, uuid.UUID(alert_id))
            assert alert is not None and alert.subject is not None
            assert alert.subject["last_name"].upper() == "DURAND"
            assert alert.dossier_id in (w["d1"], w["d2"])

    [event] = _audit(api, w["firm"], "person.export")
    assert event.details == {"dossiers": 2, "declared": 1, "extracted": 2,
                             "alerts": len(alert_ids)}
    assert "durand" not in json.dumps(event.details).lower()

    # Without a birth date the namesake is found too (nothing tells them apart).
    r = api.client.get("/persons/export", headers=w["admin"].headers,
                       params={"last_name": "Durand", "first_names": "Élodie"})
    assert str(w["d3"]) in r.json()["dossier_ids"]


def test_erasing_a_declared_owner_needs_force(api: ApiHarness) -> None:
    w = _person_world(api)
    r = api.client.post("/persons/erase", headers=w["admin"].headers,
                        json={**QUERY, "justification": "Demande d'effacement du 20/11/2026"})
    assert r.status_code == 409, r.text
    assert r.json()["error"]["code"] == "person_declared"
    assert r.json()["error"]["details"] == [{"dossier_id": str(w["d1"]),
                                             "role": "beneficial_owner"}]
    with api.session() as db:
        assert db.get(Document, w["id_doc"]) is not None
        assert db.scalar(select(func.count(DeclaredVersion.id))) == 3
    assert api.ctx.runtime.blobs.exists(w["id_sha"])
    assert not _audit(api, w["firm"], "person.erase")


def test_erase_removes_the_person_and_the_audit_holds_no_name(api: ApiHarness) -> None:
    w = _person_world(api)
    officer = api.member(w["firm"], UserRole.COMPLIANCE_OFFICER)
    r = api.client.post("/persons/erase", headers=officer.headers, json={
        **QUERY, "justification": "Relation d'affaires jamais nouée, demande du 20/11/2026",
        "force": True})
    assert r.status_code == 200, r.text
    result = r.json()
    assert result["declared_versions_written"] == 1
    assert result["documents_deleted"] == [str(w["id_doc"])]
    assert result["blobs_deleted"] == 1
    assert result["documents_kept"] == [str(w["kbis"])]
    assert {str(w["about"]), str(w["mention"])} <= set(result["alerts_redacted"])
    assert str(w["namesake"]) not in result["alerts_redacted"]

    with api.session() as db:
        scope = FirmScope(db, w["firm"])
        latest = scope.latest_declared(w["d1"])
        assert latest is not None and latest.change_note == "erasure"
        assert [p["last_name"] for p in latest.data["beneficial_owners"]] == ["MARTIN"]
        first = scope.declared_history(w["d1"])[0]
        assert first.data["beneficial_owners"][0] == {"last_name": "[effacé]", "capital_pct": 60,
                                                      "voting_pct": None}
        assert db.get(Document, w["id_doc"]) is None
        about = db.get(Alert, w["about"])
        mention = db.get(Alert, w["mention"])
        namesake = db.get(Alert, w["namesake"])
        assert about is not None and mention is not None and namesake is not None
        assert about.subject == {"last_name": "[effacé]", "first_names": "[effacé]",
                                 "birth_date": None, "file": None}
        assert about.message == "Aucune pièce d'identité de [effacé]."
        assert about.evidence[0]["text"] == "Président : Mme [effacé], née le 17/05/1980"
        assert mention.message == "Le bénéficiaire [effacé] détient 60 % ; MARTIN Paul 40 %."
        assert namesake.message == "Aucune pièce d'identité de Élodie DURAND."  # born 1955
        assert namesake.subject is not None and namesake.subject["last_name"] == "DURAND"
    assert not api.ctx.runtime.blobs.exists(w["id_sha"])

    [event] = _audit(api, w["firm"], "person.erase")
    assert event.actor == officer.email
    dumped = json.dumps(event.details, ensure_ascii=False).lower()
    assert "durand" not in dumped and "élodie" not in dumped and "elodie" not in dumped
    assert event.details["documents_deleted"] == 1 and event.details["forced"] is True

    again = api.client.get("/persons/export", params=QUERY, headers=w["admin"].headers).json()
    assert again["declared"] == [] and again["alerts"] == []
    assert [h["document_id"] for h in again["extracted"]] == [str(w["kbis"])]


# -- dossier erasure ---------------------------------------------------------------------------


def test_dossier_delete_removes_rows_and_unused_blobs(api: ApiHarness) -> None:
    firm, other = api.firm("Cabinet A"), api.firm("Cabinet B")
    admin = api.member(firm, UserRole.ADMIN)
    collaborator = api.member(firm, UserRole.COLLABORATOR)
    stranger = api.member(other, UserRole.ADMIN)
    dossier = _dossier(api, admin, "732829320", "Client A", owners=[OWNER])
    keep = _dossier(api, admin, "552100554", "Client B")
    _, own_sha = _document(api, firm, dossier, _pdf(b"own"), "own.pdf", doc_type=DocType.KBIS)
    _, shared_sha = _document(api, firm, dossier, _pdf(b"shared"), "s.pdf")
    _document(api, firm, keep, _pdf(b"shared"), "s.pdf")
    _alert(api, firm, dossier, "k1", "Alerte")
    with api.session() as db:
        FirmScope(db, firm).add_risk(dossier, RiskAssessment(
            level=RiskLevel.LOW, vigilance=Vigilance.STANDARD, score=1))
    url = f"/dossiers/{dossier}"
    reason = {"justification": "Dossier créé par erreur (doublon)"}

    assert api.client.delete(url, params=reason, headers=stranger.headers).status_code == 404
    assert api.client.delete(url, params=reason,
                             headers=collaborator.headers).status_code == 403
    assert api.client.delete(url, headers=admin.headers).status_code == 400
    with api.session() as db:  # what the dossier holds, the check's own alerts included
        alerts = db.scalar(select(func.count(Alert.id)).where(Alert.dossier_id == dossier))
        events = db.scalar(select(func.count(AlertEvent.id)).join(
            Alert, Alert.id == AlertEvent.alert_id).where(Alert.dossier_id == dossier))
        risks = len(FirmScope(db, firm).risk_history(dossier))
    assert alerts and alerts >= 1 and risks >= 1
    r = api.client.delete(url, params=reason, headers=admin.headers)
    assert r.status_code == 200, r.text
    assert r.json() == {"dossier_id": str(dossier), "documents": 2, "blobs_deleted": 1,
                        "alerts": alerts, "alert_events": events, "risk_assessments": risks,
                        "declared_versions": 1, "assignments": 0}
    with api.session() as db:
        assert db.get(Dossier, dossier) is None
        for model, column in ((Document, Document.dossier_id), (Alert, Alert.dossier_id),
                              (DeclaredVersion, DeclaredVersion.dossier_id),
                              (RiskAssessmentRow, RiskAssessmentRow.dossier_id)):
            assert db.scalar(select(func.count()).select_from(model).where(
                column == dossier)) == 0
        assert db.scalar(select(func.count(AlertEvent.id))) == 0
        assert db.get(Dossier, keep) is not None
    assert not api.ctx.runtime.blobs.exists(own_sha)
    assert api.ctx.runtime.blobs.exists(shared_sha)
    assert api.client.get(url, headers=admin.headers).status_code == 404
    [event] = _audit(api, firm, "dossier.delete")
    assert event.target_id == str(dossier) and event.details["documents"] == 2


# -- retention purge (SQLite here; tests/integration/store/test_purge.py runs both engines) ----


def test_purge_removes_an_ended_firm_and_its_logins(api: ApiHarness) -> None:
    firm, other = api.firm("Cabinet fini"), api.firm("Cabinet actif")
    admin = api.member(firm, UserRole.ADMIN)
    other_admin = api.member(other, UserRole.ADMIN)
    dossier = _dossier(api, admin, "732829320", "Client A")
    _, sha = _document(api, firm, dossier, _pdf(b"a"), "a.pdf")
    end = date(2026, 9, 30)
    with api.session() as db:
        firm_row = db.get(Firm, firm)
        assert firm_row is not None
        firm_row.contract_end_date = end
    purge_ended_firms(api.ctx.runtime, (end + timedelta(days=29)).isoformat())
    assert api.client.get("/dossiers", headers=admin.headers).status_code == 200
    purge_ended_firms(api.ctx.runtime, (end + timedelta(days=31)).isoformat())
    purge_ended_firms(api.ctx.runtime, (end + timedelta(days=31)).isoformat())
    assert api.client.get("/dossiers", headers=admin.headers).status_code == 401
    assert api.client.get("/dossiers", headers=other_admin.headers).status_code == 200
    assert not api.ctx.runtime.blobs.exists(sha)
    assert [e.action for e in _audit(api, firm, "firm.purge")] == ["firm.purge"]
    assert _audit(api, firm, "dossier.create")  # the audit log is kept
