# kanta-docs image: the API, the Celery worker and beat all run from it.
FROM python:3.11-slim-bookworm

# Tesseract with French (and English for bilingual identity documents); OSD for orientation.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng \
 && rm -rf /var/lib/apt/lists/*

# Debian's Tesseract is built with OpenMP: on few cores its threads spin-wait and a page takes
# 8-9x longer (PERF.md §2). One thread per process, one process per core.
ENV OMP_THREAD_LIMIT=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    KANTA_HOME=/data

COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /usr/local/bin/uv
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --locked --no-dev --no-install-project
COPY kanta_docs ./kanta_docs
COPY extractors ./extractors
COPY indexers ./indexers
COPY alerts ./alerts
COPY api ./api
RUN uv sync --locked --no-dev

RUN useradd --system --uid 10001 kanta && mkdir -p /data && chown kanta /data
USER kanta
ENV PATH="/app/.venv/bin:$PATH"
VOLUME ["/data"]
CMD ["kanta-docs", "--help"]
