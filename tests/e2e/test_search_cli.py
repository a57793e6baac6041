"""`kanta-docs ingest`, `reindex` and `search` on the embedded defaults (SQLite, Tantivy) in a
fresh home folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from alerts.names import fold_name
from tests.fixtures.dossiers import generate_dossiers


def _cli(home: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("kanta-docs")
    env = {**os.environ, "KANTA_HOME": str(home), "KANTA_BROKER_URL": "memory",
           "KANTA_SEARCH_URL": "embedded", "KANTA_DATABASE_URL": ""}
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True,
                          timeout=600, check=False, env=env)


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_dossiers(tmp_path_factory.mktemp("cli_search"), 1, seed=13, jobs=1)[0]


def test_ingested_dossier_is_found_then_reindexed(dossier: Path, tmp_path: Path) -> None:
    declared: dict[str, Any] = json.loads((dossier / "declared.json").read_text("utf-8"))
    owner = declared["beneficial_owners"][0]
    ingest = _cli(tmp_path, "ingest", dossier, "--firm", "Cabinet A", "--format", "json")
    assert ingest.returncode in (0, 1), ingest.stderr
    heard = fold_name(f"{owner['first_names']} {owner['last_name']}").lower()

    found = _cli(tmp_path, "search", heard, "--firm", "Cabinet A", "--person",
                 "--format", "json")
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)["hits"]
    assert hits and hits[0]["person_match"]["score"] > 0.8

    reindex = _cli(tmp_path, "reindex", "--firm", "Cabinet A")
    assert reindex.returncode == 0, reindex.stderr
    assert int(reindex.stdout.strip()) >= 3
    again = json.loads(_cli(tmp_path, "search", heard, "--firm", "Cabinet A", "--person",
                            "--format", "json").stdout)
    assert [h["document_id"] for h in again["hits"]] == [h["document_id"] for h in hits]

    unknown = _cli(tmp_path, "search", "statuts", "--firm", "Cabinet Z")
    assert unknown.returncode == 2
    assert "no firm named 'Cabinet Z'" in unknown.stderr
