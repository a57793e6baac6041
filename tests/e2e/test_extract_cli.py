"""`kanta-docs extract` as firms script it: a subprocess, its JSON, its exit status."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kanta_docs.cli import main
from tests.fixtures.generate import read_expected

if TYPE_CHECKING:
    import pytest

CONTRACT_KEYS = {
    "schema_version", "file", "sha256", "doc_type", "pages", "ocr_used", "document_date",
    "expiry_date", "effective_expiry_date", "company", "beneficial_owners", "officers",
    "shareholders", "identity", "warnings",
}


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("kanta-docs")
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True,
                          timeout=600, check=False)


def test_jsonl_objects_in_input_order_with_every_contract_field(born_digital: list[Path]) -> None:
    docs = born_digital[::-1]  # not sorted: output must follow input order
    proc = run_cli("extract", *docs)
    assert proc.returncode == 0, proc.stderr
    objects = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["file"] for o in objects] == [str(d) for d in docs]
    for doc, obj in zip(docs, objects, strict=True):
        assert set(obj) == CONTRACT_KEYS
        assert obj["schema_version"] == 1
        assert obj["sha256"] == hashlib.sha256(doc.read_bytes()).hexdigest()
        expected = read_expected(doc)
        assert obj["doc_type"] == expected["doc_type"], doc.name
        assert obj["pages"] == expected["pages"]
        assert obj["ocr_used"] is False


def test_a_corrupt_file_fails_alone_with_its_reason(born_digital: list[Path],
                                                    tmp_path: Path) -> None:
    good = born_digital[0]
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(good.read_bytes()[:400])
    proc = run_cli("extract", good, truncated, good)
    assert proc.returncode == 1
    first, bad, last = (json.loads(line) for line in proc.stdout.splitlines())
    assert first["doc_type"] == last["doc_type"] == read_expected(good)["doc_type"]
    assert bad["doc_type"] == "unknown"
    assert bad["sha256"] == hashlib.sha256(truncated.read_bytes()).hexdigest()
    assert any("unreadable" in w for w in bad["warnings"])


def test_a_directory_is_walked_recursively(born_digital: list[Path], tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    shutil.copy(born_digital[0], tmp_path / "a" / "b" / "doc1.pdf")
    shutil.copy(born_digital[1], tmp_path / "a" / "doc2.pdf")
    (tmp_path / ".hidden.pdf").write_bytes(b"ignored")
    proc = run_cli("extract", tmp_path, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    objects = json.loads(proc.stdout)
    assert [Path(o["file"]).name for o in objects] == ["doc1.pdf", "doc2.pdf"]


def test_missing_path_is_a_bad_argument() -> None:
    proc = run_cli("extract", "/nonexistent/kbis.pdf")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "/nonexistent/kbis.pdf" in proc.stderr


def test_unknown_format_is_a_bad_argument(born_digital: list[Path]) -> None:
    proc = run_cli("extract", born_digital[0], "--format", "xml")
    assert proc.returncode == 2


def test_table_format_lists_every_file(born_digital: list[Path],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    docs = born_digital[:3]
    assert main(["extract", *map(str, docs), "--format", "table", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "3 documents, 0 unreadable" in out
    for doc in docs:
        assert read_expected(doc)["doc_type"] in out


def test_other_file_types_are_unknown_with_a_reason(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    note = tmp_path / "note.pdf"
    note.write_text("<html><body>not a pdf</body></html>")
    assert main(["extract", str(note), "--format", "jsonl"]) == 1
    obj = json.loads(capsys.readouterr().out)
    assert obj["doc_type"] == "unknown"
    assert "html" in " ".join(obj["warnings"]).lower()
