"""The Elasticsearch index definition: settings (analysis) and the explicit mapping, as plain dicts.

Versioned by `MAPPING_VERSION`: a change to either dict that existing indices cannot take (a new
analyzer, a field type) bumps it, and `kanta-docs reindex` builds a `<prefix>-v<version>-<stamp>`
index with it and swaps the alias (see `indexers.es_index`). The version is also written into the
mapping's `_meta`, so an index says which definition it was built with.

Analysis:

- `french_text` (pages, client name): standard tokenizer → elision of the French articles
  (l', d', qu', j', m', n', s', t', c', jusqu', lorsqu', puisqu'; either apostrophe, any case) →
  lowercase → asciifolding → French stop words → light French stemmer. The stop words run after
  the folding, so the few accented stop words (« été », « à ») are not removed; that is harmless
  since queries go through the same chain.
- `name` (`client_name.name`, the client's name as a name): hyphens become spaces, standard
  tokenizer, lowercase, asciifolding; never stemmed.

Person search does not analyse names in the engine at all: `person_exact`, `person_trigram` and
`person_phonetic` are keyword fields holding the keys `indexers.name_keys.person_keys` computes in
Python, the same keys the embedded engine holds, so both backends draw the same candidates and
`indexers.person_rank` re-ranks them identically. `persons` keeps the entries themselves for
that re-ranking (stored, not indexed).

`dynamic: strict` makes a write with an unknown field fail instead of growing the mapping, and
`_routing.required` makes a write without routing (the firm) fail.
"""

from __future__ import annotations

from typing import Any

MAPPING_VERSION = 1

FRENCH_ELISION_ARTICLES = (
    "l", "d", "qu", "j", "m", "n", "s", "t", "c", "jusqu", "lorsqu", "puisqu",
)

# The filter chain of `french_text`, in order (the tests check it).
FRENCH_TEXT_FILTERS = ("french_elision", "lowercase", "asciifolding", "french_stop",
                       "french_stemmer")
NAME_FILTERS = ("lowercase", "asciifolding")

ANALYSIS: dict[str, Any] = {
    "char_filter": {
        "hyphen_to_space": {
            "type": "mapping",
            # hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash, em dash
            "mappings": [f"\\u{code:04x}=>\\u0020" for code in
                         (0x2D, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014)],
        },
    },
    "filter": {
        "french_elision": {
            "type": "elision",
            "articles_case": True,
            "articles": list(FRENCH_ELISION_ARTICLES),
        },
        "french_stop": {"type": "stop", "stopwords": "_french_"},
        "french_stemmer": {"type": "stemmer", "language": "light_french"},
    },
    "analyzer": {
        "french_text": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": list(FRENCH_TEXT_FILTERS),
        },
        "name": {
            "type": "custom",
            "char_filter": ["hyphen_to_space"],
            "tokenizer": "standard",
            "filter": list(NAME_FILTERS),
        },
    },
}

_KEYWORD: dict[str, Any] = {"type": "keyword"}
_DATE: dict[str, Any] = {"type": "date", "format": "strict_date"}
_DATETIME: dict[str, Any] = {"type": "date", "format": "strict_date_optional_time"}

MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "_meta": {"mapping_version": MAPPING_VERSION},
    "_routing": {"required": True},
    "properties": {
        "document_id": _KEYWORD,
        "firm_id": _KEYWORD,
        "dossier_id": _KEYWORD,
        "siren": _KEYWORD,
        "doc_type": _KEYWORD,
        "risk_level": _KEYWORD,
        "alert_types": _KEYWORD,
        "assignee_ids": _KEYWORD,
        "client_name": {
            "type": "text",
            "analyzer": "french_text",
            "fields": {
                "name": {"type": "text", "analyzer": "name"},
                "raw": {"type": "keyword", "ignore_above": 512},
            },
        },
        "file_name": {
            "type": "keyword",
            "ignore_above": 1024,
            "fields": {"text": {"type": "text", "analyzer": "french_text"}},
        },
        "pages": {
            "type": "text",
            "analyzer": "french_text",
            # Offsets in the postings: the unified highlighter needs no re-analysis of long pages.
            "index_options": "offsets",
        },
        "document_date": _DATE,
        "expiry_date": _DATE,
        "updated_at": _DATETIME,
        # When this copy was written (the per-firm reindex deletes what it did not rewrite).
        "indexed_at": _DATETIME,
        "person_exact": _KEYWORD,
        "person_trigram": _KEYWORD,
        "person_phonetic": _KEYWORD,
        "persons": {"type": "object", "enabled": False},
    },
}


def index_settings(*, shards: int = 1, replicas: int = 0) -> dict[str, Any]:
    """The settings of a new index: shard counts and the analysis above.

    Args:
        shards: Primary shards. Every firm's documents live on one shard (routing by firm), so
            more shards spread firms, not one firm's search.
        replicas: Replica shards (0 on a single node, 1 or more on a cluster).

    Returns:
        The `settings` body of an index creation.
    """
    return {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        "analysis": ANALYSIS,
    }
