"""The reading context: limits and OCR options, frozen, built once from Settings at the root."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReadContext:
    """What the reading stage needs to know; extractors never import settings."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_pages: int = 100
    max_image_pixels: int = 60_000_000
    ocr_timeout_s: float = 60.0
    ocr_dpi: int = 300
    # "fra" alone: bench/bench_reading.py measured fra+eng 4-9 % more Tesseract CPU per page for
    # 0.01-0.02 points of CER (0.12 vs 0.10 % on French pages, 0.02 vs 0.01 % on English ones).
    ocr_languages: str = "fra"
    ocr_min_confidence: float = 70.0
    keep_temp: bool = False
    # An invisible text layer (render mode 3, as OCR'd scans carry) may not say what the page
    # image shows; when True such pages are OCR'd too and the layer is kept only if it agrees.
    verify_hidden_text: bool = True
    # Parent folder of the per-document work folders; None means the system temp folder.
    temp_dir: str | None = None
