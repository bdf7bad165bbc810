"""My library: watchlist filters and sorts, the diary (entries, month calendar), "watched"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from apps.chat.selectors import title_watched_by
from apps.movies.models import OFFER_TYPE_BITS
from apps.movies.models import OfferType
from apps.movies.models import Title
from apps.social import selectors
from apps.social import selectors_library
from apps.social.models import DiaryEntry
from apps.social.models import Rating
from apps.social.models import WatchlistItem
from apps.social.services import diary_entry_create
from apps.social.services import diary_entry_update
from apps.social.services import profile_update
from apps.social.services import recommendation_accept
from apps.social.services import recommendation_send
from apps.social.services import watchlist_add
from config.exceptions import ApplicationError
from tests.factories import ProviderFactory
from tests.factories import RatingFactory
from tests.factories import TitleFactory
from tests.social.conftest import client_for

pytestmark = pytest.mark.django_db


def _ids(items) -> list[int]:
    return [item.title_id for item in items]


# -- watchlist -------------------------------------------------------------------------------
def test_watchlist_filters_on_my_services_cinemas_and_rent_buy(alice):
    # given: three titles with different offers, alice subscribes to one provider
    netflix = ProviderFactory(slug="netflix", bit=0)
    ProviderFactory(slug="watcha", bit=1)
    streamed = TitleFactory(provider_mask=1 << 0, offer_mask=1 << OFFER_TYPE_BITS[OfferType.STREAM])
    in_cinemas = TitleFactory(offer_mask=1 << OFFER_TYPE_BITS[OfferType.NOW_SHOWING])
    rentable = TitleFactory(provider_mask=1 << 1, offer_mask=1 << OFFER_TYPE_BITS[OfferType.RENT])
    for title in (streamed, in_cinemas, rentable):
        watchlist_add(user=alice, title=title)
    alice.my_services.set([netflix])
    filters = selectors.WatchlistFilters
    # then
    assert _ids(selectors.watchlist_for_user(user=alice, filters=filters(mine=True))) == [streamed.pk]
    assert _ids(selectors.watchlist_for_user(user=alice, filters=filters(cinema=True))) == [in_cinemas.pk]
    assert _ids(selectors.watchlist_for_user(user=alice, filters=filters(rent_buy=True))) == [rentable.pk]
    assert len(selectors.watchlist_for_user(user=alice)) == 3


def test_watchlist_on_my_services_is_empty_without_services(alice, title):
    watchlist_add(user=alice, title=title)
    assert list(selectors.watchlist_for_user(user=alice, filters=selectors.WatchlistFilters(mine=True))) == []


def test_watchlist_sorts_by_added_release_and_title(alice):
    old = TitleFactory(title_ko="가 옛날", release_date=dt.date(1999, 1, 1))
    new = TitleFactory(title_ko="나 최신", release_date=dt.date(2024, 1, 1))
    undated = TitleFactory(title_ko="다 미정", release_date=None, year=None)
    for title in (new, undated, old):
        watchlist_add(user=alice, title=title)
    sort = selectors.WatchlistFilters
    assert _ids(selectors.watchlist_for_user(user=alice, filters=sort(sort="added"))) == [
        old.pk,
        undated.pk,
        new.pk,
    ]
    assert _ids(selectors.watchlist_for_user(user=alice, filters=sort(sort="release"))) == [
        new.pk,
        old.pk,
        undated.pk,
    ]
    assert _ids(selectors.watchlist_for_user(user=alice, filters=sort(sort="title"))) == [
        old.pk,
        new.pk,
        undated.pk,
    ]


def test_watchlist_page_lists_my_titles_and_filters_from_the_query(alice, bob, title):
    other = TitleFactory(title_ko="남의 작품")
    watchlist_add(user=alice, title=title)
    watchlist_add(user=bob, title=other)
    page = client_for(alice).get(reverse("social:watchlist-page")).content.decode()
    assert title.display_title in page
    assert "남의 작품" not in page
    filtered = client_for(alice).get(reverse("social:watchlist-page") + "?cinema=1").content.decode()
    assert title.display_title not in filtered.split("<main")[1].split("lib-filters")[-1]


def test_accepting_a_friends_pick_puts_it_on_my_watchlist_page(friends, title):
    alice, bob = friends
    recommendation_send(sender=alice, receiver_ids=[bob.pk], title=title, note="꼭 봐")
    rec = bob.recommendations_received.get()
    recommendation_accept(user=bob, recommendation_id=rec.pk)
    page = client_for(bob).get(reverse("social:watchlist-page")).content.decode()
    assert f'data-title-id="{title.pk}"' in page


# -- diary --------------------------------------------------------------------------------------
def test_diary_entry_with_stars_rates_the_title_and_leaves_the_watchlist(alice, title):
    watchlist_add(user=alice, title=title)
    entry = diary_entry_create(user=alice, title=title, watched_on=dt.date(2026, 3, 1), stars="3.5")
    assert entry.half_stars == 7
    assert Rating.objects.get(user=alice, title=title).half_stars == 7
    assert not WatchlistItem.objects.filter(user=alice, title=title).exists()


@pytest.mark.parametrize("stars", ["0", "5.5", "0.25", "-1", "abc", "nan", "inf"])
def test_diary_entry_with_a_bad_rating_saves_nothing(alice, title, stars):
    with pytest.raises(ApplicationError):
        diary_entry_create(user=alice, title=title, watched_on=dt.date(2026, 3, 1), stars=stars)
    assert not DiaryEntry.objects.exists()
    assert not Rating.objects.exists()


def test_diary_entry_update_changes_fields_and_the_newest_rating(alice, title):
    entry = diary_entry_create(user=alice, title=title, watched_on=dt.date(2026, 3, 1), stars="2")
    diary_entry_update(
        user=alice, entry_id=entry.pk, watched_on=dt.date(2026, 3, 2), rewatch=True, note="다시", stars="4.5"
    )
    entry.refresh_from_db()
    assert (entry.watched_on, entry.rewatch, entry.note, entry.half_stars) == (
        dt.date(2026, 3, 2),
        True,
        "다시",
        9,
    )
    assert Rating.objects.get(user=alice, title=title).half_stars == 9


def test_diary_entry_of_someone_else_cannot_be_changed(alice, bob, title):
    entry = diary_entry_create(user=alice, title=title, watched_on=dt.date(2026, 3, 1))
    with translation.override("en"), pytest.raises(ApplicationError, match="No such diary entry"):
        diary_entry_update(user=bob, entry_id=entry.pk, watched_on=None, rewatch=False)
    assert client_for(bob).get(reverse("social:diary-edit", args=[entry.pk])).status_code == 404
    client_for(bob).post(reverse("social:diary-delete", args=[entry.pk]))
    assert DiaryEntry.objects.filter(pk=entry.pk).exists()


def test_diary_pages_edit_and_delete(alice, title):
    entry = diary_entry_create(user=alice, title=title, watched_on=dt.date(2026, 3, 1))
    client = client_for(alice)
    response = client.post(
        reverse("social:diary-edit", args=[entry.pk]),
        {"watched_on": "2026-03-04", "rewatch": "yes", "stars": "4.0", "note": "좋았다"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.watched_on, entry.rewatch, entry.half_stars, entry.note) == (
        dt.date(2026, 3, 4),
        True,
        8,
        "좋았다",
    )
    bad = client.post(
        reverse("social:diary-edit", args=[entry.pk]), {"watched_on": "2026-13-40"}, follow=True
    )
    assert "YYYY-MM-DD" in bad.content.decode() or "날짜" in bad.content.decode()
    entry.refresh_from_db()
    assert entry.watched_on == dt.date(2026, 3, 4)
    client.post(reverse("social:diary-delete", args=[entry.pk]))
    assert not DiaryEntry.objects.exists()


def test_diary_log_from_the_diary_page_with_the_title_picker(alice, title):
    client = client_for(alice)
    client.post(reverse("social:diary-log"), {"title_ids": [str(title.pk)], "watched_on": "2026-02-01"})
    assert DiaryEntry.objects.get(user=alice).title_id == title.pk
    missing = client.post(reverse("social:diary-log"), {"title_ids": ["99999999"]}, follow=True)
    assert "없는 작품" in missing.content.decode()
    assert DiaryEntry.objects.count() == 1


def test_diary_month_calendar_places_entries_on_their_days(alice, title):
    diary_entry_create(user=alice, title=title, watched_on=dt.date(2026, 2, 14))
    month = selectors.diary_month(user=alice, year=2026, month=2)
    days = {cell.day: cell.entries for week in month.weeks for cell in week if cell.day}
    assert len(days) == 28
    assert [e.title_id for e in days[dt.date(2026, 2, 14)]] == [title.pk]
    assert month.count == 1
    # weeks start on Sunday: 2026-02-01 is a Sunday, so February 2026 is exactly four full weeks
    assert month.weeks[0][0].day == dt.date(2026, 2, 1)
    assert len(month.weeks) == 4
    april = selectors.diary_month(user=alice, year=2026, month=4)  # starts on a Wednesday
    assert [cell.day for cell in april.weeks[0][:3]] == [None, None, None]
    page = client_for(alice).get(reverse("social:diary-page") + "?view=calendar&month=2026-02")
    assert title.display_title in page.content.decode()
    # a nonsense month falls back to this month instead of failing
    assert (
        client_for(alice).get(reverse("social:diary-page") + "?view=calendar&month=9999-99").status_code
        == 200
    )


# -- watched ------------------------------------------------------------------------------------
def test_a_diary_entry_counts_as_watched_for_chat_spoilers(alice, title):
    assert not title_watched_by(user=alice, title_id=title.pk)
    diary_entry_create(user=alice, title=title, watched_on=dt.date(2026, 1, 1))
    assert title_watched_by(user=alice, title_id=title.pk)
    assert selectors.title_ids_watched(user=alice) == {title.pk}


def test_title_ids_watched_joins_ratings_and_diary(alice):
    rated, logged, neither = TitleFactory(), TitleFactory(), TitleFactory()
    RatingFactory(user=alice, title=rated, half_stars=6, created_at=dt.datetime.now(dt.UTC))
    diary_entry_create(user=alice, title=logged, watched_on=dt.date(2026, 1, 1))
    assert selectors.title_ids_watched(user=alice) == {rated.pk, logged.pk}
    assert selectors.title_ids_watched(user=alice, title_ids=[logged.pk, neither.pk]) == {logged.pk}


# -- mini-homepage ------------------------------------------------------------------------------
def test_homepage_shows_watchlist_and_diary_subject_to_visibility(alice, bob, title):
    watched = TitleFactory(title_ko="다이어리 작품")
    watchlist_add(user=alice, title=title)
    diary_entry_create(user=alice, title=watched, watched_on=dt.date(2026, 1, 1))
    url = reverse("social:homepage", args=[alice.nickname])
    page = client_for(bob).get(url).content.decode()
    assert 'id="watchlist"' in page
    assert title.display_title in page
    assert 'id="diary"' in page
    assert "다이어리 작품" in page
    profile_update(user=alice, data={"visibility_watchlist": "private", "visibility_diary": "friends"})
    hidden = client_for(bob).get(url).content.decode()
    assert 'id="watchlist"' not in hidden
    assert 'id="diary"' not in hidden
    mine = client_for(alice).get(url).content.decode()
    assert 'id="watchlist"' in mine
    assert 'id="diary"' in mine


def test_nothing_is_half_written_when_the_title_vanishes(alice):
    title = TitleFactory()
    Title.objects.filter(pk=title.pk).delete()
    response = client_for(alice).post(reverse("social:diary", args=[title.pk]), {"watched_on": "2026-01-01"})
    assert response.status_code == 404
    assert not DiaryEntry.objects.exists()


def test_library_selectors_run_a_fixed_number_of_queries(alice, django_assert_num_queries):
    titles = [TitleFactory() for _ in range(6)]
    for i, title in enumerate(titles):
        watchlist_add(user=alice, title=title)
        diary_entry_create(user=alice, title=title, watched_on=dt.date(2026, 1, 1 + i))
    with django_assert_num_queries(1):
        assert len(list(selectors.watchlist_for_user(user=alice))) == 0  # watching crossed them off
    for title in titles:
        watchlist_add(user=alice, title=title)
    with django_assert_num_queries(1):
        items = list(
            selectors.watchlist_for_user(user=alice, filters=selectors.WatchlistFilters(sort="release"))
        )
        assert [item.title.display_title for item in items]
    with django_assert_num_queries(1):
        month = selectors.diary_month(user=alice, year=2026, month=1)
        assert month.count == 6
    with django_assert_num_queries(1):
        assert len(selectors.title_ids_watched(user=alice)) == 6


def test_watchlist_sorts_by_predicted_rating_when_recs_can_predict(alice, monkeypatch):
    # given: three titles and a predictor (the recs app's selector, faked here) that knows two
    low, high, unknown = TitleFactory(), TitleFactory(), TitleFactory()
    for title in (high, unknown, low):
        watchlist_add(user=alice, title=title)
    calls = []

    def fake_predictor(*, user_id, title_ids):
        calls.append((user_id, sorted(title_ids)))
        return {low.pk: 2.5, high.pk: 4.5}

    monkeypatch.setattr(selectors_library, "watchlist_predictor", lambda: fake_predictor)
    # when
    items = selectors.watchlist_with_predictions(
        user=alice, filters=selectors.WatchlistFilters(sort="predicted")
    )
    # then: best prediction first, unknown last, one predictor call for the whole list
    assert [i.title_id for i in items] == [high.pk, low.pk, unknown.pk]
    assert [i.predicted for i in items] == [4.5, 2.5, None]
    assert calls == [(alice.pk, sorted([low.pk, high.pk, unknown.pk]))]
    page = client_for(alice).get(reverse("social:watchlist-page") + "?sort=predicted").content.decode()
    assert 'value="predicted" selected' in page
    assert page.index(f'data-title-id="{high.pk}"') < page.index(f'data-title-id="{low.pk}"')


def test_watchlist_offers_no_predicted_sort_without_a_predictor(alice, title, monkeypatch):
    watchlist_add(user=alice, title=title)
    monkeypatch.setattr(selectors_library, "watchlist_predictor", lambda: None)
    page = client_for(alice).get(reverse("social:watchlist-page") + "?sort=predicted").content.decode()
    assert 'value="predicted"' not in page
    assert 'value="added" selected' in page
