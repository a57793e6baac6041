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
    ocr_languages: str = "fra+eng"
    ocr_min_confidence: float = 70.0
    keep_temp: bool = False
