from __future__ import annotations

import datetime
import re
from urllib.parse import parse_qsl

import pytest
from django.test import Client

from apps.movies.models import OfferType
from apps.movies.services.preferences import SESSION_MY_SERVICES_KEY
from tests.factories import AvailabilityFactory
from tests.factories import CreditFactory
from tests.factories import PersonFactory
from tests.factories import UserFactory
from tests.movies.catalog_data import SmallCatalog
from tests.movies.catalog_data import small_catalog_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog() -> SmallCatalog:
    return small_catalog_create()


def _card_ids(response) -> list[int]:
    return [
        int(i)
        for i in re.findall(
            r'class="card__link" href="/titles/(\d+)/"',
            # the results grid, not the recommendation rows above it
            response.content.decode().split('id="results-heading"')[-1],
        )
    ]


def _english(client: Client) -> Client:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_catalog_page_lists_titles_in_popularity_order(client, catalog):
    response = client.get("/")
    assert response.status_code == 200
    assert _card_ids(response) == [
        catalog.parasite.id,
        catalog.kingdom.id,
        catalog.extreme_job.id,
        catalog.oldboy.id,
        catalog.lonely.id,
    ]
    html = response.content.decode()
    assert 'data-suggest-url="/api/search/suggest/"' in html
    assert 'action="/search/"' in html


def test_unfiltered_first_page_opens_with_recommendation_rows(client, catalog):
    front = client.get("/").content.decode()
    filtered = client.get("/?genre=comedy").content.decode()
    second_page = client.get("/?page=2").content.decode()

    assert 'data-recs-list="trending"' in front
    assert 'data-recs-list="trending"' not in filtered
    assert 'data-recs-list="trending"' not in second_page


def test_catalog_page_filters_with_a_plain_get_form(client, catalog):
    response = client.get("/?genre=comedy&genre=horror&provider=netflix&type=movie")
    assert _card_ids(response) == [catalog.parasite.id, catalog.extreme_job.id]
    html = response.content.decode()
    # the ticked boxes stay ticked
    assert 'name="genre" value="comedy" checked' in html
    assert 'name="provider" value="netflix" checked' in html
    assert 'name="type" value="movie" checked' in html


def test_catalog_page_pager_links_are_canonical_and_shareable(client, catalog, settings):
    settings.CATALOG_PAGE_SIZE = 2
    response = client.get("/?genre=comedy&genre=horror&junk=1&genre=nope")
    html = response.content.decode()
    assert 'href="?genre=comedy&amp;genre=horror&amp;page=2"' in html
    second = client.get("/?genre=comedy&genre=horror&page=2")
    assert _card_ids(second) == [catalog.extreme_job.id, catalog.oldboy.id]
    assert 'rel="prev" href="?genre=comedy&amp;genre=horror&amp;page=1"' in second.content.decode()


def test_catalog_page_ignores_unknown_values_and_says_so(client, catalog):
    _english(client)
    response = client.get("/?genre=drama&genre=noir&sort=random&provider=hulu")

    assert response.status_code == 200
    assert _card_ids(response) == [catalog.parasite.id, catalog.oldboy.id]
    html = response.content.decode()
    assert "were not understood, so we ignored them" in html
    for echoed in ("“noir”", "“random”", "“hulu”"):
        assert echoed in html


def test_catalog_page_past_the_end_is_an_empty_page(client, catalog):
    _english(client)
    for page in ("2", "500", "9" * 40):
        response = client.get(f"/?page={page}")
        assert response.status_code == 200
        assert _card_ids(response) == []
        assert "There are no more titles past this page." in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "genre=" + "x" * 10_000,
        "q=" + "%41" * 3_400,
        "genre=drama%00%01%1b%7f&year_min=19%0099&sort=%0a",
        "genre=drama'%20OR%201=1--&provider=netflix%22;DROP%20TABLE%20movies_title;--",
        "year_min=1e9&year_max=-5&page=-1&page=0x10",
        "genre=" + ",".join(f"g{i}" for i in range(2_000)),
        "%ff%fe=%ff&genre=%c3%28",
        "age[]=1&type[$ne]=movie&sort[]=title",
    ],
)
def test_absurd_query_strings_change_nothing_and_crash_nothing(client, catalog, query):
    baseline = _card_ids(client.get("/"))

    page = client.get(f"/?{query}")
    api = client.get(f"/api/titles/?{query}")

    # NUL bytes and values over 8 KiB are refused before any view (config/bad_input.py)
    values = [value for _, value in parse_qsl(query, keep_blank_values=True)]
    gated = any("\x00" in value or len(value) > 8192 for value in values)
    assert page.status_code == (400 if gated else 200)
    assert api.status_code in (200, 400, 404)  # 404: a genre or provider slug naming nothing
    if api.status_code == 400:
        body = api.json()
        assert body["message"] == "Unknown filter values." or body["extra"].get("reason") in (
            "nul_byte",
            "too_long",
        )
    # whatever was not understood filtered nothing
    understood_drama = "genre=drama" in query and "genre=drama%00" not in query and "'" not in query
    assert gated or understood_drama or _card_ids(page) == baseline
    assert len(page.content) < 200_000  # echoes are truncated, not reflected whole
    # and nothing was written
    assert client.get("/").status_code == 200
    assert _card_ids(client.get("/")) == baseline


