"""구독 돌려보기: a month-by-month subscription plan for a watchlist, from offers and a dated price table."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from apps.movies.models import OfferType
from apps.planner.models import PlanPrice
from apps.planner.selectors import subscription_plan_get
from apps.planner.services import plan_prices_load
from apps.social.services.ratings import diary_entry_create
from apps.social.services.ratings import watchlist_add
from tests.factories import AvailabilityFactory
from tests.factories import ProviderFactory
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 5)


def _price(provider, krw: int, *, name: str = "스탠다드", ads: bool = False) -> PlanPrice:
    return PlanPrice.objects.create(
        provider=provider,
        name=name,
        monthly_price_krw=krw,
        with_ads=ads,
        source_url="https://example.com/plans",
        as_of=dt.date(2025, 1, 1),
    )


@pytest.fixture
def services():
    netflix = ProviderFactory(slug="netflix", name="Netflix", name_ko="넷플릭스", display_priority=1)
    tving = ProviderFactory(slug="tving", name="TVING", name_ko="티빙", display_priority=2)
    watcha = ProviderFactory(slug="watcha", name="Watcha", name_ko="왓챠", display_priority=3)
    _price(netflix, 13500)
    _price(netflix, 5500, name="광고형 스탠다드", ads=True)
    _price(tving, 9500, name="베이직")
    _price(watcha, 7900, name="베이직")
    return {"netflix": netflix, "tving": tving, "watcha": watcha}


def _wish(user, provider=None, *, offer_type=OfferType.STREAM, ends_on=None, name=""):
    title = TitleFactory(title_ko=name, title_en="") if name else TitleFactory()
    if provider is not None:
        AvailabilityFactory(title=title, provider=provider, offer_type=offer_type, ends_on=ends_on)
    watchlist_add(user=user, title=title)
    return title


def test_each_month_takes_the_service_that_covers_most_of_what_is_left(services):
    user = UserFactory()
    on_netflix = [_wish(user, services["netflix"]) for _ in range(4)]
    on_tving = [_wish(user, services["tving"]) for _ in range(2)]
    on_watcha = _wish(user, services["watcha"])

    plan = subscription_plan_get(user=user, months=3, per_month=8, today=TODAY)

    assert [m.provider.slug for m in plan.months] == ["netflix", "tving", "watcha"]
    assert [[t.title for t in m.titles] for m in plan.months] == [on_netflix, on_tving, [on_watcha]]
    assert [m.starts_on for m in plan.months] == [TODAY, dt.date(2027, 1, 1), dt.date(2027, 2, 1)]
    # Ads are fine by default: Netflix's ad plan is the cheapest.
    assert plan.months[0].price.monthly_price_krw == 5500
    assert plan.total_krw == 5500 + 9500 + 7900
    assert plan.all_at_once_krw == (5500 + 9500 + 7900) * 3
    assert plan.savings_krw == plan.all_at_once_krw - plan.total_krw


def test_a_service_stays_while_it_has_more_than_a_month_s_pace(services):
    user = UserFactory()
    for _ in range(5):
        _wish(user, services["netflix"])
    _wish(user, services["tving"])

    plan = subscription_plan_get(user=user, months=3, per_month=3, ads=False, today=TODAY)

    assert [(m.provider.slug, len(m.titles), m.stays) for m in plan.months] == [
        ("netflix", 3, False),
        ("netflix", 2, True),
        ("tving", 1, False),
    ]
    assert plan.months[0].price.monthly_price_krw == 13500  # no ads asked


def test_a_title_leaving_a_service_this_month_comes_first(services):
    user = UserFactory()
    for _ in range(3):
        _wish(user, services["netflix"])
    leaving = _wish(user, services["watcha"], ends_on=dt.date(2026, 12, 20))

    plan = subscription_plan_get(user=user, months=2, per_month=8, today=TODAY)

    assert plan.months[0].provider.slug == "watcha"
    assert [(t.title, t.leaves_on) for t in plan.months[0].leaving] == [(leaving, dt.date(2026, 12, 20))]
    assert plan.months[1].provider.slug == "netflix"


def test_the_plan_changes_when_a_title_s_offer_moves_to_another_service(services):
    user = UserFactory()
    moving = _wish(user, services["tving"])
    _wish(user, services["tving"])
    _wish(user, services["watcha"])
    assert [m.provider.slug for m in subscription_plan_get(user=user, today=TODAY).months] == [
        "tving",
        "watcha",
    ]

    moving.availabilities.update(provider=services["watcha"])
    plan = subscription_plan_get(user=user, today=TODAY)

    # Two titles are now on Watcha, one on TVING: Watcha first, and the moved title with it.
    assert [m.provider.slug for m in plan.months] == ["watcha", "tving"]
    assert moving in [t.title for t in plan.months[0].titles]


def test_my_services_free_titles_watched_titles_and_the_rest_are_set_apart(services):
    user = UserFactory()
    user.my_services.add(services["netflix"])
    mine = _wish(user, services["netflix"])
    free = _wish(user, services["tving"], offer_type=OfferType.ADS)
    rent_only = _wish(user, services["watcha"], offer_type=OfferType.RENT)
    nowhere = _wish(user)
    closed = _wish(user, services["watcha"], ends_on=TODAY - dt.timedelta(days=1))
    watched = _wish(user, services["tving"])
    diary_entry_create(user=user, title=watched, watched_on=TODAY)

    plan = subscription_plan_get(user=user, today=TODAY)

    assert plan.months == []
    assert plan.on_my_services == {services["netflix"]: [mine]}
    assert plan.free == [free]
    assert plan.not_streaming == [rent_only, nowhere, closed]
    assert plan.watchlist_size == 5


def test_titles_beyond_the_months_at_the_person_s_pace_wait_for_later(services):
    user = UserFactory()
    titles = [_wish(user, services["netflix"]) for _ in range(4)]

    plan = subscription_plan_get(user=user, months=1, per_month=3, today=TODAY)

    assert plan.later == titles[3:]


def test_a_service_missing_from_the_price_table_comes_after_priced_ones_and_says_so(services, client):
    user = UserFactory()
    unpriced = ProviderFactory(slug="coupang-play", name="Coupang Play", name_ko="쿠팡플레이")
    _wish(user, unpriced)
    _wish(user, services["watcha"])

    plan = subscription_plan_get(user=user, today=TODAY)

    assert [(m.provider.slug, m.price) for m in plan.months][1] == ("coupang-play", None)
    client.force_login(user)
    page = client.get(reverse("planner:planner"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Price not in the table" in page


def test_an_empty_watchlist_and_one_without_offers_say_what_to_do(services, client):
    user = UserFactory()
    client.force_login(user)
    empty = client.get(reverse("planner:planner"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Your watchlist has nothing left to watch." in empty.content.decode()

    _wish(user, name="어디에도 없는 영화")
    page = client.get(reverse("planner:planner"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No subscription carries your watchlist right now." in page
    assert "어디에도 없는 영화" in page


def test_the_page_shows_the_months_costs_and_every_price_with_its_date_and_source(services, client):
    user = UserFactory()
    for _ in range(2):
        _wish(user, services["netflix"])
    _wish(user, services["tving"], ends_on=dt.date.today() + dt.timedelta(days=3))
    client.force_login(user)

    response = client.get(reverse("planner:planner"), {"months": 2, "per_month": 5, "ads": "on"},
                          HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip

    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert response.status_code == 200
    assert "This month" in text
    assert "Subscribe to TVING" in text  # the leaving title first
    assert "Switch to Netflix" in text
    assert "Leaves on" in text
    assert "₩9,500" in text
    assert "₩5,500" in text
    assert "2025-01-01" in text
    assert 'href="https://example.com/plans"' in response.content.decode()


@pytest.mark.parametrize("query", [{"months": 0}, {"months": 7}, {"months": "x"}, {"per_month": 31}])
def test_knobs_out_of_range_are_named_and_draw_no_plan(services, client, query):
    client.force_login(UserFactory())

    response = client.get(reverse("planner:planner"), {"months": 3, "per_month": 8, **query})

    assert response.status_code == 400
    assert 'class="field__error"' in response.content.decode()
    assert response.context["plan"] is None


def test_a_nul_byte_in_a_knob_is_refused_before_the_planner_runs(client):
    client.force_login(UserFactory())

    assert client.get(reverse("planner:planner"), {"per_month": "\x00"}).status_code == 400


def test_the_planner_needs_an_account(client):
    response = client.get(reverse("planner:planner"))

    assert response.status_code == 302
    assert "login" in response.url


def test_a_price_dated_in_the_future_or_undated_is_refused(services):
    price = PlanPrice(
        provider=services["netflix"],
        name="내일 요금",
        monthly_price_krw=9900,
        source_url="https://example.com",
        as_of=dt.date.today() + dt.timedelta(days=1),
    )
    with translation.override("en"), pytest.raises(ValidationError, match="future"):
        price.full_clean()
    price.as_of = None
    with pytest.raises(ValidationError):
        price.full_clean()


def test_the_bundled_price_table_loads_once_and_never_overwrites_an_edit(services):
    created, skipped = plan_prices_load()
    # The file's plans of the fixture's services (Netflix 3, TVING 4, Watcha 2) but the 4 the
    # fixture made already; plans of other services are skipped (those services don't exist here).
    assert created == 3 + 4 + 2 - 4
    assert all("unknown" in reason for reason in skipped), skipped
    edited = PlanPrice.objects.get(provider=services["tving"], name="스탠다드")
    edited.monthly_price_krw = 14900
    edited.save()

    assert plan_prices_load()[0] == 0
    edited.refresh_from_db()
    assert edited.monthly_price_krw == 14900


def test_a_malformed_price_file_is_a_clear_error_and_bad_rows_are_skipped_with_reasons(services, tmp_path):
    broken = tmp_path / "prices.json"
    broken.write_text("[1, 2", encoding="utf-8")
    with pytest.raises(ValidationError, match="not a price table"):
        plan_prices_load(path=broken)

    rows = tmp_path / "rows.json"
    rows.write_text(
        json.dumps(
            {
                "plans": [
                    {
                        "provider": "tving",
                        "name": "미래",
                        "price": 100,
                        "source": "https://e.com",
                        "as_of": "2999-01-01",
                    },
                    {
                        "provider": "tving",
                        "name": "무료?",
                        "price": 0,
                        "source": "https://e.com",
                        "as_of": "2025-01-01",
                    },
                    {"provider": "tving", "name": "날짜 없음", "price": 100, "source": "https://e.com"},
                    {
                        "provider": "tving",
                        "name": "새 요금",
                        "price": 100,
                        "source": "https://e.com",
                        "as_of": "2025-01-01",
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    with translation.override("en"):
        created, skipped = plan_prices_load(path=rows)

    assert created == 1
    assert len(skipped) == 3
    assert any("future" in reason for reason in skipped)


def test_a_price_row_dated_after_today_is_not_used(services):
    user = UserFactory()
    _wish(user, services["watcha"])
    PlanPrice.objects.filter(provider=services["watcha"]).update(as_of=TODAY + dt.timedelta(days=30))

    plan = subscription_plan_get(user=user, today=TODAY)

    assert plan.months[0].price is None
    assert plan.prices == []


@pytest.mark.parametrize(
    ("switch_to", "particle_phrase"), [("netflix", "넷플릭스로 갈아타기"), ("tving", "티빙으로 갈아타기")]
)
def test_in_korean_switching_to_a_service_takes_the_particle_its_name_asks_for(
    services, client, switch_to, particle_phrase
):
    # given: this month's title leaves the other service; next month's are on ``switch_to``
    first = "tving" if switch_to == "netflix" else "netflix"
    user = UserFactory()
    for _ in range(2):
        _wish(user, services[switch_to])
    _wish(user, services[first], ends_on=dt.date.today() + dt.timedelta(days=3))
    client.force_login(user)

    # when: the planner is read in Korean
    response = client.get(
        reverse("planner:planner"), {"months": 2, "per_month": 5}, HTTP_ACCEPT_LANGUAGE="ko"
    )

    # then: 로 after a vowel (넷플릭스), 으로 after a consonant (티빙), never "(으)로"
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert particle_phrase in text
    assert "(으)로" not in text
