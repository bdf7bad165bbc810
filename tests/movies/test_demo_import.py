from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.auth import get_user_model

from apps.movies.datasets import MovieLensMovie
from apps.movies.models import OFFER_TYPE_BITS
from apps.movies.models import Availability
from apps.movies.models import Credit
from apps.movies.models import Genre
from apps.movies.models import OfferType
from apps.movies.models import Person
from apps.movies.models import Provider
from apps.movies.models import SourceRecord
from apps.movies.models import Title
from apps.movies.services.demo import GENRES_PATH
from apps.movies.services.demo import KOREAN_SAMPLE_PATH
from apps.movies.services.demo import PROVIDERS_PATH
from apps.movies.services.demo import DemoDataError
from apps.movies.services.demo import korean_sample_read
from apps.movies.services.demo import movielens_title_parse
from apps.movies.services.popularity import title_popularity_score
from apps.social.models import Rating
from apps.social.services.demo import demo_load
from tests.movies.demo_fakes import T0
from tests.movies.demo_fakes import FakeMovieLens
from tests.movies.demo_fakes import sample_record
from tests.movies.demo_fakes import series_record
from tests.movies.demo_fakes import write_sample

pytestmark = pytest.mark.django_db

SNAPSHOT = datetime.date(2026, 11, 1)
MODELS = (Genre, Provider, Title, Title.genres.through, Person, Credit, Availability, SourceRecord, Rating)


def _row_counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in MODELS}
    counts["User"] = get_user_model().objects.count()
    return counts


def _fingerprint() -> dict[str, object]:
    """Everything a re-run could touch: row counts and the newest write times."""
    return {
        **_row_counts(),
        "titles": sorted(
            Title.objects.values_list("id", "updated_at", "popularity", "genre_mask", "provider_mask")
        ),
        "availabilities": sorted(Availability.objects.values_list("id", "updated_at", "ends_on")),
        "ratings": sorted(Rating.objects.values_list("id", "updated_at", "half_stars")),
        "sources": sorted(SourceRecord.objects.values_list("id", "payload_hash", "fetched_at")),
    }


@pytest.fixture
def sample(tmp_path):
    return write_sample(tmp_path / "sample.json", [sample_record(), series_record()])


# --- MovieLens titles ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "year", "expected"),
    [
        ("Usual Suspects, The", 1995, ("The Usual Suspects", "", 1995)),
        ("Good, The Bad and The Ugly, The", 1966, ("The Good, The Bad and The Ugly", "", 1966)),
        ("Godfather: Part II, The", 1974, ("The Godfather: Part II", "", 1974)),
        ("Fish Called Wanda, A", 1988, ("A Fish Called Wanda", "", 1988)),
        ("Seventh Seal, The (Sjunde inseglet, Det)", 1957, ("The Seventh Seal", "Det Sjunde inseglet", 1957)),
        ("Star Maker, The (Uomo delle stelle, L')", 1995, ("The Star Maker", "L'Uomo delle stelle", 1995)),
        ("Postino, Il", 1994, ("Il Postino", "", 1994)),
        ("Seven (Se7en)", 1995, ("Seven", "Se7en", 1995)),
        ("Toy Story", 1995, ("Toy Story", "", 1995)),
        # the year lives in the title when the year column is empty
        (
            "Land Before Time III: The Time of the Great Giving (1995)",
            None,
            ("Land Before Time III: The Time of the Great Giving", "", 1995),
        ),
        # UTF-8 bytes that were decoded as Latin-1
        (
            "Double vie de VÃ©ronique, La (Double Life of Veronique, The)",
            1991,
            ("La Double vie de Véronique", "The Double Life of Veronique", 1991),
        ),
    ],
)
def test_movielens_title_parse_moves_articles_and_splits_alternative_names(raw, year, expected):
    assert movielens_title_parse(raw, year) == expected