def test_absurd_values_are_echoed_escaped(client, catalog):
    response = client.get("/?genre=<script>alert(1)</script>")
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_my_services_saved_in_the_session_for_anonymous_visitors(client, catalog):
    response = client.post("/my-services/", {"provider": ["watcha", "nope"]})

    assert response.status_code == 302
    assert response["Location"] == "/?mine=1"
    assert client.session[SESSION_MY_SERVICES_KEY] == ["watcha"]
    assert _card_ids(client.get("/?mine=1")) == [catalog.parasite.id, catalog.oldboy.id]


def test_my_services_saved_on_the_account_for_users(client, catalog):
    user = UserFactory()
    client.force_login(user)

    client.post("/my-services/", {"provider": ["netflix", "watcha"]})

    assert set(user.my_services.values_list("slug", flat=True)) == {"netflix", "watcha"}
    page = client.get("/?mine=1&genre=horror")
    assert _card_ids(page) == [catalog.kingdom.id, catalog.oldboy.id]
    assert 'name="mine" value="1" checked' in page.content.decode()


def test_my_services_of_a_signed_out_visitor_need_no_csrf_token(catalog):
    # The catalog carries no token for them, so that anonymous pages set no cookie (nginx.conf).
    browser = Client(enforce_csrf_checks=True)

    response = browser.post("/my-services/", {"provider": ["watcha"]})

    assert response.status_code == 302
    assert browser.session[SESSION_MY_SERVICES_KEY] == ["watcha"]


