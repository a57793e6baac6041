"""The labels of register extracts (Kbis, INPI RNE attestation, other greffes' layouts).

Keys name what a value is, whatever the section: "name" is the company's « Dénomination » in
the identification part and a legal-person officer's in the management part. Labels the parser
does not read are listed too (key "other"): the longest label wins, so knowing them keeps
« Numéro d'identification Européen - EUID » or « Date de mise à jour de l'entreprise » from
being read as a shorter label the parser wants, and tells where a wrapped value ends.
Wording from ../shared/DOMAIN.md §2.4 and §3.1 and the variants greffes and the RNE print.
"""

from __future__ import annotations

from extractors.fields.register_rows import Labels

_VOCABULARY: dict[str, tuple[str, ...]] = {
    "rcs": (
        "Immatriculation au RCS, numéro", "Immatriculation au RCS", "Numéro RCS", "N° RCS",
        "Immatriculation au registre du commerce et des sociétés", "RCS", "R.C.S.",
        "Numéro d'immatriculation", "N° d'immatriculation", "Immatriculation RCS",
        "Registre du commerce et des sociétés",
    ),
    "siren": (
        "SIREN", "N° SIREN", "Numéro SIREN", "N° d'identification", "Numéro d'identification",
        "Numéro unique d'identification", "Identifiant SIREN", "SIREN / RCS", "N° unique",
    ),
    "euid": (
        "Numéro d'identification Européen - EUID", "Numéro d'identification européen",
        "Identifiant unique européen", "EUID", "Numéro EUID", "N° EUID",
    ),
    "name": (
        "Dénomination ou raison sociale", "Dénomination sociale", "Dénomination", "Raison sociale",
        "Nom ou dénomination", "Nom de la société", "Nom / Dénomination",
        "Nom de l'entreprise", "Dénomination de l'entreprise", "Dénomination de la société",
    ),
    "legal_form": ("Forme juridique", "Forme sociale", "Forme", "Catégorie juridique"),
    "capital": (
        "Capital social", "Capital", "Capital social variable", "Capital variable",
        "Capital minimum", "Capital social minimum", "Montant du capital", "Capital social (€)",
        "Montant du capital social", "Capital social (en euros)",
    ),
    "seat": (
        "Adresse du siège", "Adresse du siège social", "Siège social", "Siège", "Adresse siège",
        "Adresse du siège de l'entreprise",
    ),
    "sole_associate": ("Associé unique",),
    # Management section.
    "role": ("Qualité", "Fonction", "Mandat", "En qualité de", "Rôle"),
    "full_name": (
        "Nom, prénoms", "Nom, prénom(s)", "Nom et prénoms", "Nom et prénom(s)", "Nom - Prénoms",
        "Nom prénoms", "Nom, prénom", "Nom et prénom", "Nom / Prénoms", "Nom / Prénom(s)",
        "Prénoms et nom", "Prénom(s) et nom", "Prénom et nom", "Nom - Prénom(s)",
    ),
    "last_name": ("Nom", "Nom de naissance", "Nom de famille", "Nom patronymique"),
    "usage_name": ("Nom d'usage", "Nom marital", "Nom d'épouse", "Nom usuel"),
    "first_names": ("Prénoms", "Prénom(s)", "Prénom", "Prénom usuel", "Autres prénoms"),
    "birth": (
        "Date et lieu de naissance", "Date de naissance", "Date de naissance (mm/aaaa)",
        "Né(e) le", "Né le", "Née le", "Date et lieu de naissance (mm/aaaa)", "Naissance",
        "Date / lieu de naissance",
    ),
    "birth_place": ("Lieu de naissance", "Né(e) à", "Commune de naissance"),
    "nationality": ("Nationalité",),
    "address": (
        "Adresse", "Domicile personnel", "Domicile", "Adresse personnelle", "Commune de résidence",
        "Demeurant", "Domicile / Adresse",
    ),
    "other": (
        "Date d'immatriculation", "Date d'immatriculation au RNE", "Date d'immatriculation au RCS",
        "Immatriculée le", "Immatriculé le", "Date de début d'activité", "Début d'activité",
        "Date de commencement d'activité", "Date de mise à jour de l'entreprise",
        "Date de mise à jour", "Date de dernière mise à jour", "Activité principale", "Activité",
        "Activités", "Activité(s) exercée(s)", "Objet social", "Code APE", "Code NAF",
        "Nomenclature d'activités française (code NAF)", "Durée de la personne morale",
        "Durée", "Date de clôture de l'exercice social", "Date de clôture de l'exercice",
        "Clôture de l'exercice", "Clôture de l'exercice social", "Date de clôture",
        "Nom commercial", "Enseigne", "Sigle", "Adresse de l'établissement",
        "Établissement principal", "Origine du fonds ou de l'activité", "Origine du fonds",
        "Mode d'exploitation", "N° de gestion", "Numéro de gestion", "Code de vérification",
        "Greffe", "Date d'effet", "Date de radiation", "Immatriculation radiée le",
        "Date de fin d'activité", "Code postal", "Commune", "Ville", "Téléphone", "Courriel",
        "Statut", "Type d'entreprise", "Nature de l'activité", "Forme d'exercice",
        "Économie sociale et solidaire", "Date d'immatriculation au registre",
        "Date d'édition", "Date de l'extrait", "Date de délivrance", "Date d'émission",
        # A company's last change is not the extract's date (register_dates never reads it).
        "Dernière modification", "Date de dernière modification", "Date de modification",
        "Modifiée le", "Modifié le", "Dernière mise à jour",
    ),
}

REGISTER_LABELS = Labels.of(_VOCABULARY)

# The rows of a person's or legal person's block in the management section.
OFFICER_KEYS = frozenset({
    "role", "full_name", "last_name", "usage_name", "first_names", "birth", "birth_place",
    "nationality", "address", "name", "legal_form", "rcs", "siren",
})  # fmt: skip
