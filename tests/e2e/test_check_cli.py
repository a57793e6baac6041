"""`kanta-docs check` on generated dossiers: the contract's JSON, exit status, the divergence
report, and the alerts against the generator's expected ones."""

from __future__ import annotations

import json
import shutil
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

from kanta_docs.config import load_settings
from kanta_docs.dossier import check_dossier_dir
from kanta_docs.pipeline import read_context
from tests.e2e.test_extract_cli import CONTRACT_KEYS, run_cli
from tests.fixtures.dossier_scoring import AlertScore, score_dossier
from tests.fixtures.dossiers import generate_dossiers, read_dossier_expected

if TYPE_CHECKING:
    from pathlib import Path

CHECK_KEYS = {"schema_version", "dossier", "as_of", "documents", "alerts", "risk",
              "identity_documents", "ownership"}
ALERT_KEYS = {"type", "severity", "subject", "evidence", "message", "key"}


@pytest.fixture(scope="module")
def dossiers(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate_dossiers(tmp_path_factory.mktemp("dossiers"), 12, seed=31, jobs=2)


def _check_json(folder: Path, *extra: str | Path) -> tuple[int, dict[str, Any]]:
    as_of = read_dossier_expected(folder)["as_of"]
    proc = run_cli("check", folder, "--as-of", as_of, "--format", "json", *extra)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_contract_shape_and_exit_status(dossiers: list[Path]) -> None:
    folder = dossiers[0]
    code, result = _check_json(folder)
    assert set(result) == CHECK_KEYS
    assert result["schema_version"] == 1
    assert result["as_of"] == read_dossier_expected(folder)["as_of"]
    assert all(set(d) == CONTRACT_KEYS for d in result["documents"])
    assert all(set(a) == ALERT_KEYS for a in result["alerts"])
    assert {"level", "vigilance", "score", "factors"} <= set(result["risk"])
    unreadable = any(d["pages"] == 0 for d in result["documents"])
    assert code == (1 if unreadable else 0)
    # declared.json is the firm's input, and dotfiles are not documents.
    assert {d["file"] for d in result["documents"]}.isdisjoint({"declared.json",
                                                                 ".expected.json"})


def test_alerts_match_what_the_generator_injected(dossiers: list[Path]) -> None:
    """The full pipeline (reading, extraction, cross-check) on born-digital dossiers; the bench
    measures the same on many more, with scans."""
    ctx = read_context(load_settings())
    total = AlertScore()
    clean_with_alerts = []
    for folder in dossiers:
        expected = read_dossier_expected(folder)
        result, _ = check_dossier_dir(folder, date.fromisoformat(expected["as_of"]), ctx)
        raised = [a.model_dump(mode="json") for a in result.alerts]
        total.add(score_dossier(expected, raised, folder.name))
        if expected["clean"] and raised:
            clean_with_alerts.append(folder.name)
    precision, recall, _ = total.prf()
    assert precision >= 0.9 and recall >= 0.9, total.misses
    assert not clean_with_alerts, total.misses


def test_divergence_report_json_and_text(dossiers: list[Path], tmp_path: Path) -> None:
    """An owner the register names is left out of declared.json: a divergence to report."""
    source = next(f for f in dossiers if read_dossier_expected(f)["clean"])
    folder = tmp_path / "dossier"
    shutil.copytree(source, folder)
    declared = json.loads((folder / "declared.json").read_text(encoding="utf-8"))
    left_out = declared["beneficial_owners"].pop(0)
    (folder / "declared.json").write_text(json.dumps(declared), encoding="utf-8")
    report = tmp_path / "divergence.json"
    _check_json(folder, "--divergence-report", report)
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["has_divergence"] is True
    assert data["company"]["siren"] == declared["client"]["siren"]
    assert [d["type"] for d in data["divergences"]] == ["be_not_declared"]
    assert data["divergences"][0]["person"]["birth_date"] == left_out["birth_date"]
    text = report.with_suffix(".txt").read_text(encoding="utf-8")
    assert "L.561-47-1" in text and "Divergences constatées" in text
    assert left_out["last_name"].split()[0].upper() in text.upper()


def test_missing_or_invalid_declared_json_exits_2(dossiers: list[Path], tmp_path: Path) -> None:
    folder = tmp_path / "dossier"
    shutil.copytree(dossiers[0], folder)
    (folder / "declared.json").unlink()
    proc = run_cli("check", folder)
    assert proc.returncode == 2 and "declared.json" in proc.stderr and proc.stdout == ""
    (folder / "declared.json").write_text('{"beneficial_owners": [{"capital_pct": "x"}]}')
    proc = run_cli("check", folder)
    assert proc.returncode == 2 and "beneficial_owners.0" in proc.stderr


def test_a_corrupt_document_is_an_alert_and_exit_1(dossiers: list[Path], tmp_path: Path) -> None:
    folder = tmp_path / "dossier"
    shutil.copytree(dossiers[0], folder)
    (folder / "scan_0001.pdf").write_bytes(b"%PDF-1.7\n garbage")
    code, result = _check_json(folder)
    assert code == 1
    alerts = [a for a in result["alerts"] if a["type"] == "document_unreadable"]
    assert any(a["subject"]["file"] == "scan_0001.pdf" for a in alerts)
