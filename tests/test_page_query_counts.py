"""Main pages run a fixed number of SQL queries, however many titles, ratings or friends exist.

Each test renders a page once with a little data and once with much more; an N+1 (a query
per card, per entry) makes the second count larger. The counts are also pinned, so a new
query on a hot page is a decision someone made on purpose.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.movies.selectors import catalog_vocabulary_clear
from apps.movies.services.catalog import title_masks_refresh
from apps.recs.selectors import recs_trending_clear
from apps.social.services import diary_entry_create
from apps.social.services import friend_request_accept
from apps.social.services import friend_request_send
from apps.social.services import guestbook_entry_create
from apps.social.services import rating_set
from apps.social.services import review_upsert
from apps.social.services import user_nickname_set
from apps.social.services import watchlist_add
from tests.factories import AvailabilityFactory
from tests.factories import CreditFactory
from tests.factories import GenreFactory
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_cache")]


def _queries(client: Client, path: str) -> int:
    """Queries of a warm request (per-process caches filled by a first one)."""
    catalog_vocabulary_clear()
    recs_trending_clear()
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def _titles(count: int, *, rated_by=None) -> list:
    drama = GenreFactory(slug="drama", bit=1)
    made = []
    for _ in range(count):
        title = TitleFactory(rating_avg=3.5, rating_count=10)
        title.genres.set([drama])
        made.append(title)
    if rated_by is not None:
        for index, title in enumerate(made):
            rating_set(user=rated_by, title=title, stars=1 + index % 5)
    return made


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_front_page_logged_out_queries_do_not_grow_with_titles():
    _titles(3)
    few = _queries(Client(), "/")
    _titles(30)

    assert _queries(Client(), "/") == few
    assert few <= 3


def test_front_page_logged_in_queries_do_not_grow_with_titles_or_ratings():
    # given: rated titles and unrated ones, so every row of the page shows from the start
    user = UserFactory()
    _titles(5, rated_by=user)  # five ratings: the page shows 예상 별점 from the start
    _titles(5)
    client = _signed_in(user)
    few = _queries(client, "/")
    _titles(30, rated_by=user)
    _titles(30)

    assert _queries(client, "/") == few
    # 14 until the home rows reused the view's reads of the person's ratings (for 예상 별점)
    # and services (for "new on my services"): each is read once per page.
    assert few <= 12, few


def test_front_page_reads_the_persons_ratings_and_services_once():
    # given: a person with services and enough ratings for 예상 별점 on every row
    from tests.factories import ProviderFactory

    user = UserFactory()
    user.my_services.add(ProviderFactory(slug="watcha", bit=3))
    _titles(6, rated_by=user)
    _titles(6)
    client = _signed_in(user)
    client.get("/")

    # when
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200

    # then: one read of their ratings for the page (the grid's and the rows' 예상 별점) and one
    # of their services (the filter panel's and the "new on my services" row)
    sql = [q["sql"] for q in captured.captured_queries]
    ratings = [
        q
        for q in sql
        if q.startswith('SELECT "social_rating"."title_id" AS "title_id", "social_rating"."half_stars"')
    ]
    services = [q for q in sql if 'INNER JOIN "social_user_my_services"' in q]
    assert len(ratings) == 1, ratings
    assert len(services) == 1, services


def test_search_page_queries_do_not_grow_with_hits_or_lists():
    # given: one matching title and one matching list
    from apps.lists.services import list_create

    owner = UserFactory()

    def world(n: int) -> None:
        for i in range(n):
            TitleFactory(title_ko=f"괴물 {i}", search_titles=f"괴물 {i}", search_compact=f"괴물{i}")
            list_create(owner=owner, name=f"괴물 모음 {i}", visibility="public")

    world(1)
    path = "/search/?q=괴물"
    anonymous, signed_in = Client(), _signed_in(UserFactory())
    few = {"anonymous": _queries(anonymous, path), "signed in": _queries(signed_in, path)}

    # when: many more of both
    world(15)

    # then: the same queries (the ranking with its cards; the lists' ids, then the lists), and
    # the signed-in page adds only the person
    assert {"anonymous": _queries(anonymous, path), "signed in": _queries(signed_in, path)} == few
    assert few == {"anonymous": 3, "signed in": 4}, few
    page = anonymous.get(path).text
    assert page.count('class="list__item search-result"') == 16
    assert "괴물 모음 14" in page


def test_feed_page_and_api_queries_do_not_grow_with_friends_activity():
    # given: a person with a friend who rated a title
    user, friend = UserFactory(), UserFactory()
    request = friend_request_send(from_user=friend, to_user=user, message="")
    friend_request_accept(user=user, request_id=request.pk)
    rating_set(user=friend, title=TitleFactory(), stars=4)
    client = _signed_in(user)
    few = {path: _queries(client, path) for path in ("/feed/", "/api/social/feed/")}

    # when: a full page of ratings, reviews and board posts by more friends
    for _ in range(3):
        other = UserFactory()
        request = friend_request_send(from_user=other, to_user=user, message="")
        friend_request_accept(user=user, request_id=request.pk)
        for title in _titles(5):
            rating_set(user=other, title=title, stars=3)
            review_upsert(user=other, title=title, body="볼 만해요")

    # then: no query per activity, actor or title (what both show of them is read at once)
    assert {path: _queries(client, path) for path in ("/feed/", "/api/social/feed/")} == few
    assert few["/feed/"] <= 3, few
    assert client.get("/feed/").text.count('class="list__item feed-item"') == 20


def test_title_page_queries_do_not_grow_with_similar_titles_or_reviews(fragment_cache):
    # (the similar-titles ranking is cached as in production: its own queries depend on the data)
    title, *_ = _titles(3)
    few = _queries(Client(), f"/titles/{title.pk}/")
    _titles(30)
    for _ in range(5):
        review_upsert(user=UserFactory(), title=title, body="좋았어요")
    _catalog_rows(title)

    assert _queries(Client(), f"/titles/{title.pk}/") == few
    # The title (with the digest of its catalog rows: genres, people and offers are drawn once
    # per version), the similar cards, the reviews, the board posts. 7 before the digest.
    assert few <= 4


def test_title_page_signed_in_queries_do_not_grow_with_friends_reviews_or_ratings(fragment_cache):
    # given: a person with ratings, a friend, a review, a diary entry and a watchlist entry
    user = UserFactory()
    title, *_ = _titles(8, rated_by=user)
    _befriend(user)
    review_upsert(user=user, title=title, body="내 리뷰")
    diary_entry_create(user=user, title=title, watched_on=datetime.date(2026, 1, 2))
    watchlist_add(user=user, title=title)
    client = _signed_in(user)
    few = _queries(client, f"/titles/{title.pk}/")

    # when: many more friends, reviews by others, ratings and catalog rows
    for _ in range(5):
        _befriend(user)
        review_upsert(user=UserFactory(), title=title, body="좋았어요")
    _titles(20, rated_by=user)
    _catalog_rows(title)

    # then
    assert _queries(client, f"/titles/{title.pk}/") == few
    # The anonymous page's 4, the person, their ratings (for 예상 별점 and their own stars), the
    # rating model's version, their watchlist entry and diary. 22 before the recommend dialog's
    # friends loaded on opening (8), the catalog digest (3) and my review read with the list.
    assert few <= 9


def _befriend(user) -> None:
    friend = UserFactory()
    request = friend_request_send(from_user=friend, to_user=user, message="")
    friend_request_accept(user=user, request_id=request.pk)


def _catalog_rows(title) -> None:
    """Cast, a director, offers and genres for ``title``: rows the page's sections show."""
    for order in range(6):
        CreditFactory(title=title, role="cast", order=order, character=f"역 {order}")
    CreditFactory(title=title, role="director")
    for _ in range(3):
        AvailabilityFactory(title=title)
    title.genres.add(GenreFactory(slug="comedy", bit=2))


