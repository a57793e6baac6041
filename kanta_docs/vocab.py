"""Contract vocabularies (../shared/CONTRACT.md): the values scripts compare against."""

from enum import StrEnum


class DocType(StrEnum):
    """What a document is; `unknown` when it is none of these, never forced into a class."""

    KBIS = "kbis"
    RBE = "rbe"
    STATUTS = "statuts"
    ID_CARD = "id_card"
    PASSPORT = "passport"
    RESIDENCE_PERMIT = "residence_permit"
    UNKNOWN = "unknown"

    @property
    def is_identity(self) -> bool:
        """Whether the document identifies a natural person (has an `identity` block)."""
        return self in IDENTITY_TYPES

    @property
    def is_company(self) -> bool:
        """Whether the document describes a company (has a `company` block)."""
        return self in COMPANY_TYPES


IDENTITY_TYPES = frozenset({DocType.ID_CARD, DocType.PASSPORT, DocType.RESIDENCE_PERMIT})
COMPANY_TYPES = frozenset({DocType.KBIS, DocType.RBE, DocType.STATUTS})


class OfficerRole(StrEnum):
    """Officer roles of the contract."""

    PRESIDENT = "president"
    DIRECTEUR_GENERAL = "directeur_general"
    DIRECTEUR_GENERAL_DELEGUE = "directeur_general_delegue"
    GERANT = "gerant"
    ADMINISTRATEUR = "administrateur"
    COMMISSAIRE_AUX_COMPTES = "commissaire_aux_comptes"
    OTHER = "other"


class TextSource(StrEnum):
    """Where a page's text came from."""

    TEXT_LAYER = "text_layer"
    OCR = "ocr"
    NONE = "none"


class FileKind(StrEnum):
    """File formats sniffed from the bytes."""

    PDF = "pdf"
    PNG = "png"
    JPEG = "jpeg"
    TIFF = "tiff"


class AlertType(StrEnum):
    """The alert catalogue of `kanta-docs check` (../shared/CONTRACT.md)."""

    BE_NOT_DECLARED = "be_not_declared"
    BE_NOT_IN_REGISTER = "be_not_in_register"
    BE_SHARE_MISMATCH = "be_share_mismatch"
    BE_IDENTITY_MISMATCH = "be_identity_mismatch"
    COMPANY_MISMATCH = "company_mismatch"
    OFFICER_MISMATCH = "officer_mismatch"
    ID_DOCUMENT_MISSING = "id_document_missing"
    ID_DOCUMENT_EXPIRED = "id_document_expired"
    ID_DOCUMENT_EXPIRING = "id_document_expiring"
    ID_DOCUMENT_MISMATCH = "id_document_mismatch"
    MRZ_INVALID = "mrz_invalid"
    REGISTER_EXTRACT_OUTDATED = "register_extract_outdated"
    DOCUMENT_UNREADABLE = "document_unreadable"


class Severity(StrEnum):
    """How urgently an alert needs a person."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class RiskLevel(StrEnum):
    """A dossier's overall NPLAB risk level."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Vigilance(StrEnum):
    """The vigilance measures a risk level calls for (CMF L.561-9, NPLAB, L.561-10-1)."""

    SIMPLIFIED = "simplified"
    STANDARD = "standard"
    ENHANCED = "enhanced"


class Criterion(StrEnum):
    """The four NPLAB criteria a risk factor belongs to."""

    CLIENT = "client"
    ACTIVITY = "activity"
    LOCATION = "location"
    MISSION = "mission"
