"""연말결산: a person's year read off their diary, ratings and chat, behind their visibility."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from PIL import Image
from PIL import ImageDraw

from apps.chat.models import RoomVisibility
from apps.chat.services import message_create
from apps.chat.services import room_create
from apps.movies.models import Credit
from apps.movies.models import CreditRole
from apps.movies.models import Person
from apps.movies.services.catalog import title_masks_refresh
from apps.social.models import Rating
from apps.social.models import Visibility
from apps.social.services.friends import block_set
from apps.social.services.friends import friend_request_accept
from apps.social.services.friends import friend_request_send
from apps.social.services.homepage import profile_get_or_create
from apps.social.services.ratings import diary_entry_create
from apps.social.services.ratings import rating_set
from apps.yearly import image as year_image
from apps.yearly.selectors import year_in_review_get
from apps.yearly.selectors import year_in_review_years
from tests.factories import GenreFactory
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1  # a whole past year: every month can hold viewings


def _text(html: str) -> str:
    return re.sub(r"\s+([:)])", r"\1", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def world():
    drama = GenreFactory(slug="drama", name_en="Drama", name_ko="드라마")
    crime = GenreFactory(slug="crime", name_en="Crime", name_ko="범죄")
    bong = Person.objects.create(name="봉준호", name_en="Bong Joon-ho")
    song = Person.objects.create(name="송강호", name_en="Song Kang-ho")
    titles = {}
    for name, genre, runtime in [
        ("기생충", drama, 132),
        ("살인의 추억", crime, 131),
        ("마더", crime, 128),
        ("괴물", drama, None),  # running time unknown
    ]:
        title = TitleFactory(title_ko=name, title_en="", title_original=name, runtime_minutes=runtime)
        title.genres.add(genre)
        Credit.objects.create(title=title, person=bong, role=CreditRole.DIRECTOR)
        Credit.objects.create(title=title, person=song, role=CreditRole.CAST, order=0)
        titles[name] = title
    title_masks_refresh(title_ids=[t.pk for t in titles.values()])
    owner = UserFactory(nickname="연말러")
    # March: two viewings (one a rewatch), July: one, November: one; and one viewing in the year
    # before, which must not count.
    diary_entry_create(user=owner, title=titles["기생충"], watched_on=dt.date(YEAR, 3, 2), stars=5)
    diary_entry_create(user=owner, title=titles["기생충"], watched_on=dt.date(YEAR, 3, 20), rewatch=True)
    diary_entry_create(user=owner, title=titles["살인의 추억"], watched_on=dt.date(YEAR, 7, 1), stars=4)
    diary_entry_create(user=owner, title=titles["괴물"], watched_on=dt.date(YEAR, 11, 5))
    diary_entry_create(user=owner, title=titles["마더"], watched_on=dt.date(YEAR - 1, 6, 1), stars=2)
    # Ratings given with the viewings are dated now; place them in their year.
    in_year = timezone.make_aware(dt.datetime(YEAR, 7, 1, 12))
    Rating.objects.filter(user=owner).update(created_at=in_year)
    Rating.objects.filter(user=owner, title=titles["마더"]).update(
        created_at=timezone.make_aware(dt.datetime(YEAR - 1, 6, 1, 12))
    )
    return {"owner": owner, "titles": titles}


def _befriend(a, b) -> None:
    request = friend_request_send(from_user=a, to_user=b)
    friend_request_accept(user=b, request_id=request.pk)


def _page(client: Client, owner, year: int = YEAR) -> tuple[int, str]:
    url = reverse("yearly:year", kwargs={"nickname": owner.nickname, "year": year})
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    return response.status_code, response.content.decode()


def test_the_year_counts_viewings_hours_ratings_and_people_of_that_year_only(world):
    with translation.override("en"):
        review = year_in_review_get(owner=world["owner"], viewer=None, year=YEAR)

    assert review.visible
    assert (review.viewings, review.titles_watched, review.rewatches) == (4, 3, 1)
    # 기생충 twice (132 + 132) + 살인의 추억 131; 괴물's running time is unknown.
    assert (review.minutes, review.runtime_known, review.hours) == (395, 3, 7)
    assert (review.busiest_month, review.busiest_month_viewings) == (3, 2)
    assert [m.n for m in review.months] == [0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0]
    assert review.ratings_given == 2
    assert review.average == 4.5
    assert [(b.title.title_ko, b.stars) for b in review.best] == [("기생충", 5), ("살인의 추억", 4)]
    assert {(s.label, s.n, s.share) for s in review.genres} == {("Drama", 2, 67), ("Crime", 1, 33)}
    assert [(s.label, s.n) for s in review.directors] == [("봉준호", 3)]
    assert [(s.label, s.n) for s in review.origins] == [("Korean", 3)]
    assert review.years == [YEAR, YEAR - 1]


def test_the_page_draws_the_year_as_server_side_svg_without_inline_styles(world, client):
    status, page = _page(client, world["owner"])

    assert status == 200
    text = _text(page)
    assert f"{YEAR} in review" in text
    assert "Titles watched 3" in text
    assert "Viewings 4 (1 rewatch)" in text
    assert "7 hours" in text
    assert "Hours count the 3 of 4 viewings whose running time we know." in text
    assert "busiest: March (2 viewings)" in text
    assert "기생충" in page
    assert "Rated ★5 " in text
    assert "봉준호: 3 titles" in text
    assert page.count('class="taste__bar') >= 12
    assert ' style="' not in page.split('class="taste year"', 1)[1]
    # The year before is a link of its own; the card is the page's share image.
    assert reverse("yearly:year", kwargs={"nickname": "연말러", "year": YEAR - 1}) in page
    assert 'property="og:image"' in page


def test_private_sections_are_hidden_from_others_and_shown_to_the_owner(world, client):
    owner = world["owner"]
    profile = profile_get_or_create(user=owner)
    profile.visibility_ratings = Visibility.PRIVATE
    profile.visibility_diary = Visibility.FRIENDS
    profile.save()

    stranger = year_in_review_get(owner=owner, viewer=UserFactory(), year=YEAR)
    assert stranger.visible  # taste is public
    assert (stranger.viewings, stranger.ratings_given, stranger.best, stranger.months) == (0, 0, [], [])
    status, page = _page(client, owner)
    assert status == 200
    assert "The owner keeps their ratings private" in _text(page)
    assert "Titles watched" not in page

    friend = UserFactory()
    _befriend(owner, friend)
    assert year_in_review_get(owner=owner, viewer=friend, year=YEAR).viewings == 4
    assert year_in_review_get(owner=owner, viewer=friend, year=YEAR).ratings_given == 0
    mine = year_in_review_get(owner=owner, viewer=owner, year=YEAR)
    assert (mine.viewings, mine.ratings_given) == (4, 2)


def test_a_wholly_private_year_answers_403_and_shows_nothing(world, client):
    profile = profile_get_or_create(user=world["owner"])
    profile.visibility_ratings = profile.visibility_diary = profile.visibility_taste = Visibility.PRIVATE
    profile.save()

    status, page = _page(client, world["owner"])

    assert status == 403
    assert "기생충" not in page
    assert "not shared with you" in page
    card = client.get(reverse("yearly:year-card", kwargs={"nickname": "연말러", "year": YEAR}))
    assert card.status_code == 403


def test_a_blocked_viewer_sees_nothing(world):
    viewer = UserFactory()
    block_set(blocker=world["owner"], blocked=viewer)

    review = year_in_review_get(owner=world["owner"], viewer=viewer, year=YEAR)

    assert not review.visible
    assert review.viewings == 0


def test_taste_mates_are_the_friends_who_agree_most_and_private_raters_are_left_out(world):
    owner, titles = world["owner"], world["titles"]
    close, far, secret, stranger = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    for friend in (close, far, secret):
        _befriend(owner, friend)
    # The owner's year: 기생충 ★5, 살인의 추억 ★4, 괴물 unrated (so not comparable).
    rating_set(user=owner, title=titles["괴물"], stars=3)
    Rating.objects.filter(user=owner).update(created_at=timezone.make_aware(dt.datetime(YEAR, 8, 1)))
    for person, stars in ((close, (5, 4, 3)), (far, (1, 1, 5)), (secret, (5, 4, 3)), (stranger, (5, 4, 3))):
        for name, given in zip(("기생충", "살인의 추억", "괴물"), stars, strict=True):
            rating_set(user=person, title=titles[name], stars=given)
    hidden = profile_get_or_create(user=secret)
    hidden.visibility_ratings = Visibility.PRIVATE
    hidden.save()

    mates = year_in_review_get(owner=owner, viewer=None, year=YEAR).mates

    assert [(m.user, m.common, m.match) for m in mates] == [(close, 3, 100), (far, 3, 33)]


def test_chat_rooms_count_the_year_s_messages_and_invite_only_rooms_stay_the_owner_s(world):
    owner = world["owner"]
    public = room_create(owner=owner, name="금요일 밤 영화 모임", topic="")
    private = room_create(owner=owner, name="비밀 모임", topic="", visibility=RoomVisibility.INVITE_ONLY)
    for body in ("하나", "둘"):
        message_create(room_id=public.pk, author=owner, body=body)
    message_create(room_id=private.pk, author=owner, body="쉿")
    this_year = timezone.localdate().year

    others = year_in_review_get(owner=owner, viewer=None, year=this_year).rooms
    mine = year_in_review_get(owner=owner, viewer=owner, year=this_year).rooms

    assert [(r.name, r.messages) for r in others] == [("금요일 밤 영화 모임", 2)]
    assert [(r.name, r.messages) for r in mine] == [("금요일 밤 영화 모임", 2), ("비밀 모임", 1)]
    assert this_year in year_in_review_years(owner=owner, viewer=None)


def test_the_latest_year_link_goes_to_the_newest_year_with_activity(world, client):
    response = client.get(reverse("yearly:year-latest", kwargs={"nickname": "연말러"}))

    assert response.status_code == 302
    assert response.url == reverse("yearly:year", kwargs={"nickname": "연말러", "year": YEAR})


def test_a_year_without_activity_teaches_what_fills_it(world, client):
    client.force_login(world["owner"])

    status, page = _page(client, world["owner"], year=YEAR - 5)

    assert status == 200
    assert f"Nothing logged in {YEAR - 5} yet." in page
    assert reverse("social:diary-page") in page


@pytest.mark.parametrize("year", [1800, 9999])
def test_years_nobody_could_have_logged_are_not_pages(world, client, year):
    assert _page(client, world["owner"], year=year)[0] == 404


def test_an_unknown_person_is_404(client):
    response = client.get(reverse("yearly:year", kwargs={"nickname": "없는사람", "year": YEAR}))

    assert response.status_code == 404


def test_the_share_card_is_a_png_drawn_with_a_korean_font(world, client):
    response = client.get(
        reverse("yearly:year-card", kwargs={"nickname": "연말러", "year": YEAR}), HTTP_ACCEPT_LANGUAGE="ko"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["ETag"]
    card = Image.open(io.BytesIO(response.content))
    assert card.size == (1200, 630)
    regular, _bold = year_image.korean_font_paths()
    assert "Nanum" in regular.name or "CJK" in regular.name


def test_hangul_is_drawn_as_glyphs_not_boxes():
    """Text a font lacks is drawn as one and the same box for every character: distinct Hangul
    syllables drawn with the card's font must give distinct pixels."""
    font = year_image._font(40)
    shapes = set()
    for syllable in "결산영화":
        canvas = Image.new("L", (60, 60))
        ImageDraw.Draw(canvas).text((5, 5), syllable, font=font, fill=255)
        shapes.add(canvas.tobytes())
    assert len(shapes) == 4


def test_without_a_korean_font_the_card_says_what_to_install(world, client, settings, monkeypatch):
    monkeypatch.setattr(year_image, "FONT_CANDIDATES", ())
    settings.MOOCHU_KOREAN_FONT = "/nowhere/font.ttf"
    year_image.korean_font_paths.cache_clear()
    year_image._font.cache_clear()
    try:
        response = client.get(reverse("yearly:year-card", kwargs={"nickname": "연말러", "year": YEAR}))
    finally:
        year_image.korean_font_paths.cache_clear()
        year_image._font.cache_clear()

    assert response.status_code == 503
    assert "fonts-nanum" in response.content.decode()


def test_no_busiest_month_when_months_tie_and_no_hours_when_no_running_time_is_known(client):
    owner = UserFactory(nickname="고른달")
    for month in (2, 5):
        title = TitleFactory(runtime_minutes=None)
        diary_entry_create(user=owner, title=title, watched_on=dt.date(YEAR, month, 1))

    review = year_in_review_get(owner=owner, viewer=None, year=YEAR)
    status, page = _page(client, owner)

    assert review.busiest_month is None
    assert review.runtime_known == 0
    assert status == 200
    assert "busiest" not in page
    assert "Hours watched" not in page
