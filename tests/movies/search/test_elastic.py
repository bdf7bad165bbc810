"""The Elasticsearch backend, tested on what it sends: no Elasticsearch runs here."""

from __future__ import annotations

import logging
import socket

import pytest

from apps.movies.search import search_titles
from apps.movies.search import suggest_titles
from apps.movies.search.elastic import TitleDocument
from apps.movies.search.elastic import title_document_build
from apps.movies.search.elastic import title_search_build
from apps.movies.search.query import search_query_prepare
from apps.movies.search.service import get_search_backend
from tests.movies.search.es_responder import bulk_ok
from tests.movies.search.es_responder import start_responder

pytestmark = pytest.mark.django_db


@pytest.fixture
def responder():
    responder, stop = start_responder()
    yield responder
    stop()


@pytest.fixture
def es_settings(settings, responder):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = responder.url
    settings.ELASTICSEARCH_INDEX_PREFIX = "moochu-test"
    return settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_mapping_uses_nori_for_korean_and_english_analyzer_for_english_titles():
    index = TitleDocument._index.clone(name="x").to_dict()
    properties = index["mappings"]["properties"]
    analysis = index["settings"]["analysis"]
    assert properties["title_ko"]["analyzer"] == "moochu_korean"
    assert analysis["tokenizer"]["moochu_nori"]["type"] == "nori_tokenizer"
    assert properties["title_en"]["analyzer"] == "english"
    assert properties["jamo"]["analyzer"] == "moochu_trigram"
    assert properties["choseong"]["fields"]["prefix"]["search_analyzer"] == "moochu_folded"


def test_document_carries_the_folded_keys(catalog):
    title = catalog["Avengers: Endgame"]
    title.refresh_from_db()
    document = title_document_build(title).to_dict(include_meta=True)
    assert document["_id"] == title.pk
    source = document["_source"]
    assert "어벤져스엔드게임" in source["compact"]
    assert source["choseong"] == ["ㅇㅂㅈㅅㅇㄷㄱㅇ"]
    assert source["titles"].startswith("어벤져스 엔드게임")
    assert "eobenjyeoseu endeugeim" in source["titles"]


def test_choseong_query_asks_for_exact_and_prefix_initials():
    body = title_search_build(search_query_prepare(raw="ㄱㅅㅊ")).to_dict()
    should = body["query"]["function_score"]["query"]["bool"]["should"]
    assert {"term": {"choseong": {"value": "ㄱㅅㅊ", "boost": 10}}} in should
    assert {"match": {"choseong.prefix": {"query": "ㄱㅅㅊ", "boost": 6}}} in should
    assert body["_source"] is False


def test_typo_query_is_fuzzy_and_uses_trigrams():
    body = title_search_build(search_query_prepare(raw="the matrx")).to_dict()
    should = body["query"]["function_score"]["query"]["bool"]["should"]
    multi = next(clause["multi_match"] for clause in should if "multi_match" in clause)
    assert multi["query"] == "the matrx"
    assert multi["fuzziness"] == "AUTO"
    assert {"match": {"compact.trigram": {"query": "thematrx", "minimum_should_match": "60%"}}} in should
    assert not any("choseong" in str(clause) for clause in should)


def test_korean_query_matches_on_keystrokes_and_suggest_skips_fuzzy_clauses():
    body = title_search_build(search_query_prepare(raw="기생ㅊ"), suggest=True).to_dict()
    should = body["query"]["function_score"]["query"]["bool"]["should"]
    assert {"match": {"jamo.prefix": {"query": "ㄱㅣㅅㅐㅇㅊ", "boost": 4}}} in should
    assert not any("multi_match" in clause for clause in should)


def test_search_reads_ranked_ids_from_the_alias(es_settings, responder, catalog):
    hits = {"hits": [{"_id": str(catalog["Parasite"].pk), "_score": 9.5, "_index": "moochu-test-titles-1"}]}
    responder.on("POST", "/moochu-test-titles/_search", lambda r: (200, {"took": 1, "hits": hits}))
    results = search_titles(query="ㄱㅅㅊ")
    assert results.backend == "elasticsearch"
    assert results.titles == [catalog["Parasite"]]
    assert responder.requests_to("POST", "/moochu-test-titles/_search")[0].json()["size"] == 20


def test_unreachable_cluster_falls_back_to_the_database_with_a_warning(settings, catalog, caplog):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{_free_port()}"
    with caplog.at_level(logging.WARNING):
        results = search_titles(query="ㄱㅅㅊ")
        suggestions = suggest_titles(query="부산")
    assert results.backend == "postgres"
    assert results.titles[0] == catalog["Parasite"]
    assert suggestions.titles[0] == catalog["Train to Busan"]
    assert "answering from the database" in caplog.text


def test_cluster_error_falls_back_to_the_database(es_settings, responder, catalog):
    responder.on("POST", "/_search", lambda r: (503, {"error": "unavailable", "status": 503}))
    results = search_titles(query="parasite")
    assert results.backend == "postgres"
    assert results.titles[0] == catalog["Parasite"]


def test_missing_index_falls_back_to_the_database(es_settings, responder, catalog):
    results = search_titles(query="parasite")  # responder answers 404 index_not_found
    assert results.backend == "postgres"


def test_search_api_never_500s_when_the_cluster_is_down(settings, client, catalog):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{_free_port()}"
    response = client.get("/api/search/", {"q": "기생충"})
    assert response.status_code == 200
    assert response.json()["backend"] == "postgres"


