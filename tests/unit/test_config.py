from pathlib import Path

import pytest

from kanta_docs.config import Settings, load_settings
from kanta_docs.errors import ConfigError


def test_embedded_defaults_live_under_home() -> None:
    settings = Settings(home=Path("/srv/kanta"))
    assert settings.resolved_database_url == "sqlite:////srv/kanta/kanta.sqlite3"
    assert settings.blob_dir == Path("/srv/kanta/blobs")
    assert settings.index_dir == Path("/srv/kanta/index")
    assert settings.search_url == "embedded"


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KANTA_OCR_DPI", "200")
    monkeypatch.setenv("KANTA_DATABASE_URL", "postgresql+psycopg://db/kanta")
    settings = load_settings()
    assert settings.ocr_dpi == 200
    assert settings.resolved_database_url == "postgresql+psycopg://db/kanta"


@pytest.mark.parametrize(
    ("variable", "value"),
    [("KANTA_OCR_DPI", "20"), ("KANTA_MAX_PAGES", "many"), ("KANTA_SEARCH_URL", "ftp://x")],
)
def test_invalid_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch, variable: str,
                                            value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as excinfo:
        load_settings()
    assert excinfo.value.exit_code == 2
    assert variable in str(excinfo.value)
