"""Seeded generator of search corpora: `IndexRecord`s of N documents spread over firms and client
dossiers, with realistic French page text (Kbis lines, RBE lines, statuts clauses, identity
documents), persons with French names (accents, hyphens, particles "de", "Le"), Luhn-valid
SIRENs, document and expiry dates, risk levels, open-alert types, and OCR-like slips in some
documents (rn -> m, é -> e, l -> 1, ...).

Besides the records, `Corpus` keeps what the generator knows and the index must rediscover: which
person (`person_id`) is named in which documents, which documents carry which rare statuts clause,
which documents were "scanned" and what slipped. `bench/search_judgments.py` builds its judged
queries from that. Same seed, same corpus: one `random.Random(seed)` drives everything; faker is
only used to fill name/address/company pools, seeded too.

    uv run python bench/search_corpus.py --docs 10000 --seed 7   # prints stats and a sample
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import unicodedata
import uuid
from bisect import bisect
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stdnum import luhn  # noqa: E402
from stdnum.fr import siren as siren_mod  # noqa: E402

from indexers.contract import IndexRecord, PersonEntry, PersonRole  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Sequence

TODAY = date(2026, 11, 26)  # fixed "today" of the corpus (dates are relative to it)
FIRM_COUNT = 20
USERS_PER_FIRM = 4

ALERT_TYPES = (
    "be_not_declared", "be_not_in_register", "be_share_mismatch", "be_identity_mismatch",
    "company_mismatch", "officer_mismatch", "id_document_missing", "id_document_expired",
    "id_document_expiring", "id_document_mismatch", "mrz_invalid",
    "register_extract_outdated", "document_unreadable",
)  # fmt: skip

LEGAL_FORMS = (
    ("SAS", "Société par actions simplifiée", "Président"),
    ("SARL", "Société à responsabilité limitée", "Gérant"),
    ("SA", "Société anonyme à conseil d'administration", "Directeur général"),
    ("SASU", "Société par actions simplifiée unipersonnelle", "Président"),
    ("EURL", "Entreprise unipersonnelle à responsabilité limitée", "Gérant"),
    ("SCI", "Société civile immobilière", "Gérant"),
    ("SNC", "Société en nom collectif", "Gérant"),
)  # fmt: skip
LEGAL_FORM_WEIGHTS = (35, 30, 6, 10, 7, 10, 2)

ACTIVITIES = (
    "le conseil en gestion et en organisation des entreprises",
    "l'achat, la vente et la location de biens immobiliers",
    "la restauration traditionnelle, sur place et à emporter",
    "le commerce de gros de vins et spiritueux",
    "l'édition de logiciels applicatifs et la prestation de services informatiques",
    "les travaux de maçonnerie générale et de gros œuvre de bâtiment",
    "le transport routier de marchandises et la location de véhicules industriels",
    "l'exploitation d'un fonds de commerce de boulangerie-pâtisserie",
    "la détention et la gestion de participations dans toutes sociétés",
    "le négoce de matériaux de construction et d'équipements sanitaires",
    "l'exploitation de salons de coiffure et d'instituts de beauté",
    "la fabrication et la vente de meubles en bois massif",
    "l'organisation d'événements, de séminaires et de réceptions",
    "le commerce de détail de produits biologiques et d'épicerie fine",
    "la formation professionnelle continue des adultes",
    "l'expertise comptable, l'audit et le commissariat aux comptes",
    "la production de films publicitaires et institutionnels",
    "l'import-export de textiles et d'articles de maroquinerie",
    "l'exploitation agricole, viticole et la vente directe de produits de la ferme",
    "la location meublée non professionnelle et la gestion locative",
)  # fmt: skip

GREFFES = (
    ("Paris", "75"), ("Lyon", "69"), ("Marseille", "13"), ("Bordeaux", "33"), ("Lille", "59"),
    ("Nantes", "44"), ("Toulouse", "31"), ("Strasbourg", "67"), ("Rennes", "35"),
    ("Montpellier", "34"), ("Nice", "06"), ("Grenoble", "38"), ("Dijon", "21"),
    ("Rouen", "76"), ("Nanterre", "92"), ("Créteil", "94"), ("Évry", "91"), ("Angers", "49"),
    ("Saint-Étienne", "42"), ("Besançon", "25"), ("Orléans", "45"), ("Brest", "29"),
)  # fmt: skip

MALE_ACCENTED = (
    "Frédéric", "Jérôme", "Noël", "Gaël", "Loïc", "Joël", "Rémi", "Sébastien", "Stéphane",
    "Benoît", "François", "Théo", "Léon", "Jérémy", "Hervé", "André", "René", "Éric", "Gérard",
    "Raphaël", "Mathéo", "Jean-François", "Jean-Noël", "Pierre-Étienne",
)  # fmt: skip
PARTICLE_SURNAMES = (
    "de Villeneuve", "de La Fontaine", "de Saint-Exupéry", "du Pont", "de Lattre",
    "de La Roche", "d'Arvieu", "de Montéclair", "du Bellay", "de Vaucelles", "de Kerguélen",
    "Le Gall", "Le Goff", "Le Roux", "Le Bihan", "Le Guen", "Le Floch", "Le Bras", "Le Corre",
    "Le Meur", "Le Hénaff", "Le Quéré", "Le Dantec", "Le Bris", "Le Béhérec",
)  # fmt: skip
_SYL_A = (
    "Beau", "Bois", "Champ", "Mont", "Roche", "Fon", "Gau", "Mar", "Ber", "Char", "Lar", "Pel",
    "Cour", "Ver", "Bel", "Mal", "Sau", "Bou", "Gui", "Her", "Lam", "Mor", "Pou", "Ray", "Tis",
    "Vau", "Dél", "Gré", "Bré", "Fé", "Mé", "Ché", "Lé", "Ro", "Du", "Ga", "Le", "Mi", "Sé",
)  # fmt: skip
_SYL_B = (
    "", "ch", "l", "r", "m", "n", "v", "d", "t", "gu", "br", "st", "qu", "rn", "ll", "nn",
)  # fmt: skip
_SYL_C = (
    "ier", "eau", "ard", "on", "et", "in", "ot", "ère", "aud", "ault", "elin", "ois", "ac",
    "ieux", "ey", "as", "el", "ain", "ès", "ée", "enne", "ouin", "ignac", "erie", "aire", "y",
)  # fmt: skip

STREET_KINDS = ("rue", "avenue", "boulevard", "place", "allée", "chemin", "impasse", "quai")
NATIONALITIES = (("Française", "FRA"), ("Française", "FRA"), ("Française", "FRA"),
                 ("Belge", "BEL"), ("Italienne", "ITA"), ("Portugaise", "PRT"),
                 ("Marocaine", "MAR"), ("Espagnole", "ESP"), ("Allemande", "DEU"))
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")

# Rare statuts clauses: distinctive words the judged queries look for (with inflections,
# accents and elisions). Each goes into a small share of statuts; `Corpus.clauses` records where.
RARE_CLAUSES: dict[str, str] = {
    "nantissement": (
        "Article {n} – Nantissement des actions. Tout nantissement des actions de la Société "
        "est soumis à l'agrément préalable de la collectivité des associés statuant à la "
        "majorité des deux tiers ; le créancier nanti ne peut réaliser le gage qu'après un "
        "délai de {k} jours suivant la mise en demeure."),
    "penalites": (
        "Article {n} – Pénalités de retard. Tout associé qui ne libère pas à l'échéance les "
        "sommes restant dues sur le montant des actions souscrites est redevable de plein "
        "droit de pénalités de retard calculées au taux de {k} % l'an, sans préjudice de "
        "l'action personnelle que la Société peut exercer contre l'associé défaillant."),
    "inalienabilite": (
        "Article {n} – Clause d'inaliénabilité. Les actions souscrites par les fondateurs sont "
        "inaliénables pendant une durée de {k} ans à compter de l'immatriculation ; toute "
        "cession intervenue en violation de la présente clause d'inaliénabilité est nulle."),
    "usufruit": (
        "Article {n} – Démembrement de propriété. En cas de démembrement, le droit de vote "
        "appartient à l'usufruitier pour les décisions concernant l'affectation des bénéfices "
        "et au nu-propriétaire pour toutes les autres décisions ; l'usufruitier est convoqué "
        "à toutes les assemblées dans un délai de {k} jours."),
    "preemption": (
        "Article {n} – Droit de préemption. Toute cession d'actions, même entre associés, est "
        "soumise à un droit de préemption au profit des autres associés, qui disposent d'un "
        "délai de {k} jours pour l'exercer ; à défaut, les droits de préemption non exercés "
        "sont réputés abandonnés."),
    "exclusion": (
        "Article {n} – Exclusion d'un associé. L'exclusion d'un associé peut être prononcée en "
        "cas de condamnation pénale, de violation des statuts ou de changement de contrôle ; "
        "l'associé exclu est tenu de céder ses actions dans un délai de {k} jours."),
    "entreprise": (
        "Article {n} – Engagements pris pour le compte de la société en formation. L'état des "
        "actes accomplis pour le compte de la Société en formation est annexé aux présents "
        "statuts ; l'entreprise reprend ces engagements dans un délai de {k} jours, par le "
        "seul fait de son immatriculation au registre du commerce et des sociétés."),
    "astreinte": (
        "Article {n} – Non-concurrence. Chaque associé dirigeant s'interdit d'exercer une "
        "activité concurrente pendant {k} mois après la cessation de ses fonctions, sous "
        "astreinte de mille euros par jour de manquement constaté par huissier."),
}
RARE_CLAUSE_SHARE = 0.025  # of statuts, per clause

OCR_SHARE = 0.08  # documents "scanned" with OCR slips
OCR_SLIPS = (("rn", "m"), ("é", "e"), ("è", "e"), ("l", "1"), ("O", "0"), ("i", "l"),
             ("m", "rn"), ("ç", "c"), ("e", "c"), ("S", "5"))


def fold(text: str) -> str:
    """Lower case, no accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@dataclass(slots=True)
