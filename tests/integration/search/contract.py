"""The search contract, written once for every backend.

A backend's test module subclasses `SearchContract` and provides a `make_index` fixture: a
factory returning a fresh, empty `SearchIndex` (closed by the fixture at teardown). The corpus is
generated here: two firms sharing a client name, a SIREN, names and words, so that any leak
between them shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from indexers.contract import (
    DateRange,
    IndexRecord,
    InvalidQuery,
    PersonEntry,
    PersonQuery,
    PersonRole,
    SearchIndex,
    SearchQuery,
    SearchResult,
    SortBy,
    Visibility,
)

MakeIndex = Callable[[], SearchIndex]

A = Visibility("firm-a")
B = Visibility("firm-b")
ALICE_A = Visibility("firm-a", assigned_to="u-alice")
BOB_A = Visibility("firm-a", assigned_to="u-bob")

DUPONT = PersonEntry(PersonRole.OFFICER, "DUPONT", "Jean-Pierre", date(1970, 5, 1))
DUPONT_ID = replace(DUPONT, role=PersonRole.IDENTITY_HOLDER)
FONTAINE = PersonEntry(PersonRole.BENEFICIAL_OWNER, "de La Fontaine", "Marie Claire")
LEFEVRE = PersonEntry(PersonRole.BENEFICIAL_OWNER, "LEFÈVRE", "Hélène", date(1982, 11, 23),
                      usage_name="MARTIN")
GAUTHIER = PersonEntry(PersonRole.OFFICER, "GAUTHIER", "François", date(1965, 1, 20))
DUPOND = PersonEntry(PersonRole.IDENTITY_HOLDER, "DUPOND", "Jean", date(1988, 7, 14))
LEFEBVRE = PersonEntry(PersonRole.SHAREHOLDER, "LEFEBVRE", "Paul", date(1990, 2, 2))
NDIAYE = PersonEntry(PersonRole.IDENTITY_HOLDER, "N'DIAYE", "Aminata", date(1995, 4, 3))


def _rec(document_id: str, firm: str, dossier: str, doc_type: str, **kw: object) -> IndexRecord:
    dossiers: dict[str, dict[str, object]] = {
        "a-d1": {"client_name": "Boulangerie Dupont SARL", "siren": "552100554",
                 "risk_level": "high", "open_alert_types": ("id_expired", "ubo_mismatch"),
                 "assignee_ids": ("u-alice",)},
        "a-d2": {"client_name": "Société Générale de Négoce", "siren": "732829320",
                 "risk_level": "medium", "open_alert_types": ("kbis_outdated",),
                 "assignee_ids": ("u-bob",)},
        "a-d3": {"client_name": "Cabinet Lefebvre", "siren": "404833048", "risk_level": "low",
                 "assignee_ids": ("u-alice", "u-bob")},
        "b-d1": {"client_name": "Boulangerie Dupont SARL", "siren": "552100554",
                 "risk_level": "high", "open_alert_types": ("id_expired",),
                 "assignee_ids": ("u-alice",)},
    }
    fields: dict[str, object] = {**dossiers[dossier], "file_name": f"{document_id}.pdf", **kw}
    return IndexRecord(document_id=document_id, firm_id=firm, dossier_id=dossier,
                       doc_type=doc_type, **fields)  # type: ignore[arg-type]


def corpus() -> list[IndexRecord]:
    """Firm A: 3 dossiers, 8 documents; firm B: 1 dossier mirroring A's first, 2 documents."""
    statuts_text = ("Les statuts de la société prévoient des pénalités de retard. L'entreprise "
                    "est gérée par Jean-Pierre Dupont, gérant.")
    cni_text = "RÉPUBLIQUE FRANÇAISE carte nationale d'identité DUPONT Jean-Pierre"
    return [
        _rec("a1", "firm-a", "a-d1", "statuts", document_date=date(2021, 3, 15),
             pages=(statuts_text, "Article 12 : conditions générales de vente applicables."),
             persons=(DUPONT,)),
        _rec("a2", "firm-a", "a-d1", "cni", document_date=date(2015, 6, 1),
             expiry_date=date(2025, 5, 31), pages=(cni_text,), persons=(DUPONT_ID,)),
        _rec("a3", "firm-a", "a-d1", "rbe", document_date=date(2023, 1, 10),
             pages=("Registre des bénéficiaires effectifs : Marie Claire de La Fontaine détient "
                    "60 % du capital ; Hélène MARTIN née LEFÈVRE détient 40 %.",),
             persons=(FONTAINE, LEFEVRE)),
        _rec("a4", "firm-a", "a-d2", "kbis", document_date=date(2024, 2, 1),
             pages=("Extrait Kbis. La société a pour objet le négoce : une entreprise de "
                    "commerce de gros. Gérant : François GAUTHIER.",), persons=(GAUTHIER,)),
        _rec("a5", "firm-a", "a-d2", "cni", document_date=date(2016, 9, 30),
             expiry_date=date(2026, 9, 30), pages=("carte nationale d'identité GAUTHIER",),
             persons=(replace(GAUTHIER, role=PersonRole.IDENTITY_HOLDER),)),
        _rec("a6", "firm-a", "a-d2", "passport", expiry_date=date(2025, 3, 1),
             pages=("PASSEPORT DUPOND Jean",), persons=(DUPOND,)),
        _rec("a7", "firm-a", "a-d3", "statuts",
             pages=("Les sociétés civiles associées versent une pénalité forfaitaire.",),
             persons=(LEFEBVRE,)),
        _rec("a8", "firm-a", "a-d3", "titre_sejour", expiry_date=date(2025, 1, 15),
             pages=("Titre de séjour <b>R&D</b> mention « salarié »",), persons=(NDIAYE,)),
        _rec("b1", "firm-b", "b-d1", "statuts", document_date=date(2022, 4, 4),
             pages=(statuts_text,), persons=(DUPONT,)),
        _rec("b2", "firm-b", "b-d1", "cni", expiry_date=date(2025, 5, 31), pages=(cni_text,),
             persons=(DUPONT_ID,)),
    ]


