"""Judged search queries built from a generated corpus (`bench/search_corpus.py`), and the
unjudged query mixes used for latency.

Each `Judgment` is a query a compliance officer would type, who asks (`Visibility`), and the
documents that should come first (`relevant`). The truth comes from the generator (which person
is named in which document, where a rare statuts clause went, which dossier holds a SIREN) or from
a regular expression over the folded page text (phrases, words with their inflections). Kinds:

- names as typed: without accents, first names reordered, a one-letter slip, particle dropped or
  glued ("Villeneuve" for "de Villeneuve", "Legall" for "Le Gall"), the usage (married) name, a
  name the OCR garbled in the document ("FOUMIER" read for "FOURNIER"), a person + birth date
  among homonyms;
- SIREN and SIRET in the SIREN field, a SIREN typed in the text box;
- phrases of a statuts clause, single words with another inflection or without accents,
  elisions;
- filters (type + expiry range, alert + risk, collaborator view), checked for their total too;
- isolation: an answer that exists only in another firm, or in a dossier the collaborator is
  not assigned to: any hit from there is a leak, and a leak fails the query.

Deterministic from the corpus seed.
"""

from __future__ import annotations

import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.search_corpus import ALERT_TYPES, TODAY, Corpus, Person, fold, spaced_siren  # noqa: E402
from indexers.contract import (  # noqa: E402
    DateRange,
    PersonQuery,
    SearchQuery,
    SortBy,
    Visibility,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from indexers.contract import IndexRecord

KEYBOARD_NEIGHBOURS = {
    "a": "zqs", "z": "aes", "e": "zrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij",
    "i": "uok", "o": "ipl", "p": "ol", "q": "asw", "s": "qdz", "d": "sfe", "f": "dgr",
    "g": "fht", "h": "gjy", "j": "hku", "k": "jli", "l": "kmo", "m": "lp", "w": "xq",
    "x": "wc", "c": "xv", "v": "cb", "b": "vn", "n": "bm",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Judgment:
    """One judged query."""

    qid: str
    kind: str
    visibility: Visibility
    query: SearchQuery
    relevant: frozenset[str]  # documents that should come first; empty for isolation queries
    note: str
    expected_total: int | None = None  # filter queries: the exact number of matches


@dataclass(slots=True)
class _Builder:
    corpus: Corpus
    rng: random.Random
    judgments: list[Judgment] = field(default_factory=list)
    _text: dict[str, str] = field(default_factory=dict)

    def add(self, kind: str, visibility: Visibility, query: SearchQuery,
            relevant: Iterable[str], note: str, expected_total: int | None = None) -> None:
        n = sum(1 for j in self.judgments if j.kind == kind) + 1
        self.judgments.append(Judgment(f"{kind}-{n}", kind, visibility, query,
                                       frozenset(relevant), note, expected_total))

    def folded_text(self, record: IndexRecord) -> str:
        text = self._text.get(record.document_id)
        if text is None:
            text = " ".join(fold(" ".join(record.pages)).split())
            self._text[record.document_id] = text
        return text

    def firm_records(self, firm_id: str) -> list[IndexRecord]:
        return [r for r in self.corpus.records if r.firm_id == firm_id]

    def grep(self, firm_id: str, pattern: str,
             keep: Callable[[IndexRecord], bool] = lambda r: True) -> set[str]:
        rx = re.compile(pattern)
        return {r.document_id for r in self.firm_records(firm_id)
                if keep(r) and rx.search(self.folded_text(r))}


def _firm_name_keys(corpus: Corpus) -> dict[int, dict[tuple[str, str], list[Person]]]:
    keys: dict[int, dict[tuple[str, str], list[Person]]] = defaultdict(lambda: defaultdict(list))
    for p in corpus.persons:
        if p.documents:
            keys[p.firm_index][(fold(p.last_name), fold(p.first_names[0]))].append(p)
    return keys


def _surname_counts(corpus: Corpus) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for p in corpus.persons:
        if p.documents:
            counts[p.firm_index][fold(p.last_name)] += 1
    return counts


def _typing_slip(rng: random.Random, word: str) -> str:
    """One keyboard slip after the first two letters: a neighbour key, a dropped or doubled
    letter, or two letters swapped."""
    letters = list(word)
    positions = [i for i in range(2, len(letters)) if letters[i].isalpha()]
    i = rng.choice(positions)
    how = rng.choice(("neighbour", "drop", "swap", "neighbour"))
    low = fold(letters[i])
    if how == "neighbour" and low in KEYBOARD_NEIGHBOURS:
        letters[i] = rng.choice(KEYBOARD_NEIGHBOURS[low])
    elif how == "swap" and i + 1 < len(letters) and letters[i] != letters[i + 1]:
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    else:
        del letters[i]
    return "".join(letters)


def build_judgments(corpus: Corpus) -> list[Judgment]:
    """The judged set (about 55 queries) for this corpus."""
    b = _Builder(corpus, random.Random(corpus.seed * 7919 + 11))
    rng = b.rng
    firm_ids = corpus.firm_ids
    keys = _firm_name_keys(corpus)
    surnames = _surname_counts(corpus)
    persons = [p for p in corpus.persons if len(p.documents) >= 2]
    rng.shuffle(persons)
    used: set[int] = set()

    def unique(p: Person) -> bool:
        return len(keys[p.firm_index][(fold(p.last_name), fold(p.first_names[0]))]) == 1

    def pick(test: Callable[[Person], bool], rare_surname: bool = False) -> Person | None:
        for p in persons:
            if p.person_id in used or not unique(p) or not test(p):
                continue
            if rare_surname and surnames[p.firm_index][fold(p.last_name)] > 1:
                continue
            used.add(p.person_id)
            return p
        return None

    def vis(p: Person) -> Visibility:
        return Visibility(firm_ids[p.firm_index])

    def docs(p: Person) -> list[str]:
        return [x for x in p.documents if corpus.by_id[x].firm_id == firm_ids[p.firm_index]]

    def has_accent(s: str) -> bool:
        return fold(s) != s.lower()

    # --- names as typed --------------------------------------------------------------------
    for _ in range(4):
        p = pick(lambda p: has_accent(p.last_name) or has_accent(p.first_names[0]))
        if p:
            typed = fold(f"{p.first_names[0]} {p.last_name}")
            b.add("name_no_accents", vis(p), SearchQuery(person=PersonQuery(typed)), docs(p),
                  f"{typed!r} for {' '.join(p.first_names)} {p.last_name}")
    for _ in range(3):
        p = pick(lambda p: len(p.first_names) >= 2)
        if p:
            typed = f"{p.last_name.upper()} {' '.join(reversed(p.first_names))}"
            b.add("name_reordered", vis(p), SearchQuery(person=PersonQuery(typed)), docs(p),
                  f"{typed!r} for {' '.join(p.first_names)} {p.last_name}")
    for _ in range(4):
        p = pick(lambda p: len(p.last_name) >= 6 and " " not in p.last_name
                 and "-" not in p.last_name, rare_surname=True)
        if p:
            slipped = _typing_slip(rng, p.last_name.lower())
            typed = f"{p.first_names[0].lower()} {slipped}"
            b.add("name_slip", vis(p), SearchQuery(person=PersonQuery(typed)), docs(p),
                  f"{typed!r} for {p.first_names[0]} {p.last_name}")
    for wanted in ("de", "le", "de"):
        p = pick(lambda p, w=wanted: fold(p.last_name).startswith(f"{w} ")
                 or (w == "de" and fold(p.last_name).startswith(("du ", "d'"))))
        if p:
            words = p.last_name.replace("d'", "d' ").split()
            variant = (" ".join(words[1:]) if wanted == "de"
                       else "".join(words).replace("'", "").capitalize())
            typed = f"{p.first_names[0]} {variant}"
            b.add("name_particle", vis(p), SearchQuery(person=PersonQuery(typed)), docs(p),
                  f"{typed!r} for {p.first_names[0]} {p.last_name}")
    for _ in range(2):
        p = pick(lambda p: bool(p.usage_name))
        if p:
            typed = f"{p.first_names[0]} {p.usage_name}"
            with_usage = [x for x in docs(p)
                          if any(e.usage_name for e in corpus.by_id[x].persons)]
            b.add("name_usage", vis(p), SearchQuery(person=PersonQuery(typed)), with_usage,
                  f"{typed!r}: usage name of {p.first_names[0]} {p.last_name}")
    slipped_people: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for doc_id, slips in sorted(corpus.ocr_slips.items()):
        for person_id, _true, wrong in slips:
            slipped_people[person_id].append((doc_id, wrong))
    ocr_candidates = sorted(slipped_people)
    rng.shuffle(ocr_candidates)
    n_ocr = 0
    for person_id in ocr_candidates:
        p = corpus.persons[person_id]
        if n_ocr == 3 or person_id in used or not unique(p) or len(docs(p)) < 2:
            continue
        used.add(person_id)
        n_ocr += 1
        typed = f"{p.first_names[0]} {p.last_name}"
        wrong = ", ".join(f"{w!r}" for _, w in slipped_people[person_id])
        b.add("name_ocr", vis(p), SearchQuery(person=PersonQuery(typed)), docs(p),
              f"{typed!r}; OCR read {wrong} in {len(slipped_people[person_id])} document(s)")

    # --- person + birth date: homonyms first, then one plain -------------------------------
    by_name: dict[tuple[int, str, str], list[Person]] = defaultdict(list)
    for p in corpus.persons:
        if p.documents:
            by_name[(p.firm_index, fold(p.last_name), fold(" ".join(p.first_names)))].append(p)
    twins = [group for group in by_name.values()
             if len({q.birth_date for q in group}) > 1]
    twins.sort(key=lambda g: g[0].person_id)
    rng.shuffle(twins)
    n_twins = 0
    for group in twins:
        p = group[0]
        dated = [x for x in docs(p) if any(e.birth_date == p.birth_date
                                            for e in corpus.by_id[x].persons)]
        if not dated or n_twins == 2:
            continue
        n_twins += 1
        typed = f"{p.first_names[0]} {p.last_name}"
        b.add("name_birth_date", vis(p), SearchQuery(person=PersonQuery(typed, p.birth_date)),
              dated, f"{typed!r} born {p.birth_date}; {len(group)} homonyms in the firm")
    p = pick(lambda p: any(corpus.by_id[x].persons[0].birth_date for x in p.documents))
    if p:
        typed = fold(f"{p.last_name} {p.first_names[0]}")
        dated = [x for x in docs(p) if any(e.birth_date == p.birth_date
                                            for e in corpus.by_id[x].persons)]
        b.add("name_birth_date", vis(p), SearchQuery(person=PersonQuery(typed, p.birth_date)),
              dated, f"{typed!r} born {p.birth_date}")

    # --- SIREN / SIRET ---------------------------------------------------------------------
    dossiers = [d for d in corpus.dossiers if len(d.documents) >= 5]
    rng.shuffle(dossiers)
    for d in dossiers[:3]:
        b.add("siren", Visibility(firm_ids[d.firm_index]), SearchQuery(siren=d.siren),
              d.documents, f"SIREN {d.siren} ({d.client_name})")
    for d in dossiers[3:5]:
        b.add("siret", Visibility(firm_ids[d.firm_index]), SearchQuery(siren=d.siret),
              d.documents, f"SIRET {d.siret} ({d.client_name})")
    d = dossiers[5]
    spaced = spaced_siren(d.siren)
    b.add("siren_text", Visibility(firm_ids[d.firm_index]), SearchQuery(text=spaced),
          b.grep(firm_ids[d.firm_index], re.escape(spaced)),
          f"text {spaced!r}: the documents printing it")
    d = dossiers[6]
    b.add("siren_text", Visibility(firm_ids[d.firm_index]), SearchQuery(text=d.siren),
          d.documents, f"text {d.siren!r} typed in the search box (no spaces)")

    # --- phrases and words of statuts clauses ----------------------------------------------
    def clause_doc(clause: str) -> IndexRecord:
        ids = sorted(corpus.clauses[clause])
        return corpus.by_id[rng.choice(ids)]

    phrase_specs = (
        ("inalienabilite", '"inaliénables pendant une durée de {k} ans"',
         r"inalienables pendant une duree de {k} ans"),
        ("penalites", '"pénalités de retard calculées au taux de {k}"',
         r"penalites de retard calculees au taux de {k}\b"),
        ("nantissement", '"le créancier nanti ne peut réaliser le gage"',
         r"le creancier nanti ne peut realiser le gage"),
        ("preemption", '"droits de preemption non exerces"',
         r"droits de preemption non exerces"),
    )
    for clause, typed, pattern in phrase_specs:
        r = clause_doc(clause)
        k = corpus.clause_values[f"{r.document_id}:{clause}"]
        text, rx = typed.format(k=k), pattern.format(k=k)
        b.add("phrase", Visibility(r.firm_id), SearchQuery(text=text), b.grep(r.firm_id, rx),
              f"{text}")
    word_specs = (
        ("penalites", "penalite", r"\bpenalites?\b"),
        ("nantissement", "nantissements", r"\bnantissements?\b"),
        ("astreinte", "astreintes", r"\bastreintes?\b"),
        ("preemption", "préemptions", r"\bpreemptions?\b"),
        ("usufruit", "usufruitiers", r"\busufruitiers?\b"),
        ("exclusion", "exclu", r"\bexclu(s|e|es)?\b"),
    )
    for clause, typed, pattern in word_specs:
        r = clause_doc(clause)
        b.add("word", Visibility(r.firm_id), SearchQuery(text=typed), b.grep(r.firm_id, pattern),
              f"{typed!r}")
    elision_specs = (
        ("usufruit", "l'usufruitier", r"\busufruitiers?\b"),
        ("inalienabilite", "d'inaliénabilité", r"\binalienabilites?\b"),
        ("entreprise", "l'entreprise reprend", r"\bentreprises?\b.*\breprend"),
    )
    for clause, typed, pattern in elision_specs:
        r = clause_doc(clause)
        b.add("elision", Visibility(r.firm_id), SearchQuery(text=typed),
              b.grep(r.firm_id, pattern), f"{typed!r}")

    # --- filters ---------------------------------------------------------------------------
    big_firms = sorted(range(len(firm_ids)),
                       key=lambda i: -sum(1 for d in corpus.dossiers if d.firm_index == i))
    f0, f1, f2 = (firm_ids[i] for i in big_firms[:3])
    june = date(2027, 5, 31)

    def ids_where(firm_id: str, keep: Callable[[IndexRecord], bool]) -> set[str]:
        return {r.document_id for r in b.firm_records(firm_id) if keep(r)}

    rel = ids_where(f0, lambda r: r.doc_type == "id_card" and r.expiry_date is not None
                    and r.expiry_date <= june)
    b.add("filter", Visibility(f0), SearchQuery(doc_types=("id_card",),
          expiry_date=DateRange(end=june), sort=SortBy.EXPIRY_DATE, descending=False),
          rel, "identity cards expiring before 2027-06-01", len(rel))
    yesterday = TODAY - timedelta(days=1)
    rel = ids_where(f1, lambda r: r.doc_type == "passport" and r.expiry_date is not None
                    and r.expiry_date <= yesterday)
    b.add("filter", Visibility(f1), SearchQuery(doc_types=("passport",),
          expiry_date=DateRange(end=yesterday), sort=SortBy.EXPIRY_DATE),
          rel, "expired passports, latest first", len(rel))
    soon = TODAY + timedelta(days=182)
    rel = ids_where(f2, lambda r: r.doc_type in ("id_card", "passport", "residence_permit")
                    and r.expiry_date is not None and TODAY <= r.expiry_date <= soon)
    b.add("filter", Visibility(f2), SearchQuery(
          doc_types=("id_card", "passport", "residence_permit"),
          expiry_date=DateRange(TODAY, soon), sort=SortBy.EXPIRY_DATE, descending=False),
          rel, "identity documents expiring in the next 6 months", len(rel))
    h1 = DateRange(date(2026, 1, 1), date(2026, 6, 30))
    rel = b.grep(f0, r"\bpresident\b", lambda r: r.doc_type == "kbis" and r.document_date
                 is not None and date(2026, 1, 1) <= r.document_date <= date(2026, 6, 30))
    b.add("filter", Visibility(f0), SearchQuery(text="président", doc_types=("kbis",),
          document_date=h1), rel, "'président' in Kbis dated 2026 H1", len(rel))
    options = [(f, alert) for alert in ("id_document_expired", "be_not_declared",
                                        "mrz_invalid", *ALERT_TYPES) for f in (f1, f0, f2)]
    for firm, alert in options:
        rel = ids_where(firm, lambda r, a=alert: a in r.open_alert_types
                        and r.risk_level == "high")
        if rel:
            b.add("filter", Visibility(firm), SearchQuery(alert_types=(alert,),
                  risk_levels=("high",)), rel, f"documents of high-risk dossiers with open "
                  f"{alert}", len(rel))
            break
    rel = b.grep(f2, r"\bcession", lambda r: r.doc_type == "statuts" and r.document_date
                 is not None and r.document_date.year == 2020)
    b.add("filter", Visibility(f2), SearchQuery(text="cessions", doc_types=("statuts",),
          document_date=DateRange(date(2020, 1, 1), date(2020, 12, 31))),
          rel, "'cessions' in statuts dated 2020", len(rel))
    user = corpus.user_ids[big_firms[0]][0]
    rel = ids_where(f0, lambda r: r.doc_type == "rbe" and user in r.assignee_ids)
    b.add("filter", Visibility(f0, assigned_to=user), SearchQuery(doc_types=("rbe",)), rel,
          "a collaborator's RBE extracts (assigned dossiers only)", len(rel))

    # --- isolation: answers only in another firm or an unassigned dossier -----------------
    def folded_full(p: Person) -> tuple[str, str]:
        return (fold(p.last_name), fold(p.first_names[0]))

    for _ in range(2):
        p = pick(lambda p: len(docs(p)) >= 2)
        if p is None:
            continue
        other = next(i for i in big_firms if i != p.firm_index
                     and folded_full(p) not in keys[i])
        typed = f"{p.first_names[0]} {p.last_name}"
        b.add("isolation", Visibility(firm_ids[other]), SearchQuery(person=PersonQuery(typed)),
              (), f"{typed!r} asked by another firm")
    d = dossiers[7]
    other = next(i for i in big_firms if i != d.firm_index)
    b.add("isolation", Visibility(firm_ids[other]), SearchQuery(siren=d.siren), (),
          f"SIREN {d.siren} asked by another firm")
    r = clause_doc("inalienabilite")
    k = corpus.clause_values[f"{r.document_id}:inalienabilite"]
    phrase = f'"inaliénables pendant une durée de {k} ans"'
    rx = f"inalienables pendant une duree de {k} ans"
    other_firm = next((f for f in firm_ids if f != r.firm_id and not b.grep(f, rx)), None)
    if other_firm:
        b.add("isolation", Visibility(other_firm), SearchQuery(text=phrase), (),
              f"{phrase} asked by another firm")
    d = dossiers[8]
    b.add("isolation", Visibility(firm_ids[(d.firm_index + 1) % len(firm_ids)]),
          SearchQuery(text=f'"{d.client_name}"'), (),
          f"client name {d.client_name!r} asked by another firm (absent there)")
    # Collaborator: a person of a dossier not assigned to the user, asked by the user.
    for p in persons:
        firm = firm_ids[p.firm_index]
        users = corpus.user_ids[p.firm_index]
        mine = set(docs(p))
        candidates = [u for u in users
                      if all(u not in corpus.by_id[x].assignee_ids for x in mine)]
        if p.person_id in used or not unique(p) or not candidates or len(mine) < 2:
            continue
        used.add(p.person_id)
        typed = f"{p.first_names[0]} {p.last_name}"
        b.add("isolation", Visibility(firm, assigned_to=candidates[0]),
              SearchQuery(person=PersonQuery(typed)), (),
              f"{typed!r} asked by a collaborator not assigned to the dossier")
        break
    return b.judgments


# --- unjudged mixes for latency ----------------------------------------------------------

TEXT_WORDS = (
    "cession", "agrément", "assemblée générale", "dissolution", "liquidateurs", "président",
    "gérant", "réserve légale", "siège social", "capital social", "apports", "objet",
    "nantissement", "pénalités", "préemption", "usufruitier", "restauration", "immobiliers",
    "logiciels", "transport", "boulangerie", "coiffure", "participations", "formation",
    "matériaux", "meubles", "vins", "textiles", "conseil", "dénomination", "exercice social",
    "bénéfice", "liquidation", "prorogation", "consultation écrite", "ordre de mouvement",
)  # fmt: skip
TEXT_PHRASES = (
    '"assemblée générale extraordinaire"', '"réserve légale"', '"agrément préalable"',
    '"registre du commerce et des sociétés"', '"droit de préemption"',
    '"clause d\'inaliénabilité"', '"pouvoirs les plus étendus"', '"ordre de mouvement"',
)  # fmt: skip


def speed_queries(corpus: Corpus, n: int = 100) -> dict[str, list[tuple[Visibility,
                                                                          SearchQuery]]]:
    """`n` filtered full-text queries and `n` person queries, firm-restricted, seeded."""
    rng = random.Random(corpus.seed * 104729 + 3)
    weights = [sum(1 for d in corpus.dossiers if d.firm_index == i)
               for i in range(len(corpus.firm_ids))]
    text: list[tuple[Visibility, SearchQuery]] = []
    for i in range(n):
        fi = rng.choices(range(len(corpus.firm_ids)), weights)[0]
        words = rng.choice(TEXT_PHRASES) if i % 4 == 0 else " ".join(
            rng.sample(TEXT_WORDS, rng.choice((1, 1, 2))))
        if rng.random() < 0.5:
            words = fold(words)
        doc_types = rng.choice((("statuts",), ("kbis",), ("statuts", "kbis"), ("rbe",)))
        start = date(rng.randrange(2015, 2026), 1, 1)
        query = SearchQuery(
            text=words, doc_types=doc_types,
            document_date=DateRange(start, start.replace(year=start.year + rng.choice(
                (1, 2, 3)))) if rng.random() < 0.6 else None,
            risk_levels=("medium", "high") if rng.random() < 0.2 else ())
        text.append((Visibility(corpus.firm_ids[fi]), query))
    person: list[tuple[Visibility, SearchQuery]] = []
    people = [p for p in corpus.persons if p.documents]
    for _ in range(n):
        p = rng.choice(people)
        style = rng.random()
        if style < 0.3:
            typed = fold(f"{p.first_names[0]} {p.last_name}")
        elif style < 0.5:
            typed = f"{p.last_name.upper()} {' '.join(reversed(p.first_names))}"
        elif style < 0.8 and len(p.last_name) >= 5:
            typed = f"{p.first_names[0]} {_typing_slip(rng, p.last_name)}"
        else:
            typed = f"{p.first_names[0]} {p.last_name}"
        birth = p.birth_date if rng.random() < 0.3 else None
        person.append((Visibility(corpus.firm_ids[p.firm_index]),
                       SearchQuery(person=PersonQuery(typed, birth))))
    return {"filtered_text": text, "person": person}


def main() -> None:
    import argparse

    from bench.search_corpus import generate

    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    corpus = generate(args.docs, args.seed)
    judgments = build_judgments(corpus)
    kinds: dict[str, int] = defaultdict(int)
    for j in judgments:
        kinds[j.kind] += 1
        total = f" total={j.expected_total}" if j.expected_total is not None else ""
        print(f"{j.qid:20} rel={len(j.relevant):4d}{total}  {j.note}")
    print(f"{len(judgments)} judgments: {dict(kinds)}")


if __name__ == "__main__":
    main()
