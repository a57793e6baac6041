"""Document classification: pages of text -> kbis, rbe, statuts, id_card, passport,
residence_permit, or unknown.

Pure rules, no I/O. Each class collects weighted cue phrases; a cue found in the title region
(the first lines of page 1) weighs more than one found in the body, because the title is what
tells a Kbis from a minutes document that quotes Kbis vocabulary. Documents we know are none of
the contract's types (invoices, minutes of a general meeting, URSSAF certificates, bank details…)
have cues of their own that compete as `unknown`, so a hard negative is not forced into a class.

Matching works on folded text (case, accents and punctuation removed) and tolerates OCR slips:
a cue absent verbatim is searched approximately (rapidfuzz `partial_ratio`) when long enough for
one or two wrong characters not to make it ambiguous. A machine-readable zone (found by
extractors/mrz, which tolerates OCR noise) is the strongest signal for identity documents; its
layout and document code tell passport from card from permit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from extractors.mrz import MrzFormat, find_mrz
from kanta_docs.models import Classification, Page
from kanta_docs.text import fold
from kanta_docs.vocab import DocType

if TYPE_CHECKING:
    from collections.abc import Sequence

# Below this score no class has enough evidence: the document is `unknown`.
MIN_SCORE = 8.0
# Folded characters of page 1 that count as the title region.
TITLE_CHARS = 700
# Only the first pages carry the evidence; long statuts need not be scanned to the end.
SCAN_PAGES = 4
# partial_ratio threshold for approximate cue matches (one slip in ~10 characters).
FUZZY_CUTOFF = 90.0
# Cues shorter than this are only matched exactly: short phrases match by accident when fuzzy.
FUZZY_MIN_LEN = 10


@dataclass(frozen=True, slots=True)
class Cue:
    """A phrase (folded) with its weight in the body and in the title region."""

    phrase: str
    body: float
    title: float = 0.0


def _cues(*items: tuple[str, float] | tuple[str, float, float]) -> tuple[Cue, ...]:
    return tuple(Cue(fold(i[0]), i[1], i[2] if len(i) == 3 else i[1]) for i in items)


CUES: dict[DocType, tuple[Cue, ...]] = {
    DocType.KBIS: _cues(
        ("extrait kbis", 8, 12),
        ("extrait d'immatriculation principale", 8, 12),
        ("extrait d'immatriculation", 5, 9),
        ("extrait des inscriptions", 4, 8),
        ("attestation d'immatriculation", 6, 10),
        ("extrait du registre national des entreprises", 6, 10),  # INPI's « extrait RNE »
        ("registre du commerce et des sociétés", 2, 3),
        ("immatriculation au rcs", 4),
        ("immatriculation au registre", 2),
        ("gestion, direction, administration, contrôle", 7),
        ("gestion direction administration", 4),
        ("date d'immatriculation", 2),
        ("à jour au", 2),
        ("numéro d'identification européen", 2),
        ("date de commencement d'activité", 2),
        ("origine du fonds", 2),
        ("mode d'exploitation", 2),
        ("durée de la personne morale", 2),
        ("date de clôture de l'exercice", 1),
        ("fin de l'extrait", 3),
        ("le greffier", 1),
    ),
    DocType.RBE: _cues(
        ("bénéficiaires effectifs", 5, 10),
        ("bénéficiaire effectif", 5, 10),
        ("registre des bénéficiaires effectifs", 5, 10),
        ("dbe s 1", 8, 12),
        ("dbe s 2", 6),
        ("dbe s bis", 6),
        ("modalités de contrôle", 5),
        ("modalités du contrôle", 5),
        ("est devenue bénéficiaire", 5),
        ("devenu bénéficiaire effectif", 5),
        ("détention directe", 2),
        ("détention indirecte", 2),
        ("des droits de vote", 1),
        ("nom d'usage", 1),
        ("nom de naissance", 1),
        ("pouvoir de contrôle", 2),
        ("représentant légal", 1),
    ),
    DocType.STATUTS: _cues(
        ("statuts", 2, 10),
        ("statuts constitutifs", 6, 12),
        ("statuts mis à jour", 6, 12),
        ("projet de statuts", 6, 12),
        ("les soussignés", 5),
        ("il est formé", 3),
        ("il a été formé", 3),
        ("la société a pour objet", 3),
        ("objet social", 2),
        ("durée de la société", 2),
        ("la durée de la société est fixée", 3),
        ("apports en numéraire", 3),
        ("apport en numéraire", 3),
        ("apports", 1),
        ("divisé en", 2),
        ("parts sociales", 2),
        ("cession des actions", 2),
        ("cession des parts", 2),
        ("transmission des actions", 2),
        ("agrément", 1),
        ("article premier", 2),
        ("exercice social", 1),
        ("en cours d'immatriculation", 2),
        ("exemplaires", 1),
    ),
    DocType.ID_CARD: _cues(
        ("carte nationale d'identité", 9, 12),
        ("identity card", 6, 9),
        ("carte d'identité", 6, 9),
        ("national identity card", 6, 9),
    ),
    DocType.PASSPORT: _cues(
        ("passeport", 9, 12),
        ("passport", 7, 10),
        ("reisepass", 7, 10),
        ("passaporto", 7, 10),
        ("pasaporte", 7, 10),
    ),
    DocType.RESIDENCE_PERMIT: _cues(
        ("titre de séjour", 9, 12),
        ("carte de séjour", 9, 12),
        ("carte de résident", 9, 12),
        ("residence permit", 7, 10),
        ("séjour pluriannuelle", 6),
        ("aufenthaltstitel", 7, 10),
    ),
    # Documents that are none of the contract's types. Title weights dominate: a statuts
    # article may mention procès-verbaux or the bilan without being either.
    DocType.UNKNOWN: _cues(
        ("facture", 1, 12),
        ("montant ttc", 4),
        ("total ttc", 4),
        ("net à payer", 4),
        ("relevé d'identité bancaire", 6, 12),
        ("relevé de compte", 5, 12),
        ("procès-verbal", 1, 12),
        ("proces verbal", 1, 12),
        ("assemblée générale", 0, 4),
        ("décisions de l'associé unique", 0, 10),
        ("ordre du jour", 3),
        ("attestation de vigilance", 6, 12),
        ("urssaf", 1, 4),
        ("avis de situation au répertoire sirene", 8, 14),
        ("contrat de bail", 5, 12),
        ("quittance de loyer", 5, 12),
        ("bulletin de paie", 6, 12),
        ("avis d'impôt", 6, 12),
        ("liasse fiscale", 4, 12),
        ("compte de résultat", 1, 6),
        ("lettre de mission", 3, 12),
    ),
}

_MRZ_WEIGHT = 16.0
# The filler `<` as printed, and as OCR commonly reads it.
_FILLERS = "<«‹"


def classify_document(pages: Sequence[Page]) -> Classification:
    """Pages -> the document type, with a 0-1 confidence and the cues that decided it."""
    pages = list(pages)[:SCAN_PAGES]
    if not any(p.text.strip() for p in pages):
        return Classification(DocType.UNKNOWN, 0.0, ("no text on any page",))
    folded = " ".join(fold(p.text) for p in pages)
    title = fold(pages[0].text)[:TITLE_CHARS]
    scores: dict[DocType, float] = {}
    reasons: dict[DocType, list[str]] = {}
    for doc_type, cues in CUES.items():
        score, found = _score_cues(cues, title, folded)
        scores[doc_type] = score
        reasons[doc_type] = found
    mrz_type = _mrz_doc_type(pages)
    if mrz_type is not None:
        scores[mrz_type] += _MRZ_WEIGHT
        reasons[mrz_type].append("machine-readable zone")
    return _decide(scores, reasons)


def _score_cues(cues: Sequence[Cue], title: str, body: str) -> tuple[float, list[str]]:
    score = 0.0
    found: list[str] = []
    for cue in cues:
        if cue.title and _contains(title, cue.phrase):
            score += cue.title
            found.append(f"title: {cue.phrase}")
        elif cue.body and _contains(body, cue.phrase):
            score += cue.body
            found.append(cue.phrase)
    return score, found


def _contains(text: str, phrase: str) -> bool:
    if phrase in text:
        return True
    if len(phrase) < FUZZY_MIN_LEN:
        return False
    return fuzz.partial_ratio(phrase, text, score_cutoff=FUZZY_CUTOFF) > 0


def _mrz_doc_type(pages: Sequence[Page]) -> DocType | None:
    """The identity type announced by a machine-readable zone, if a page has one.

    The reading stage's second pass over the zone (`zone_text`) is preferred. A candidate made
    of no filler at all is capitalised prose the locator glued together, not a zone: every
    real zone pads its names with `<`.
    """
    for page in pages:
        for text in (page.zone_text, page.text):
            candidate = find_mrz(text) if text else None
            if candidate is not None and any(c in "".join(candidate.raw_lines)
                                             for c in _FILLERS):
                return _doc_type_from_zone(candidate.format, candidate.lines[0][:2])
    return None


def _doc_type_from_zone(layout: MrzFormat, code: str) -> DocType:
    """ICAO 9303: a 2 x 44 zone is a passport's; card zones (TD1, TD2, the French card) start
    with I, A or C and a second letter the issuer chooses — France uses ID for the identity
    card and R (IR, AR, CR) for residence permits. OCR may misread the first letter (I as T or
    1), so the layout decides passport vs card and only the second letter is trusted."""
    if layout is MrzFormat.TD3 or code.startswith("P"):
        return DocType.PASSPORT
    if layout is MrzFormat.FR_CNI_1995:
        return DocType.ID_CARD
    if code[1:2] == "R" or code in {"RP", "RT"}:
        return DocType.RESIDENCE_PERMIT
    return DocType.ID_CARD


def _decide(scores: dict[DocType, float], reasons: dict[DocType, list[str]]) -> Classification:
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (best, best_score), (_, second_score) = ranked[0], ranked[1]
    if best is DocType.UNKNOWN:
        return Classification(DocType.UNKNOWN, _margin(best_score, second_score),
                               tuple(reasons[DocType.UNKNOWN]))
    if best_score < MIN_SCORE:
        return Classification(DocType.UNKNOWN, 1.0 - best_score / MIN_SCORE,
                              ("no type has enough evidence",))
    return Classification(best, _margin(best_score, second_score), tuple(reasons[best]))


def _margin(best: float, second: float) -> float:
    return round(best / (best + second), 3) if best + second else 0.0
