"""The picks page, the Watcha-like onboarding, the star widget's endpoint and the board's title picker."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from apps.movies.search import title_search_fields_refresh
from apps.recs.models import Event
from apps.recs.models import EventKind
from apps.social.models import BoardLike
from apps.social.models import BoardPost
from apps.social.models import Profile
from apps.social.models import Rating
from apps.social.services import board_post_create
from apps.social.services import diary_entry_create
from apps.social.services import rating_set
from tests.factories import GenreFactory
from tests.factories import ProviderFactory
from tests.factories import TitleFactory
from tests.social.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(db):
    return [TitleFactory(title_ko=f"인기작 {i}", popularity=100 - i) for i in range(12)]


# -- picks -----------------------------------------------------------------------------------
def _shown(response) -> set[int]:
    html = response.content.decode()
    return {int(part.split('"')[0]) for part in html.split('class="card lib-card" data-title-id="')[1:]}


def test_picks_page_shows_rows_with_reasons_and_leaves_out_what_i_saw(alice, shelf):
    rating_set(user=alice, title=shelf[0], stars="4")
    diary_entry_create(user=alice, title=shelf[1], watched_on=dt.date(2026, 1, 1))
    response = client_for(alice).get(reverse("social:picks"))
    shown = _shown(response)
    assert shown
    assert shelf[0].pk not in shown  # rated
    assert shelf[1].pk not in shown  # logged in the diary
    assert "<h2>" in response.content.decode()  # each row is headed by its reason


def test_not_interested_dismisses_a_pick_for_good(alice, shelf):
    client = client_for(alice)
    target = shelf[2]
    assert target.pk in _shown(client.get(reverse("social:picks")))
    response = client.post(reverse("social:pick-dismiss", args=[target.pk]))
    assert response.status_code == 302
    assert Event.objects.filter(user=alice, title=target, kind=EventKind.REC_DISMISS).exists()
    assert target.pk not in _shown(client.get(reverse("social:picks")))


def test_a_dismissed_pick_is_listed_as_hidden_and_can_be_brought_back(alice, bob, shelf):
    client = client_for(alice)
    client.cookies["django_language"] = "en"
    target = shelf[2]
    client.post(reverse("social:pick-dismiss", args=[target.pk]))
    client.post(reverse("social:pick-dismiss", args=[shelf[3].pk]))
    client_for(bob).post(reverse("social:pick-dismiss", args=[target.pk]))  # someone else's

    # the picks page keeps what "관심 없음" hid in view, the latest first
    page = client.get(reverse("social:picks")).content.decode()
    hidden = page.split('id="hidden-picks"')[1]
    assert "Hidden from my picks (2)" in hidden
    assert hidden.index(shelf[3].title_en) < hidden.index(target.title_en)

    # bringing one back deletes alice's dismissals of it (not bob's) and says so
    response = client.post(reverse("social:pick-restore", args=[target.pk]), follow=True)
    assert f"{target.title_en} may be suggested again." in response.content.decode()
    assert not Event.objects.filter(user=alice, title=target, kind=EventKind.REC_DISMISS).exists()
    assert Event.objects.filter(user=bob, title=target, kind=EventKind.REC_DISMISS).exists()
    assert target.pk in _shown(client.get(reverse("social:picks")))
    assert "Hidden from my picks (1)" in client.get(reverse("social:picks")).content.decode()


def test_bringing_back_what_was_never_hidden_says_so_and_writes_nothing(alice, shelf):
    client = client_for(alice)
    client.cookies["django_language"] = "en"
    before = Event.objects.count()

    response = client.post(reverse("social:pick-restore", args=[shelf[0].pk]), follow=True)

    assert f"{shelf[0].title_en} was not hidden from your picks." in response.content.decode()
    assert Event.objects.count() == before
    assert 'id="hidden-picks"' not in response.content.decode()
    assert client.post(reverse("social:pick-restore", args=[987654321])).status_code == 404
    assert client.get(reverse("social:pick-restore", args=[shelf[0].pk])).status_code == 405


def test_picks_page_needs_a_login(shelf):
    from django.test import Client

    assert Client().get(reverse("social:picks")).status_code == 302


# -- onboarding ---------------------------------------------------------------------------------
def test_onboarding_grid_has_a_star_form_per_poster_and_counts_toward_ten(alice, shelf):
    rating_set(user=alice, title=shelf[0], stars="3")
    page = client_for(alice).get(reverse("social:onboarding")).content.decode()
    assert page.count("data-stars-form") == len(shelf)
    assert "data-ob-count>1</strong>" in page
    assert "?step=taste" in page  # skip is always there


def test_onboarding_taste_step_ends_on_the_picks_page(alice, shelf):
    drama = GenreFactory(slug="drama")
    netflix = ProviderFactory(slug="netflix")
    response = client_for(alice).post(
        reverse("social:onboarding") + "?step=taste", {"genres": [drama.pk], "services": [netflix.pk]}
    )
    assert response["Location"] == reverse("social:picks")
    assert list(alice.favourite_genres.all()) == [drama]
    assert list(alice.my_services.all()) == [netflix]
    assert Profile.objects.get(user=alice).onboarded_at is not None


def test_onboarding_taste_with_an_unknown_genre_changes_nothing(alice):
    response = client_for(alice).post(reverse("social:onboarding") + "?step=taste", {"genres": ["999999"]})
    assert response.status_code == 200
    assert "알 수 없는 장르" in response.content.decode()
    assert not alice.favourite_genres.exists()


# -- the star widget's endpoint -----------------------------------------------------------------
def test_rating_endpoint_answers_fetch_with_json(alice, title):
    client = client_for(alice)
    url = reverse("social:rate", args=[title.pk])
    data = client.post(url, {"stars": "3.5"}, HTTP_ACCEPT="application/json").json()
    assert data["stars"] == 3.5
    assert data["title_rating_count"] == 1
    cleared = client.post(url, {"clear": "1"}, HTTP_ACCEPT="application/json").json()
    assert cleared["stars"] is None
    assert not Rating.objects.exists()
    # clearing twice is harmless
    assert client.post(url, {"clear": "1"}, HTTP_ACCEPT="application/json").status_code == 200


@pytest.mark.parametrize("stars", ["5.5", "0.25", "-0.5", "6", "abc", "nan", "Infinity"])
def test_rating_values_outside_half_to_five_are_refused_with_a_message(alice, title, stars):
    response = client_for(alice).post(
        reverse("social:rate", args=[title.pk]), {"stars": stars}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert json.loads(response.content)["message"]
    assert not Rating.objects.exists()


def test_rating_form_without_javascript_sets_and_clears(alice, title):
    client = client_for(alice)
    url = reverse("social:rate", args=[title.pk])
    client.post(url, {"stars": "0.5"})
    assert Rating.objects.get().half_stars == 1
    client.post(url, {"stars": "4.0", "clear": "1"})
    assert not Rating.objects.exists()


def test_title_page_has_ten_half_star_radios_with_my_rating_checked(alice, title):
    rating_set(user=alice, title=title, stars="2.5")
    page = client_for(alice).get(reverse("social:title", args=[title.pk])).content.decode()
    form = page.split("data-stars-form")[1].split("</form>")[0]
    assert form.count('type="radio"') == 10
    assert 'value="2.5" checked' in form
    assert "<select" not in page.split('id="social"')[1].split("</section>")[0]


def test_title_page_says_no_ratings_yet_instead_of_zero(alice, title):
    page = client_for(alice).get(reverse("social:title", args=[title.pk])).content.decode()
    assert "평가 없음" in page
    assert "0.0 / 5" not in page


# -- board --------------------------------------------------------------------------------------
def test_board_post_with_picked_titles_and_unknown_titles(alice, title):
    client = client_for(alice)
    ok = client.post(reverse("social:board-new"), {"heading": "강추", "body": "꼭", "title_ids": [title.pk]})
    assert ok.status_code == 302
    bad = client.post(
        reverse("social:board-new"), {"heading": "없는 작품", "body": "꼭", "title_ids": ["99999999"]}
    )
    assert bad.status_code == 200
    assert "없는 작품이 있어요" in bad.content.decode()
    assert BoardPost.objects.count() == 1


def test_board_post_without_javascript_takes_the_best_match_of_the_typed_name(alice):
    parasite = TitleFactory(title_ko="기생충", title_en="Parasite", popularity=99)
    title_search_fields_refresh(title_ids=[parasite.pk])
    client = client_for(alice)
    client.post(reverse("social:board-new"), {"heading": "강추", "body": "꼭", "title_query": "기생충"})
    assert list(BoardPost.objects.get().titles.all()) == [parasite]
    nothing = client.post(
        reverse("social:board-new"), {"heading": "강추", "body": "꼭", "title_query": "존재하지않는제목zzz"}
    )
    assert "맞는 작품이 없어요" in nothing.content.decode()
    assert BoardPost.objects.count() == 1


def test_board_like_can_be_undone_and_author_edits_and_deletes(alice, bob, title):
    post = board_post_create(author=alice, heading="강추", body="꼭", title_ids=[title.pk])
    b = client_for(bob)
    b.post(reverse("social:board-like", args=[post.pk]), {"liked": "1"})
    page = b.get(reverse("social:board-detail", args=[post.pk])).content.decode()
    assert 'aria-pressed="true"' in page
    b.post(reverse("social:board-like", args=[post.pk]), {"liked": "0"})
    assert not BoardLike.objects.exists()
    post.refresh_from_db()
    assert post.like_count == 0
    a = client_for(alice)
    edit = a.get(reverse("social:board-edit", args=[post.pk])).content.decode()
    assert f'name="title_ids" value="{title.pk}"' in edit
    a.post(
        reverse("social:board-edit", args=[post.pk]),
        {"heading": "수정", "body": "꼭", "title_ids": [title.pk]},
    )
    post.refresh_from_db()
    assert post.heading == "수정"
    a.post(reverse("social:board-delete", args=[post.pk]))
    assert not BoardPost.objects.exists()
