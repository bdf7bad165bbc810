"""One film whose director each source spells its own way stays one title (issue #15 b).

KOBIS names directors in Hangul ("엄유나", English "EOM Yuna"), TMDB in romanisation
("Um Yu-na", "Bong Joon Ho"), others in either order or with hyphens. The KOBIS side is the
shared real answer replayed through the crawler's own parser; the TMDB side follows the shape
of the shared TMDB details and credits examples (tmdb/apievangelist_movie-*.json).
"""

from __future__ import annotations

import copy
import datetime
import json

import pytest

from apps.movies.crawlers.base import SourcePerson
from apps.movies.crawlers.base import SourceTitle
from apps.movies.crawlers.kobis import parse_kobis_movie
from apps.movies.crawlers.tmdb import parse_tmdb_title
from apps.movies.models import Credit
from apps.movies.models import CreditRole
from apps.movies.models import MediaType
from apps.movies.models import SourceRecord
from apps.movies.models import Title
from apps.movies.services.ingestion import source_records_ingest
from tests.movies.crawlers.samples import sample

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


def _load(relative: str):
    return json.loads(sample(relative).read_text(encoding="utf-8"))


def _tmdb_malmoe(director: str) -> SourceTitle:
    """말모이 as TMDB details + credits, in the shape of the shared examples (ids and names ours)."""
    details = _load("tmdb/apievangelist_movie-details.json")
    credits = _load("tmdb/apievangelist_movie-credits.json")
    details.update(
        id=511900,
        title="말모이",
        original_title="말모이",
        original_language="ko",
        release_date="2019-01-09",
        overview="",
    )
    crew = copy.deepcopy(credits["crew"][0])
    crew.update(id=1_000_001, name=director, original_name=director, department="Directing", job="Director")
    credits.update(id=511900, crew=[crew], cast=[])
    details["credits"] = credits
    details.pop("release_dates", None)
    record, _ = parse_tmdb_title(details, media_type=MediaType.MOVIE)
    return record


def test_kobis_hangul_and_tmdb_romanised_director_merge_into_one_title():
    # given KOBIS's real answer for 말모이: director 엄유나
    info = _load("kobis/movieinfo_20184105_crossmarien.json")["movieInfoResult"]["movieInfo"]
    kobis = parse_kobis_movie(info, code="20184105")
    source_records_ingest(source="kobis", records=[kobis], today=TODAY)

    # when TMDB sends the same film with the director romanised
    report = source_records_ingest(source="tmdb", records=[_tmdb_malmoe("Um Yu-na")], today=TODAY)

    # then one title, both records kept as its provenance, both spellings credited
    assert (report.new, report.updated) == (0, 1)
    title = Title.objects.get()
    assert (title.kobis_code, title.tmdb_id) == ("20184105", 511900)
    assert sorted(SourceRecord.objects.filter(title=title).values_list("source", "external_id")) == [
        ("kobis", "20184105"),
        ("tmdb", "511900"),
    ]
    directors = Credit.objects.filter(title=title, role=CreditRole.DIRECTOR)
    assert sorted(directors.values_list("person__name", flat=True)) == ["Um Yu-na", "엄유나"]


def test_tmdb_film_with_another_director_stays_a_separate_title():
    info = _load("kobis/movieinfo_20184105_crossmarien.json")["movieInfoResult"]["movieInfo"]
    source_records_ingest(source="kobis", records=[parse_kobis_movie(info, code="20184105")], today=TODAY)

    report = source_records_ingest(source="tmdb", records=[_tmdb_malmoe("Park Chan-wook")], today=TODAY)

    assert report.new == 1
    assert Title.objects.count() == 2


def _parasite(source: str, external_id: str, director: str) -> SourceTitle:
    return SourceTitle(
        source=source,
        external_id=external_id,
        title_ko="기생충",
        year=2019,
        people=(SourcePerson(name=director, role="director"),),
    )


@pytest.mark.parametrize(
    "spellings",
    [
        ("봉준호", "Bong Joon Ho", "Bong Joon-ho"),
        ("BONG Joon-ho", "Joon-ho Bong", "봉 준호"),
        ("Bong Jun-ho", "봉준호", "bong joonho"),
    ],
)
def test_one_director_spelled_three_ways_across_sources_is_one_title(spellings):
    sources = ("kobis", "tmdb", "megabox")
    for index, (source, director) in enumerate(zip(sources, spellings, strict=True)):
        source_records_ingest(source=source, records=[_parasite(source, f"p{index}", director)], today=TODAY)

    title = Title.objects.get()
    assert SourceRecord.objects.filter(title=title).count() == 3