def test_demo_load_imports_movielens_movies_users_and_ratings(sample):
    # when
    result = demo_load(movielens=FakeMovieLens(), sample_path=sample, snapshot=SNAPSHOT)

    # then: titles with cleaned names, genres mapped through the registry
    assert result.movielens_loaded
    suspects = Title.objects.get(movielens_id=1)
    assert (suspects.title_en, suspects.title_original, suspects.year) == ("The Usual Suspects", "", 1995)
    assert set(suspects.genres.values_list("slug", flat=True)) == {"crime", "thriller"}
    toy_story = Title.objects.get(movielens_id=3)
    assert set(toy_story.genres.values_list("slug", flat=True)) == {"animation", "family", "comedy"}
    assert toy_story.genre_mask == sum(1 << g.bit for g in toy_story.genres.all())
    assert not Title.objects.get(movielens_id=4).genres.exists()  # MovieLens "unknown" is no genre
    assert SourceRecord.objects.filter(source="movielens-100k").count() == 4

    # then: demo accounts that cannot log in and carry no e-mail
    account = get_user_model().objects.get(movielens_id=2)
    assert (account.username, account.nickname, account.email) == ("ml-2", "무비팬2", "")
    assert not account.has_usable_password()

    # then: ratings in half stars at their original time, and aggregates in stars
    rating = Rating.objects.get(user=account, title=suspects)
    assert rating.half_stars == 8
    assert rating.created_at == datetime.datetime(1997, 12, 4, 15, 56, 49, tzinfo=datetime.UTC)
    assert Rating.objects.count() == 6
    suspects.refresh_from_db()
    assert (suspects.rating_avg, suspects.rating_count) == (4.0, 3)
    assert suspects.popularity > Title.objects.get(movielens_id=2).popularity > 0


def test_demo_load_imports_the_korean_sample_with_credits_and_dated_offers(sample):
    demo_load(movielens=None, sample_path=sample, snapshot=SNAPSHOT)

    parasite = Title.objects.get(
        source_records__source="demo-korean", source_records__external_id="parasite-2019"
    )
    assert (parasite.title_ko, parasite.title_en, parasite.year, parasite.runtime_minutes) == (
        "기생충",
        "Parasite",
        2019,
        132,
    )
    assert parasite.release_date == datetime.date(2019, 5, 30)
    assert parasite.age_rating == "15"
    assert list(parasite.credits.filter(role="director").values_list("person__name", flat=True)) == ["봉준호"]
    assert list(parasite.credits.filter(role="cast").values_list("person__name", "person__name_en")) == [
        ("송강호", ""),
        ("이선균", "Lee Sun-kyun"),
    ]
    cinema_run = parasite.availabilities.get()
    assert (cinema_run.provider.slug, cinema_run.offer_type) == ("cgv", OfferType.COMING_SOON)
    assert (cinema_run.starts_on, cinema_run.observed_on) == (
        datetime.date(2019, 5, 30),
        datetime.date(2019, 5, 1),
    )
    assert parasite.offer_mask == 1 << OFFER_TYPE_BITS[OfferType.COMING_SOON]

    squid_game = Title.objects.get(title_ko="오징어 게임")
    stream = squid_game.availabilities.get()
    assert (stream.provider.slug, stream.observed_on, stream.region) == ("netflix", SNAPSHOT, "KR")
    assert squid_game.provider_mask == 1 << Provider.objects.get(slug="netflix").bit
    assert squid_game.media_type == "tv"
    # unrated titles still rank, by recency
    assert squid_game.popularity > parasite.popularity > 0


def test_demo_load_registries_match_the_files(tmp_path):
    demo_load(movielens=None, sample_path=write_sample(tmp_path / "empty.json", []), snapshot=SNAPSHOT)

    genres = json.loads(GENRES_PATH.read_text())["genres"]
    providers = json.loads(PROVIDERS_PATH.read_text())["providers"]
    assert dict(Genre.objects.values_list("slug", "bit")) == {g["slug"]: g["bit"] for g in genres}
    assert Genre.objects.get(slug="family").name_ko == "가족"
    netflix = Provider.objects.get(slug="netflix")
    assert (netflix.kind, netflix.tmdb_provider_id, netflix.name_ko) == ("ott", 8, "넷플릭스")
    assert set(Provider.objects.filter(kind="cinema").values_list("slug", flat=True)) == {
        "cgv",
        "lotte-cinema",
        "megabox",
    }
    assert len(providers) == Provider.objects.count() == 9


# --- Idempotency --------------------------------------------------------------------------------
def test_demo_load_twice_changes_nothing(sample):
    # given
    first = demo_load(movielens=FakeMovieLens(), sample_path=sample, snapshot=SNAPSHOT)
    before = _fingerprint()

    # when
    second = demo_load(movielens=FakeMovieLens(), sample_path=sample, snapshot=SNAPSHOT)

    # then
    assert first.changed
    assert not second.changed, second.summary()
    assert second.summary() == "nothing changed"
    assert _fingerprint() == before


