from __future__ import annotations

import io

import pytest
from django.core.management import CommandError
from django.core.management import call_command

from apps.movies.models import CrawlRun
from apps.movies.models import Title
from tests.movies.crawlers.recordings import FIXTURES

pytestmark = pytest.mark.django_db


def test_crawl_command_replays_a_recording_with_a_summary():
    out, err = io.StringIO(), io.StringIO()

    call_command("crawl", "lotte", from_file=str(FIXTURES / "lotte" / "index.json"), stdout=out, stderr=err)

    assert "lotte: 5 new, 0 updated, 0 unchanged, 0 failed, 0 closed" in out.getvalue()
    assert "5/5" in err.getvalue()  # the progress bar reached the end
    assert Title.objects.count() == 5
    assert CrawlRun.objects.get().source == "lotte"


def test_crawl_replay_runs_the_real_parsing_on_a_folder_of_saved_answers():
    out = io.StringIO()

    call_command("crawl", "megabox", replay=str(FIXTURES / "megabox"), stdout=out, stderr=io.StringIO())
    call_command("crawl", "megabox", replay=str(FIXTURES / "megabox"), stdout=out, stderr=io.StringIO())

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("megabox: 7 new, 0 updated, 0 unchanged, 0 failed, 0 closed")
    # a re-run of the same answers changes nothing
    assert lines[1].startswith("megabox: 0 new, 0 updated, 7 unchanged, 0 failed, 0 closed")


def test_crawl_replay_of_a_folder_without_an_index_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"no index\.json"):
        call_command("crawl", "megabox", replay=str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())


def test_crawl_of_a_switched_off_source_fails_saying_why():
    with pytest.raises(CommandError, match="cgv: 0 new"):
        call_command("crawl", "cgv", stdout=io.StringIO(), stderr=io.StringIO())

    run = CrawlRun.objects.get()
    assert "401/403" in run.errors[0]["message"]


def test_crawl_command_fails_loudly_on_a_failed_run(recording):
    from apps.movies.crawlers.megabox import LIST_URL

    index = recording([{"method": "POST", "url": LIST_URL, "body": "<html>점검 중</html>"}])

    with pytest.raises(CommandError, match="megabox: 0 new"):
        call_command("crawl", "megabox", from_file=str(index), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def queued_poster_copies(monkeypatch) -> list[int]:
    from apps.movies import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.title_poster_copy_task, "delay", queued.append)
    return queued


def test_crawl_command_queues_a_poster_copy_per_new_poster(
    monkeypatch, django_capture_on_commit_callbacks, queued_poster_copies
):
    from apps.movies.services import crawl_runs
    from tests.movies.crawlers.recordings import replay_client

    monkeypatch.setattr(crawl_runs, "PoliteClient", lambda **kwargs: replay_client("lotte")[0])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("crawl", "lotte", stdout=io.StringIO(), stderr=io.StringIO())

    assert len(queued_poster_copies) == 5
    assert queued_poster_copies == sorted(
        Title.objects.exclude(poster_source_url="").values_list("id", flat=True)
    )


def test_crawl_command_replay_queues_no_poster_copies(
    django_capture_on_commit_callbacks, queued_poster_copies
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("crawl", "lotte", from_file=str(FIXTURES / "lotte" / "index.json"), stdout=io.StringIO())

    assert Title.objects.count() == 5
    assert queued_poster_copies == []  # saved answers never reach the network, posters included
