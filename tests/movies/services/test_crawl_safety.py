"""Crawl safety: blocked hosts, changed layouts, charsets and bad input, end to end.

Shapes follow the real answers (../shared/source-samples/megabox): list items repeat
``totCnt``; detail lines read ``감독&nbsp;: …`` inside ``div.movie-info``.
"""

from __future__ import annotations

import json

import httpx
import pytest

from apps.movies.crawlers import megabox
from apps.movies.crawlers.megabox import DETAIL_URL
from apps.movies.crawlers.megabox import LIST_URL
from apps.movies.crawlers.megabox import MegaboxCrawler
from apps.movies.models import Availability
from apps.movies.models import CrawlRun
from apps.movies.models import CrawlRunStatus
from apps.movies.models import SourceRecord
from apps.movies.models import Title
from apps.movies.services.crawl_runs import crawl_run_execute
from tests.movies.crawlers.recordings import replay_client

pytestmark = pytest.mark.django_db

DETAIL = (
    '<html><head><meta charset="utf-8"></head><body><div class="movie-info infoContent">'
    '<p>상영타입 : 2D</p><div class="line"><p>감독&nbsp;: 봉준호</p><p>장르&nbsp;: 드라마 / 120 분</p></div>'
    "<p>출연진&nbsp;: 송강호, 이선균</p></div></body></html>"
)
REDESIGNED = (
    '<html><body><div class="mb-movie-detail"><dl><dt>감독</dt><dd>봉준호</dd></dl></div></body></html>'
)


def _items(first: int, count: int, *, total: int, page: int) -> list[dict]:
    return [
        {
            "movieNo": str(first + n),
            "movieNm": f"영화 {first + n}",
            "rfilmDeReal": "20250313",
            "admisClassNm": "15세이상관람가",
            "movieSynopCn": "이것이 최후의 &quot;진격&quot;---!\n",
            "imgPathNm": f"/SharedImg/2025/03/19/{first + n}.jpg",
            "totCnt": total,
            "currentPage": page,
            "recordCountPerPage": 200,
        }
        for n in range(count)
    ]


def _list(items: list[dict]) -> str:
    return json.dumps({"movieList": items, "msg": "정상적으로 조회되었습니다."}, ensure_ascii=False)


def _megabox(recording, now: list[dict], *, detail: dict | None = None, upcoming: list[dict] | None = None):
    entries = [
        {"method": "POST", "url": LIST_URL, "form": {"onairYn": "MSC02"}, "body": _list(upcoming or [])},
        {"method": "POST", "url": DETAIL_URL, "body": DETAIL, **(detail or {})},
    ]
    pages: dict[int, list[dict]] = {1: []}
    for item in now:
        pages.setdefault(item["currentPage"], []).append(item)
    for page, items in pages.items():
        entries.append(
            {
                "method": "POST",
                "url": LIST_URL,
                "form": {"onairYn": "MSC01", "currentPage": str(page)},
                "body": _list(items),
            }
        )
    return replay_client(recording(entries))


def slack_recorder():
    posted: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        posted.append(json.loads(request.content)["text"])
        return httpx.Response(200, text="ok")

    return posted, httpx.MockTransport(answer)


# -----------------------------------------------------------------------------
# Paging
# -----------------------------------------------------------------------------
def test_megabox_with_260_films_reads_every_page_and_keeps_them_all(recording):
    # given 260 films now showing: 200 on page 1, 60 on page 2, totCnt 260 on each
    now = _items(1000, 200, total=260, page=1) + _items(1200, 60, total=260, page=2)
    client, transport = _megabox(recording, now)

    run = crawl_run_execute(source="megabox", client=client)

    assert (run.status, run.new_count, run.complete) == (CrawlRunStatus.SUCCEEDED, 260, True)
    assert Availability.objects.filter(ends_on__isnull=True).count() == 260
    pages = [r for r in transport.requests if r.url.path.endswith("selectMovieList.do")]
    assert len(pages) == 3  # two pages now showing, one upcoming


def test_megabox_list_beyond_the_page_limit_is_incomplete_and_closes_nothing(recording, monkeypatch):
    now = _items(1000, 200, total=260, page=1) + _items(1200, 60, total=260, page=2)
    crawl_run_execute(source="megabox", client=_megabox(recording, now)[0])

    # when a run can read only one page of the 260
    monkeypatch.setattr(megabox, "MAX_PAGES", 1)
    run = crawl_run_execute(source="megabox", client=_megabox(recording, now)[0])

    # then it says so, and the 60 films it could not read keep their offers
    assert run.complete is False
    assert run.closed_count == 0
    assert "more than 1 pages" in run.errors[0]["message"]
    assert Availability.objects.filter(ends_on__isnull=True).count() == 260


