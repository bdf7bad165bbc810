from __future__ import annotations

import io
import json

import httpx
import pytest
from PIL import Image

from apps.movies.crawlers.base import PoliteClient
from apps.movies.crawlers.base import TransientSourceError
from apps.movies.crawlers.megabox import LIST_URL
from apps.movies.models import Availability
from apps.movies.models import CrawlRun
from apps.movies.models import CrawlRunStatus
from apps.movies.models import OfferType
from apps.movies.models import RawPayload
from apps.movies.models import SourceRecord
from apps.movies.models import Title
from apps.movies.services.crawl_runs import crawl_run_execute
from apps.movies.services.posters import title_poster_copy
from tests.factories import TitleFactory
from tests.movies.crawlers.recordings import FIXTURES
from tests.movies.crawlers.recordings import replay_client

pytestmark = pytest.mark.django_db


def slack_recorder():
    posted: list[dict] = []

    def answer(request: httpx.Request) -> httpx.Response:
        posted.append(json.loads(request.content))
        return httpx.Response(200, text="ok")

    return posted, httpx.MockTransport(answer)


def test_crawl_run_records_counts_and_merges_cinemas_with_otts(django_capture_on_commit_callbacks):
    # given Megabox and Lotte Cinema both list 위키드, 히든페이스, 글래디에이터 2 and 소방관
    poster_copies: list[list[int]] = []
    with django_capture_on_commit_callbacks() as callbacks:
        megabox = crawl_run_execute(
            source="megabox", client=replay_client("megabox")[0], posters_copy=poster_copies.append
        )
    lotte = crawl_run_execute(source="lotte", client=replay_client("lotte")[0])

    assert (megabox.status, megabox.new_count, megabox.failed_count) == (CrawlRunStatus.SUCCEEDED, 7, 0)
    assert megabox.finished_at is not None
    assert megabox.alert == ""
    # 수퍼 소닉3 is new; the four others merged into Megabox's titles ("Ⅱ" and "II" alike)
    assert (lotte.new_count, lotte.updated_count, lotte.unchanged_count, lotte.failed_count) == (1, 4, 0, 0)
    gladiator = Title.objects.get(source_records__source="lotte", source_records__external_id="20971")
    assert sorted(gladiator.availabilities.values_list("provider__slug", flat=True)) == [
        "lotte-cinema",
        "megabox",
    ]
    assert gladiator.kobis_code == "20246313"  # Lotte's KOFMovieCd
    assert Title.objects.count() == 7 + 1
    assert RawPayload.objects.filter(source="megabox").count() == 7
    # the poster copies and the opened offers are announced after commit
    assert len(callbacks) == 2
    assert poster_copies == []
    callbacks[-1]()  # the poster copies (the offers' announcement is queued first)
    assert len(poster_copies[0]) == 7


