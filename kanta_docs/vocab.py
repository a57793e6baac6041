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