def test_index_titles_bulk_indexes_documents_by_primary_key(es_settings, responder, catalog):
    responder.on("HEAD", "/_alias/moochu-test-titles", lambda r: (200, {}))
    responder.on("PUT", "/_bulk", bulk_ok)
    ids = [catalog["Parasite"].pk, catalog["Oldboy"].pk]
    indexed = get_search_backend().index_titles(title_ids=ids)
    assert indexed == 2
    lines = responder.requests_to("PUT", "/_bulk")[0].ndjson()
    actions, sources = lines[::2], lines[1::2]
    assert [action["index"]["_id"] for action in actions] == ids
    assert {action["index"]["_index"] for action in actions} == {"moochu-test-titles"}
    # the names, then the spelling-insensitive romanised keys of the title and its director
    assert sources[0]["compact"] == [
        "기생충",
        "gisaengchung",
        "parasite",
        "gisaengjung",
        "bongjunho",
        "junhobong",
    ]
    assert sorted(sources[0]["genres"]) == ["drama", "thriller"]


def test_bulk_document_errors_are_logged_not_raised(es_settings, responder, catalog, caplog):
    def partly_rejected(request):
        lines = request.ndjson()
        items = [
            {"index": {"_id": lines[0]["index"]["_id"], "status": 201}},
            {
                "index": {
                    "_id": lines[2]["index"]["_id"],
                    "status": 400,
                    "error": {"type": "mapper_parsing_exception"},
                }
            },
        ]
        return 200, {"took": 1, "errors": True, "items": items}

    responder.on("HEAD", "/_alias/moochu-test-titles", lambda r: (200, {}))
    responder.on("PUT", "/_bulk", partly_rejected)
    with caplog.at_level(logging.WARNING):
        indexed = get_search_backend().index_titles(title_ids=[catalog["Parasite"].pk, catalog["Oldboy"].pk])
    assert indexed == 1
    assert "rejected 1 title documents" in caplog.text


def test_reindex_builds_a_new_index_and_swaps_the_alias(es_settings, responder, catalog):
    # given an alias that points at an older index
    responder.on(
        "GET", "/_alias/moochu-test-titles", lambda r: (200, {"moochu-test-titles-old": {"aliases": {}}})
    )
    responder.on("PUT", "/_bulk", bulk_ok)
    responder.on(
        "POST", "/_refresh", lambda r: (200, {"_shards": {"total": 1, "successful": 1, "failed": 0}})
    )
    responder.on("POST", "/_aliases", lambda r: (200, {"acknowledged": True}))
    responder.on("DELETE", "/moochu-test-titles-old", lambda r: (200, {"acknowledged": True}))
    created = []

    def create(request):
        created.append((request.path, request.json()))
        return 200, {"acknowledged": True, "index": request.path.strip("/")}

    responder.on("PUT", "", create)
    # when
    count = get_search_backend().reindex()
    # then every title went into the new index and the alias moved in one call
    assert count == len(catalog)
    new_index = created[0][0].strip("/")
    assert new_index.startswith("moochu-test-titles-")
    assert "nori_tokenizer" in str(created[0][1]["settings"])
    aliases = responder.requests_to("POST", "/_aliases")[0].json()["actions"]
    assert aliases == [
        {"remove": {"index": "moochu-test-titles-old", "alias": "moochu-test-titles"}},
        {"add": {"index": new_index, "alias": "moochu-test-titles"}},
    ]
    assert responder.requests_to("DELETE", "/moochu-test-titles-old")


@pytest.mark.requires_es
def test_real_cluster_reindex_and_search(settings, catalog):
    import os

    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        pytest.skip("ELASTICSEARCH_URL is not set: no Elasticsearch server to run against")
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_INDEX_PREFIX = "moochu-pytest"
    backend = get_search_backend()
    assert backend.reindex() == len(catalog)
    for query, expected in [
        ("ㄱㅅㅊ", "Parasite"),
        ("the matrx", "Matrix, The"),
        ("어벤져스엔드게임", "Avengers: Endgame"),
    ]:
        assert search_titles(query=query).titles[0] == catalog[expected]
    backend.client.indices.delete(index="moochu-pytest-titles-*")


def test_after_a_failure_the_cluster_is_left_alone_for_a_while(es_settings, responder, catalog):
    # given a cluster that answers 503
    responder.on("POST", "/_search", lambda r: (503, {"error": "unavailable", "status": 503}))
    # when two searches follow each other
    first = search_titles(query="parasite")
    second = search_titles(query="기생충")
    # then only the first asked the cluster; both were answered from the database
    assert len(responder.requests_to("POST", "/_search")) == 1
    assert first.backend == second.backend == "postgres"
    assert second.titles[0] == catalog["Parasite"]


def test_first_incremental_index_creates_the_mapped_index_behind_the_alias(es_settings, responder, catalog):
    # given a cluster with no alias yet (HEAD answers 404)
    created = []
    responder.on("PUT", "/_bulk", bulk_ok)
    responder.on("POST", "/_aliases", lambda r: (200, {"acknowledged": True}))
    responder.on("PUT", "", lambda r: (created.append(r.path) or 200, {"acknowledged": True}))
    backend = get_search_backend()
    # when titles are indexed twice
    backend.index_titles(title_ids=[catalog["Parasite"].pk])
    backend.index_titles(title_ids=[catalog["Oldboy"].pk])
    # then a mapped index was created once and put behind the alias before any write
    index_creations = [path for path in created if not path.startswith("/_bulk")]
    assert len(index_creations) == 1
    assert index_creations[0].startswith("/moochu-test-titles-")
    alias_actions = responder.requests_to("POST", "/_aliases")[0].json()["actions"]
    assert alias_actions == [{"add": {"index": index_creations[0].strip("/"), "alias": "moochu-test-titles"}}]
    assert len(responder.requests_to("HEAD", "/_alias/moochu-test-titles")) == 1
    assert len(responder.requests_to("PUT", "/_bulk")) == 2
