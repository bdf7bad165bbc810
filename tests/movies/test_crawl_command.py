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

    call_command("crawl", "daum", from_file=str(FIXTURES / "daum" / "index.json"), stdout=out, stderr=err)

    assert "daum: 4 new, 0 updated, 0 unchanged, 0 failed, 0 closed" in out.getvalue()
    assert "4/4" in err.getvalue()  # the progress bar reached the end
    assert Title.objects.count() == 4
    assert CrawlRun.objects.get().source == "daum"


def test_crawl_command_fails_loudly_on_a_failed_run(recording):
    from apps.movies.crawlers.megabox import LIST_URL

    index = recording([{"method": "POST", "url": LIST_URL, "body": "<html>점검 중</html>"}])

    with pytest.raises(CommandError, match="megabox: 0 new"):
        call_command("crawl", "megabox", from_file=str(index), stdout=io.StringIO(), stderr=io.StringIO())