class Person:
    """A natural person of the corpus (the truth the index must rediscover)."""

    person_id: int
    firm_index: int
    last_name: str  # birth name
    first_names: tuple[str, ...]
    birth_date: date
    birth_place: str
    sex: str
    nationality: tuple[str, str]
    usage_name: str | None = None
    documents: list[str] = field(default_factory=list)  # document ids naming the person


@dataclass(slots=True)
class Dossier:
    """A client dossier."""

    dossier_id: str
    firm_index: int
    client_name: str
    siren: str
    siret: str
    assignee_ids: tuple[str, ...]
    risk_level: str
    open_alert_types: tuple[str, ...]
    documents: list[str] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Corpus:
    """Records plus what the generator knows about them."""

    seed: int
    firm_ids: list[str]
    user_ids: list[list[str]]  # per firm
    records: list[IndexRecord]
    by_id: dict[str, IndexRecord]
    dossiers: list[Dossier]
    dossier_by_id: dict[str, Dossier]
    persons: list[Person]
    clauses: dict[str, list[str]]  # rare clause -> document ids
    clause_values: dict[str, int]  # document id:clause -> the number written in it
    ocr_slips: dict[str, list[tuple[int, str, str]]]  # document id -> (person_id, true, slipped)
    ocr_documents: set[str]
    seconds: float = 0.0

    def firm_of(self, document_id: str) -> str:
        return self.by_id[document_id].firm_id


