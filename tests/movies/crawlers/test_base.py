from __future__ import annotations

import datetime

import httpx
import pytest

from apps.movies.crawlers.base import CrawlError
from apps.movies.crawlers.base import PoliteClient
from apps.movies.crawlers.base import RecordParseError
from apps.movies.crawlers.base import ResponseTooLarge
from apps.movies.crawlers.base import age_rating_from_korean
from apps.movies.crawlers.base import parse_source_date
from apps.movies.models import AgeRating


def scripted(*responses: httpx.Response):
    """A transport answering with the given responses in order, recording requests."""
    queue = list(responses)
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return queue.pop(0)

    return httpx.MockTransport(answer), seen


def test_429_is_retried_after_the_time_the_server_asks_for():
    transport, seen = scripted(
        httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, text="ok")
    )
    waits: list[float] = []
    client = PoliteClient(transport=transport, sleep=waits.append, min_interval=0.0)

    assert client.get("https://api.themoviedb.org/3/discover/movie").text == "ok"
    assert waits == [7.0]
    assert len(seen) == 2


def test_5xx_backs_off_exponentially_without_retry_after():
    transport, _ = scripted(httpx.Response(502), httpx.Response(500), httpx.Response(200))
    waits: list[float] = []
    client = PoliteClient(transport=transport, sleep=waits.append, min_interval=0.0, backoff=2.0)

    client.get("http://www.cgv.co.kr/movies/pre-movies.aspx")

    assert waits == [2.0, 4.0]


def test_client_errors_are_not_retried():
    transport, seen = scripted(httpx.Response(404))
    client = PoliteClient(transport=transport, sleep=lambda s: None, min_interval=0.0)

    with pytest.raises(CrawlError, match="HTTP 404"):
        client.get("https://movie.daum.net/api/movie/1/main")
    assert len(seen) == 1


def test_requests_to_one_host_are_spaced_out():
    transport, _ = scripted(httpx.Response(200), httpx.Response(200), httpx.Response(200))
    waits: list[float] = []
    client = PoliteClient(transport=transport, sleep=waits.append, min_interval=1.0)

    client.get("https://www.megabox.co.kr/a")
    client.get("https://www.megabox.co.kr/b")
    client.get("https://img.megabox.co.kr/c")  # another host: no wait

    assert len(waits) == 1
    assert 0.9 < waits[0] <= 1.0


def test_declared_oversized_answer_is_refused_before_reading():
    transport, _ = scripted(
        httpx.Response(200, headers={"Content-Length": str(20 * 1024 * 1024)}, content=b"")
    )
    client = PoliteClient(transport=transport, sleep=lambda s: None, min_interval=0.0, max_bytes=1024)

    with pytest.raises(ResponseTooLarge, match="exceeds 1024"):
        client.get("https://www.lottecinema.co.kr/LCWS/Movie/MovieData.aspx")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20241120", (2024, datetime.date(2024, 11, 20))),
        ("2024.11.20", (2024, datetime.date(2024, 11, 20))),
        ("24.12.06", (2024, datetime.date(2024, 12, 6))),
        ("2023-08-15", (2023, datetime.date(2023, 8, 15))),
        ("2023.08", (2023, None)),
    ],
)
def test_source_dates_parse(text, expected):
    parsed = parse_source_date(text, field_name="openDt")
    assert (parsed.year, parsed.date) == expected


@pytest.mark.parametrize("text", ["2024.13.45", "2023.02.30", "내일", "2024/1/1/1"])
def test_impossible_dates_name_the_field(text):
    with pytest.raises(RecordParseError, match=r"^openDt: "):
        parse_source_date(text, field_name="openDt")


@pytest.mark.parametrize(
    ("text", "rating"),
    [
        ("전체관람가", AgeRating.ALL),
        ("12세이상관람가", AgeRating.AGE_12),
        ("15세 이상 관람가", AgeRating.AGE_15),
        ("청소년관람불가", AgeRating.AGE_18),
        ("18세이상관람가", AgeRating.AGE_18),
        ("제한상영가", AgeRating.UNKNOWN),
        ("", AgeRating.UNKNOWN),
    ],
)
def test_korean_age_ratings_map_to_one_vocabulary(text, rating):
    assert age_rating_from_korean(text) == rating