def test_empty_now_showing_list_is_recorded_and_closes_nothing(recording):
    now = _items(1000, 3, total=3, page=1)
    crawl_run_execute(source="megabox", client=_megabox(recording, now)[0])

    run = crawl_run_execute(source="megabox", client=_megabox(recording, [])[0])

    assert run.closed_count == 0
    assert run.complete is False
    assert run.errors[0]["message"] == "movieList (MSC01, now showing): empty list; offers kept open"
    assert run.alert == "no records (1 failed)"
    assert Availability.objects.filter(ends_on__isnull=True).count() == 3


# -----------------------------------------------------------------------------
# Blocked hosts and changed layouts
# -----------------------------------------------------------------------------
def test_403_stops_the_host_at_once_and_fails_the_run(recording, settings):
    settings.SLACK_WEBHOOK_URL = "https://hooks.slack.test/services/T0/B0/XYZ"
    posted, slack = slack_recorder()
    now = _items(1000, 64, total=64, page=1)
    client, transport = _megabox(recording, now, detail={"status": 403, "body": "Forbidden"})

    run = crawl_run_execute(source="megabox", client=client, slack_transport=slack)

    assert run.status == CrawlRunStatus.FAILED
    assert "HTTP 403" in run.errors[0]["message"]
    assert "stopped asking it" in run.errors[0]["message"]
    # two list pages and ONE detail page: nothing more was asked of a host that refused us
    details = [r for r in transport.requests if r.url.path.endswith("selectMovieInfo.do")]
    assert len(details) == 1
    assert Title.objects.count() == 0
    assert SourceRecord.objects.count() == 0
    assert run.alert.startswith("failed: ")
    assert "HTTP 403" in posted[0]


def test_the_same_error_five_times_in_a_row_stops_the_host(recording):
    now = _items(1000, 64, total=64, page=1)
    client, transport = _megabox(recording, now, detail={"status": 404, "body": "Not Found"})

    run = crawl_run_execute(source="megabox", client=client)

    assert run.status == CrawlRunStatus.FAILED
    assert "5 identical errors in a row" in run.errors[0]["message"]
    assert len([r for r in transport.requests if r.url.path.endswith("selectMovieInfo.do")]) == 5
    assert Title.objects.count() == 0


def test_redesigned_detail_page_fails_the_run_and_alerts(recording, settings):
    settings.SLACK_WEBHOOK_URL = "https://hooks.slack.test/services/T0/B0/XYZ"
    posted, slack = slack_recorder()
    now = _items(1000, 64, total=64, page=1)
    client, transport = _megabox(recording, now, detail={"body": REDESIGNED})

    run = crawl_run_execute(source="megabox", client=client, slack_transport=slack)

    assert run.status == CrawlRunStatus.FAILED
    assert "field 'detail: div.movie-info p'" in run.errors[0]["message"]
    # three pages in the new layout are enough to know: the other 61 are not fetched
    assert len([r for r in transport.requests if r.url.path.endswith("selectMovieInfo.do")]) == 3
    assert Title.objects.count() == 0
    assert "megabox" in posted[0]
    assert "div.movie-info" in posted[0]


def test_sudden_drop_in_records_alerts(recording, settings):
    settings.SLACK_WEBHOOK_URL = "https://hooks.slack.test/services/T0/B0/XYZ"
    posted, slack = slack_recorder()
    crawl_run_execute(source="megabox", client=_megabox(recording, _items(1000, 40, total=40, page=1))[0])

    run = crawl_run_execute(
        source="megabox",
        client=_megabox(recording, _items(1000, 12, total=12, page=1))[0],
        slack_transport=slack,
    )

    assert run.status == CrawlRunStatus.SUCCEEDED
    assert run.alert == "sudden drop: 12 records, the last run read 40"
    assert "looks wrong" in posted[0]


def test_most_records_failing_alerts(recording):
    items = _items(1000, 5, total=5, page=1)
    for item in items[:3]:
        item["rfilmDeReal"] = "00000000"

    run = crawl_run_execute(source="megabox", client=_megabox(recording, items)[0])

    assert run.status == CrawlRunStatus.PARTIAL
    assert run.alert == "most records failed (3 failed, 2 read)"
    assert {e["external_id"]: e["message"] for e in run.errors}["1000"] == (
        "rfilmDeReal: impossible date '00000000'"
    )
    assert Title.objects.count() == 2  # never a half-written title