def test_homepage_queries_do_not_grow_with_guestbook_friends_or_ratings():
    owner = UserFactory()
    visitor = UserFactory()
    _titles(2, rated_by=owner)
    client = _signed_in(visitor)
    path = f"/@{owner.nickname}/"
    few = _queries(client, path)
    for _ in range(6):
        friend = UserFactory()
        request = friend_request_send(from_user=friend, to_user=owner, message="")
        friend_request_accept(user=owner, request_id=request.pk)
        guestbook_entry_create(owner=owner, author=friend, body="놀러 왔어요")
    _titles(20, rated_by=owner)

    assert _queries(client, path) == few


def _statements(captured: CaptureQueriesContext) -> list[str]:
    """Each captured statement as its verb and first table, without the test's savepoints."""
    found = []
    for query in captured.captured_queries:
        table = re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', query["sql"])
        if table:
            found.append(f"{query['sql'].split()[0]} {table.group(1)}")
    return found


def test_an_anonymous_homepage_writes_nothing_and_its_beacon_writes_only_a_new_session():
    # given: an owner named through the nickname service (one lookup query) and first-time
    # visitors with no cookie, as a crawler or the edge cache's one request are
    owner = UserFactory(nickname=None)
    user_nickname_set(user=owner, nickname="방문객수")
    path = f"/@{owner.nickname}/"
    Client().get(path)  # warm per-process caches
    browser = Client()

    # when: the page is drawn, then its visit beacon posts, twice (a reload)
    with CaptureQueriesContext(connection) as page:
        assert browser.get(path).status_code == 200
    with CaptureQueriesContext(connection) as first:
        assert browser.post(f"{path}visit/", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert browser.post(f"{path}visit/", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200

    # then: the page only reads, and never the session table
    assert {statement.split()[0] for statement in _statements(page)} == {"SELECT"}
    assert not [q for q in page.captured_queries if "django_session" in q["sql"]]
    # the first beacon looks the owner up, makes the visitor's session (a free key, the row,
    # and the session middleware's own save) and reads the persisted counts; later ones
    # reuse the session from the cache
    assert _statements(first) == [
        "SELECT social_user",
        "SELECT django_session",
        "INSERT django_session",
        "SELECT social_visitdaily",
        "UPDATE django_session",
    ]
    assert _statements(again) == ["SELECT social_user", "SELECT social_visitdaily"]


@pytest.fixture
def fragment_cache(settings):
    """Fragment caching on (the test settings turn it off), in this process's memory."""
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tour"},
    }
    from django.core.cache import caches

    caches["fragments"].clear()
    yield caches["fragments"]
    caches["fragments"].clear()


def test_the_front_page_grid_follows_the_language_and_query(fragment_cache):
    # given: one title with different Korean and English names, the grid drawn in English
    title = TitleFactory(title_ko="괴물", title_en="The Host")
    english = Client(headers={"cookie": "django_language=en"})
    assert "The Host" in english.get("/").text

    # when: the same page in Korean, and a filtered page in English
    korean = Client(headers={"cookie": "django_language=ko"}).get("/").text
    filtered = english.get("/?type=tv").text

    # then: neither is served the English grid's cards
    assert "괴물" in korean
    assert f'href="/titles/{title.pk}/"' in korean
    assert "The Host" not in filtered


def test_a_changed_title_shows_on_the_front_page_at_once(fragment_cache):
    # given: the front page drawn (its cards memoised) with one title
    TitleFactory(title_ko="괴물", title_en="The Host", rating_avg=4.0, rating_count=3)
    client = Client(headers={"cookie": "django_language=en"})
    assert "The Host" in client.get("/").text

    # when: the title is renamed and rated again, without touching any cache
    from apps.movies.models import Title

    Title.objects.update(title_en="Gwoemul", rating_avg=2.5)

    # then: the next page shows the new name and average
    page = client.get("/").text
    assert "Gwoemul" in page
    assert "The Host" not in page
    assert "★ 2.5" in page


def test_signed_in_pages_read_the_session_from_the_cache():
    user = UserFactory()
    client = _signed_in(user)
    client.get("/coming-soon/")

    with CaptureQueriesContext(connection) as captured:
        client.get("/coming-soon/")

    assert not [q for q in captured.captured_queries if "django_session" in q["sql"]]


def test_title_page_signed_in_ranks_similar_titles_once():
    # given: a signed-in person with a friend (the recommend dialog, which ranks similar titles
    # for its match %, now loads its friends when opened)
    user = UserFactory()
    friend = UserFactory()
    request = friend_request_send(from_user=friend, to_user=user, message="")
    friend_request_accept(user=user, request_id=request.pk)
    title, *_ = _titles(8, rated_by=user)
    client = _signed_in(user)
    client.get(f"/titles/{title.pk}/")

    # when
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/titles/{title.pk}/").status_code == 200

    # then: the ranking's own query (the people credited on the title) ran once, not per section
    ranking = [
        q for q in captured.captured_queries if q["sql"].startswith('SELECT "movies_credit"."person_id" AS')
    ]
    assert len(ranking) == 1
    # 40 on the demo data before the ranking was shared by the row and the dialog, 30 before the
    # dialog's friends loaded when it opens.
    assert len(captured) <= 12


def test_the_similar_ranking_is_shared_between_requests_and_never_shows_a_deleted_title(fragment_cache):
    # given: a title page rendered once, its similar-titles ranking cached
    title, first, second = _titles(3)
    title_masks_refresh(title_ids=[title.pk, first.pk, second.pk])
    client = Client()
    page = client.get(f"/titles/{title.pk}/").text
    assert f'href="/titles/{first.pk}/"' in page

    # when: the page is opened again, after one of the similar titles was deleted
    second.delete()
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/titles/{title.pk}/").text

    # then: the ranking was not recomputed, and the card of the deleted title is gone
    assert not [
        q for q in captured.captured_queries if q["sql"].startswith('SELECT "movies_credit"."person_id" AS')
    ]
    assert f'href="/titles/{first.pk}/"' in page
    assert f'href="/titles/{second.pk}/"' not in page


def test_after_rating_a_title_the_front_page_shows_its_new_average_everywhere():
    # given: a signed-in person's front page, drawn once (cards, panel and rows kept per content)
    title = TitleFactory(title_en="The Host", rating_avg=4.0, rating_count=3)
    client = Client(headers={"cookie": "django_language=en"})
    client.force_login(UserFactory())
    first = client.get("/").text
    assert first.count("★ 4.0") == 2  # the trending row's card and the grid's

    # when: they rate it one star (the only rating it really has)
    from apps.social.models import User

    rating_set(user=User.objects.get(pk=int(client.session["_auth_user_id"])), title=title, stars=1)

    # then: the next page shows the new average in both places, and the old one nowhere
    page = client.get("/").text
    assert page.count("★ 1.0") == 2
    assert "★ 4.0" not in page
