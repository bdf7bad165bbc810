from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from apps.movies.models import AgeRating
from apps.movies.services.catalog import title_masks_refresh
from apps.recs import buffer
from apps.recs.models import EventKind
from apps.recs.selectors import recs_for_user
from apps.recs.selectors import recs_friends_who_would_like
from apps.recs.selectors import recs_home_rows
from apps.recs.selectors import recs_similar_titles
from apps.recs.selectors import recs_taste_match
from apps.recs.services.serving import user_history
from apps.recs.services.training import recs_model_train
from apps.social.models import Rating
from apps.social.services import friend_request_accept
from apps.social.services import friend_request_send
from tests.factories import AvailabilityFactory
from tests.factories import CreditFactory
from tests.factories import DiaryEntryFactory
from tests.factories import EventFactory
from tests.factories import PersonFactory
from tests.factories import ProviderFactory
from tests.factories import RatingFactory
from tests.factories import TitleFactory
from tests.factories import UserFactory
from tests.servers import run_on_embedded_sqlite

pytestmark = pytest.mark.django_db


def test_empty_database_serves_nothing_and_never_fails(user):
    assert recs_for_user(user=user) == []
    assert recs_for_user(user=None) == []
    rows = recs_home_rows(user=user)
    assert [r.key for r in rows] == ["for_you", "trending"]


def test_without_any_model_a_person_gets_catalog_popularity(user):
    popular = TitleFactory(popularity=999)
    TitleFactory(popularity=1)
    picks = recs_for_user(user=user, limit=2)
    assert picks[0].title == popular
    assert picks[0].reason == "popular"
    assert picks[0].explanation


def test_picks_come_from_redis_and_explain_because_you_liked(taste_world):
    recs_model_train(as_of=dt.date(2026, 11, 24))
    fan = taste_world["users"]["horror"][0]
    picks = recs_for_user(user=fan, limit=5)
    horror = set(taste_world["horror"])
    assert picks[0].title in horror
    assert picks[0].reason == "liked"
    assert picks[0].because_title in horror
    assert picks[0].because_title.display_title in picks[0].explanation


def test_without_redis_entries_the_artifact_serves_the_same_picks(taste_world):
    recs_model_train(as_of=dt.date(2026, 11, 24))
    fan = taste_world["users"]["romance"][1]
    from_redis = [p.title.id for p in recs_for_user(user=fan, limit=5)]
    client = buffer.redis_client()
    client.delete(*client.scan_iter(match=buffer.key("top", "*")))
    from_artifact = [p.title.id for p in recs_for_user(user=fan, limit=5)]
    assert from_artifact == from_redis


def test_rated_and_dismissed_titles_are_never_recommended(taste_world):
    recs_model_train(as_of=dt.date(2026, 11, 24))
    fan = taste_world["users"]["horror"][0]
    first = recs_for_user(user=fan, limit=3)[0].title
    EventFactory(
        kind=EventKind.REC_DISMISS,
        user=fan,
        title=first,
        occurred_at=timezone.now(),
        received_at=timezone.now(),
    )
    ids = [p.title.id for p in recs_for_user(user=fan, limit=16)]
    assert first.id not in ids
    assert not set(fan.ratings.values_list("title_id", flat=True)) & set(ids)


def test_a_new_rating_changes_the_list_right_away(taste_world, django_capture_on_commit_callbacks):
    # given: a romance fan with a trained model
    recs_model_train(as_of=dt.date(2026, 11, 24))
    fan = taste_world["users"]["romance"][0]
    before = [p.title.id for p in recs_for_user(user=fan, limit=5)]
    # when: they rate the top pick
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        RatingFactory(user=fan, title_id=before[0], half_stars=9, created_at=timezone.now())
    # then: the refresh task ran on commit and Redis already holds the new list
    assert len(callbacks) == 1
    after = [p.title.id for p in recs_for_user(user=fan, limit=5)]
    assert before[0] not in after
    cached = buffer.top_read(buffer.redis_client(), fan.id)
    assert before[0] not in [p[0] for p in cached]


def test_cold_start_user_with_only_favourite_genres_gets_those_genres(taste_world):
    recs_model_train(as_of=dt.date(2026, 11, 24))
    newcomer = UserFactory()
    newcomer.favourite_genres.add(taste_world["genres"][1])
    picks = recs_for_user(user=newcomer, limit=5)
    assert {p.title for p in picks} <= set(taste_world["romance"])
    assert picks[0].reason == "genre"