def test_demo_load_keeps_ratings_and_accounts_users_changed(sample):
    # given: a demo user re-rated a film after the first load
    demo_load(movielens=FakeMovieLens(), sample_path=sample, snapshot=SNAPSHOT)
    rating = Rating.objects.get(user__movielens_id=1, title__movielens_id=1)
    rating.half_stars = 3
    rating.save()

    # when
    demo_load(movielens=FakeMovieLens(), sample_path=sample, snapshot=SNAPSHOT)

    # then
    rating.refresh_from_db()
    assert rating.half_stars == 3
    assert Rating.objects.count() == 6


def test_demo_load_adds_only_new_movielens_rows(sample):
    demo_load(movielens=FakeMovieLens(), sample_path=sample, snapshot=SNAPSHOT)
    bigger = FakeMovieLens()
    bigger.movie_rows.append(MovieLensMovie(5, "Birdcage, The", 1996, ("Comedy",)))
    bigger.rating_rows.append(type(bigger.rating_rows[0])(3, 5, 4, T0 + 999))

    result = demo_load(movielens=bigger, sample_path=sample, snapshot=SNAPSHOT)

    assert (result.created["titles"], result.created["ratings"], result.created["users"]) == (1, 1, 0)
    assert Title.objects.get(movielens_id=5).title_en == "The Birdcage"


def test_demo_load_updates_an_edited_record_and_closes_offers_it_dropped(sample, tmp_path):
    # given
    demo_load(movielens=None, sample_path=sample, snapshot=SNAPSHOT)
    untouched = Title.objects.get(title_ko="기생충")
    edited = series_record(
        title_en="Squid Game (edited)",
        availability=[{"provider": "tving", "offer": "stream"}],
    )

    # when
    result = demo_load(
        movielens=None,
        sample_path=write_sample(tmp_path / "edited.json", [sample_record(), edited]),
        snapshot=SNAPSHOT,
    )

    # then: only the edited record was rewritten, and the dropped offer is closed, not deleted
    assert result.updated["titles"] == 1
    squid_game = Title.objects.get(title_ko="오징어 게임")
    assert squid_game.title_en == "Squid Game (edited)"
    offers = {a.provider.slug: a.ends_on for a in squid_game.availabilities.all()}
    assert offers == {"netflix": SNAPSHOT, "tving": None}
    assert squid_game.provider_mask == 1 << Provider.objects.get(slug="tving").bit
    assert Title.objects.get(title_ko="기생충").updated_at == untouched.updated_at


# --- Bad input ----------------------------------------------------------------------------------
def _without(record: dict, name: str) -> dict:
    return {key: value for key, value in record.items() if key != name}


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([sample_record(), _without(series_record(), "title_ko")], "record #2 'squid-game-2021': title_ko:"),
        (
            [sample_record(genres=["drama", "k-drama"])],
            "record #1 'parasite-2019': genres: unknown genre 'k-drama'",
        ),
        (
            [sample_record(availability=[{"provider": "tiktok", "offer": "stream"}])],
            "'parasite-2019': availability[0].provider: unknown provider 'tiktok'",
        ),
        (
            [sample_record(availability=[{"provider": "netflix", "offer": "now_showing"}])],
            "availability[0].offer: 'now_showing' is not an offer of a streaming service (buy, rent, stream)",
        ),
        (
            [sample_record(), series_record(key="parasite-2019")],
            "record #2 'parasite-2019': key: duplicate of record #1",
        ),
        ([sample_record(age_rating="19")], "'parasite-2019': age_rating:"),
        ([sample_record(release_date="2017-01-01")], "release_date: 2017-01-01 does not fit year 2019"),
        ([sample_record(directer=["봉준호"])], "'parasite-2019': directer: unknown field"),
        ([sample_record(cast=[{"nom": "송강호"}])], "'parasite-2019': cast[0]:"),
        (["기생충"], "record #1:"),
    ],
)
def test_demo_load_rejects_a_bad_sample_and_writes_nothing(tmp_path, records, message):
    path = write_sample(tmp_path / "bad.json", records)

    with pytest.raises(DemoDataError) as excinfo:
        demo_load(movielens=FakeMovieLens(), sample_path=path, snapshot=SNAPSHOT)

    assert message in str(excinfo.value)
    assert all(count == 0 for count in _row_counts().values()), _row_counts()


def test_demo_load_rejects_ratings_of_unknown_movies_and_writes_nothing(sample):
    source = FakeMovieLens()
    source.rating_rows.append(type(source.rating_rows[0])(1, 99, 5, T0))

    with pytest.raises(DemoDataError, match="rating of user 1 for movie 99 refers to a user or movie"):
        demo_load(movielens=source, sample_path=sample, snapshot=SNAPSHOT)
    assert all(count == 0 for count in _row_counts().values())