def test_replayed_recording_does_not_queue_poster_copies_or_alerts(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        run = crawl_run_execute(source="megabox", from_file=FIXTURES / "megabox" / "index.json")

    assert run.new_count == 7
    assert callbacks == []


def test_rerun_of_the_same_recording_changes_nothing():
    crawl_run_execute(source="lotte", client=replay_client("lotte")[0])
    titles = list(Title.objects.order_by("id").values_list("id", "updated_at"))

    again = crawl_run_execute(source="lotte", client=replay_client("lotte")[0])

    assert (again.new_count, again.updated_count, again.unchanged_count, again.closed_count) == (0, 0, 5, 0)
    assert again.opened_count == 0
    assert list(Title.objects.order_by("id").values_list("id", "updated_at")) == titles


def test_format_change_fails_the_run_writes_nothing_and_posts_to_slack(settings, recording):
    settings.SLACK_WEBHOOK_URL = "https://hooks.slack.test/services/T0/B0/XYZ"
    posted, transport = slack_recorder()
    index = recording([{"method": "POST", "url": LIST_URL, "fixture": "megabox_bad/list_changed.json"}])

    run = crawl_run_execute(source="megabox", client=replay_client(index)[0], slack_transport=transport)

    assert run.status == CrawlRunStatus.FAILED
    assert run.errors[0]["message"] == "megabox: response format changed: field 'movieList': missing"
    assert Title.objects.count() == 0
    assert SourceRecord.objects.count() == 0
    assert "megabox" in posted[0]["text"]
    assert "field 'movieList'" in posted[0]["text"]


def test_no_slack_post_without_a_webhook(settings, recording):
    settings.SLACK_WEBHOOK_URL = ""
    posted, transport = slack_recorder()
    index = recording([{"method": "POST", "url": LIST_URL, "body": "{}"}])

    crawl_run_execute(source="megabox", client=replay_client(index)[0], slack_transport=transport)

    assert posted == []


def test_bad_records_land_partially_and_are_listed_in_the_run():
    run = crawl_run_execute(source="megabox", client=replay_client("megabox_bad")[0])

    assert run.status == CrawlRunStatus.PARTIAL
    assert run.new_count == 2
    assert run.failed_count == 4
    messages = [e["message"] for e in run.errors]
    assert "rfilmDeReal: impossible date '20241345'" in messages
    assert sorted(Title.objects.values_list("title_ko", flat=True)) == ["개봉월만", "위키드"]


def test_transient_error_is_recorded_then_raised_for_a_retry():
    def always_busy(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, headers={"Retry-After": "1"})

    waits: list[float] = []
    client = PoliteClient(
        transport=httpx.MockTransport(always_busy), sleep=waits.append, max_retries=2, min_interval=0.0
    )

    with pytest.raises(TransientSourceError):
        crawl_run_execute(source="megabox", client=client)

    assert waits == [1.0, 1.0]  # Retry-After honoured on each retry
    assert CrawlRun.objects.get().status == CrawlRunStatus.FAILED


def test_unknown_source_is_a_failed_run():
    run = crawl_run_execute(source="imdb", client=replay_client("megabox")[0])

    assert run.status == CrawlRunStatus.FAILED
    assert "unknown source 'imdb'" in run.errors[0]["message"]


def test_cinema_run_closes_films_no_longer_showing():
    crawl_run_execute(source="megabox", client=replay_client("megabox")[0])

    # the next run lists only the bad fixture's films: the others left the cinema
    crawl_run_execute(source="megabox", client=replay_client("megabox_bad")[0])

    wicked = Title.objects.get(title_ko="위키드")
    assert wicked.availabilities.get().ends_on is None
    gladiator = Availability.objects.get(title__title_ko="글래디에이터 Ⅱ")
    assert gladiator.ends_on is not None  # closed, not deleted
    assert gladiator.offer_type == OfferType.NOW_SHOWING


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 6), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_poster_is_copied_once_into_storage():
    title = TitleFactory(poster_source_url="https://img.megabox.co.kr/SharedImg/p.png")
    calls: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(200, content=_png())

    client = PoliteClient(transport=httpx.MockTransport(answer), sleep=lambda s: None)

    assert title_poster_copy(title_id=title.id, client=client) is True
    assert title_poster_copy(title_id=title.id, client=client) is False

    title.refresh_from_db()
    assert title.poster.name.startswith(f"posters/{title.id}-")
    assert title.poster.name.endswith(".png")
    assert len(calls) == 1


@pytest.mark.parametrize(
    "response",
    [httpx.Response(404), httpx.Response(200, content=b"<html>not an image</html>")],
    ids=["missing", "not-an-image"],
)
def test_failed_poster_leaves_the_title_alone(response):
    title = TitleFactory(poster_source_url="https://img.cgv.co.kr/broken.jpg")
    client = PoliteClient(transport=httpx.MockTransport(lambda request: response), sleep=lambda s: None)

    assert title_poster_copy(title_id=title.id, client=client) is False

    title.refresh_from_db()
    assert not title.poster
    assert title.title_ko


def test_crawl_matches_titles_created_outside_ingestion():
    # given a catalog title the demo loader wrote, without match keys
    wicked = TitleFactory(title_ko="위키드", title_en="Wicked", year=2024)

    crawl_run_execute(source="lotte", client=replay_client("lotte")[0])

    assert SourceRecord.objects.get(external_id="21009").title == wicked
    assert Title.objects.count() == 5
