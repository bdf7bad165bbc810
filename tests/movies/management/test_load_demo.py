from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError
from django.core.management import call_command

from apps.movies.datasets import DATASET_DIR
from apps.movies.datasets import MOVIELENS_WHEEL
from apps.movies.datasets import DatasetError
from apps.movies.models import Availability
from apps.movies.models import Title
from apps.movies.search import search_titles
from apps.movies.services.demo import KOREAN_SAMPLE_PATH
from apps.social.models import Rating
from tests.movies.demo_fakes import sample_record
from tests.movies.demo_fakes import series_record
from tests.movies.demo_fakes import write_sample
from tests.servers import run_on_embedded_sqlite

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_demo", "--no-progress", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_load_demo_warns_and_loads_the_sample_when_movielens_cannot_be_fetched(tmp_path, monkeypatch):
    # given: pip cannot reach the package index
    def offline(*_args, **_kwargs):
        raise DatasetError("pip could not fetch recbole==1.2.1: network unreachable")

    monkeypatch.setattr("apps.social.management.commands.load_demo.MovieLens100K", offline)
    sample = write_sample(tmp_path / "sample.json", [sample_record(), series_record()])

    # when
    out, err = _run("--sample", str(sample))

    # then
    assert "MovieLens 100K is unavailable" in err
    assert "network unreachable" in err
    assert "Demo data ready (2 Korean titles)" in out
    assert Title.objects.count() == 2
    assert Title.objects.filter(movielens_id__isnull=False).count() == 0


def test_load_demo_reports_nothing_changed_on_a_second_run(tmp_path):
    sample = write_sample(tmp_path / "sample.json", [sample_record()])
    _run("--skip-movielens", "--sample", str(sample))

    out, _err = _run("--skip-movielens", "--sample", str(sample))

    assert "nothing changed" in out


def test_load_demo_fails_with_the_bad_record_named(tmp_path):
    sample = write_sample(tmp_path / "bad.json", [sample_record(genres=["k-drama"])])

    with pytest.raises(CommandError, match="record #1 'parasite-2019': genres: unknown genre 'k-drama'"):
        _run("--skip-movielens", "--sample", str(sample))
    assert Title.objects.count() == 0


@pytest.mark.slow
@pytest.mark.skipif(
    not (DATASET_DIR / MOVIELENS_WHEEL.filename).exists(),
    reason="MovieLens 100K is not cached in var/datasets (tests never download it)",
)
def test_load_demo_end_to_end_with_the_real_data_sets():
    # when: the command exactly as `make run` runs it, twice
    out, _err = _run()
    counts = (
        Title.objects.count(),
        get_user_model().objects.count(),
        Rating.objects.count(),
        Availability.objects.count(),
    )
    again, _err = _run()

    # then
    assert "MovieLens 100K and" in out
    assert Title.objects.filter(movielens_id__isnull=False).count() == 1682
    assert get_user_model().objects.filter(movielens_id__isnull=False).count() == 943
    assert Rating.objects.count() == 100_000
    assert Title.objects.filter(source_records__source="demo-korean").count() >= 150
    assert Title.objects.get(movielens_id=12).title_en == "The Usual Suspects"
    star_wars = Title.objects.get(movielens_id=50)
    assert (star_wars.rating_count, round(star_wars.rating_avg, 2)) == (583, 4.36)
    assert "nothing changed" in again
    assert counts == (
        Title.objects.count(),
        get_user_model().objects.count(),
        Rating.objects.count(),
        Availability.objects.count(),
    )
    assert KOREAN_SAMPLE_PATH.exists()


def test_loaded_demo_titles_are_searchable_at_once(tmp_path):
    # given: no beat runs in the embedded default
    sample = write_sample(tmp_path / "sample.json", [sample_record(), series_record()])

    # when
    out, _err = _run("--skip-movielens", "--sample", str(sample))

    # then
    first = Title.objects.order_by("pk").first()
    assert "2 titles (re)indexed for search" in out
    assert not Title.objects.filter(search_index_dirty=True).exists()
    hits = search_titles(query=first.title_ko, limit=3).hits
    assert hits[0].title.pk == first.pk
    assert "0 titles (re)indexed" in _run("--skip-movielens", "--sample", str(sample))[0]


SQLITE_DEMO_SCRIPT = """
import json
import django
django.setup()
from django.core.management import call_command
from apps.movies.models import Availability, Title
from apps.social.models import Rating
from apps.social.services.demo import demo_load
from tests.movies.demo_fakes import FakeMovieLens

call_command("migrate", verbosity=0)
demo_load(movielens=FakeMovieLens())
again = demo_load(movielens=FakeMovieLens())
print(json.dumps({
    "vendor": django.db.connection.vendor,
    "movielens_titles": Title.objects.filter(movielens_id__isnull=False).count(),
    "sample_titles": Title.objects.filter(movielens_id__isnull=True).count(),
    "titles_with_offers": Availability.objects.filter(ends_on=None).values("title").distinct().count(),
    "rating_days": sorted({str(r.created_at.date()) for r in Rating.objects.all()}),
    "ratings": Rating.objects.count(),
    "again": again.summary(),
}))
"""


@pytest.mark.slow
def test_demo_loads_catalog_then_people_on_the_embedded_sqlite_default(tmp_path):
    # given a fresh process on SQLite, as `make run` serves the demo, when it loads twice
    answer = run_on_embedded_sqlite(SQLITE_DEMO_SCRIPT, database=tmp_path / "demo.sqlite3")

    # then the bundled sample and the people (ratings by plain INSERTs, dates adapted) are in
    assert answer["vendor"] == "sqlite"
    assert answer["movielens_titles"] == 4
    assert answer["sample_titles"] == 273
    assert answer["titles_with_offers"] * 2 > answer["sample_titles"]
    assert answer["ratings"] == 6
    assert answer["rating_days"] == ["1997-12-04"]
    assert answer["again"] == "nothing changed"
