"""Synthetic inputs for the reading stage: born-digital pages, degraded scans, broken files.

Shared by tests/integration/test_reading.py and bench/bench_reading.py. Every builder is seeded, so
the same call gives the same bytes. Each page builder returns its ground-truth text in reading
order, which the tests and the benchmark compare with what the reading stage returns (CER).
Nothing here is personal data: names and companies come from short invented lists.
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from rapidfuzz.distance import Levenshtein
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

_WORDS = [
    "société",
    "capital",
    "social",
    "siège",
    "statuts",
    "associé",
    "gérant",
    "président",
    "assemblée",
    "générale",
    "décision",
    "exercice",
    "comptable",
    "bénéficiaire",
    "effectif",
    "registre",
    "commerce",
    "sociétés",
    "déclaration",
    "conformité",
    "vigilance",
    "clientèle",
    "mission",
    "lettre",
    "contrat",
    "prestation",
    "honoraires",
    "montant",
    "euros",
    "échéance",
    "paiement",
    "facture",
    "règlement",
    "article",
    "alinéa",
    "présente",
    "durée",
    "années",
    "immatriculation",
    "greffe",
    "tribunal",
    "activité",
    "principale",
    "adresse",
    "domicile",
    "nationalité",
    "française",
    "naissance",
    "pourcentage",
    "détention",
    "droits",
    "vote",
    "parts",
    "actions",
    "cession",
    "agrément",
    "transfert",
    "dissolution",
    "liquidation",
    "comptes",
    "annuels",
    "approbation",
    "résolution",
    "unanimité",
    "majorité",
    "procès-verbal",
    "délibération",
    "rapport",
    "gestion",
    "commissaire",
    "contrôle",
    "documents",
    "justificatifs",
    "identité",
    "validité",
    "expiration",
]
_ENGLISH = [
    "company",
    "share",
    "capital",
    "registered",
    "office",
    "articles",
    "shareholder",
    "director",
    "board",
    "meeting",
    "resolution",
    "financial",
    "statements",
    "beneficial",
    "owner",
    "register",
    "incorporated",
    "limited",
    "liability",
    "partnership",
    "annual",
    "return",
    "confirmation",
    "statement",
    "persons",
    "significant",
    "control",
    "nature",
    "ownership",
    "voting",
    "rights",
    "appointed",
    "resigned",
    "secretary",
    "address",
    "service",
    "nationality",
    "british",
    "passport",
    "expiry",
    "issued",
    "authority",
    "surname",
    "given",
    "names",
    "date",
    "birth",
    "place",
]
_ENGLISH_GLUE = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "for",
    "on",
    "by",
    "with",
    "as",
    "at",
    "from",
    "is",
    "are",
    "was",
    "be",
    "this",
    "that",
]
_GLUE = [
    "le",
    "la",
    "les",
    "de",
    "des",
    "du",
    "et",
    "en",
    "un",
    "une",
    "à",
    "au",
    "aux",
    "par",
    "pour",
    "sur",
    "dans",
    "avec",
    "qui",
    "que",
    "est",
    "sont",
]
_NAMES = ("Martin", "Bernard", "Lefèvre", "Moreau", "Girard", "Rousseau", "Fontaine", "Chevalier")
_TOWNS = ("Caen", "Rennes", "Lyon", "Nantes", "Lille", "Dijon", "Angers", "Tours")


def french_sentence(rng: random.Random) -> str:
    """One sentence of French-looking business prose, with names, amounts and dates."""
    parts: list[str] = []
    for _ in range(rng.randint(9, 18)):
        roll = rng.random()
        if roll < 0.35:
            parts.append(rng.choice(_GLUE))
        elif roll < 0.9:
            parts.append(rng.choice(_WORDS))
        elif roll < 0.94:
            parts.append(rng.choice(_NAMES))
        elif roll < 0.97:
            parts.append(
                f"{rng.randint(1, 999)} {rng.randint(100, 999)},{rng.randint(0, 99):02d} €"
            )
        else:
            parts.append(
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1990, 2030)}"
            )
    parts[0] = parts[0][0].upper() + parts[0][1:]
    return " ".join(parts) + rng.choice((".", ".", ".", " ;", " :"))


def english_sentence(rng: random.Random) -> str:
    """One sentence of English-looking company-register prose (UK extracts, passports)."""
    parts = [
        rng.choice(_ENGLISH_GLUE) if rng.random() < 0.35 else rng.choice(_ENGLISH)
        for _ in range(rng.randint(9, 18))
    ]
    parts[0] = parts[0].capitalize()
    return " ".join(parts) + "."


def french_paragraphs(rng: random.Random, n: int) -> list[str]:
    """`n` paragraphs of 2-5 sentences each."""
    return [" ".join(french_sentence(rng) for _ in range(rng.randint(2, 5))) for _ in range(n)]


@dataclass(frozen=True)
class SamplePdf:
    """A generated PDF and its text in reading order (lines separated by newlines)."""

    pdf: bytes
    truth: str


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    return list(simpleSplit(text, font, size, width))


def text_pdf(
    seed: int,
    *,
    english: bool = False,
    columns: int = 1,
    pages: int = 1,
    font: str = "Helvetica",
    font_size: float = 10.0,
    title: str = "Procès-verbal de l'assemblée générale",
    max_lines: int | None = None,
) -> SamplePdf:
    """A born-digital A4 PDF: a full-width title, then prose in 1 or 2 columns, per page.

    `max_lines` caps the prose lines per column (short pages OCR faster in tests).
    """
    rng = random.Random(seed)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=True)
    width, height = A4
    margin, gutter = 56.0, 24.0
    leading = font_size * 1.3
    col_w = (width - 2 * margin - gutter * (columns - 1)) / columns
    truths: list[str] = []
    for _ in range(pages):
        c.setFont("Helvetica-Bold", 14)
        c.drawString(margin, height - margin, title)
        page_lines = [title]
        c.setFont(font, font_size)
        for col in range(columns):
            x = margin + col * (col_w + gutter)
            y = height - margin - 36
            bottom = margin + leading
            if max_lines is not None:
                bottom = max(bottom, y - leading * (max_lines - 0.5))
            while y > bottom:
                sentence = english_sentence if english else french_sentence
                para = " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
                lines = _wrap(para, font, font_size, col_w)
                for line in lines:
                    if y <= bottom:
                        break
                    c.drawString(x, y, line)
                    page_lines.append(line)
                    y -= leading
                y -= leading * 0.6
        truths.append("\n".join(page_lines))
        c.showPage()
    c.save()
    return SamplePdf(buf.getvalue(), "\f".join(truths))


def key_value_pdf(seed: int) -> SamplePdf:
    """A register-extract-like form: short labels on the left, values on the right, row by row."""
    rng = random.Random(seed)
    rows = [
        ("Dénomination", f"{rng.choice(_NAMES).upper()} CONSEIL"),
        ("Forme juridique", "Société par actions simplifiée"),
        ("Capital social", f"{rng.randint(1, 90) * 1000} euros"),
        ("Adresse du siège", f"{rng.randint(1, 99)} rue des Lilas {rng.choice(_TOWNS)}"),
        ("Activités principales", "Conseil en gestion et prestations comptables diverses"),
        ("Date d'immatriculation", f"{rng.randint(1, 28):02d}/0{rng.randint(1, 9)}/2019"),
        ("Président", f"{rng.choice(_NAMES).upper()} Claire"),
        ("Durée", "99 ans à compter de l'immatriculation"),
    ]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=True)
    c.setFont("Helvetica", 10)
    y = A4[1] - 80
    lines = []
    for label, value in rows:
        c.drawString(56, y, label)
        c.drawString(220, y, value)
        lines.append(f"{label} {value}")
        y -= 16
    c.showPage()
    c.save()
    return SamplePdf(buf.getvalue(), "\n".join(lines))


def render_pdf_page(pdf: bytes, index: int = 0, dpi: int = 300) -> Image.Image:
    """Page `index` of `pdf` as a greyscale image at `dpi`."""
    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()
    return image


@dataclass(frozen=True)
class Degradation:
    """How a clean page image is made to look like an office scan."""

    angle_deg: float = 0.0
    blur_sigma: float = 0.0
    noise_sigma: float = 0.0
    jpeg_quality: int | None = None
    background: int = 255  # paper grey level


CLEAN = Degradation()
OFFICE_SCAN = Degradation(angle_deg=1.2, blur_sigma=0.6, noise_sigma=12, background=235)
BAD_SCAN = Degradation(
    angle_deg=2.5, blur_sigma=0.9, noise_sigma=22, jpeg_quality=35, background=215
)


def degrade(image: Image.Image, how: Degradation, seed: int) -> Image.Image:
    """A degraded copy of a greyscale page image (rotation, blur, noise, grey paper, JPEG)."""
    out = image.convert("L")
    if how.background < 255:
        arr = np.asarray(out, dtype=np.float32)
        out = Image.fromarray(np.clip(arr * how.background / 255.0, 0, 255).astype(np.uint8))
    if how.angle_deg:
        out = out.rotate(how.angle_deg, resample=Image.Resampling.BICUBIC, fillcolor=how.background)
    if how.blur_sigma:
        out = out.filter(ImageFilter.GaussianBlur(how.blur_sigma))
    if how.noise_sigma:
        rng = np.random.default_rng(seed)
        arr = np.asarray(out, dtype=np.float32) + rng.normal(0, how.noise_sigma, out.size[::-1])
        out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if how.jpeg_quality is not None:
        buf = io.BytesIO()
        out.save(buf, "JPEG", quality=how.jpeg_quality)
        out = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    return out


def image_bytes(image: Image.Image, fmt: str, dpi: int | None = 300, **save: object) -> bytes:
    """`image` encoded as PNG/JPEG/TIFF bytes, with its dpi recorded when given."""
    buf = io.BytesIO()
    if dpi is not None:
        save["dpi"] = (dpi, dpi)
    image.save(buf, fmt, **save)  # type: ignore[arg-type]
    return buf.getvalue()


def tiff_bytes(images: list[Image.Image], dpi: int = 300, compression: str = "tiff_lzw") -> bytes:
    """A multi-page TIFF of `images`."""
    buf = io.BytesIO()
    images[0].save(
        buf,
        "TIFF",
        save_all=True,
        append_images=images[1:],
        dpi=(dpi, dpi),
        compression=compression,
    )
    return buf.getvalue()


def image_pdf(images: list[Image.Image], dpi: int = 300) -> bytes:
    """An image-only PDF (a scanner's output without OCR): one JPEG page per image.

    Pillow writes it (JPEG streams, as scanners do) in a fraction of reportlab's time.
    """
    buf = io.BytesIO()
    first, *rest = [im.convert("L") for im in images]
    first.save(buf, "PDF", resolution=float(dpi), save_all=True, append_images=rest, quality=90)
    return buf.getvalue()


def scan_with_hidden_text(image: Image.Image, hidden_lines: list[str], dpi: int = 300) -> bytes:
    """An OCR'd-scan-like PDF: the page image plus an invisible (render mode 3) text layer."""
    buf = io.BytesIO()
    w_pt, h_pt = image.width * 72 / dpi, image.height * 72 / dpi
    c = canvas.Canvas(buf, pagesize=(w_pt, h_pt), invariant=True)
    c.drawImage(ImageReader(image), 0, 0, w_pt, h_pt)
    text = c.beginText(56, h_pt - 56)
    text.setTextRenderMode(3)
    text.setFont("Helvetica", 10)
    text.setLeading(13)
    for line in hidden_lines:
        text.textLine(line)
    c.drawText(text)
    c.showPage()
    c.save()
    return buf.getvalue()


_VERA = Path(pdfmetrics.__file__).resolve().parent.parent / "fonts" / "Vera.ttf"


def glyph_soup_pdf(seed: int) -> SamplePdf:
    """A PDF that renders correctly but whose text layer is garbage.

    The text is set in an embedded TrueType subset whose /ToUnicode map is then scrambled (every
    code maps to a consonant or a symbol), as broken producers do: the glyphs draw right, but text
    extraction yields soup. The rewrite keeps every byte offset, so the xref stays valid.
    """
    if "KantaVera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("KantaVera", str(_VERA)))
    rng = random.Random(seed)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=True, pageCompression=0)
    c.setFont("KantaVera", 11)
    y = A4[1] - 70
    lines: list[str] = []
    for para in french_paragraphs(rng, 4):
        for line in _wrap(para, "KantaVera", 11, A4[0] - 112):
            c.drawString(56, y, line)
            lines.append(line)
            y -= 15
        y -= 8
    c.showPage()
    c.save()
    pool = "bcdfghjklmnpqrstvwxz#%&*+=@^~|\u00a4\u00a7\u00b6"
    scramble = random.Random(seed + 1)

    def _swap(m: re.Match[bytes]) -> bytes:
        if m.group(2) == b"0000" or m.group(2) == b"0020":
            return m.group(0)
        return b"<%s> <%04X>" % (m.group(1), ord(scramble.choice(pool)))

    pdf = re.sub(rb"<([0-9A-F]{2})> <([0-9A-F]{4})>", _swap, buf.getvalue())
    return SamplePdf(pdf, "\n".join(lines))


def normalise(text: str) -> str:
    """Text with whitespace collapsed, for CER."""
    return re.sub(r"\s+", " ", text).strip()


def cer(found: str, truth: str) -> float:
    """Character error rate: Levenshtein distance / length of the truth, whitespace collapsed."""
    ref = normalise(truth)
    return Levenshtein.distance(normalise(found), ref) / max(1, len(ref))