def test_after_onboarding_without_a_model_the_chosen_genres_come_before_popularity(taste_world):
    # given: onboarding's ten ratings and a favourite genre, before any model was trained
    newcomer = UserFactory()
    for title in taste_world["horror"][:10]:
        RatingFactory(user=newcomer, title=title, half_stars=8)
    newcomer.favourite_genres.add(taste_world["genres"][1])

    picks = recs_for_user(user=newcomer, limit=5)

    # then: the romance they chose leads, never a title they rated
    assert [p.reason for p in picks] == ["genre"] * 5
    assert {p.title for p in picks} <= set(taste_world["romance"])
    assert picks[0].explanation == gettext("In your favourite genres")


def test_with_a_model_a_rated_newcomer_still_gets_the_models_picks_first(taste_world):
    recs_model_train(as_of=dt.date(2026, 11, 24))
    newcomer = UserFactory()
    for title in taste_world["horror"][:5]:
        RatingFactory(user=newcomer, title=title, half_stars=9, created_at=timezone.now())
    newcomer.favourite_genres.add(taste_world["genres"][1])

    picks = recs_for_user(user=newcomer, limit=3)

    assert {p.title for p in picks} <= set(taste_world["horror"][5:])


@pytest.fixture(params=[0, 3100], ids=["fresh-session", "after-3100-titles"])
def taste_world_at_sequence(request):
    """The taste world built as the first titles of a session, and as the full suite builds it:
    factory_boy's sequence (a class attribute) outlives each test, and TitleFactory's popularity
    (1000 - n) is negative past 1,000 titles. Unscaled, that sank picks out of the cluster."""
    TitleFactory.reset_sequence(request.param)
    return request.getfixturevalue("taste_world")


def test_cold_start_user_with_five_ratings_gets_their_cluster(taste_world_at_sequence):
    taste_world = taste_world_at_sequence
    recs_model_train(as_of=dt.date(2026, 11, 24))
    newcomer = UserFactory()
    for title in taste_world["horror"][:5]:
        RatingFactory(user=newcomer, title=title, half_stars=9, created_at=timezone.now())
    picks = recs_for_user(user=newcomer, limit=3)
    assert {p.title for p in picks} <= set(taste_world["horror"][5:])


def test_only_my_services_and_age_ratings_filter_picks(taste_world):
    recs_model_train(as_of=dt.date(2026, 11, 24))
    fan = taste_world["users"]["horror"][0]
    provider = ProviderFactory(slug="netflix", name="Netflix", bit=3)
    fan.my_services.add(provider)
    unrated = [t for t in taste_world["horror"] if not fan.ratings.filter(title=t).exists()]
    on_my_service, adults_only = unrated[0], unrated[1]
    AvailabilityFactory(title=on_my_service, provider=provider)
    title_masks_refresh(title_ids=[on_my_service.id])
    type(adults_only).objects.filter(id=adults_only.id).update(age_rating=AgeRating.AGE_18)
    mine = recs_for_user(user=fan, limit=10, only_my_services=True)
    assert [p.title for p in mine] == [on_my_service]
    teen = recs_for_user(user=fan, limit=20, max_age_rating=AgeRating.AGE_15)
    assert adults_only not in [p.title for p in teen]
    assert adults_only not in [p.title for p in recs_for_user(user=None, limit=50)]


def test_similar_titles_stay_in_the_cluster(taste_world):
    recs_model_train(as_of=dt.date(2026, 11, 24))
    anchor = taste_world["horror"][0]
    similar = recs_similar_titles(title_id=anchor.id, limit=5)
    assert anchor not in similar
    assert set(similar) <= set(taste_world["horror"])