def ids(result: SearchResult) -> list[str]:
    """Document ids of a result, in order (grouped results flattened)."""
    if result.groups:
        return [h.document_id for g in result.groups for h in g.hits]
    return [h.document_id for h in result.hits]


def everything(index: SearchIndex, visibility: Visibility, query: SearchQuery) -> list[str]:
    """Every document id of a query, page after page."""
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(100):
        result = index.search(visibility, replace(query, cursor=cursor))
        seen.extend(ids(result))
        cursor = result.next_cursor
        if cursor is None:
            return seen
    raise AssertionError("pagination does not end")


def q(**kw: object) -> SearchQuery:
    return SearchQuery(**kw)  # type: ignore[arg-type]


class SearchContract:
    """Tests every backend passes. Subclasses provide the `make_index` fixture."""

    @pytest.fixture
    def index(self, make_index: MakeIndex) -> SearchIndex:
        index = make_index()
        index.upsert(corpus())
        index.refresh()
        return index

    # -- French analysis -----------------------------------------------------------------

    @pytest.mark.parametrize(("text", "expected"), [
        ("penalite", {"a1", "a7"}),
        ("pénalités", {"a1", "a7"}),
        ("PÉNALITÉ", {"a1", "a7"}),
        ("sociétés", {"a1", "a4", "a5", "a6", "a7"}),  # a5, a6: "Société Générale" client
        ("societe", {"a1", "a4", "a5", "a6", "a7"}),
        ("entreprise", {"a1", "a4"}),
        ("l'entreprise", {"a1", "a4"}),
        ("l’entreprise", {"a1", "a4"}),
        ("REPUBLIQUE francaise", {"a2"}),
        ("pénalités négoce", set()),
        ("négoce", {"a4", "a5", "a6"}),  # the client name counts
    ])
    def test_french_analysis(self, index: SearchIndex, text: str, expected: set[str]) -> None:
        assert set(ids(index.search(A, q(text=text, limit=100)))) == expected

    @pytest.mark.parametrize(("text", "expected"), [
        ('"conditions générales de vente"', {"a1"}),
        ('"conditions generales de vente"', {"a1"}),
        ('"vente générales conditions"', set()),
        ('"entreprise est gérée"', {"a1"}),
        ('"l\'entreprise est gérée"', {"a1"}),
        ('"pénalités de retard" statuts', {"a1"}),
    ])
    def test_phrases(self, index: SearchIndex, text: str, expected: set[str]) -> None:
        assert set(ids(index.search(A, q(text=text)))) == expected

    def test_relevance_is_best_first(self, index: SearchIndex) -> None:
        hits = index.search(A, q(text="pénalités")).hits
        assert len(hits) == 2
        assert hits[0].score >= hits[1].score > 0

    # -- persons -------------------------------------------------------------------------

    @pytest.mark.parametrize("name", ["Jean-Pierre DUPONT", "dupont jean pierre",
                                      "Jean Pierre Dupont", "DUP0NT Jean-Pierre",
                                      "M. Jean-Pierre Dupont", "Pierre Jean DUPONT"])
    def test_person_variants(self, index: SearchIndex, name: str) -> None:
        result = index.search(A, q(person=PersonQuery(name)))
        top = [h.document_id for h in result.hits[:2]]
        assert set(top) == {"a1", "a2"}
        assert all(h.document_id.startswith("a") for h in result.hits)
        match = result.hits[0].person_match
        assert match is not None and match.last_name == "DUPONT" and match.score >= 0.85
        assert match.explanation

    def test_person_ocr_slip_is_explained(self, index: SearchIndex) -> None:
        match = index.search(A, q(person=PersonQuery("DUP0NT Jean-Pierre"))).hits[0].person_match
        assert match is not None
        assert any("faute de lecture" in e for e in match.explanation)

    def test_person_heard_name(self, index: SearchIndex) -> None:
        hits = index.search(A, q(person=PersonQuery("Dupond"))).hits
        assert hits[0].document_id == "a6"  # the exact spelling first
        assert {"a1", "a2"} <= {h.document_id for h in hits}
        assert all(h.person_match and h.person_match.score >= 0.65 for h in hits)
        assert hits[0].score >= hits[-1].score

    @pytest.mark.parametrize(("name", "expected", "reason"), [
        ("Hélène Martin", "a3", "nom d'usage"),
        ("helene lefevre", "a3", "nom identique"),
        ("Marie Fontaine", "a3", "particule ignorée"),
        ("Marie Claire DELAFONTAINE", "a3", None),
        ("Francois Gautier", "a4", None),
        ("Aminata Ndiaye", "a8", None),
    ])
    def test_person_accents_particles_usage(self, index: SearchIndex, name: str, expected: str,
                                            reason: str | None) -> None:
        hits = index.search(A, q(person=PersonQuery(name))).hits
        assert expected in [h.document_id for h in hits[:2]]
        match = next(h.person_match for h in hits if h.document_id == expected)
        assert match is not None
        if reason:
            assert reason in match.explanation

    def test_person_birth_date_narrows(self, index: SearchIndex) -> None:
        broad = {h.document_id for h in index.search(A, q(person=PersonQuery("Jean Dupond"))).hits}
        assert {"a6", "a1", "a2"} <= broad
        young = index.search(A, q(person=PersonQuery("Jean Dupond", date(1988, 7, 14))))
        assert ids(young) == ["a6"]
        assert young.hits[0].person_match is not None
        assert "date de naissance identique" in young.hits[0].person_match.explanation
        old = index.search(A, q(person=PersonQuery("Jean-Pierre Dupont", date(1970, 5, 1))))
        assert set(ids(old)) == {"a1", "a2"}

    def test_person_no_match(self, index: SearchIndex) -> None:
        assert index.search(A, q(person=PersonQuery("Marie Dupont"))).total == 0
        assert index.search(A, q(person=PersonQuery("Zacharie Wozniak"))).total == 0

    def test_person_with_filters_and_text(self, index: SearchIndex) -> None:
        person = PersonQuery("Jean-Pierre Dupont")
        assert ids(index.search(A, q(person=person, doc_types=("cni",)))) == ["a2"]
        assert ids(index.search(A, q(person=person, text="pénalités"))) == ["a1"]

    # -- SIREN ---------------------------------------------------------------------------

    @pytest.mark.parametrize("siren", ["552100554", "552 100 554", "55210055400013",
                                       "552 100 554 00013"])
    def test_siren_and_siret(self, index: SearchIndex, siren: str) -> None:
        assert set(ids(index.search(A, q(siren=siren)))) == {"a1", "a2", "a3"}
        assert set(ids(index.search(B, q(siren=siren)))) == {"b1", "b2"}

    @pytest.mark.parametrize("siren", ["123", "55210055A", "5521005540001"])
    def test_bad_siren(self, index: SearchIndex, siren: str) -> None:
        with pytest.raises(InvalidQuery):
            index.search(A, q(siren=siren))

    # -- filters -------------------------------------------------------------------------

    @pytest.mark.parametrize(("query", "expected"), [
        (q(doc_types=("cni",)), {"a2", "a5"}),
        (q(doc_types=("cni", "passport")), {"a2", "a5", "a6"}),
        (q(dossier_ids=("a-d3",)), {"a7", "a8"}),
        (q(dossier_ids=("a-d3", "b-d1")), {"a7", "a8"}),
        (q(document_date=DateRange(date(2021, 3, 15), date(2023, 1, 10))), {"a1", "a3"}),
        (q(document_date=DateRange(start=date(2023, 1, 11))), {"a4"}),
        (q(expiry_date=DateRange(end=date(2025, 5, 31))), {"a2", "a6", "a8"}),
        (q(expiry_date=DateRange(start=date(2025, 6, 1))), {"a5"}),
        (q(alert_types=("kbis_outdated",)), {"a4", "a5", "a6"}),
        (q(alert_types=("kbis_outdated", "ubo_mismatch")), {"a1", "a2", "a3", "a4", "a5", "a6"}),
        (q(risk_levels=("low",)), {"a7", "a8"}),
        (q(risk_levels=("high", "low"), doc_types=("statuts",)), {"a1", "a7"}),
        (q(text="identité", expiry_date=DateRange(end=date(2025, 12, 31))), {"a2"}),
    ])
    def test_filters(self, index: SearchIndex, query: SearchQuery, expected: set[str]) -> None:
        result = index.search(A, replace(query, limit=100))
        assert set(ids(result)) == expected
        assert result.total == len(expected)

    # -- sorts ---------------------------------------------------------------------------

    def test_sort_document_date(self, index: SearchIndex) -> None:
        desc = ids(index.search(A, q(sort=SortBy.DOCUMENT_DATE, limit=100)))
        assert desc[:5] == ["a4", "a3", "a1", "a5", "a2"]
        assert set(desc[5:]) == {"a6", "a7", "a8"}  # undated last
        asc = ids(index.search(A, q(sort=SortBy.DOCUMENT_DATE, descending=False, limit=100)))
        assert asc[:5] == ["a2", "a5", "a1", "a3", "a4"]
        assert set(asc[5:]) == {"a6", "a7", "a8"}

    def test_sort_expiry_date(self, index: SearchIndex) -> None:
        asc = ids(index.search(A, q(sort=SortBy.EXPIRY_DATE, descending=False, limit=100)))
        assert asc[:4] == ["a8", "a6", "a2", "a5"]
        assert set(asc[4:]) == {"a1", "a3", "a4", "a7"}
        desc = ids(index.search(A, q(sort=SortBy.EXPIRY_DATE, limit=100)))
        assert desc[:4] == ["a5", "a2", "a6", "a8"]

    def test_sort_person_hits_by_date(self, index: SearchIndex) -> None:
        result = index.search(A, q(person=PersonQuery("Dupond"), sort=SortBy.EXPIRY_DATE,
                                   descending=False))
        assert ids(result)[:2] == ["a6", "a2"]

    # -- facets --------------------------------------------------------------------------

    def test_facets(self, index: SearchIndex) -> None:
        facets = index.search(A, q()).facets
        assert facets["doc_type"] == {"statuts": 2, "cni": 2, "rbe": 1, "kbis": 1,
                                      "passport": 1, "titre_sejour": 1}
        assert facets["risk_level"] == {"high": 3, "medium": 3, "low": 2}
        assert facets["alert_type"] == {"id_expired": 3, "ubo_mismatch": 3, "kbis_outdated": 3}

    def test_facets_ignore_their_own_filter_only(self, index: SearchIndex) -> None:
        facets = index.search(A, q(doc_types=("cni",))).facets
        assert facets["doc_type"]["statuts"] == 2  # the other choices stay visible
        assert facets["risk_level"] == {"high": 1, "medium": 1}
        text = index.search(A, q(text="pénalités")).facets
        assert text["doc_type"] == {"statuts": 2}

    def test_facets_of_person_search(self, index: SearchIndex) -> None:
        facets = index.search(A, q(person=PersonQuery("Jean-Pierre Dupont"))).facets
        assert facets["doc_type"] == {"statuts": 1, "cni": 1}

    def test_no_facets_when_not_asked(self, index: SearchIndex) -> None:
        assert index.search(A, q(facets=False)).facets == {}

    # -- highlights ----------------------------------------------------------------------

    def test_highlights(self, index: SearchIndex) -> None:
        hits = index.search(A, q(text="pénalités")).hits
        by_id = {h.document_id: h.highlights for h in hits}
        assert any("<mark>pénalités</mark>" in h for h in by_id["a1"])
        assert any("<mark>pénalité</mark>" in h for h in by_id["a7"])

    def test_highlights_are_escaped(self, index: SearchIndex) -> None:
        (hit,) = index.search(A, q(text="séjour")).hits
        (passage,) = hit.highlights
        assert "<mark>séjour</mark>" in passage
        assert "<b>" not in passage and "&lt;b&gt;R&amp;D&lt;/b&gt;" in passage

    def test_no_highlights_when_not_asked(self, index: SearchIndex) -> None:
        assert all(not h.highlights for h in index.search(A, q(text="pénalités",
                                                                 highlight=False)).hits)
        assert all(not h.highlights for h in index.search(A, q()).hits)

    # -- pagination ----------------------------------------------------------------------

    @pytest.fixture
    def bulk(self, make_index: MakeIndex) -> SearchIndex:
        index = make_index()
        records = [
            _rec(f"p{i:02d}", "firm-a", f"a-d{1 + i % 3}", "attestation",
                 document_date=date(2020, 1 + i % 12, 1) if i % 4 else None,
                 expiry_date=date(2026, 1, 1 + i % 5) if i % 3 else None,
                 pages=(f"attestation de vigilance numéro {i} " + "urssaf " * (i % 7),),
                 persons=(replace(DUPONT, first_names=("Jean", "Paul")[i % 2]),))
            for i in range(23)]
        index.upsert([*records, *corpus()])
        index.refresh()
        return index

    @pytest.mark.parametrize("query", [
        q(limit=5),
        q(text="attestation urssaf", limit=4),
        q(sort=SortBy.DOCUMENT_DATE, limit=6),
        q(sort=SortBy.EXPIRY_DATE, descending=False, limit=7),
        q(person=PersonQuery("Dupont"), limit=5),
        q(doc_types=("attestation",), limit=10),
    ])
    def test_cursor_pagination(self, bulk: SearchIndex, query: SearchQuery) -> None:
        whole = bulk.search(A, replace(query, limit=100))
        paged = everything(bulk, A, query)
        assert len(paged) == len(set(paged)) == whole.total
        assert set(paged) == set(ids(whole))
        assert all(not d.startswith("b") for d in paged)

    def test_cursor_of_another_query(self, bulk: SearchIndex) -> None:
        cursor = bulk.search(A, q(limit=5)).next_cursor
        assert cursor is not None
        with pytest.raises(InvalidQuery):
            bulk.search(A, q(limit=5, text="attestation", cursor=cursor))
        with pytest.raises(InvalidQuery):
            bulk.search(B, q(limit=5, cursor=cursor))  # another firm
        with pytest.raises(InvalidQuery):
            bulk.search(A, q(limit=5, cursor="not-a-cursor"))

    @pytest.mark.parametrize("limit", [0, -1, 101])
    def test_bad_limit(self, index: SearchIndex, limit: int) -> None:
        with pytest.raises(InvalidQuery):
            index.search(A, q(limit=limit))

    # -- grouping ------------------------------------------------------------------------

    def test_group_by_dossier(self, index: SearchIndex) -> None:
        result = index.search(A, q(group_by_dossier=True))
        assert result.total == 3 and not result.hits
        groups = {g.dossier_id: g for g in result.groups}
        assert set(groups) == {"a-d1", "a-d2", "a-d3"}
        assert groups["a-d2"].total_hits == 3 and len(groups["a-d2"].hits) == 3
        assert groups["a-d3"].client_name == "Cabinet Lefebvre"
        assert groups["a-d1"].siren == "552100554" and groups["a-d1"].risk_level == "high"

    def test_group_by_dossier_with_text(self, index: SearchIndex) -> None:
        result = index.search(A, q(text="pénalités", group_by_dossier=True))
        assert result.total == 2
        assert {g.dossier_id for g in result.groups} == {"a-d1", "a-d3"}
        assert result.groups[0].score >= result.groups[1].score

    def test_group_pagination(self, bulk: SearchIndex) -> None:
        first = bulk.search(A, q(group_by_dossier=True, limit=2))
        assert first.total == 3 and len(first.groups) == 2 and first.next_cursor
        second = bulk.search(A, q(group_by_dossier=True, limit=2, cursor=first.next_cursor))
        assert len(second.groups) == 1 and second.next_cursor is None
        seen = [g.dossier_id for g in (*first.groups, *second.groups)]
        assert sorted(seen) == ["a-d1", "a-d2", "a-d3"]
        assert all(len(g.hits) == 3 and g.total_hits > 3 for g in first.groups)

    def test_group_person_search(self, index: SearchIndex) -> None:
        result = index.search(A, q(person=PersonQuery("Dupond"), group_by_dossier=True))
        assert {g.dossier_id for g in result.groups} == {"a-d1", "a-d2"}
        assert result.total == 2

    # -- writes --------------------------------------------------------------------------

    def test_writes_visible_after_refresh(self, make_index: MakeIndex) -> None:
        index = make_index()
        index.upsert(corpus()[:1])
        index.refresh()
        assert index.search(A, q()).total == 1

    def test_upsert_replaces(self, index: SearchIndex) -> None:
        index.upsert([replace(corpus()[0], client_name="Boulangerie Durand")])
        index.refresh()
        assert ids(index.search(A, q(text="Durand"))) == ["a1"]
        assert index.search(A, q()).total == 8

    def test_delete_documents(self, index: SearchIndex) -> None:
        index.delete_documents("firm-a", ["a1", "unknown"])
        index.delete_documents("firm-b", ["a2"])  # another firm's id: untouched
        index.refresh()
        assert set(ids(index.search(A, q(limit=100)))) == {f"a{i}" for i in range(2, 9)}
        assert index.search(B, q()).total == 2

    def test_replace_dossier(self, index: SearchIndex) -> None:
        new = _rec("a9", "firm-a", "a-d1", "kbis", pages=("Extrait Kbis mis à jour",))
        index.replace_dossier("firm-a", "a-d1", [new])
        index.refresh()
        assert ids(index.search(A, q(dossier_ids=("a-d1",)))) == ["a9"]
        assert index.search(A, q()).total == 6
        assert index.search(B, q()).total == 2  # same dossier contents elsewhere untouched
        index.replace_dossier("firm-a", "a-d1", [])
        index.refresh()
        assert index.search(A, q(dossier_ids=("a-d1",))).total == 0

    def test_replace_dossier_refuses_foreign_records(self, index: SearchIndex) -> None:
        with pytest.raises(ValueError, match="dossier"):
            index.replace_dossier("firm-a", "a-d1", [corpus()[8]])

    def test_delete_firm(self, index: SearchIndex) -> None:
        index.delete_firm("firm-a")
        index.refresh()
        assert index.search(A, q()).total == 0
        assert set(ids(index.search(B, q()))) == {"b1", "b2"}

    def test_reindex_firm(self, index: SearchIndex) -> None:
        fresh = [replace(r, client_name="Nouveau Client") for r in corpus() if r.firm_id ==
                 "firm-a"][:3]
        assert index.reindex(iter(fresh), "firm-a") == 3
        index.refresh()
        result = index.search(A, q())
        assert set(ids(result)) == {"a1", "a2", "a3"}
        assert {h.client_name for h in result.hits} == {"Nouveau Client"}
        assert index.search(B, q()).total == 2

    def test_reindex_refuses_other_firms_records(self, index: SearchIndex) -> None:
        with pytest.raises(ValueError, match="firm"):
            index.reindex(corpus(), "firm-a")
        index.refresh()
        assert index.search(A, q()).total == 8

    def test_reindex_everything(self, index: SearchIndex) -> None:
        assert index.reindex(corpus()[8:]) == 2
        index.refresh()
        assert index.search(A, q()).total == 0
        assert index.search(B, q()).total == 2

    # -- isolation -----------------------------------------------------------------------

    @pytest.mark.parametrize("query", [
        q(),
        q(text="pénalités"),
        q(text='"pénalités de retard"'),
        q(text="Boulangerie Dupont"),
        q(person=PersonQuery("Jean-Pierre Dupont")),
        q(person=PersonQuery("Dupond")),
        q(siren="552100554"),
        q(dossier_ids=("a-d1", "a-d2", "a-d3")),
        q(alert_types=("kbis_outdated", "ubo_mismatch")),
        q(sort=SortBy.EXPIRY_DATE),
        q(group_by_dossier=True),
        q(person=PersonQuery("Dupont"), group_by_dossier=True),
    ])
    def test_no_query_crosses_firms(self, index: SearchIndex, query: SearchQuery) -> None:
        result_b = index.search(B, replace(query, limit=100))
        assert all(d.startswith("b") for d in ids(result_b))
        assert result_b.total <= (1 if query.group_by_dossier else 2)
        for counts in result_b.facets.values():
            assert sum(counts.values()) <= 2
        assert result_b.facets.get("doc_type", {}).keys() <= {"statuts", "cni"}
        assert result_b.facets.get("alert_type", {}).keys() <= {"id_expired"}
        assert all(g.dossier_id == "b-d1" for g in result_b.groups)
        result_a = index.search(A, replace(query, limit=100))
        assert all(d.startswith("a") for d in ids(result_a))

    def test_unknown_firm_sees_nothing(self, index: SearchIndex) -> None:
        result = index.search(Visibility("firm-c"), q())
        assert result.total == 0 and not result.hits
        assert all(not counts for counts in result.facets.values())

    def test_collaborator_sees_assigned_dossiers_only(self, index: SearchIndex) -> None:
        bob = index.search(BOB_A, q(limit=100))
        assert set(ids(bob)) == {"a4", "a5", "a6", "a7", "a8"}
        assert bob.facets["risk_level"] == {"medium": 3, "low": 2}
        alice = index.search(ALICE_A, q(person=PersonQuery("Dupond")))
        assert set(ids(alice)) == {"a1", "a2"}  # a6 (DUPOND) is in Bob's dossier
        grouped = index.search(ALICE_A, q(group_by_dossier=True))
        assert {g.dossier_id for g in grouped.groups} == {"a-d1", "a-d3"}
        assert index.search(Visibility("firm-a", "u-carol"), q()).total == 0
        # The same user id in firm B sees firm B's assigned dossier only.
        assert set(ids(index.search(Visibility("firm-b", "u-alice"), q()))) == {"b1", "b2"}
        assert index.search(Visibility("firm-b", "u-bob"), q()).total == 0

    def test_empty_firm_is_refused(self, index: SearchIndex) -> None:
        with pytest.raises(InvalidQuery):
            index.search(Visibility(""), q())
