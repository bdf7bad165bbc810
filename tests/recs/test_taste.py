"""The taste analysis page (취향분석): figures from ratings, drawn as SVG, behind the owner's visibility."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from apps.social.models import Visibility
from apps.social.services.homepage import profile_get_or_create
from apps.social.services.ratings import rating_set
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(mixed_world):
    person = UserFactory(nickname="봉준호팬")
    korean = mixed_world["korean"]
    for name, stars in [("살인의 추억", 5), ("마더", 4.5), ("괴물", 4), ("기생충", 5), ("올드보이", 3)]:
        rating_set(user=person, title=korean[name], stars=stars)
    for title in mixed_world["hollywood"][:3]:
        title.runtime_minutes = 120
        title.save(update_fields=["runtime_minutes"])
        rating_set(user=person, title=title, stars=2)
    return person


def _page(client: Client, person) -> tuple[int, str]:
    response = client.get(
        reverse("social:taste", kwargs={"nickname": person.nickname}), HTTP_ACCEPT_LANGUAGE="en"
    )
    return response.status_code, response.content.decode()


def test_the_taste_page_shows_figures_and_favourites_as_server_drawn_svg(owner, client):
    status, page = _page(client, owner)

    assert status == 200
    assert "<svg" in page
    assert "<script" not in page.split("<main", 1)[-1].split("</main>", 1)[0]
    assert ' style="' not in page.split('class="taste"', 1)[1]
    assert ">8<" in page  # ratings
    assert "★3.4" in page  # (5 + 4.5 + 4 + 5 + 3 + 2 + 2 + 2) / 8 = 3.44
    assert "6 hours" in page  # three rated titles of 120 minutes
    assert "봉준호" in page  # the favourite director, 4 of 8 ratings
    assert "봉준호: 4 titles, ★4.6 on average" in re.sub(r"<[^>]+>", "", page)  # the name is marked
    assert "송강호" in page
    assert "Follows 봉준호" in page


def test_a_private_taste_analysis_hides_everything_from_others(owner, client):
    profile = profile_get_or_create(user=owner)
    profile.visibility_taste = Visibility.PRIVATE
    profile.save()

    status, page = _page(client, owner)
    stranger = Client()
    stranger.force_login(UserFactory())
    status_logged, page_logged = _page(stranger, owner)
    own = Client()
    own.force_login(owner)
    own_status, own_page = _page(own, owner)

    assert (status, status_logged) == (403, 403)
    for text in (page, page_logged):
        assert "봉준호:" not in text
        assert "taste__share-chart" not in text
        assert "not shared with you" in text
    assert own_status == 200
    assert "봉준호: 4 titles" in re.sub(r"<[^>]+>", "", own_page)


def test_hidden_ratings_hide_the_rating_figures_but_not_the_favourites(owner, client):
    profile = profile_get_or_create(user=owner)
    profile.visibility_ratings = Visibility.FRIENDS
    profile.save()

    status, page = _page(client, owner)

    assert status == 200
    assert "봉준호: 4 titles" in re.sub(r"<[^>]+>", "", page)
    assert "Rating distribution" not in page
    assert "Hours watched" not in page
    assert "★3.4" not in page
    assert "keeps their ratings private" in page


def test_identical_ratings_and_no_ratings_render(mixed_world, client):
    same = UserFactory(nickname="다섯별")
    for title in mixed_world["hollywood"][:6]:
        rating_set(user=same, title=title, stars=5)
    nobody = UserFactory(nickname="새내기")

    status, page = _page(client, same)
    empty_status, empty_page = _page(client, nobody)

    assert status == 200
    assert "★5.0" in page
    assert "Generous with stars" in page
    assert empty_status == 200
    assert "No ratings yet" in empty_page


def test_the_mini_homepage_links_to_the_taste_page(owner, client):
    page = client.get(reverse("social:homepage", kwargs={"nickname": owner.nickname})).content.decode()
    assert reverse("social:taste", kwargs={"nickname": owner.nickname}) in page


def test_an_unknown_person_has_no_taste_page(client, db):
    assert client.get(reverse("social:taste", kwargs={"nickname": "아무도아님"})).status_code == 404