def test_a_title_added_after_training_is_similar_by_genre_and_new_on_my_services(taste_world):
    recs_model_train(as_of=dt.date(2026, 11, 24))
    horror = taste_world["genres"][0]
    fresh = TitleFactory(title_en="Brand new scream", popularity=0)
    fresh.genres.add(horror)
    title_masks_refresh(title_ids=[fresh.id])
    assert set(recs_similar_titles(title_id=fresh.id, limit=5)) <= set(taste_world["horror"])
    fan = taste_world["users"]["horror"][0]
    fan.favourite_genres.add(horror)
    provider = ProviderFactory(slug="watcha", name="Watcha", bit=4)
    fan.my_services.add(provider)
    AvailabilityFactory(title=fresh, provider=provider, starts_on=timezone.localdate())
    rows = {r.key: r for r in recs_home_rows(user=fan)}
    new_row = rows["new_on_my_services"]
    assert new_row.items[0].title == fresh
    assert new_row.items[0].explanation == "취향 장르의 Watcha 신작"  # "New on Watcha in your genres"
    assert "because_you_liked" in rows
    assert rows["for_you"].items


def test_taste_match_is_high_within_a_cluster_and_none_without_overlap(taste_world):
    a, b = taste_world["users"]["horror"][:2]
    other = taste_world["users"]["romance"][0]
    Rating.objects.filter(user=b, title__in=taste_world["horror"][:3]).update(half_stars=10)
    Rating.objects.filter(user=a, title__in=taste_world["horror"][:3]).update(half_stars=10)
    assert recs_taste_match(user_a=a, user_b=b) > 50
    assert recs_taste_match(user_a=a, user_b=other) is None


def _make_friends(a, b) -> None:
    request = friend_request_send(from_user=a, to_user=b)
    friend_request_accept(user=b, request_id=request.pk)


def test_a_title_friends_rated_highly_is_explained_as_popular_with_friends(taste_world):
    # given: a newcomer (popularity picks only) whose friend loved one romance title
    recs_model_train(as_of=dt.date(2026, 11, 24))
    newcomer = UserFactory()
    friend = taste_world["users"]["horror"][0]
    _make_friends(newcomer, friend)
    loved = taste_world["romance"][3]
    RatingFactory(user=friend, title=loved, half_stars=9, created_at=timezone.now())
    # when
    picks = {p.title.id: p for p in recs_for_user(user=newcomer, limit=16)}
    # then: that pick carries the friends reason; titles only strangers rated stay "popular"
    assert picks[loved.id].reason == "friends"
    assert picks[loved.id].explanation == gettext("Popular with your friends")
    strangers_only = taste_world["romance"][4]
    assert picks[strangers_only.id].reason == "popular"


def test_friends_who_would_like_a_title_are_the_friends_who_have_it_among_their_picks(taste_world):
    recs_model_train(as_of=dt.date(2026, 11, 24))
    newcomer = UserFactory()
    horror_fan, romance_fan = taste_world["users"]["horror"][0], taste_world["users"]["romance"][0]
    _make_friends(newcomer, horror_fan)
    _make_friends(newcomer, romance_fan)
    unseen_horror = next(
        t for t in taste_world["horror"] if not Rating.objects.filter(user=horror_fan, title=t).exists()
    )
    assert recs_friends_who_would_like(user=newcomer, title_id=unseen_horror.id, limit=1) == [horror_fan]


def test_top_read_follows_the_version_pointer_in_one_call(user):
    client = buffer.redis_client()
    assert buffer.top_read(client, user.id) is None  # no version yet
    client.set(buffer.key("top", "v1", user.id), '[[7, 0.5, "liked", 3]]')
    client.set(buffer.key("top", "version"), "v1")
    assert buffer.top_read(client, user.id) == [(7, 0.5, "liked", 3)]
    assert buffer.top_read(client, user.id + 1) is None  # version set, no list for this person
    client.set(buffer.key("top", "version"), "v2")  # switched: the old version's list is not served
    assert buffer.top_read(client, user.id) is None


def test_redis_picks_drop_titles_rated_or_dismissed_since_precompute(taste_world, django_assert_num_queries):
    # given: a trained model with a horror fan's list in Redis
    recs_model_train(as_of=dt.date(2026, 11, 24))
    fan = taste_world["users"]["horror"][0]
    before = [p.title.id for p in recs_for_user(user=fan, limit=4)]
    # when: they rate the first pick and dismiss the second, with no refresh of the cached list
    RatingFactory(user=fan, title_id=before[0], half_stars=6, created_at=timezone.now())
    EventFactory(
        user=fan,
        title_id=before[1],
        kind=EventKind.REC_DISMISS,
        occurred_at=timezone.now(),
        received_at=timezone.now(),
    )
    # then: the list still comes from Redis, in one query (cards with a seen flag), without
    # both; no pick is merely "popular", so friends' favourites are not looked up. The credits
    # a "similar" pick's reason names were read by the first call and are kept per process.
    recs_for_user(user=fan, limit=2)
    with django_assert_num_queries(1):
        after = [p.title.id for p in recs_for_user(user=fan, limit=2)]
    assert after == before[2:4]


