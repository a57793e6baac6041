"""Extracting many files: walking folders and spreading documents over processes.

OCR is single-threaded per page, so one process per core is the only way to use the machine.
Shared by `kanta-docs extract` and `kanta-docs check`.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import TYPE_CHECKING

from kanta_docs.errors import InvalidInput
from kanta_docs.logs import configure_logging

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from extractors.base import ReadContext
    from kanta_docs.pipeline import Extraction


def walk(paths: Iterable[Path], skip: frozenset[str] = frozenset()) -> Iterator[Path]:
    """Files named, and files under directories (recursively, sorted, dotfiles skipped).

    `skip` names files (relative to the directory, POSIX style) that are not documents.
    """
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if (child.is_file() and relative.as_posix() not in skip
                        and not any(part.startswith(".") for part in relative.parts)):
                    yield child
        elif path.is_file():
            yield path
        else:
            raise InvalidInput(f"{path}: no such file or directory")


def extract_all(files: list[Path], ctx: ReadContext, jobs: int,
                names: list[str] | None = None) -> Iterator[Extraction]:
    """Extractions in input order, over `jobs` processes; `names` are the display names."""
    from kanta_docs.pipeline import extract_file

    shown = names if names is not None else [str(f) for f in files]
    if jobs < 1:
        raise InvalidInput("--jobs must be at least 1")
    if jobs == 1 or len(files) < 2:
        for path, name in zip(files, shown, strict=True):
            yield extract_file(path, ctx, name)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(files)),
                             initializer=configure_logging,
                             initargs=(os.environ.get("KANTA_LOG_LEVEL", "WARNING"),)) as pool:
        yield from pool.map(partial(_extract_path, ctx=ctx), files, shown)


def _extract_path(path: Path, name: str, ctx: ReadContext) -> Extraction:
    from kanta_docs.pipeline import extract_file

    return extract_file(path, ctx, name)
