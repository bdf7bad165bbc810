from __future__ import annotations

import json
from unittest import mock

import pytest
from django.core.management import CommandError
from django.core.management import call_command

from apps.movies.models import Title
from apps.movies.search import search_titles
from apps.movies.search.sync import search_index_rebuild
from apps.movies.search.sync import title_search_index_sync
from apps.movies.search.tasks import movies_search_index_sync_task
from tests.factories import TitleFactory
from tests.movies.search.es_responder import bulk_ok
from tests.movies.search.es_responder import start_responder

pytestmark = pytest.mark.django_db


def test_sync_indexes_dirty_titles_in_pk_order_and_clears_their_flags():
    # given three new titles (dirty by default)
    titles = [TitleFactory(title_ko=name, title_en="") for name in ("기생충", "부산행", "괴물")]
    # when one batch of two runs
    assert title_search_index_sync(batch_size=2) == 2
    # then the first two are searchable and clean, the third waits
    flags = dict(Title.objects.values_list("pk", "search_index_dirty"))
    assert [flags[t.pk] for t in titles] == [False, False, True]
    assert search_titles(query="ㄱㅅㅊ").titles[0] == titles[0]
    assert Title.objects.get(pk=titles[2].pk).search_compact == ""


def test_sync_picks_up_an_edited_title():
    title = TitleFactory(title_ko="기생충", title_en="")
    title_search_index_sync(batch_size=10)
    Title.objects.filter(pk=title.pk).update(title_en="Parasite", search_index_dirty=True)
    title_search_index_sync(batch_size=10)
    assert search_titles(query="parasite").titles[0] == title


def test_sync_with_nothing_dirty_does_nothing():
    TitleFactory(search_index_dirty=False)
    assert title_search_index_sync(batch_size=10) == 0


def test_sync_bulk_indexes_into_elasticsearch_when_configured(settings):
    responder, stop = start_responder()
    try:
        responder.on("HEAD", "/_alias/moochu-titles", lambda r: (200, {}))
        responder.on("PUT", "/_bulk", bulk_ok)
        settings.SEARCH_BACKEND = "elasticsearch"
        settings.ELASTICSEARCH_URL = responder.url
        title = TitleFactory(title_ko="기생충", title_en="Parasite")
        assert title_search_index_sync(batch_size=10) == 1
        sent = responder.requests_to("PUT", "/_bulk")[0].ndjson()
        assert sent[0]["index"]["_id"] == title.pk
        assert sent[1]["choseong"] == ["ㄱㅅㅊ"]
        assert not Title.objects.get(pk=title.pk).search_index_dirty
    finally:
        stop()


def test_sync_keeps_flags_when_elasticsearch_is_down(settings, caplog):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    title = TitleFactory(title_ko="기생충", title_en="")
    assert title_search_index_sync(batch_size=10) == 0
    title.refresh_from_db()
    # the database keys are saved (fallback search works) but the title stays queued for the cluster
    assert title.search_index_dirty
    assert title.search_choseong == "ㄱㅅㅊ"
    assert "stay dirty" in caplog.text


def test_task_reenqueues_itself_only_when_the_batch_was_full(settings):
    settings.SEARCH_INDEX_BATCH_SIZE = 2
    TitleFactory.create_batch(3)
    with mock.patch.object(movies_search_index_sync_task, "delay") as delay:
        movies_search_index_sync_task()
        assert delay.call_count == 1
        movies_search_index_sync_task()
        assert delay.call_count == 1
    assert not Title.objects.filter(search_index_dirty=True).exists()


def test_task_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["movies-search-index-sync"]
    assert entry["task"] == movies_search_index_sync_task.name
    assert entry["options"]["expires"] < entry["schedule"]


def test_rebuild_refreshes_every_title():
    titles = TitleFactory.create_batch(3)
    assert search_index_rebuild() == 3
    assert all(Title.objects.get(pk=t.pk).search_titles for t in titles)


def test_search_command_prints_ranked_results(catalog, capsys):
    call_command("search", "ㄱㅅㅊ")
    out = capsys.readouterr().out
    assert "(postgres)" in out
    assert out.splitlines()[1].startswith("  1. 기생충 / Parasite (2019)")


def test_search_command_prints_json(catalog, capsys):
    call_command("search", "the matrx", "--json", "--limit", "3")
    payload = json.loads(capsys.readouterr().out)
    assert payload["backend"] == "postgres"
    assert payload["results"][0]["title"] == "Matrix, The"
    assert len(payload["results"]) <= 3


def test_search_command_explains_fallback(catalog, capsys):
    call_command("search", "좀비 영화")
    assert "popular titles (horror)" in capsys.readouterr().out


def test_search_command_rejects_bad_queries(catalog):
    with pytest.raises(CommandError, match="Type a title"):
        call_command("search", "   ")
    with pytest.raises(CommandError, match="Give a query"):
        call_command("search")


def test_search_command_reindexes(capsys):
    TitleFactory.create_batch(2)
    call_command("search", "--reindex")
    assert "Reindexed 2 titles." in capsys.readouterr().out


def test_nightly_rebuild_task_is_scheduled_and_swaps_in_a_fresh_index(settings):
    from apps.movies.search.tasks import movies_search_index_rebuild_task

    entry = settings.CELERY_BEAT_SCHEDULE["movies-search-index-rebuild"]
    assert entry["task"] == movies_search_index_rebuild_task.name
    responder, stop = start_responder()
    try:
        responder.on("PUT", "/_bulk", bulk_ok)
        responder.on(
            "POST", "/_refresh", lambda r: (200, {"_shards": {"total": 1, "successful": 1, "failed": 0}})
        )
        responder.on("POST", "/_aliases", lambda r: (200, {"acknowledged": True}))
        responder.on("PUT", "", lambda r: (200, {"acknowledged": True}))
        settings.SEARCH_BACKEND = "elasticsearch"
        settings.ELASTICSEARCH_URL = responder.url
        TitleFactory.create_batch(2)
        movies_search_index_rebuild_task()
        assert len(responder.requests_to("PUT", "/_bulk")[0].ndjson()) == 4
        assert responder.requests_to("POST", "/_aliases")
    finally:
        stop()


def test_search_tasks_keep_their_old_names_so_stored_schedules_and_queued_tasks_still_run():
    # The module moved into apps/movies/search/; django-celery-beat rows and queued
    # messages name tasks by their old dotted path.
    from django.conf import settings

    from apps.movies.search.tasks import movies_search_index_rebuild_task
    from apps.movies.search.tasks import movies_search_index_sync_task

    names = {movies_search_index_sync_task.name, movies_search_index_rebuild_task.name}
    assert names == {
        "apps.movies.search_tasks.movies_search_index_sync_task",
        "apps.movies.search_tasks.movies_search_index_rebuild_task",
    }
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} >= names