def test_a_title_logged_in_the_diary_is_seen_and_never_picked(taste_world, django_assert_num_queries):
    # given: a trained model with a horror fan's list in Redis
    recs_model_train(as_of=dt.date(2026, 11, 24))
    fan = taste_world["users"]["horror"][0]
    before = [p.title.id for p in recs_for_user(user=fan, limit=3)]
    # when: they log the first pick in their diary, without rating it
    DiaryEntryFactory(user=fan, title_id=before[0], watched_on=dt.date(2026, 11, 30))
    # then: the cached list drops it in the same single query (the seen flag reads the diary) ...
    recs_for_user(user=fan, limit=2)
    with django_assert_num_queries(1):
        after = [p.title.id for p in recs_for_user(user=fan, limit=2)]
    assert after == before[1:3]
    # ... and a fresh computation counts it as history, never as a candidate
    history, _dismissed = user_history(user_id=fan.id)
    assert before[0] in history


def test_redis_picks_on_my_services_respect_age_and_new_dismissals_in_one_query(
    taste_world, django_assert_num_queries
):
    # given: a horror fan on Netflix; their two unseen horror titles stream there, one of
    # them rated 18+, and so does a romance title they dismiss after their list was computed
    recs_model_train(as_of=dt.date(2026, 11, 24))
    fan = taste_world["users"]["horror"][0]
    netflix = ProviderFactory(slug="netflix", name="Netflix", bit=40)
    other = ProviderFactory(slug="watcha", name="Watcha", bit=2)
    fan.my_services.add(netflix)
    unrated = [t for t in taste_world["horror"] if not fan.ratings.filter(title=t).exists()]
    on_netflix, adults_only, dismissed = unrated[0], unrated[1], taste_world["romance"][1]
    for title in (on_netflix, adults_only, dismissed):
        AvailabilityFactory(title=title, provider=netflix)
    elsewhere = taste_world["romance"][0]
    AvailabilityFactory(title=elsewhere, provider=other)
    title_masks_refresh(title_ids=[on_netflix.id, adults_only.id, dismissed.id, elsewhere.id])
    type(adults_only).objects.filter(id=adults_only.id).update(age_rating=AgeRating.AGE_18)
    EventFactory(
        user=fan,
        title=dismissed,
        kind=EventKind.REC_DISMISS,
        occurred_at=timezone.now(),
        received_at=timezone.now(),
    )
    # when
    with django_assert_num_queries(1):
        picks = recs_for_user(user=fan, limit=5, only_my_services=True, max_age_rating=AgeRating.AGE_15)
    # then: only the title on their service, within the age limit and not dismissed, with its reason
    assert [p.title for p in picks] == [on_netflix]
    assert picks[0].reason == "liked"
    assert picks[0].because_title in set(taste_world["horror"]) - {on_netflix}


def test_anonymous_visitors_get_card_fields_and_the_anonymous_age_limit():
    kept = TitleFactory(popularity=30, title_ko="가족 영화", age_rating=AgeRating.ALL)
    TitleFactory(popularity=20, title_en="Adults only", age_rating=AgeRating.AGE_18)
    unrated = TitleFactory(popularity=10, title_en="Not rated yet")

    picks = recs_for_user(user=None, limit=5)

    assert [p.title for p in picks] == [kept, unrated]
    assert picks[0].title.display_title == "가족 영화"
    assert picks[0].title.age_rating == AgeRating.ALL
    assert {p.reason for p in picks} == {"popular"}


def test_trending_ranks_the_week_and_is_kept_for_a_minute():
    from apps.recs import selectors

    cache = selectors._trending_ids.cache
    quiet, busy = TitleFactory(popularity=999), TitleFactory(popularity=1)
    before = selectors.recs_trending(limit=2)
    for _ in range(3):
        RatingFactory(user=UserFactory(), title=busy, half_stars=8, created_at=timezone.now())

    kept = selectors.recs_trending(limit=2)
    cache.expire(cache.timer() + selectors.TRENDING_TTL_SECONDS - 1)
    still_kept = selectors.recs_trending(limit=2)
    cache.expire(cache.timer() + selectors.TRENDING_TTL_SECONDS)
    after = selectors.recs_trending(limit=2)

    assert before == [quiet, busy]  # nothing rated this week: catalog popularity
    assert kept == still_kept == before
    assert after == [busy, quiet]