def test_my_services_of_a_signed_in_user_are_refused_without_the_csrf_token(catalog):
    user = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    forged = browser.post("/my-services/", {"provider": ["watcha"]})
    page = browser.get("/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token, "the signed-in catalog form carries the token"
    saved = browser.post("/my-services/", {"provider": ["watcha"], "csrfmiddlewaretoken": token.group(1)})

    assert forged.status_code == 403
    assert saved.status_code == 302
    assert list(user.my_services.values_list("slug", flat=True)) == ["watcha"]


def test_anonymous_pages_set_no_cookie_so_the_edge_may_share_them(catalog):
    # A page that sets a cookie (a CSRF token, a session) is never kept by nginx's page cache.
    # The mini-homepage too: an anonymous visit is counted by the page's beacon, not the page.
    owner = UserFactory(nickname="미니홈피")
    paths = ["/", f"/titles/{catalog.parasite.id}/", "/coming-soon/", "/search/?q=기생", "/board/", "/chat/"]
    paths.append(f"/@{owner.nickname}/")
    for path in paths:
        response = Client().get(path)
        assert response.status_code == 200, path
        assert not response.cookies, f"{path} set {list(response.cookies)}"
        assert "csrfmiddlewaretoken" not in response.content.decode(), path


def test_the_language_switch_needs_no_csrf_token(catalog):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert ">Browse<" in browser.get("/").content.decode()


def _my_services_form(response) -> str:
    return response.content.decode().split('class="my-services"')[1].split("</form>")[0]


def test_each_visitor_sees_their_own_services_in_the_filter_panel(catalog):
    # given: the filter panel is kept per content (apps.common.rendered); three visitors
    watcha_fan, netflix_fan, newcomer = Client(), Client(), Client()
    watcha_fan.post("/my-services/", {"provider": ["watcha"]})
    netflix_fan.post("/my-services/", {"provider": ["netflix"]})

    # when: each opens the same page
    pages = {
        name: c.get("/") for name, c in [("watcha", watcha_fan), ("netflix", netflix_fan), ("none", newcomer)]
    }

    # then: each panel shows that visitor's services, and only the first two may filter by them
    assert 'value="watcha" checked' in _my_services_form(pages["watcha"])
    assert 'value="netflix" checked' not in _my_services_form(pages["watcha"])
    assert 'value="netflix" checked' in _my_services_form(pages["netflix"])
    assert "checked" not in _my_services_form(pages["none"])
    assert 'name="mine" value="1" disabled' in pages["none"].content.decode()
    assert 'name="mine" value="1" disabled' not in pages["watcha"].content.decode()


def test_changed_services_show_in_the_filter_panel_at_once(catalog):
    # given: a signed-in person whose panel was drawn with Watcha
    client = Client()
    client.force_login(UserFactory())
    client.post("/my-services/", {"provider": ["watcha"]})
    assert 'value="watcha" checked' in _my_services_form(client.get("/"))

    # when: they switch to Netflix
    client.post("/my-services/", {"provider": ["netflix"]})

    # then: the next page's panel says so, in both forms
    page = client.get("/?mine=1")
    assert 'value="netflix" checked' in _my_services_form(page)
    assert 'value="watcha" checked' not in _my_services_form(page)
    assert 'name="mine" value="1" checked' in page.content.decode()


def test_my_services_save_refuses_offsite_next(client, catalog):
    response = client.post("/my-services/", {"provider": ["netflix"], "next": "https://evil.example/"})
    assert response["Location"] == "/?mine=1"


def test_title_page_shows_details_offers_people_and_similar(client, catalog):

    _english(client)
    CreditFactory(title=catalog.parasite, person=PersonFactory(name="봉준호"), role="director")
    CreditFactory(title=catalog.parasite, person=PersonFactory(name="송강호"), role="cast", character="기택")
    AvailabilityFactory(
        title=catalog.parasite,
        provider=catalog.cgv,
        offer_type=OfferType.COMING_SOON,
        starts_on=datetime.date(2026, 12, 3),
    )

    response = client.get(f"/titles/{catalog.parasite.id}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "기생충" in html
    assert "Parasite" in html
    assert "봉준호" in html
    assert "기택" in html
    assert "as of 2026-11-01" in html
    assert "Opens 2026-12-03" in html
    offers = re.findall(r'class="offer-group__name">([^<]+)<', html)
    assert offers == ["Netflix", "Watcha", "CGV"]
    similar = re.findall(r'href="/titles/(\d+)/"', html.split("similar-heading")[-1])
    assert [int(i) for i in similar] == [catalog.extreme_job.id, catalog.oldboy.id]


def test_title_page_unknown_title_is_404(client, catalog):
    assert client.get("/titles/987654/").status_code == 404


def test_coming_soon_page_lists_cinema_releases(client, catalog):
    AvailabilityFactory(
        title=catalog.oldboy,
        provider=catalog.cgv,
        offer_type=OfferType.COMING_SOON,
        starts_on=datetime.date(2099, 1, 2),
    )
    response = client.get("/coming-soon/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "올드보이" in html
    assert "2099-01-02" in html
    assert "기생충" not in html


def test_placeholder_poster_is_a_cacheable_svg(client, catalog):
    response = client.get(f"/posters/{catalog.parasite.id}.svg")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "max-age=86400" in response["Cache-Control"]
    svg = response.content.decode()
    assert svg.startswith("<svg")
    assert "기생충" in svg
    assert "2019" in svg
    again = client.get(f"/posters/{catalog.parasite.id}.svg", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get("/posters/987654.svg").status_code == 404


def test_placeholder_poster_escapes_the_title(client, catalog):
    catalog.lonely.title_en = 'Tom & "Jerry" <3'
    catalog.lonely.save()
    svg = client.get(f"/posters/{catalog.lonely.id}.svg").content.decode()
    assert "Tom &amp; &quot;Jerry&quot; &lt;3" in svg


def test_language_switch_renders_korean_and_english(client, catalog):
    korean = client.get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "둘러보기" in korean
    assert "드라마" in korean  # genre names follow the language

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    assert "Browse" in english
    assert ">Drama<" in english


@pytest.mark.django_db
def test_sort_options_read_as_orders_in_korean(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert ">평점순</option>" in html
    assert ">인기순</option>" in html


def test_catalog_page_says_it_ignored_a_junk_mine_value_and_still_lists_titles(client, catalog):
    # The API answers 400 for it; the page, as for any value it does not understand, says so.
    response = client.get("/", {"mine": "maybe"})

    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="ignored-filters"' in content
    assert "“maybe”" in content
    assert response.context["cards"]
