"""Settings: read once from `KANTA_*` environment variables, typed, validated, passed down.

Only the composition roots (the CLI, the API app, worker start-up) call `load_settings()`; every
stage receives values or a frozen context built from them.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kanta_docs.errors import ConfigError


class Settings(BaseSettings):
    """Every setting, with its embedded default."""

    model_config = SettingsConfigDict(env_prefix="KANTA_", frozen=True, extra="ignore")

    # Root of the embedded defaults: SQLite store, Tantivy index and blobs live under it.
    home: Path = Path("var")
    # SQLAlchemy URL of the store; empty means the SQLite file `<home>/kanta.sqlite3`.
    database_url: str = ""
    # Search engine: "embedded" (Tantivy under <home>/index) or an http(s) Elasticsearch URL.
    search_url: str = "embedded"
    # Celery broker; "memory" runs the same tasks in an in-process worker thread.
    broker_url: str = "memory"
    # Largest file accepted, in MiB: bigger uploads are refused before any parsing.
    max_file_mib: int = Field(default=50, ge=1)
    # Most pages read per document; AML documents are a few pages, a 500-page file is a mistake.
    max_pages: int = Field(default=100, ge=1)
    # Largest image, in pixels, decoded or rendered: guards against decompression bombs
    # (an A4 page at 300 dpi is 8.7 Mpx).
    max_image_pixels: int = Field(default=60_000_000, ge=1_000_000)
    # Wall-clock limit for Tesseract on one page, in seconds; past it the page gets a warning.
    ocr_timeout_s: float = Field(default=60.0, gt=0)
    # Rendering resolution for OCR, in dpi. 300 keeps the small print of identity documents
    # legible; PERF.md measured 200 dpi as 19 % faster on 9.5 pt text only.
    ocr_dpi: int = Field(default=300, ge=100, le=600)
    # Tesseract languages. "fra+eng" costs 4-9 % more CPU for no measurable gain on French
    # documents (bench/bench_reading.py); the zone of identity documents is read per character.
    ocr_languages: str = "fra"
    # Mean OCR confidence (0-100) below which a page gets a warning.
    ocr_min_confidence: float = Field(default=70.0, ge=0, le=100)
    # OCR pages whose text layer is invisible (already-OCR'd scans) to check the layer says what
    # the image shows; costs one OCR pass per such page, catches substituted text layers.
    ocr_verify_hidden_text: bool = True
    # Keep per-page work files (rendered images) for debugging.
    keep_temp: bool = False
    # Celery queue the service's tasks go to (one per deployment sharing a Redis).
    task_queue: str = "kanta"
    # A document "processing" for longer than this lost its worker (killed, out of memory) and
    # is given back to the queue; above the longest legitimate document (100 OCR pages).
    task_stuck_after_s: int = Field(default=900, ge=0)

    # -- HTTP API (`kanta-docs serve`) --------------------------------------------------------
    # Master secret, 64 hex characters; signs tokens and encrypts TOTP secrets. Empty: a key
    # generated once into <home>/secret.key (mode 0600). Set it when several API processes run.
    secret_key: str = Field(default="", repr=False)
    # Redis for login throttling and rate limits; empty keeps counters in memory (one process).
    redis_url: str = ""
    # Lifetime of an access token; a refresh token lives `refresh_token_days`.
    access_token_ttl_s: int = Field(default=900, ge=60, le=3600)
    refresh_token_days: int = Field(default=14, ge=1, le=90)
    # Requests per minute per user or API key before 429 with Retry-After.
    rate_limit_per_minute: int = Field(default=300, ge=1)
    # Days after a firm's contract end before its data is purged.
    purge_after_days: int = Field(default=30, ge=0)

    # -- Notifications (kanta_docs.notify) ----------------------------------------------------
    # Outgoing mail server: smtp://user:pass@host:587?starttls=1 (STARTTLS required),
    # smtp://host:25 (plain, a local relay) or smtps://user:pass@host:465 (implicit TLS).
    # Empty: no e-mail is queued (in-app notifications still are); see README "Notifications".
    smtp_url: str = Field(default="", repr=False)
    # The From of every mail.
    mail_from: str = "kanta-docs <no-reply@kanta-docs.local>"
    # The address people reach the service at: links in mails (dossiers, unsubscribe).
    public_base_url: str = "http://127.0.0.1:8000"

    # -- Webhooks ---------------------------------------------------------------------------
    # Let webhook endpoints point at loopback, private, link-local or otherwise non-public
    # addresses. Off by default (a firm's URL must not reach the service's own network: cloud
    # metadata, databases, admin ports); turn it on only for tests or an on-premise receiver.
    webhook_allow_private: bool = False

    @model_validator(mode="after")
    def _check_urls(self) -> Settings:
        if self.search_url != "embedded" and not self.search_url.startswith(("http://", "https://")):
            raise ValueError("KANTA_SEARCH_URL must be 'embedded' or an http(s) URL")
        if self.smtp_url and not self.smtp_url.startswith(("smtp://", "smtps://")):
            raise ValueError("KANTA_SMTP_URL must be an smtp:// or smtps:// URL")
        if not self.public_base_url.startswith(("http://", "https://")):
            raise ValueError("KANTA_PUBLIC_BASE_URL must be an http(s) URL")
        return self

    @property
    def resolved_database_url(self) -> str:
        """The store URL, defaulting to the SQLite file under `home`."""
        return self.database_url or f"sqlite:///{self.home / 'kanta.sqlite3'}"

    @property
    def secret_key_file(self) -> Path:
        """Where the generated master secret lives when `secret_key` is not set."""
        return self.home / "secret.key"

    @property
    def blob_dir(self) -> Path:
        """Content-addressed folder of original files."""
        return self.home / "blobs"

    @property
    def index_dir(self) -> Path:
        """Folder of the embedded search index."""
        return self.home / "index"


def load_settings() -> Settings:
    """Settings from the environment; `ConfigError` naming the variable when one is invalid."""
    try:
        return Settings()
    except ValidationError as e:
        first = e.errors()[0]
        name = "KANTA_" + "_".join(str(p) for p in first["loc"]).upper()
        raise ConfigError(f"{name}: {first['msg']}") from e
