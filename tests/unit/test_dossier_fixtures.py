"""The dossier generator (tests/fixtures/dossiers.py): deterministic, consistent, complete."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

from tests.fixtures.dossier_scoring import (
    ALERT_TYPES,
    first_tokens,
    last_name_key,
    match_alerts,
    score_dossier,
)
from tests.fixtures.dossiers import generate_dossiers, read_dossier_expected
from tests.fixtures.generator import dossier_faults, dossier_world
from tests.fixtures.generator.dossier_world import add_months, build_world

if TYPE_CHECKING:
    from pathlib import Path

DOC_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


@pytest.fixture(scope="module")
def dossiers(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate_dossiers(tmp_path_factory.mktemp("dossiers"), 8, seed=7, jobs=2)


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Same person by folded birth name and first first name."""
    return last_name_key(a["last_name"]) == last_name_key(b["last_name"]) and bool(
        set(first_tokens(a["first_names"])[:1]) & set(first_tokens(b["first_names"]))
    )


def _docs(expected: dict[str, Any], doc_type: str) -> list[dict[str, Any]]:
    return [d for d in expected["documents"].values() if d["doc_type"] == doc_type]


def test_same_seed_same_bytes(tmp_path: Path, dossiers: list[Path]) -> None:
    again = generate_dossiers(tmp_path, 2, seed=7)
    for first, second in zip(dossiers[:2], again, strict=True):
        names = sorted(p.name for p in first.iterdir())
        assert names == sorted(p.name for p in second.iterdir())
        for name in names:
            assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_folder_holds_declared_documents_and_expected(dossiers: list[Path]) -> None:
    for folder in dossiers:
        expected = read_dossier_expected(folder)
        declared = json.loads((folder / "declared.json").read_text(encoding="utf-8"))
        assert set(declared) == {"client", "beneficial_owners", "officers"}
        assert set(declared["client"]) == {"siren", "name", "legal_form", "naf", "country",
                                           "mission"}  # fmt: skip
        for o in declared["beneficial_owners"]:
            assert set(o) == {
                "last_name", "first_names", "birth_date", "nationality", "capital_pct",
                "voting_pct", "country_of_residence", "pep",
            }  # fmt: skip
        for o in declared["officers"]:
            assert set(o) == {"last_name", "first_names", "role"}
        assert {"as_of", "injected", "alerts", "clean"} <= set(expected)
        date.fromisoformat(expected["as_of"])
        assert expected["clean"] == (not expected["alerts"])
        files = {p.name for p in folder.iterdir() if p.suffix.lower() in DOC_EXTENSIONS}
        unreadable = {a["file"] for a in expected["alerts"] if a["type"] == "document_unreadable"}
        assert files == set(expected["documents"]) | unreadable
        types = Counter(d["doc_type"] for d in expected["documents"].values())
        assert types["kbis"] == types["rbe"] == 1
        assert types["statuts"] in (1, 2)
        for a in expected["alerts"]:
            assert a["type"] in ALERT_TYPES
            assert a["file"] is None or (folder / a["file"]).exists()


def test_documents_agree_with_each_other(dossiers: list[Path]) -> None:
    for folder in dossiers:
        expected = read_dossier_expected(folder)
        (kbis,) = _docs(expected, "kbis")
        (rbe,) = _docs(expected, "rbe")
        client = [s for s in _docs(expected, "statuts") if s["company"]["name"] ==
                  kbis["company"]["name"]]  # fmt: skip
        assert len(client) == 1
        for doc in (rbe, client[0]):
            assert doc["company"]["legal_form"] == kbis["company"]["legal_form"]
            assert doc["company"]["siren"] in (kbis["company"]["siren"], None)
        # statuts natural persons above 25 % are in the RBE unless a fault removed them
        removed = {a["subject"]["last_name"] for a in expected["alerts"]
                   if a["type"] == "be_not_declared" and "holder_not_in_rbe" in
                   expected["injected"]}  # fmt: skip
        for holder in client[0]["shareholders"]:
            if holder["pct"] > 25 and holder["name"].split()[-1].isupper():
                in_rbe = any(
                    last_name_key(o["last_name"]) in last_name_key(holder["name"])
                    for o in rbe["beneficial_owners"]
                )
                assert in_rbe or removed or "owner_not_in_rbe" in expected["injected"], holder


