"""Every contract test on Elasticsearch, where KANTA_TEST_ELASTICSEARCH_URL points at a server
(docker compose); skipped here with that reason."""

from __future__ import annotations

import pytest

from tests.integration.search.contract import SearchContract


@pytest.mark.es
@pytest.mark.parametrize("make_index", ["elasticsearch"], indirect=True)
class TestElasticsearchContract(SearchContract):
    """The same contract as the embedded engine."""
