"""Classification rules on hand-written page texts: varied wording, OCR slips, hard negatives.

Accuracy over the generated documents is measured in bench/bench_classify.py; these pin the rules.
"""

import pytest

from extractors.classify import classify_document
from kanta_docs.models import Page
from kanta_docs.vocab import DocType, TextSource


def page(text: str, number: int = 1) -> Page:
    return Page(number, 595.0, 842.0, text, (), TextSource.TEXT_LAYER)


KBIS_INFOGREFFE = """Greffe du Tribunal de Commerce de Nantes   Code de vérification : slsz24kcdR
N° de gestion 2009B02406
Extrait Kbis
EXTRAIT D'IMMATRICULATION PRINCIPALE AU REGISTRE DU COMMERCE ET DES SOCIETES
à jour au 6 novembre 2024
IDENTIFICATION DE LA PERSONNE MORALE
Immatriculation au RCS, numéro 889 924 320 R.C.S. Nantes
GESTION, DIRECTION, ADMINISTRATION, CONTROLE, ASSOCIES OU MEMBRES
Président  Nom, prénoms DUPONT Jean
"""

RNE_ATTESTATION = """ATTESTATION D'IMMATRICULATION AU REGISTRE NATIONAL DES ENTREPRISES
Cette attestation concerne l'entreprise KANTA à la date du 02/10/2026
Dénomination : KANTA   SIREN : 889924320   Forme juridique : SAS
Date d'immatriculation au RNE : 12/01/2021
"""

DBE = """DOCUMENT RELATIF AU BÉNÉFICIAIRE EFFECTIF D'UNE SOCIÉTÉ  DBE-S-1
I. Informations relatives à la société déclarante
Dénomination : KANTA  Forme juridique : SAS
II. Informations sur le bénéficiaire effectif de la société
Nom de naissance : DUPONT  Nom d'usage :  Prénom principal : Jean
2) Informations sur les modalités du contrôle exercé par le bénéficiaire effectif
Détention directe de plus de 25 % du capital : 60 %
3) Date à laquelle la personne est devenue bénéficiaire effectif : 12/03/2021
"""

RBE_EXTRACT = """Greffe du Tribunal de Commerce de Lyon
EXTRAIT DU REGISTRE DES BÉNÉFICIAIRES EFFECTIFS
Société : KANTA SAS   RCS Lyon 889 924 320
Bénéficiaire n°1 : M. DUPONT Jean Pierre, né le 12/03/1970, nationalité française
Modalités de contrôle : détention de 60 % du capital et 60 % des droits de vote
"""

STATUTS_SAS = """KANTA
Société par actions simplifiée au capital de 10 000 euros
Siège social : 12 rue de la Paix, 75002 Paris
STATUTS
LES SOUSSIGNÉS :
Monsieur Jean DUPONT, né le 12 mars 1970 à Lyon, de nationalité française, demeurant à Paris
ARTICLE PREMIER - FORME  Il est formé entre les propriétaires des actions ci-après créées
ARTICLE 2 - OBJET  La société a pour objet, en France et à l'étranger : le conseil
ARTICLE 5 - DURÉE  La durée de la société est fixée à 99 années
ARTICLE 7 - CAPITAL SOCIAL  Le capital social est fixé à 10 000 euros, divisé en 1 000 actions
"""

OLD_CNI = """RÉPUBLIQUE FRANÇAISE
CARTE NATIONALE D'IDENTITÉ N° : 880692310285
Nom : BERTHIER
Prénom(s) : CORINNE
IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<
8806923102858CORINNE<<<<<<<6512068F6
"""

PASSPORT = """RÉPUBLIQUE FRANÇAISE PASSEPORT / PASSPORT
Type P  Code du pays FRA  Passeport N° 18AB12345
P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<
L898902C36UTO7408122F1204159ZE184226B<<<<<10
"""

TITRE_SEJOUR = """RÉPUBLIQUE FRANÇAISE  TITRE DE SÉJOUR
Nom : ERIKSSON  Prénoms : ANNA MARIA  Nationalité : UTO
IRFRAD231458907<<<<<<<<<<<<<<<
7408122F1204159UTO<<<<<<<<<<<6
ERIKSSON<<ANNA<MARIA<<<<<<<<<<
"""