def test_alerts_follow_from_declared_and_documents(dossiers: list[Path]) -> None:
    for folder in dossiers:
        expected = read_dossier_expected(folder)
        declared = json.loads((folder / "declared.json").read_text(encoding="utf-8"))
        (kbis,) = _docs(expected, "kbis")
        (rbe,) = _docs(expected, "rbe")
        ids = {name: d for name, d in expected["documents"].items() if d["identity"]}
        holders = [h for s in _docs(expected, "statuts") for h in s["shareholders"]]
        as_of = date.fromisoformat(expected["as_of"])
        for a in expected["alerts"]:
            s = a["subject"]
            declared_owner = any(_same(s, o) for o in declared["beneficial_owners"]) if s else None
            in_rbe = any(_same(s, o) for o in rbe["beneficial_owners"]) if s else None
            if a["type"] == "be_not_declared":
                in_statuts = any(
                    h["pct"] > 25 and last_name_key(s["last_name"]) in last_name_key(h["name"])
                    for h in holders
                )
                assert (in_rbe or in_statuts) and not declared_owner, a
            elif a["type"] == "be_not_in_register":
                assert declared_owner and not in_rbe, a
            elif a["type"] in ("be_share_mismatch", "be_identity_mismatch"):
                assert declared_owner and in_rbe, a
            elif a["type"] == "officer_mismatch":
                on_kbis = any(_same(s, o) for o in kbis["officers"])
                in_declared = any(_same(s, o) for o in declared["officers"])
                assert on_kbis != in_declared, a
            elif a["type"] == "id_document_missing":
                assert not any(_same(s, d["identity"]) for d in ids.values()), a
            elif a["type"] == "id_document_expired":
                assert date.fromisoformat(ids[a["file"]]["effective_expiry_date"]) < as_of
            elif a["type"] == "id_document_expiring":
                days = (date.fromisoformat(ids[a["file"]]["effective_expiry_date"]) - as_of).days
                assert 0 <= days <= 90
            elif a["type"] == "mrz_invalid":
                assert ids[a["file"]]["identity"]["mrz_valid"] is False
            elif a["type"] == "register_extract_outdated":
                assert date.fromisoformat(kbis["document_date"]) < add_months(as_of, -3)
        # every identity document that raises nothing about its validity is valid
        flagged = {a["file"] for a in expected["alerts"]}
        for name, doc in ids.items():
            if name not in flagged:
                assert (date.fromisoformat(doc["effective_expiry_date"]) - as_of).days > 90
                assert doc["identity"]["mrz_valid"] is True
        if "register_extract_outdated" not in {a["type"] for a in expected["alerts"]}:
            assert date.fromisoformat(kbis["document_date"]) >= add_months(as_of, -3)


def test_every_alert_type_is_injected(tmp_path: Path) -> None:
    """Over 60 plans (no rendering), every alert type of the contract is expected at least once,
    about 40 % of dossiers are clean, and near-misses occur."""
    import random

    from faker import Faker

    fake = Faker("fr_FR")
    types: Counter[str] = Counter()
    clean = 0
    injected: Counter[str] = Counter()
    for i in range(60):
        rng = random.Random(f"test:{i}")
        fake.seed_instance(i)
        world = build_world(rng, fake, date(2026, 6, 1))
        plan = dossier_faults.initial_plan(rng, world)
        people = dossier_world.People(rng, fake, world.as_of)
        dossier_faults.inject(plan, rng, people.new)
        kinds = {a["type"] for a in plan.alerts}
        # expiry and MRZ alerts are added at rendering time, from the planned status
        for ip in plan.ids.values():
            if ip.status in ("expired", "expiring"):
                kinds.add(f"id_document_{ip.status}")
            if ip.break_mrz:
                kinds.add("mrz_invalid")
        types.update(kinds)
        injected.update(plan.injected)
        clean += not kinds
    assert set(types) == set(ALERT_TYPES), set(ALERT_TYPES) - set(types)
    assert 15 <= clean <= 35
    assert any(k.startswith("near_miss") for k in injected)


def test_scoring_pairs_by_subject_or_file() -> None:
    exp = [
        {"type": "be_not_declared", "subject": {"last_name": "LE GALL", "first_names": "Jean-Marc",
                                                "birth_date": "1970-01-01"}, "file": None},
        {"type": "mrz_invalid", "subject": {"last_name": "X", "first_names": "Y",
                                            "birth_date": None}, "file": "cni_x.pdf"},
        {"type": "company_mismatch", "subject": None, "file": None},
    ]  # fmt: skip
    raised = [
        {"type": "be_not_declared", "subject": {"last_name": "Legall épouse MARTIN",
                                                "first_names": "Jean Marc"}},
        {"type": "mrz_invalid", "subject": {"file": "dossier/cni_x.pdf"}, "evidence": []},
        {"type": "company_mismatch", "subject": None},
        {"type": "company_mismatch", "subject": None},
    ]  # fmt: skip
    pairs, missed, extra = match_alerts(exp, raised)
    assert len(pairs) == 3 and not missed and len(extra) == 1
    score = score_dossier({"alerts": exp}, raised)
    assert score.prf("company_mismatch")[:2] == (0.5, 1.0)
