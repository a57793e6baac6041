"""One client dossier from a folder: its documents extracted, its declared.json read, the
cross-check and risk assessment run (the `kanta-docs check` command's work).

The folder holds the documents (any depth) and `declared.json`; evidence names files by their
path inside the folder.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pydantic import ValidationError

from alerts.check import check_dossier
from kanta_docs.assessment import CheckResult
from kanta_docs.batch import extract_all, walk
from kanta_docs.declared import Declared
from kanta_docs.errors import InvalidInput
from kanta_docs.facts import DossierDocument

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date
    from pathlib import Path

    from alerts.check import DossierCheck
    from alerts.risk import RiskReference
    from extractors.base import ReadContext

DECLARED_FILE = "declared.json"


def read_declared(folder: Path) -> Declared:
    """The dossier's declared.json, or InvalidInput saying exactly what is wrong with it."""
    path = folder / DECLARED_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"{folder}: no {DECLARED_FILE} in the dossier folder") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InvalidInput(f"{path}: cannot read it ({e})") from None
    except json.JSONDecodeError as e:
        raise InvalidInput(f"{path}: not valid JSON (line {e.lineno}: {e.msg})") from None
    try:
        return Declared.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise InvalidInput(f"{path}: {where}: {first['msg']}") from None


def check_dossier_dir(folder: Path, as_of: date, ctx: ReadContext, jobs: int = 1,
                      on_document: Callable[[], None] | None = None,
                      reference: RiskReference | None = None,
                      ) -> tuple[CheckResult, DossierCheck]:
    """Extract every document of `folder` and cross-check it with its declared.json.

    Returns the contract's result and the full check (with the internal evidence used by the
    divergence report). `on_document` is called after each document (progress bars);
    `reference` is the firm's risk reference data (default: the packaged one).
    """
    if not folder.is_dir():
        raise InvalidInput(f"{folder}: not a dossier folder")
    declared = read_declared(folder)
    files = list(walk([folder], skip=frozenset({DECLARED_FILE})))
    names = [f.relative_to(folder).as_posix() for f in files]
    documents = []
    for extraction in extract_all(files, ctx, jobs, names):
        documents.append(DossierDocument(extraction.result, extraction.facts))
        if on_document is not None:
            on_document()
    check = check_dossier(documents, declared, as_of, reference=reference)
    result = CheckResult(
        dossier=str(folder), as_of=as_of, documents=[d.result for d in documents],
        alerts=list(check.alerts), risk=check.risk,
        identity_documents=list(check.identity_documents), ownership=list(check.ownership),
    )
    return result, check