NEW_CNI_NO_MRZ = """REPUBLIQUE FRANCAISE  CARTE NATIONALE D'IDENTITE / IDENTITY CARD
NOM / Surname MARTIN  Prénoms / Given names Maëlys Gaëlle, Marie
DATE D'EXPIR. / EXPIRY DATE 11 02 2030
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (KBIS_INFOGREFFE, DocType.KBIS),
        (RNE_ATTESTATION, DocType.KBIS),
        (DBE, DocType.RBE),
        (RBE_EXTRACT, DocType.RBE),
        (STATUTS_SAS, DocType.STATUTS),
        (OLD_CNI, DocType.ID_CARD),
        (PASSPORT, DocType.PASSPORT),
        (TITRE_SEJOUR, DocType.RESIDENCE_PERMIT),
        (NEW_CNI_NO_MRZ, DocType.ID_CARD),
    ],
)
def test_each_type_is_recognised(text: str, expected: DocType) -> None:
    assert classify_document([page(text)]).doc_type is expected


@pytest.mark.parametrize(
    "text",
    [
        # Minutes of a general meeting quote statuts and officers: a hard negative.
        """PROCÈS-VERBAL DES DÉCISIONS DE L'ASSEMBLÉE GÉNÉRALE EXTRAORDINAIRE DU 3 MAI 2024
        KANTA, société par actions simplifiée au capital de 10 000 euros, siège social à Paris
        Ordre du jour : modification de l'article 7 des statuts ; transfert du siège social
        Le Président constate que les associés représentant 100 % du capital sont présents.""",
        # An URSSAF certificate names the SIREN and the company.
        """ATTESTATION DE VIGILANCE
        L'URSSAF atteste que l'entreprise KANTA, SIREN 889 924 320, est à jour de ses
        obligations déclaratives et de paiement au 30/09/2026.""",
        """FACTURE N° 2026-0142  Date : 02/10/2026
        Désignation  Quantité  Prix unitaire HT  Total HT
        Tenue comptable  1  1 200,00 €  1 200,00 €   TVA 20 %  Total TTC 1 440,00 €""",
        "Bonjour, veuillez trouver ci-joint les documents demandés. Cordialement.",
        "",
    ],
)
def test_other_documents_are_unknown(text: str) -> None:
    assert classify_document([page(text)]).doc_type is DocType.UNKNOWN


def test_ocr_slips_in_cues_are_tolerated() -> None:
    noisy = (KBIS_INFOGREFFE.replace("Extrait Kbis", "Extralt Kbls")
             .replace("IMMATRICULATION PRINCIPALE", "IMMATRlCULATION PRINClPALE")
             .replace("GESTION, DIRECTION", "GESTI0N, DIRECTI0N"))
    assert classify_document([page(noisy)]).doc_type is DocType.KBIS


def test_mrz_with_guillemets_for_fillers_still_counts() -> None:
    text = OLD_CNI.replace("<<<<", "««««").replace("CARTE NATIONALE D'IDENTITÉ", "")
    assert classify_document([page(text)]).doc_type is DocType.ID_CARD


def test_evidence_names_the_cues() -> None:
    result = classify_document([page(DBE)])
    assert any("dbe s 1" in r for r in result.reasons)
    assert 0.5 < result.confidence <= 1.0


def test_statuts_with_an_rbe_mention_stay_statuts() -> None:
    text = STATUTS_SAS + "\nARTICLE 20 - Le président déclare les bénéficiaires effectifs."
    assert classify_document([page(text)]).doc_type is DocType.STATUTS


def test_card_zone_with_misread_document_code_is_still_a_card() -> None:
    # OCR of a scanned CNIe back: "ID" read as "TD", fillers read as "c" and "e".
    text = """ADRESSE / ADDRESS AUTORITÉ / AUTHORITY
DATE DE DÉLIV. / DATE OF ISSUE 01 08 2025
TDFRAXGKALKONO l<ercccccececce
9803307F3507315FRA<<<<<<<<<<<()
GUERIN<<VICTOIRE<ANNE<LAURE<<<"""
    assert classify_document([page(text)]).doc_type is DocType.ID_CARD


def test_capitalised_heading_is_not_taken_for_a_zone() -> None:
    # OCR of an old card's face: the locator can glue capitalised lines into a zone-shaped
    # block ("5REPUBLIQUE…"); with no filler in it, it must not announce a residence permit.
    text = """ë 5 RÉPUBLIQUE FRANÇAISE
CARTE NATIONALE D'IDENTITÉ N° : 061076866837
Nom : RENARD
Prénom(s) : STÉPHANE, DENIS
Sexe : M"""
    assert classify_document([page(text)]).doc_type is DocType.ID_CARD


def test_zone_read_by_the_second_pass_counts() -> None:
    scan = Page(1, 595.0, 842.0, "T1TRE DE S3JOUR\nN0m ERIKSS0N", (), TextSource.OCR,
                zone_text="IRFRAD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\n"
                          "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
    assert classify_document([scan]).doc_type is DocType.RESIDENCE_PERMIT