# -----------------------------------------------------------------------------
# Charsets
# -----------------------------------------------------------------------------
def test_charset_is_taken_from_meta_when_the_header_has_none(recording):
    page = DETAIL.replace('charset="utf-8"', 'charset="euc-kr"').encode("euc-kr")
    client, _ = _megabox(
        recording,
        _items(1000, 1, total=1, page=1),
        detail={"body": page, "headers": {"Content-Type": "text/html"}},
    )

    result = MegaboxCrawler().crawl(client)

    (record,) = result.records
    assert [p.name for p in record.people if p.role == "director"] == ["봉준호"]
    assert record.genres == ("드라마",)


def test_text_that_does_not_decode_is_refused_not_stored(recording):
    # EUC-KR bytes, and neither the header nor the page says so
    page = DETAIL.replace('<meta charset="utf-8">', "").encode("euc-kr")
    client, _ = _megabox(
        recording,
        _items(1000, 1, total=1, page=1),
        detail={"body": page, "headers": {"Content-Type": "text/html"}},
    )

    run = crawl_run_execute(source="megabox", client=client)

    assert run.status == CrawlRunStatus.FAILED
    assert "does not decode as utf-8 (U+FFFD)" in run.errors[0]["message"]
    assert Title.objects.count() == 0


def test_json_with_replacement_characters_fails_the_run(recording):
    items = _items(1000, 2, total=2, page=1)
    items[1]["movieNm"] = "\ufffd\ufffd \ufffd\ufffd"

    run = crawl_run_execute(source="megabox", client=_megabox(recording, items)[0])

    assert run.status == CrawlRunStatus.FAILED
    assert "U+FFFD" in run.errors[0]["message"]
    assert Title.objects.count() == 0


# -----------------------------------------------------------------------------
# Bad input, recorded on the run with source, record and reason
# -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{"movieList": [{"movieNo": "1", "movie', "field 'movieList': not JSON"),
        ("<!DOCTYPE html><html><body>시스템 점검 중입니다</body></html>", "field 'movieList': an HTML page"),
    ],
    ids=["truncated-json", "html-error-page-with-200"],
)
def test_unreadable_list_fails_the_run_naming_source_and_reason(recording, body, reason):
    client, _ = replay_client(recording([{"method": "POST", "url": LIST_URL, "body": body}]))

    run = crawl_run_execute(source="megabox", client=client)

    assert run.status == CrawlRunStatus.FAILED
    assert run.source == "megabox"
    assert reason in run.errors[0]["message"]
    assert Title.objects.count() == 0


def test_partial_dates_and_duplicates_are_recorded_per_record(recording):
    items = _items(1000, 3, total=4, page=1)
    items[1]["rfilmDeReal"] = "2025.07"
    items.append(dict(items[0]))  # the same film twice in one answer

    run = crawl_run_execute(source="megabox", client=_megabox(recording, items)[0])

    by_id = {(e["external_id"], e["level"]): e["message"] for e in run.errors}
    assert by_id[("1000", "error")] == "duplicated movieNo in one response (kept the first)"
    assert by_id[("1001", "warning")] == "rfilmDeReal: only the month is known (2025.07)"
    month_only = Title.objects.get(source_records__external_id="1001")
    assert (month_only.year, month_only.release_date) == (2025, None)
    assert Title.objects.count() == 3


def test_runs_are_kept_per_source_for_the_admin(recording):
    crawl_run_execute(source="megabox", client=_megabox(recording, _items(1000, 2, total=2, page=1))[0])

    assert list(CrawlRun.objects.values_list("source", "status", "complete")) == [
        ("megabox", CrawlRunStatus.SUCCEEDED, True)
    ]


def test_a_run_dying_mid_merge_leaves_nothing_and_the_retry_writes_each_title_once(monkeypatch):
    # given a worker that dies after titles and records are written, before offers
    from apps.movies.services.ingestion import merger

    original = merger.Merger._write_offers

    def die(self, *args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(merger.Merger, "_write_offers", die)
    with pytest.raises(SystemExit):
        crawl_run_execute(source="megabox", client=replay_client("megabox")[0])

    # then the transaction took everything with it
    assert Title.objects.count() == 0
    assert SourceRecord.objects.count() == 0

    # when the task is retried
    monkeypatch.setattr(merger.Merger, "_write_offers", original)
    run = crawl_run_execute(source="megabox", client=replay_client("megabox")[0])

    # then each film is one title with one offer
    assert run.new_count == 7
    assert Title.objects.count() == 7
    assert Availability.objects.count() == 7
    assert SourceRecord.objects.count() == 7