class _Pools:
    """Name, address and company pools filled once from faker (seeded)."""

    def __init__(self, rng: random.Random, seed: int) -> None:
        from faker import Faker
        from faker.providers.person.fr_FR import Provider as PersonProvider

        fake = Faker("fr_FR")
        fake.seed_instance(seed)
        base = list(dict.fromkeys(PersonProvider.last_names))
        made: set[str] = set()
        while len(made) < 4000:
            made.add(rng.choice(_SYL_A) + rng.choice(_SYL_B) + rng.choice(_SYL_C))
        extra = sorted(made - set(base))
        rng.shuffle(extra)
        surnames = base + extra
        # Zipf-like: common names first, a long tail of rare ones.
        self.surnames = surnames
        self.surname_cum = list(accumulate(1.0 / (i + 1) ** 0.85 for i in range(len(surnames))))
        self.male = sorted(set(PersonProvider.first_names_male)) + list(MALE_ACCENTED)
        self.female = sorted(set(PersonProvider.first_names_female)) + [
            "Hélène", "Zoé", "Chloé", "Anaïs", "Maëlle", "Cécile", "Aurélie", "Valérie",
            "Françoise", "Léa", "Inès", "Agnès", "Clémence", "Mélanie", "Océane", "Séverine",
            "Géraldine", "Thérèse", "Émilie", "Élodie", "Michèle", "Célia", "Marie-Hélène",
            "Anne-Sophie"]
        self.cities = [fake.city() for _ in range(600)]
        self.streets = [fake.last_name() if i % 2 else fake.name() for i in range(800)]
        self.companies = [fake.company() for _ in range(1500)]
        self.words = [fake.word().capitalize() for _ in range(400)]
        self.catch = [fake.catch_phrase() for _ in range(300)]

    def surname(self, rng: random.Random) -> str:
        roll = rng.random()
        if roll < 0.04:
            return rng.choice(PARTICLE_SURNAMES)
        if roll < 0.08:
            return f"{self._zipf(rng)}-{self._zipf(rng)}"
        return self._zipf(rng)

    def _zipf(self, rng: random.Random) -> str:
        pick = rng.random() * self.surname_cum[-1]
        return self.surnames[min(bisect(self.surname_cum, pick), len(self.surnames) - 1)]


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _siren(rng: random.Random, used: set[str]) -> str:
    while True:
        body = str(rng.randrange(10_000_000, 99_999_999))
        number = body + luhn.calc_check_digit(body)
        if number not in used and siren_mod.is_valid(number):
            used.add(number)
            return number


def _siret(rng: random.Random, siren: str) -> str:
    body = siren + f"{rng.randrange(1, 99):03d}" + f"{rng.randrange(0, 10)}"
    return body + luhn.calc_check_digit(body)


def spaced_siren(siren: str) -> str:
    return f"{siren[:3]} {siren[3:6]} {siren[6:]}"


def _fr_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _num_date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _add_years(d: date, years: int) -> date:
    return d.replace(year=d.year + years, day=min(d.day, 28)) if d.month == 2 else d.replace(
        year=d.year + years)


def _rand_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max((end - start).days, 1)))


def _slip_word(rng: random.Random, word: str) -> str:
    """One OCR slip in a word (unchanged when none applies)."""
    options = [(a, b) for a, b in OCR_SLIPS if a in word]
    if not options:
        return word
    a, b = rng.choice(options)
    i = word.find(a)
    return word[:i] + b + word[i + len(a):]