def test_demo_load_rejects_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"titles": [', encoding="utf-8")

    with pytest.raises(DemoDataError, match=r"broken\.json is not valid JSON"):
        demo_load(movielens=None, sample_path=path, snapshot=SNAPSHOT)
    assert Title.objects.count() == 0


def test_demo_load_rolls_back_everything_when_a_late_step_fails(sample, monkeypatch):
    # given: the masks step, which runs last, blows up
    def explode(**_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("apps.social.services.demo.title_masks_refresh", explode)

    with pytest.raises(RuntimeError):
        demo_load(movielens=FakeMovieLens(), sample_path=sample, snapshot=SNAPSHOT)

    assert all(count == 0 for count in _row_counts().values())


def test_demo_load_refuses_to_move_a_genre_to_another_bit(sample):
    Genre.objects.create(slug="drama", name_ko="드라마", name_en="Drama", bit=40)

    with pytest.raises(DemoDataError, match="'drama' has bit 40 in the database but 7"):
        demo_load(movielens=None, sample_path=sample, snapshot=SNAPSHOT)
    assert Title.objects.count() == 0


# --- Popularity ---------------------------------------------------------------------------------
def test_title_popularity_score_grows_with_votes_and_quality_and_fades_with_age():
    def score(avg=4.0, count=100, last=datetime.date(2026, 1, 1)):
        return title_popularity_score(
            rating_avg=avg, rating_count=count, prior_mean=3.5, last_activity=last, reference=SNAPSHOT
        )

    assert score(count=500) > score(count=100) > score(count=0) > 0
    assert score(avg=4.5) > score(avg=3.0)
    assert score(last=datetime.date(2016, 1, 1)) == pytest.approx(score() / 2, rel=0.01)  # 10-year half-life
    # a single 5-star vote is damped towards the mean instead of topping the chart
    assert score(avg=5.0, count=1) < score(avg=4.2, count=50)
    assert score(last=None) < score(last=datetime.date(1930, 1, 1))


# --- The bundled sample -------------------------------------------------------------------------
def test_bundled_korean_sample_is_valid_and_covers_every_provider():
    genres = {g["slug"] for g in json.loads(GENRES_PATH.read_text())["genres"]}
    providers = {p["slug"]: p["kind"] for p in json.loads(PROVIDERS_PATH.read_text())["providers"]}

    records = korean_sample_read(path=KOREAN_SAMPLE_PATH, genre_slugs=genres, provider_kinds=providers)

    assert len(records) >= 150
    assert {"movie", "tv"} == {r["media_type"] for r in records}
    assert {o["provider"] for r in records for o in r["availability"]} == set(providers)
    assert {o["offer"] for r in records for o in r["availability"]} >= {
        "stream",
        "now_showing",
        "coming_soon",
    }
    assert all(r["title_ko"] and r["genres"] for r in records)


def test_most_bundled_korean_titles_say_where_to_watch_them():
    # Issue #15: the demo should show where to watch most Korean titles (was 126 of 255).
    genres = {g["slug"] for g in json.loads(GENRES_PATH.read_text())["genres"]}
    providers = {p["slug"]: p["kind"] for p in json.loads(PROVIDERS_PATH.read_text())["providers"]}

    records = korean_sample_read(path=KOREAN_SAMPLE_PATH, genre_slugs=genres, provider_kinds=providers)

    with_offers = [r for r in records if r["availability"]]
    assert len(with_offers) * 2 > len(records)


def test_demo_load_rejects_a_registry_with_a_reused_bit(sample, tmp_path, monkeypatch):
    genres = json.loads(GENRES_PATH.read_text())
    genres["genres"][1]["bit"] = genres["genres"][0]["bit"]
    genres["genres"][2]["colour"] = "#123456"
    broken = tmp_path / "genres.json"
    broken.write_text(json.dumps(genres), encoding="utf-8")
    monkeypatch.setattr("apps.movies.services.demo.catalog.GENRES_PATH", broken)

    with pytest.raises(DemoDataError) as excinfo:
        demo_load(movielens=None, sample_path=sample, snapshot=SNAPSHOT)

    assert "duplicate bit 0" in str(excinfo.value)
    assert "animation: colour: unknown field" in str(excinfo.value)
    assert Genre.objects.count() == 0
