"""Generated documents for the CLI tests: one born-digital document per development template
(cheap, made once per session) and the expected values beside each."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.fixtures.generate import generate

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="session")
def born_digital(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("born_digital")
    return sorted(generate(out, per_template=1, seed=7, scans=False, holdout="exclude"))