def _slip_text(rng: random.Random, text: str, rate: float = 0.03) -> str:
    words = text.split(" ")
    for i, w in enumerate(words):
        if len(w) > 3 and rng.random() < rate:
            words[i] = _slip_word(rng, w)
    return " ".join(words)


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.pools = _Pools(self.rng, seed)
        self.used_sirens: set[str] = set()
        self.persons: list[Person] = []
        self.records: list[IndexRecord] = []
        self.clauses: dict[str, list[str]] = {k: [] for k in RARE_CLAUSES}
        self.clause_values: dict[str, int] = {}
        self.ocr_slips: dict[str, list[tuple[int, str, str]]] = {}
        self.ocr_documents: set[str] = set()

    # --- people -------------------------------------------------------------------------
    def person(self, firm_index: int) -> Person:
        rng, pools = self.rng, self.pools
        sex = rng.choice("MF")
        names = pools.male if sex == "M" else pools.female
        count = rng.choices((1, 2, 3), (45, 40, 15))[0]
        first = tuple(dict.fromkeys(rng.choice(names) for _ in range(count)))
        if rng.random() < 0.25:  # accented first names are common enough to matter
            first = (rng.choice(MALE_ACCENTED if sex == "M" else pools.female[-24:]),
                     *first[1:])
        last = pools.surname(rng)
        usage = pools.surname(rng) if sex == "F" and rng.random() < 0.2 else None
        p = Person(
            person_id=len(self.persons), firm_index=firm_index, last_name=last,
            first_names=first, birth_date=_rand_date(rng, date(1945, 1, 1), date(2003, 12, 31)),
            birth_place=rng.choice(pools.cities), sex=sex,
            nationality=NATIONALITIES[0] if rng.random() < 0.8 else rng.choice(
                NATIONALITIES[3:]), usage_name=usage)
        self.persons.append(p)
        return p

    # --- pages --------------------------------------------------------------------------
    def address(self) -> str:
        rng, pools = self.rng, self.pools
        number = rng.randrange(1, 180)
        bis = rng.choice(("", "", "", " bis", " ter"))
        return (f"{number}{bis} {rng.choice(STREET_KINDS)} {rng.choice(pools.streets)}, "
                f"{rng.randrange(1000, 95999):05d} {rng.choice(pools.cities)}")

    def kbis_pages(self, d: Dossier, company: dict[str, str], officers: Sequence[Person],
                   day: date) -> tuple[str, ...]:
        rng = self.rng
        greffe = company["greffe"]
        head = rng.choice((
            f"Greffe du Tribunal de Commerce de {greffe}",
            f"GREFFE DU TRIBUNAL DE COMMERCE DE {greffe.upper()}",
            f"Tribunal de commerce de {greffe} – Greffe",
        ))
        lines = [
            head,
            rng.choice(("Extrait Kbis", "EXTRAIT K BIS", "Extrait d'immatriculation Kbis")),
            "EXTRAIT D'IMMATRICULATION PRINCIPALE AU REGISTRE DU COMMERCE ET DES SOCIETES",
            rng.choice((f"à jour au {_fr_date(day)}", f"à jour au {_num_date(day)}")),
            "IDENTIFICATION DE LA PERSONNE MORALE",
            f"Immatriculation au RCS, numéro {spaced_siren(d.siren)} R.C.S. {greffe}",
            f"Date d'immatriculation {_num_date(date.fromisoformat(company['registered']))}",
            f"Dénomination ou raison sociale {d.client_name}",
            f"Forme juridique {company['form_long']}",
            f"Capital social {company['capital']} Euros",
            f"Adresse du siège {company['address']}",
            f"Activités principales {company['activity'].capitalize()}",
            f"Durée de la personne morale Jusqu'au {company['until']}",
            "Date de clôture de l'exercice social 31 décembre",
            "GESTION, DIRECTION, ADMINISTRATION, CONTROLE, ASSOCIES OU MEMBRES",
        ]
        for p in officers:
            lines += [
                company["officer_title"],
                f"Nom, prénoms {p.last_name.upper()} {' '.join(p.first_names)}",
                rng.choice((f"Date et lieu de naissance Le {_num_date(p.birth_date)} à "
                            f"{p.birth_place}", f"Né(e) le {_fr_date(p.birth_date)} à "
                            f"{p.birth_place}")),
                f"Nationalité {p.nationality[0]}",
                f"Domicile personnel {self.address()}",
            ]
        lines += [
            "RENSEIGNEMENTS RELATIFS A L'ACTIVITE ET A L'ETABLISSEMENT PRINCIPAL",
            f"Adresse de l'établissement {company['address']}",
            f"Activité(s) exercée(s) {company['activity'].capitalize()}",
            f"Date de commencement d'activité {company['registered']}",
            rng.choice(("Origine du fonds ou de l'activité Création",
                        "Origine du fonds ou de l'activité Achat",
                        "Origine du fonds ou de l'activité Apport")),
            "Mode d'exploitation Exploitation directe",
            f"Le Greffier, délivré le {_fr_date(day)}. Fin de l'extrait.",
        ]
        return ("\n".join(lines),)

    def rbe_pages(self, d: Dossier, owners: Sequence[tuple[Person, int]],
                  day: date) -> tuple[str, ...]:
        rng = self.rng
        lines = [
            rng.choice(("Document relatif au(x) bénéficiaire(s) effectif(s)",
                        "DÉCLARATION DES BÉNÉFICIAIRES EFFECTIFS",
                        "Extrait du registre des bénéficiaires effectifs")),
            f"Dénomination {d.client_name}",
            f"Numéro unique d'identification {spaced_siren(d.siren)}",
            f"Date de dépôt {_num_date(day)}",
        ]
        for i, (p, share) in enumerate(owners, 1):
            lines += [
                f"Bénéficiaire effectif n° {i}",
                f"Nom de naissance {p.last_name.upper()}",
            ]
            if p.usage_name:
                lines.append(f"Nom d'usage {p.usage_name.upper()}")
            lines += [
                f"Prénoms {', '.join(p.first_names)}",
                f"Date de naissance {_num_date(p.birth_date)}",
                f"Lieu de naissance {p.birth_place}",
                f"Nationalité {p.nationality[0]}",
                f"Adresse personnelle {self.address()}",
                rng.choice(("Modalités de contrôle : détention directe de plus de 25 % du capital",
                            "Détient directement ou indirectement plus de 25 % du capital ou "
                            "des droits de vote")),
                f"Pourcentage de détention {share} % du capital et {share} % des droits de vote",
                f"Date à laquelle la personne est devenue bénéficiaire effectif {_num_date(day)}",
            ]
        lines.append("Le déclarant certifie l'exactitude des informations déclarées.")
        return ("\n".join(lines),)

    def statuts_pages(self, document_id: str, d: Dossier, company: dict[str, str],
                      holders: Sequence[tuple[Person, int]], day: date) -> tuple[str, ...]:
        rng = self.rng
        form = company["form_long"]
        capital = company["capital"]
        arts: list[str] = [
            rng.choice((
                f"{d.client_name}\n{form} au capital de {capital} euros\nSiège social : "
                f"{company['address']}\nSTATUTS",
                f"STATUTS CONSTITUTIFS\n{d.client_name}\n{form}\nCapital : {capital} €",
                f"STATUTS MIS À JOUR LE {_fr_date(day).upper()}\n{d.client_name}\n{form}",
            )),
            rng.choice((
                "Les soussignés ont établi ainsi qu'il suit les statuts de la société qu'ils "
                "sont convenus de constituer entre eux.",
                "Il est formé entre les propriétaires des actions ci-après créées et de celles "
                "qui pourraient l'être ultérieurement une société régie par les lois et "
                "règlements en vigueur ainsi que par les présents statuts.",
            )),
            f"Article 1 – Forme. La Société est une {form.lower()} régie par les dispositions "
            "du Code de commerce et par les présents statuts.",
            "Article 2 – Objet. " + rng.choice((
                f"La Société a pour objet, en France et à l'étranger : {company['activity']} ; "
                "et plus généralement toutes opérations industrielles, commerciales et "
                "financières, mobilières et immobilières pouvant se rattacher directement ou "
                "indirectement à l'objet social.",
                f"La société a pour objet {company['activity']}, ainsi que toutes opérations "
                "se rattachant directement ou indirectement à cet objet ou susceptibles d'en "
                "favoriser le développement.",
            )),
            f"Article 3 – Dénomination. La dénomination sociale est : {d.client_name}. Dans "
            "tous les actes et documents émanant de la Société, la dénomination doit être "
            f"précédée ou suivie des mots « {form} » et de l'énonciation du capital social.",
            f"Article 4 – Siège social. Le siège social est fixé au {company['address']}. Il "
            "peut être transféré en tout autre endroit par décision du "
            + rng.choice(("Président.", "gérant.", "conseil d'administration.")),
            f"Article 5 – Durée. La durée de la Société est fixée à {rng.choice((50, 99))} "
            "années à compter de son immatriculation au registre du commerce et des sociétés, "
            "sauf dissolution anticipée ou prorogation.",
            f"Article 6 – Apports. Lors de la constitution, les associés ont apporté la somme "
            f"de {capital} euros, déposée à la banque {rng.choice(self.pools.companies)}.",
        ]
        capital_lines = [f"Article 7 – Capital social. Le capital social est fixé à la somme de "
                         f"{capital} euros, réparti entre les associés comme suit :"]
        for p, share in holders:
            civ = "M." if p.sex == "M" else "Mme"
            capital_lines.append(f"{civ} {' '.join(p.first_names[:1])} "
                                 f"{p.last_name.upper()} : {share} % des actions")
        arts.append("\n".join(capital_lines))
        arts += [
            "Article 8 – Cession et transmission des actions. " + rng.choice((
                "Les actions sont librement cessibles entre associés ; toute cession à un "
                "tiers est soumise à l'agrément préalable de la collectivité des associés.",
                "La cession des actions s'opère par un ordre de mouvement de compte à compte ; "
                "les cessions à des tiers sont soumises à agrément.",
                "Les parts sociales ne peuvent être cédées à des tiers étrangers à la société "
                "qu'avec le consentement de la majorité des associés représentant au moins la "
                "moitié des parts sociales.",
            )),
            f"Article 9 – Direction. La Société est dirigée par un {company['officer_title']} "
            "nommé par décision collective des associés, qui la représente à l'égard des tiers "
            "et est investi des pouvoirs les plus étendus pour agir en toute circonstance au "
            "nom de la Société.",
            "Article 10 – Décisions collectives. " + rng.choice((
                "Les décisions collectives sont prises en assemblée générale ou par "
                "consultation écrite ; l'assemblée générale extraordinaire statue à la "
                "majorité des deux tiers des voix.",
                "Les associés sont convoqués en assemblée générale ordinaire au moins une fois "
                "par an dans les six mois de la clôture de l'exercice.",
            )),
            "Article 11 – Exercice social. L'exercice social commence le 1er janvier et se "
            "termine le 31 décembre de chaque année.",
            "Article 12 – Affectation des résultats. Sur le bénéfice de l'exercice diminué, le "
            "cas échéant, des pertes antérieures, il est prélevé cinq pour cent au moins pour "
            "constituer la réserve légale.",
            "Article 13 – Dissolution. Liquidation. À l'expiration de la Société ou en cas de "
            "dissolution anticipée, la liquidation est faite par un ou plusieurs liquidateurs "
            "nommés par décision collective des associés.",
        ]
        n = 14
        for clause, template in RARE_CLAUSES.items():
            if rng.random() < RARE_CLAUSE_SHARE:
                k = rng.randrange(8, 95)
                arts.append(template.format(n=n, k=k))
                self.clauses[clause].append(document_id)
                self.clause_values[f"{document_id}:{clause}"] = k
                n += 1
        arts.append(f"Fait à {company['greffe']}, le {_fr_date(day)}, en autant d'originaux "
                    "que requis par la loi.")
        per_page = rng.choice((4, 5, 6))
        return tuple("\n".join(arts[i:i + per_page]) for i in range(0, len(arts), per_page))

    def identity_pages(self, doc_type: str, p: Person, expiry: date,
                       number: str) -> tuple[str, ...]:
        rng = self.rng
        title = {"id_card": "CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD",
                 "passport": "PASSEPORT / PASSPORT",
                 "residence_permit": "TITRE DE SÉJOUR / RESIDENCE PERMIT"}[doc_type]
        lines = [
            "RÉPUBLIQUE FRANÇAISE" if doc_type != "residence_permit" else "RÉPUBLIQUE FRANÇAISE "
            "– PRÉFECTURE",
            title,
            f"Nom / Surname {p.last_name.upper()}",
        ]
        if p.usage_name:
            lines.append(f"Nom d'usage / Alternate name ép. {p.usage_name.upper()}")
        lines += [
            f"Prénoms / Given names {', '.join(p.first_names)}",
            f"Sexe / Sex {p.sex}  Nationalité / Nationality {p.nationality[1]}",
            f"Date de naissance / Date of birth {p.birth_date.strftime('%d %m %Y')}",
            f"Lieu de naissance / Place of birth {p.birth_place.upper()}",
            f"N° du document / Document No {number}",
            f"Date d'expiration / Expiry date {expiry.strftime('%d %m %Y')}",
        ]
        surname = fold(p.last_name).upper().replace(" ", "<").replace("-", "<").replace("'", "")
        given = "<<".join(fold(f).upper().replace("-", "<") for f in p.first_names)
        code = {"id_card": "ID", "passport": "P<", "residence_permit": "IR"}[doc_type]
        mrz1 = f"{code}FRA{surname}<<{given}"[:44].ljust(44, "<")
        mrz2 = (f"{number}{rng.randrange(10)}FRA{p.birth_date.strftime('%y%m%d')}"
                f"{rng.randrange(10)}{p.sex}{expiry.strftime('%y%m%d')}{rng.randrange(10)}")
        lines += [mrz1, mrz2.ljust(44, "<")]
        return ("\n".join(lines),)

    # --- dossiers -----------------------------------------------------------------------
    def dossier(self, firm_index: int, firm_id: str, users: list[str],
                firm_people: list[Person], doc_budget: int) -> tuple[Dossier, list[IndexRecord]]:
        rng, pools = self.rng, self.pools
        abbr, form_long, officer_title = rng.choices(LEGAL_FORMS, LEGAL_FORM_WEIGHTS)[0]
        style = rng.random()
        if style < 0.4:
            base = rng.choice(pools.companies)
        elif style < 0.7:
            base = f"{rng.choice(pools.words)} {rng.choice(pools.surnames[:300])}"
        else:
            base = f"{rng.choice(('Les Ateliers', 'Groupe', 'Holding', 'Cabinet', 'Maison', 'Atelier', 'Domaine', 'Société'))} {rng.choice(pools.surnames[:600])}"  # noqa: E501
        client = f"{base} {abbr}" if not base.endswith(("SA", "S.A.", "SARL", "S.A.S.")) else base
        siren = _siren(rng, self.used_sirens)
        d = Dossier(
            dossier_id=_uuid(rng), firm_index=firm_index, client_name=client, siren=siren,
            siret=_siret(rng, siren),
            assignee_ids=tuple(sorted(rng.sample(users, rng.choice((1, 1, 2))))),
            risk_level=rng.choices(("low", "medium", "high"), (60, 30, 10))[0],
            open_alert_types=tuple(sorted(rng.sample(ALERT_TYPES, rng.choices(
                (0, 1, 2), (70, 22, 8))[0]))))
        registered = _rand_date(rng, date(1995, 1, 1), date(2025, 6, 30))
        company = {
            "form_long": form_long, "officer_title": officer_title,
            "capital": f"{rng.choice((1000, 5000, 10000, 15000, 37000, 50000, 100000, 250000)):,}"
                       .replace(",", " ") + ",00",
            "address": self.address(), "activity": rng.choice(ACTIVITIES),
            "greffe": rng.choice(GREFFES)[0], "registered": registered.isoformat(),
            "until": _num_date(_add_years(registered, 99)),
        }  # fmt: skip
        # People: 1-3 beneficial owners, the officer is one of them or someone else.
        n_owners = rng.choices((1, 2, 3), (40, 45, 15))[0]
        first_new = len(self.persons)
        owners: list[Person] = []
        for _ in range(n_owners):
            roll = rng.random()
            if firm_people and roll < 0.05:  # the same person behind two clients
                owners.append(rng.choice(firm_people))
            elif firm_people and roll < 0.065:  # a homonym: same names, another birth date
                twin = rng.choice(firm_people)
                p = self.person(firm_index)
                p.last_name, p.first_names, p.usage_name = twin.last_name, twin.first_names, None
                owners.append(p)
            else:
                owners.append(self.person(firm_index))
        owners = list({p.person_id: p for p in owners}.values())
        officers = [owners[0]] if rng.random() < 0.7 else [self.person(firm_index)]
        people = list({p.person_id: p for p in owners + officers}.values())
        firm_people.extend(p for p in people if p.person_id >= first_new)
        shares = _shares(rng, len(owners))
        holders = list(zip(owners, shares, strict=True))

        made: list[IndexRecord] = []
        today = TODAY

        def add(doc_type: str, pages: tuple[str, ...], persons: list[tuple[Person, PersonRole]],
                doc_date: date, expiry: date | None, file_name: str, document_id: str) -> None:
            entries: list[PersonEntry] = []
            scanned = rng.random() < OCR_SHARE
            if scanned:
                self.ocr_documents.add(document_id)
                pages = tuple(_slip_text(rng, page) for page in pages)
            for p, role in persons:
                last = p.last_name
                if scanned and rng.random() < 0.5:
                    slipped = _slip_word(rng, last)
                    if slipped != last:
                        self.ocr_slips.setdefault(document_id, []).append(
                            (p.person_id, last, slipped))
                        pages = tuple(page.replace(last.upper(), slipped.upper())
                                      for page in pages)
                        last = slipped
                if role is PersonRole.SHAREHOLDER:
                    # As indexers/records.py takes them from the statuts' civil-status formula:
                    # surname and the first names printed, with the birth date.
                    entries.append(PersonEntry(role, last.upper(), " ".join(p.first_names),
                                               p.birth_date))
                elif role is PersonRole.OFFICER:
                    entries.append(PersonEntry(role, last, " ".join(p.first_names)))
                else:
                    entries.append(PersonEntry(role, last, " ".join(p.first_names),
                                               p.birth_date, p.usage_name))
                p.documents.append(document_id)
            made.append(IndexRecord(
                document_id=document_id, firm_id=firm_id, dossier_id=d.dossier_id,
                client_name=d.client_name, doc_type=doc_type, file_name=file_name,
                siren=d.siren, document_date=doc_date, expiry_date=expiry, pages=pages,
                persons=tuple(entries), open_alert_types=d.open_alert_types,
                risk_level=d.risk_level, assignee_ids=d.assignee_ids,
                updated_at=datetime(2026, 11, 1, tzinfo=UTC) + timedelta(
                    minutes=rng.randrange(30_000))))
            d.documents.append(document_id)

        slug = fold(client).replace(" ", "_").replace("'", "")[:30]
        kbis_day = _rand_date(rng, today - timedelta(days=400), today - timedelta(days=3))
        doc_id = _uuid(rng)
        add("kbis", self.kbis_pages(d, company, officers, kbis_day),
            [(p, PersonRole.OFFICER) for p in officers], kbis_day, None,
            f"kbis_{slug}_{kbis_day:%Y%m}.pdf", doc_id)
        rbe_day = _rand_date(rng, registered, today)
        doc_id = _uuid(rng)
        add("rbe", self.rbe_pages(d, holders, rbe_day),
            [(p, PersonRole.BENEFICIAL_OWNER) for p in owners], rbe_day, None,
            f"rbe_{slug}.pdf", doc_id)
        statuts_day = _rand_date(rng, registered, today)
        doc_id = _uuid(rng)
        add("statuts", self.statuts_pages(doc_id, d, company, holders, statuts_day),
            [(p, PersonRole.SHAREHOLDER) for p in owners], statuts_day, None,
            f"statuts_{slug}.pdf", doc_id)
        for p in people:
            if len(made) >= doc_budget:
                break
            doc_type = rng.choices(("id_card", "passport", "residence_permit"),
                                   (0, 60, 40) if p.nationality[1] != "FRA" else (75, 25, 0))[0]
            expiry = _rand_date(rng, today - timedelta(days=700), today + timedelta(days=3650))
            issued = _add_years(expiry, -(15 if doc_type == "id_card" else 10))
            number = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(9))
            doc_id = _uuid(rng)
            add(doc_type, self.identity_pages(doc_type, p, expiry, number),
                [(p, PersonRole.IDENTITY_HOLDER)], issued, expiry,
                f"{doc_type}_{fold(p.last_name).replace(' ', '_')}.pdf", doc_id)
        while len(made) < doc_budget:  # older Kbis / earlier statuts to reach the budget
            older = _rand_date(rng, registered, kbis_day - timedelta(days=1))
            doc_id = _uuid(rng)
            if rng.random() < 0.5:
                add("kbis", self.kbis_pages(d, company, officers, older),
                    [(p, PersonRole.OFFICER) for p in officers], older, None,
                    f"kbis_{slug}_{older:%Y%m}.pdf", doc_id)
            else:
                add("statuts", self.statuts_pages(doc_id, d, company, holders, older),
                    [(p, PersonRole.SHAREHOLDER) for p in owners], older, None,
                    f"statuts_{slug}_{older:%Y}.pdf", doc_id)
        d.person_ids = [p.person_id for p in people]
        return d, made


