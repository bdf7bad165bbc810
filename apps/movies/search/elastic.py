"""Elasticsearch backend through elasticsearch.dsl: the only module that imports the client.

Index layout: a concrete index per build (``<prefix>-titles-<timestamp>``) behind the
alias ``<prefix>-titles``. Reads and incremental bulk writes go through the alias; a
full reindex builds a new index and swaps the alias in one ``_aliases`` call, so
searches never see a half-built index. Document id = Title primary key, so indexing is
idempotent.

Korean text goes through the nori analyzer, English titles through the English
analyzer; the folded keys from ``text.py`` (spacing-free, keystroke jamo, initial
consonants) are indexed as n-grams so typo, spacing, choseong and as-you-type
matching behave like the database backends.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from collections.abc import Sequence
from typing import TYPE_CHECKING
from typing import Any

from django.conf import settings
from django.utils import timezone
from elasticsearch import ApiError
from elasticsearch import Elasticsearch
from elasticsearch import TransportError
from elasticsearch.dsl import SF
from elasticsearch.dsl import Document
from elasticsearch.dsl import Float
from elasticsearch.dsl import Integer
from elasticsearch.dsl import Keyword
from elasticsearch.dsl import Q
from elasticsearch.dsl import Search
from elasticsearch.dsl import Text
from elasticsearch.dsl import analyzer
from elasticsearch.dsl import token_filter
from elasticsearch.dsl import tokenizer
from elasticsearch.dsl.query import Query
from elasticsearch.helpers import bulk

from apps.movies.models import Title
from apps.movies.search.base import RankedId
from apps.movies.search.base import SearchBackendUnavailable

if TYPE_CHECKING:
    from apps.movies.search.query import PreparedQuery

logger = logging.getLogger(__name__)

# Bulk request size: ~500 titles ≈ 1 MB of JSON, well under the 100 MB http limit.
BULK_CHUNK_SIZE = 500
# After a failed search, answer from the database for this long without asking the
# cluster again, so an outage costs one timeout, not one per search.
OUTAGE_BACKOFF_S = 30.0

_clients: dict[tuple[str, float], Elasticsearch] = {}
_clients_lock = threading.Lock()
_down_until: dict[str, float] = {}
# Aliases known to exist (checked once per process).
_alias_ready: set[str] = set()

# --- Analysis ----------------------------------------------------------------
korean = analyzer(
    "moochu_korean",
    tokenizer=tokenizer("moochu_nori", "nori_tokenizer", decompound_mode="mixed"),
    filter=["lowercase", "nori_readingform"],
)
# Folded keys are already lower-case and punctuation-free; split on spaces only.
folded = analyzer("moochu_folded", tokenizer="whitespace")
trigram = analyzer(
    "moochu_trigram",
    tokenizer=tokenizer("moochu_trigram_tokenizer", "ngram", min_gram=3, max_gram=3, token_chars=[]),
)
prefix = analyzer(
    "moochu_prefix",
    tokenizer="whitespace",
    filter=[token_filter("moochu_edge", "edge_ngram", min_gram=1, max_gram=30)],
)


class TitleDocument(Document):
    title_ko = Text(analyzer=korean)
    title_original = Text(analyzer=korean)
    title_en = Text(analyzer="english")
    # text.normalize_words of every name, plus romanisation: "the matrix", "gisaengchung".
    titles = Text(analyzer=folded, fields={"prefix": Text(analyzer=prefix, search_analyzer=folded)})
    # Spacing-free names: exact term, trigram (typos) and edge n-gram (as-you-type).
    compact = Keyword(
        fields={
            "trigram": Text(analyzer=trigram),
            "prefix": Text(analyzer=prefix, search_analyzer=folded),
        }
    )
    jamo = Text(analyzer=trigram, fields={"prefix": Text(analyzer=prefix, search_analyzer=folded)})
    choseong = Keyword(
        fields={
            "trigram": Text(analyzer=trigram),
            "prefix": Text(analyzer=prefix, search_analyzer=folded),
        }
    )
    people_and_overview = Text(analyzer=korean)
    genres = Keyword()
    media_type = Keyword()
    year = Integer()
    popularity = Float()

    class Index:
        name = "moochu-titles"
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


def title_document_build(title: Title, *, genres: Sequence[str] = ()) -> TitleDocument:
    """The document indexed for a title; its search keys must be refreshed first."""
    return TitleDocument(
        meta={"id": title.pk},
        title_ko=title.title_ko,
        title_original=title.title_original,
        title_en=title.title_en,
        titles=title.search_titles,
        compact=title.search_compact.split(),
        jamo=title.search_jamo.split(),
        choseong=title.search_choseong.split(),
        people_and_overview=title.search_document,
        genres=list(genres),
        media_type=title.media_type,
        year=title.year,
        popularity=title.popularity,
    )


def title_search_build(query: PreparedQuery, *, suggest: bool = False) -> Search:
    """The search request for a prepared query (no server needed to build it)."""
    should: list[Query] = [
        Q("term", compact={"value": query.compact, "boost": 8}),
        Q("match", **{"compact.prefix": {"query": query.compact, "boost": 4}}),
        Q("match", **{"titles.prefix": {"query": query.words, "operator": "and", "boost": 2}}),
    ]
    if not suggest:
        should += [
            Q(
                "multi_match",
                query=query.words,
                fields=["titles^3", "title_ko^2", "title_en^2", "title_original"],
                fuzziness="AUTO",
                prefix_length=1,
                operator="and",
            ),
            Q("match", **{"compact.trigram": {"query": query.compact, "minimum_should_match": "60%"}}),
            Q("match", people_and_overview={"query": query.words, "operator": "and", "boost": 0.5}),
        ]
    if query.jamo:
        should += [
            Q("match", **{"jamo.prefix": {"query": query.jamo, "boost": 4}}),
            Q("match", jamo={"query": query.jamo, "minimum_should_match": "60%", "boost": 2}),
        ]
    if query.roman:
        should.append(
            Q("match", **{"compact.trigram": {"query": query.roman, "minimum_should_match": "70%"}})
        )
    if query.keyboard_jamo:
        should.append(Q("match", jamo={"query": query.keyboard_jamo, "minimum_should_match": "70%"}))
    if query.choseong:
        should += [
            Q("term", choseong={"value": query.choseong, "boost": 10}),
            Q("match", **{"choseong.prefix": {"query": query.choseong, "boost": 6}}),
            Q("match", **{"choseong.trigram": {"query": query.choseong, "minimum_should_match": "100%"}}),
        ]
    ranked = Q(
        "function_score",
        query=Q("bool", should=should, minimum_should_match=1),
        functions=[SF("field_value_factor", field="popularity", modifier="log1p", factor=0.1, missing=0)],
        boost_mode="sum",
    )
    return Search().query(ranked).source(False)


class ElasticsearchSearchBackend:
    name = "elasticsearch"

    def __init__(self, *, client: Elasticsearch, alias: str) -> None:
        self.client = client
        self.alias = alias

    @classmethod
    def from_settings(cls) -> ElasticsearchSearchBackend:
        # One client (and connection pool) per process and URL, not one per search.
        key = (settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_TIMEOUT_S)
        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = Elasticsearch(
                    settings.ELASTICSEARCH_URL,
                    request_timeout=settings.ELASTICSEARCH_TIMEOUT_S,
                    # Fail fast: the database answers while the cluster is down.
                    max_retries=0,
                    retry_on_timeout=False,
                )
        return cls(client=client, alias=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-titles")

    # --- Reads ---------------------------------------------------------------
    def search(self, query: PreparedQuery, *, limit: int, offset: int) -> list[RankedId]:
        return self._execute(title_search_build(query)[offset : offset + limit])

    def suggest(self, query: PreparedQuery, *, limit: int) -> list[RankedId]:
        return self._execute(title_search_build(query, suggest=True)[:limit])

    def _execute(self, search: Search) -> list[RankedId]:
        key = self._outage_key()
        if _down_until.get(key, 0.0) > time.monotonic():
            raise SearchBackendUnavailable("Elasticsearch failed recently; not asking again yet")
        try:
            response = search.using(self.client).index(self.alias).execute()
        except (TransportError, ApiError) as error:
            _down_until[key] = time.monotonic() + OUTAGE_BACKOFF_S
            raise SearchBackendUnavailable(f"Elasticsearch search failed: {error}") from error
        _down_until.pop(key, None)
        return [RankedId(title_id=int(hit.meta.id), score=float(hit.meta.score or 0.0)) for hit in response]

    def _outage_key(self) -> str:
        hosts = ",".join(str(node.base_url) for node in self.client.transport.node_pool.all())
        return f"{hosts}/{self.alias}"

    # --- Writes --------------------------------------------------------------
    def index_titles(self, *, title_ids: Sequence[int]) -> int:
        """Bulk-index the titles into the live alias. Their search keys must be current."""
        self._ensure_alias()
        return self._bulk(self.alias, _titles(title_ids))

    def _ensure_alias(self) -> None:
        """Create an empty mapped index behind the alias if there is none yet.

        Without it, the first bulk write would make Elasticsearch auto-create a plain
        index named like the alias, with guessed mappings, and block every alias swap.
        """
        key = self._outage_key()
        if key in _alias_ready:
            return
        try:
            if not self.client.indices.exists_alias(name=self.alias):
                new_index = f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
                TitleDocument._index.clone(name=new_index).create(using=self.client)
                self.client.indices.update_aliases(
                    actions=[{"add": {"index": new_index, "alias": self.alias}}]
                )
        except (TransportError, ApiError) as error:
            raise SearchBackendUnavailable(f"Elasticsearch index setup failed: {error}") from error
        _alias_ready.add(key)

    def reindex(self) -> int:
        """Build a fresh index of every title and swap the alias to it (zero downtime)."""
        new_index = f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        try:
            TitleDocument._index.clone(name=new_index).create(using=self.client)
            count = self._bulk(new_index, _titles(None))
            self.client.indices.refresh(index=new_index)
            old_indices = self._aliased_indices()
            actions: list[dict[str, Any]] = [
                {"remove": {"index": old, "alias": self.alias}} for old in old_indices
            ]
            actions.append({"add": {"index": new_index, "alias": self.alias}})
            self.client.indices.update_aliases(actions=actions)
            for old in old_indices:
                self.client.indices.delete(index=old, ignore_unavailable=True)
        except (TransportError, ApiError) as error:
            raise SearchBackendUnavailable(f"Elasticsearch reindex failed: {error}") from error
        return count

    def _aliased_indices(self) -> list[str]:
        try:
            return list(self.client.indices.get_alias(name=self.alias).body)
        except ApiError as error:
            if error.meta.status == 404:
                return []
            raise

    def _bulk(self, index: str, titles: Iterator[Title]) -> int:
        actions = (
            title_document_build(title, genres=[genre.slug for genre in title.genres.all()]).to_dict(
                include_meta=True
            )
            | {"_index": index}
            for title in titles
        )
        try:
            indexed, errors = bulk(self.client, actions, chunk_size=BULK_CHUNK_SIZE, raise_on_error=False)
        except (TransportError, ApiError) as error:
            raise SearchBackendUnavailable(f"Elasticsearch bulk indexing failed: {error}") from error
        # A list of the rejected documents (an int only with stats_only=True).
        rejected = errors if isinstance(errors, list) else []
        if rejected:
            # A rejected document is a mapping problem, not an outage: log it and go on.
            logger.warning("Elasticsearch rejected %d title documents; first: %s", len(rejected), rejected[0])
        return indexed


def _titles(title_ids: Sequence[int] | None) -> Iterator[Title]:
    titles = Title.objects.order_by("pk").prefetch_related("genres")
    if title_ids is not None:
        titles = titles.filter(pk__in=title_ids)
    # chunk_size lets prefetch_related work while iterating.
    yield from titles.iterator(chunk_size=BULK_CHUNK_SIZE)


__all__ = [
    "ElasticsearchSearchBackend",
    "TitleDocument",
    "title_document_build",
    "title_search_build",
]
