"""구독 돌려보기: a month-by-month plan of which streaming service to subscribe to for one's watchlist.

The inputs are the person's unwatched watchlist, the open streaming offers of those titles, the
services they already pay for ("my services") and the dated price table. Each month the plan
takes the service that lets them watch the most of what is left, titles leaving a service that
month first, up to the number of titles they say they watch in a month; ties go to the cheaper
plan. Titles on services they already have, free titles and titles no subscription carries are
listed apart. A plan is read, never stored: it changes as soon as an offer or the list changes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from apps.movies.models import Availability
from apps.movies.models import OfferType
from apps.movies.models import Provider
from apps.movies.models import ProviderKind
from apps.movies.models import Title
from apps.planner.models import PlanPrice
from apps.social.models import DiaryEntry
from apps.social.models import Rating
from apps.social.models import WatchlistItem

if TYPE_CHECKING:
    from apps.social.models import User

MONTHS_MIN, MONTHS_MAX, MONTHS_DEFAULT = 1, 6, 3
PER_MONTH_MIN, PER_MONTH_MAX, PER_MONTH_DEFAULT = 1, 30, 8
# The planner reads at most this much of a watchlist (the oldest first): a plan of months, not years.
WATCHLIST_CAP = 500
SUBSCRIPTION_OFFERS = (OfferType.STREAM,)
FREE_OFFERS = (OfferType.FREE, OfferType.ADS)


@dataclass(frozen=True)
class PlannedTitle:
    title: Title
    leaves_on: dt.date | None  # the offer's last day on this service, when one is announced


@dataclass
class PlanMonth:
    starts_on: dt.date
    provider: Provider
    price: PlanPrice | None  # None: the price table has no plan for this service
    titles: list[PlannedTitle]
    stays: bool  # the same service as the month before

    @property
    def leaving(self) -> list[PlannedTitle]:
        return [t for t in self.titles if t.leaves_on is not None]


@dataclass
class SubscriptionPlan:
    months: list[PlanMonth] = field(default_factory=list)
    on_my_services: dict[Provider, list[Title]] = field(default_factory=dict)
    free: list[Title] = field(default_factory=list)
    later: list[Title] = field(default_factory=list)  # streamable, but past the plan's months
    not_streaming: list[Title] = field(default_factory=list)
    prices: list[PlanPrice] = field(default_factory=list)  # the table the plan used, with dates
    watchlist_size: int = 0

    @property
    def total_krw(self) -> int:
        return sum(m.price.monthly_price_krw for m in self.months if m.price is not None)

    @property
    def all_at_once_krw(self) -> int:
        """Keeping every service the plan uses for all its months, the way most people do."""
        providers = {m.provider.pk: m.price for m in self.months}
        monthly = sum(price.monthly_price_krw for price in providers.values() if price is not None)
        return monthly * len(self.months)

    @property
    def savings_krw(self) -> int:
        return self.all_at_once_krw - self.total_krw

    @property
    def planned_count(self) -> int:
        return sum(len(m.titles) for m in self.months)


def _month_starts(today: dt.date, months: int) -> list[dt.date]:
    """Today, then the first day of each following month."""
    starts, first = [today], today.replace(day=1)
    for _ in range(months - 1):
        first = (first + dt.timedelta(days=32)).replace(day=1)
        starts.append(first)
    return starts


def _cheapest_prices(*, provider_ids: set[int], ads: bool, today: dt.date) -> dict[int, PlanPrice]:
    # A row dated after today (written past the admin's check) is not a price yet.
    prices = PlanPrice.objects.filter(provider_id__in=provider_ids, as_of__lte=today).select_related(
        "provider"
    )
    if not ads:
        prices = prices.filter(with_ads=False)
    cheapest: dict[int, PlanPrice] = {}
    for price in prices.order_by("monthly_price_krw", "pk"):
        cheapest.setdefault(price.provider_id, price)
    return cheapest


def subscription_plan_get(
    *,
    user: User,
    months: int = MONTHS_DEFAULT,
    per_month: int = PER_MONTH_DEFAULT,
    ads: bool = True,
    today: dt.date | None = None,
) -> SubscriptionPlan:
    """The plan for ``user``'s watchlist over ``months`` months at ``per_month`` titles a month."""
    if not MONTHS_MIN <= months <= MONTHS_MAX or not PER_MONTH_MIN <= per_month <= PER_MONTH_MAX:
        raise ValueError("months or titles per month out of range")
    today = today or timezone.localdate()
    plan = SubscriptionPlan()
    watched = set(Rating.objects.filter(user=user).values_list("title_id", flat=True))
    watched |= set(DiaryEntry.objects.filter(user=user).values_list("title_id", flat=True))
    wanted = [
        item.title
        for item in WatchlistItem.objects.filter(user=user)
        .exclude(title_id__in=watched)
        .select_related("title")
        .order_by("created_at", "pk")[:WATCHLIST_CAP]
    ]
    plan.watchlist_size = len(wanted)
    if not wanted:
        return plan
    offers = Availability.objects.filter(
        title_id__in=[t.pk for t in wanted],
        provider__kind=ProviderKind.OTT,
        region="KR",
        offer_type__in=SUBSCRIPTION_OFFERS + FREE_OFFERS,
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    # title -> provider -> last day (None: no end announced); free titles apart.
    streams: dict[int, dict[int, dt.date | None]] = defaultdict(dict)
    free: set[int] = set()
    providers: dict[int, Provider] = {}
    for offer in offers.select_related("provider"):
        if offer.offer_type in FREE_OFFERS:
            free.add(offer.title_id)
            continue
        providers[offer.provider_id] = offer.provider
        streams[offer.title_id][offer.provider_id] = offer.ends_on
    mine = set(user.my_services.values_list("pk", flat=True))

    left: dict[int, Title] = {}
    for title in wanted:
        offered = streams.get(title.pk, {})
        on_mine = [pid for pid in offered if pid in mine]
        if on_mine:
            provider = min((providers[pid] for pid in on_mine), key=lambda p: (p.display_priority, p.pk))
            plan.on_my_services.setdefault(provider, []).append(title)
        elif title.pk in free:
            plan.free.append(title)
        elif offered:
            left[title.pk] = title
        else:
            plan.not_streaming.append(title)

    prices = _cheapest_prices(provider_ids=set(providers), ads=ads, today=today)
    plan.prices = sorted(prices.values(), key=lambda p: (p.provider.display_priority, p.provider_id))
    starts = _month_starts(today, months)
    for index, start in enumerate(starts):
        if not left:
            break
        end = starts[index + 1] - dt.timedelta(days=1) if index + 1 < len(starts) else _month_end(start)
        month = _best_month(left=left, streams=streams, providers=providers, prices=prices,
                            start=start, end=end, per_month=per_month)  # fmt: skip
        if month is None:
            break
        previous = plan.months[-1].provider if plan.months else None
        month.stays = previous is not None and previous.pk == month.provider.pk
        plan.months.append(month)
        for planned in month.titles:
            left.pop(planned.title.pk)
    plan.later = [t for t in wanted if t.pk in left]
    return plan


def _month_end(start: dt.date) -> dt.date:
    return (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _best_month(
    *,
    left: dict[int, Title],
    streams: dict[int, dict[int, dt.date | None]],
    providers: dict[int, Provider],
    prices: dict[int, PlanPrice],
    start: dt.date,
    end: dt.date,
    per_month: int,
) -> PlanMonth | None:
    """The month's service: most titles leaving this month, then most titles it can cover (up
    to ``per_month``), then the cheapest plan; a service without a price comes last."""
    usable: dict[int, list[tuple[int, dt.date | None]]] = defaultdict(list)
    for title_id in left:
        for provider_id, leaves_on in streams[title_id].items():
            if leaves_on is None or leaves_on >= start:
                usable[provider_id].append((title_id, leaves_on))
    if not usable:
        return None

    def urgent(rows: list[tuple[int, dt.date | None]]) -> int:
        return sum(1 for _, leaves_on in rows if leaves_on is not None and leaves_on <= end)

    def score(provider_id: int) -> tuple[int, int, int, int, int]:
        rows = usable[provider_id]
        price = prices.get(provider_id)
        cost = price.monthly_price_krw if price is not None else 10**9
        return (
            -urgent(rows),
            -min(len(rows), per_month),
            cost,
            providers[provider_id].display_priority,
            provider_id,
        )

    chosen = min(usable, key=score)
    position = {title_id: index for index, title_id in enumerate(left)}  # oldest wish first
    rows = sorted(
        usable[chosen],
        key=lambda row: (row[1] is None, row[1] or dt.date.max, position[row[0]]),
    )[:per_month]
    return PlanMonth(
        starts_on=start,
        provider=providers[chosen],
        price=prices.get(chosen),
        titles=[PlannedTitle(title=left[title_id], leaves_on=leaves_on) for title_id, leaves_on in rows],
        stays=False,
    )