def test_anonymous_home_rows_compute_no_personal_picks(django_assert_max_num_queries):
    TitleFactory.create_batch(3)
    recs_home_rows(user=None)  # trending ranking computed and kept

    with django_assert_max_num_queries(1):  # the trending titles, nothing per person
        rows = recs_home_rows(user=None)

    assert [row.key for row in rows] == ["trending"]


def test_web_processes_import_no_training_code(tmp_path):
    # Serving (selectors, APIs) folds people in with numpy; scikit-learn is for the nightly fit.
    script = (
        "import django, json, sys; django.setup(); import config.urls;"
        "print(json.dumps(sorted(m for m in ('sklearn', 'apps.recs.services.training') if m in sys.modules)))"
    )

    loaded = run_on_embedded_sqlite(script, database=tmp_path / "db.sqlite3")

    assert loaded == []


def test_card_rows_and_shared_people_read_the_same_on_embedded_sqlite(tmp_path):
    # given: the embedded defaults (SQLite), where the id lists are IN lists, not arrays
    script = """
import django, json
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from apps.movies.models import Credit, Person, Title
from apps.recs.selectors import _card_rows, _shared_aspects
from apps.social.models import Rating, User
director = Person.objects.create(name="Bong")
first, second, third = (Title.objects.create(title_en=name) for name in ("A", "B", "C"))
for title in (first, second):
    Credit.objects.create(title=title, person=director, role="director")
person = User.objects.create(username="p", nickname="p")
from django.utils import timezone
Rating.objects.create(user=person, title=third, half_stars=8, created_at=timezone.now())
rows = _card_rows({first.pk, second.pk, third.pk}, user_id=person.pk, only_my_services=False)
aspects = _shared_aspects([(first, second), (first, third)])
print(json.dumps({
    "seen": sorted(t for t, row in rows.items() if row["seen"]) == [third.pk],
    "rows": sorted(rows) == sorted([first.pk, second.pk, third.pk]),
    "aspects": {(a, b, x.kind) for (a, b), x in aspects.items()} == {(first.pk, second.pk, "director")},
}))
"""

    # when
    checks = run_on_embedded_sqlite(script, database=tmp_path / "db.sqlite3")

    # then: every card, the rated one flagged seen, and the shared director found
    assert checks == {"seen": True, "rows": True, "aspects": True}


def test_shared_people_are_read_once_per_process_then_only_for_new_titles(django_assert_num_queries):
    # given: two titles by one director, a third with a shared lead actor, a fourth with no credits
    from apps.movies.selectors import catalog_vocabulary
    from apps.recs.selectors import _shared_aspects
    from apps.recs.selectors import recs_leading_people_clear

    director, actor = PersonFactory(name="봉준호"), PersonFactory(name="송강호")
    first, second, third, fourth = TitleFactory.create_batch(4)
    for title in (first, second):
        CreditFactory(title=title, person=director, role="director", order=0)
    for title in (first, third):
        CreditFactory(title=title, person=actor, role="cast", order=0)
    catalog_vocabulary()  # the genres, read once per process anyway
    with django_assert_num_queries(1):
        before = _shared_aspects([(first, second), (first, third)])

    # when: the same titles again, then one new title beside known ones
    with django_assert_num_queries(0):
        again = _shared_aspects([(first, second), (first, third)])
    with django_assert_num_queries(1):
        with_new = _shared_aspects([(first, fourth), (second, first)])

    # then: the same answers from the kept people; a title without credits shares nothing
    assert again == before
    assert {key: (aspect.kind, aspect.name) for key, aspect in before.items()} == {
        (first.pk, second.pk): ("director", ""),
        (first.pk, third.pk): ("cast", "송강호"),
    }
    assert (first.pk, fourth.pk) not in with_new
    assert with_new[(second.pk, first.pk)].kind == "director"
    # and: once forgotten, they are read again
    recs_leading_people_clear()
    with django_assert_num_queries(1):
        assert _shared_aspects([(first, second)]) == {(first.pk, second.pk): before[(first.pk, second.pk)]}