def _shares(rng: random.Random, n: int) -> list[int]:
    if n == 1:
        return [rng.choice((100, 100, 75, 60))]
    if n == 2:
        a = rng.randrange(30, 71)
        return [a, 100 - a]
    a = rng.randrange(26, 40)
    b = rng.randrange(26, 40)
    return [a, b, 100 - a - b]


def generate(n_docs: int, seed: int = 7, firms: int = FIRM_COUNT) -> Corpus:
    """A corpus of exactly `n_docs` documents (the last dossier may be shorter)."""
    start = time.perf_counter()
    g = _Generator(seed)
    rng = g.rng
    firm_ids = [_uuid(rng) for _ in range(firms)]
    user_ids = [[_uuid(rng) for _ in range(USERS_PER_FIRM)] for _ in range(firms)]
    firm_people: list[list[Person]] = [[] for _ in range(firms)]
    # Firms differ in size (a few large ones), like a real customer base.
    weights = [1.0 / (i + 1) ** 0.5 for i in range(firms)]
    dossiers: list[Dossier] = []
    records: list[IndexRecord] = []
    while len(records) < n_docs:
        fi = rng.choices(range(firms), weights)[0]
        budget = min(rng.randrange(5, 9), n_docs - len(records))
        if budget < 3:
            budget = 3
        d, made = g.dossier(fi, firm_ids[fi], user_ids[fi], firm_people[fi], budget)
        dossiers.append(d)
        records.extend(made)
    records = records[:n_docs]
    by_id = {r.document_id: r for r in records}
    for d in dossiers:
        d.documents = [x for x in d.documents if x in by_id]
    for p in g.persons:
        p.documents = [x for x in dict.fromkeys(p.documents) if x in by_id]
    corpus = Corpus(
        seed=seed, firm_ids=firm_ids, user_ids=user_ids, records=records, by_id=by_id,
        dossiers=dossiers, dossier_by_id={d.dossier_id: d for d in dossiers}, persons=g.persons,
        clauses={k: [x for x in v if x in by_id] for k, v in g.clauses.items()},
        clause_values=g.clause_values, ocr_slips={k: v for k, v in g.ocr_slips.items()
                                                   if k in by_id},
        ocr_documents={x for x in g.ocr_documents if x in by_id})
    corpus.seconds = time.perf_counter() - start
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", type=int, default=0, help="print this many sample records")
    args = parser.parse_args()
    corpus = generate(args.docs, args.seed)
    chars = sum(len(p) for r in corpus.records for p in r.pages)
    print(f"{len(corpus.records)} documents, {len(corpus.dossiers)} dossiers, "
          f"{len(corpus.persons)} persons, {chars / 1e6:.1f} M characters of text, "
          f"{len(corpus.ocr_documents)} scanned ({len(corpus.ocr_slips)} with a name slip), "
          f"rare clauses {sum(map(len, corpus.clauses.values()))}, in {corpus.seconds:.1f} s")
    types: dict[str, int] = {}
    for r in corpus.records:
        types[r.doc_type] = types.get(r.doc_type, 0) + 1
    print(types)
    for r in corpus.records[: args.show]:
        print("-" * 80)
        print(r.doc_type, r.client_name, r.siren, r.document_date, r.expiry_date, r.persons)
        print(r.pages[0][:1200])


if __name__ == "__main__":
    main()
