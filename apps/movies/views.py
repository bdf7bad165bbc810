"""Catalog pages: browse and filter, a title, coming soon to cinemas, placeholder posters."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_POST

from apps.common.rendered import render_memoised
from apps.movies.cards import is_korean
from apps.movies.filters import catalog_query_params
from apps.movies.filters import catalog_query_parse
from apps.movies.models import AgeRating
from apps.movies.models import MediaType
from apps.movies.models import OfferType
from apps.movies.models import Title
from apps.movies.posters import poster_etag
from apps.movies.posters import poster_svg
from apps.movies.selectors import DEFAULT_SORT
from apps.movies.selectors import PREDICTED_SORT
from apps.movies.selectors import SORTS
from apps.movies.selectors import catalog_vocabulary
from apps.movies.selectors import coming_soon_list
from apps.movies.selectors import my_services_slugs
from apps.movies.selectors import new_on_services_list
from apps.movies.selectors import title_get_for_page
from apps.movies.selectors import title_list
from apps.movies.selectors import title_similar
from apps.movies.services import my_services_set
from apps.movies.title_sections import title_sections
from apps.recs.predictions import catalog_page_by_predicted
from apps.recs.predictions import predicted_ratings_for_user
from apps.recs.predictions import predicted_sort_blocker
from apps.recs.predictions import rated_stars_for_user


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    """Browse and filter the catalog. Unknown filter values are ignored, and the page says so."""
    vocabulary = catalog_vocabulary()
    my_services = my_services_slugs(user=request.user, session=request.session)
    parsed = catalog_query_parse(params=request.GET, vocabulary=vocabulary, my_services=my_services)
    # 예상 별점순 needs a signed-in person with enough ratings: otherwise the option is shown
    # disabled with the reason, and a link asking for it falls back to popularity and says so.
    # The person's ratings, read once for the sort control, the order and the cards' 예상 별점.
    rated = rated_stars_for_user(user_id=request.user.id) if request.user.is_authenticated else {}
    predicted_blocker = predicted_sort_blocker(user_id=request.user.id, rated=rated)
    predicted_refused = parsed.filters.sort == PREDICTED_SORT and predicted_blocker is not None
    if predicted_refused:
        parsed.filters = replace(parsed.filters, sort=DEFAULT_SORT)
    if parsed.filters.sort == PREDICTED_SORT:
        page = catalog_page_by_predicted(
            user_id=request.user.id,
            filters=parsed.filters,
            page=parsed.page,
            page_size=settings.CATALOG_PAGE_SIZE,
            rated=rated,
        )
    else:
        page = title_list(filters=parsed.filters, page=parsed.page, page_size=settings.CATALOG_PAGE_SIZE)
    korean = is_korean()
    filter_params = catalog_query_params(
        filters=parsed.filters, my_services=parsed.my_services, mine=my_services
    )
    selected_providers = set(parsed.filters.providers) - (set(my_services) if parsed.my_services else set())
    # (entry, name, checked, one of mine) per provider, for the filter form and "my services".
    providers = tuple(
        (
            p,
            (p.name_ko or p.name) if korean else p.name,
            p.slug in selected_providers,
            p.slug in my_services,
        )
        for p in vocabulary.providers
    )
    context = {
        "page": page,
        "cards": page.rows,
        "filters": parsed.filters,
        "problems": parsed.problems,
        "mine": parsed.my_services,
        "my_services": my_services,
        # The filter panel is the same for everyone asking for the same filters: rendered once
        # per content (apps.common.rendered), from exactly the values it shows.
        "filter_form": render_memoised(
            "movies/_catalog_filter_form.html",
            filters=parsed.filters,
            mine=parsed.my_services,
            has_services=bool(my_services),
            media_types=tuple((value, str(label)) for value, label in MediaType.choices),
            genres=tuple(
                (g.slug, g.name_ko if korean else g.name_en, g.slug in parsed.filters.genres)
                for g in vocabulary.genres
            ),
            providers=providers,
            offer_types=tuple(
                (value, str(label), value in parsed.filters.offer_types) for value, label in OfferType.choices
            ),
            age_ratings=tuple(
                (value, str(label), value in parsed.filters.age_ratings) for value, label in AgeRating.choices
            ),
        ),
        "my_services_chips": render_memoised("movies/_my_services_chips.html", providers=providers),
        "sorts": [*SORTS, PREDICTED_SORT],
        "predicted_blocker": predicted_blocker,
        "predicted_refused": predicted_refused,
        "filter_params": filter_params,
        # Pager links rebuild the query from what was understood: clean, shareable URLs.
        "query_base": urlencode(filter_params),
        # 예상 별점 for the page's cards: one batched call.
        "predicted_stars": predicted_ratings_for_user(
            user_id=request.user.id, title_ids=[row["id"] for row in page.rows], rated=rated
        ),
        # The same read of the person's ratings serves the home rows' 예상 별점.
        "rated_stars": rated if request.user.is_authenticated else None,
    }
    return render(request, "movies/catalog.html", context)


@require_GET
def title_detail(request: HttpRequest, title_id: int) -> HttpResponse:
    try:
        title = title_get_for_page(title_id=title_id)
    except Title.DoesNotExist as exc:
        raise Http404 from exc
    similar = title_similar(title=title)
    # The person's ratings, read once for the similar cards' 예상 별점, the title's own and
    # their rating in the ratings block.
    rated = rated_stars_for_user(user_id=request.user.id) if request.user.is_authenticated else None
    context = {
        "title": title,
        # Genres, people, where to watch, cast: drawn once per version of their rows.
        "sections": title_sections(title=title),
        "similar": similar,
        "predicted_stars": predicted_ratings_for_user(
            user_id=request.user.id, title_ids=[row["id"] for row in similar], rated=rated
        ),
        "rated_stars": rated,
    }
    return render(request, "movies/title_detail.html", context)


@require_GET
def coming_soon(request: HttpRequest) -> HttpResponse:
    """Coming soon to cinemas and OTT by date; with ?mine=1 only on my services, plus what
    arrived on my services this week."""
    my_services = my_services_slugs(user=request.user, session=request.session)
    mine = request.GET.get("mine") == "1" and bool(my_services)
    context = {
        "entries": coming_soon_list(provider_slugs=my_services if mine else None),
        "new_this_week": new_on_services_list(provider_slugs=my_services) if my_services else [],
        "mine": mine,
        "has_services": bool(my_services),
        # Watchlist alerts by e-mail: the setting lives with the user (the social app).
        "alert_email": bool(
            request.user.is_authenticated
            and getattr(getattr(request.user, "watch_alert_preference", None), "email", False)
        ),
    }
    return render(request, "movies/coming_soon.html", context)


def _my_services_store(request: HttpRequest) -> HttpResponse:
    my_services_set(
        user=request.user, session=request.session, provider_slugs=request.POST.getlist("provider")
    )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("movies:catalog") + "?mine=1"
    return redirect(next_url)


_my_services_store_checked = csrf_protect(_my_services_store)


# Signed out, "my services" live in this browser's session only, so the catalog's form carries no
# CSRF token for them: a forged post could at worst change a filter in a visitor's own browser,
# while a token would make the catalog set a cookie, and a page that sets a cookie is one the
# edge's shared page cache may not keep. Signed in, the choice is saved to the account and the
# token is checked as everywhere else.
@csrf_exempt
@require_POST
def my_services_save(request: HttpRequest) -> HttpResponse:
    """Remember the ticked providers as "my services", then show the catalog filtered by them."""
    if request.user.is_authenticated:
        return _my_services_store_checked(request)
    return _my_services_store(request)


# Placeholder posters never change for a title's name and year: cache them a day.
POSTER_MAX_AGE = 24 * 60 * 60


@require_GET
def poster(request: HttpRequest, title_id: int) -> HttpResponse:
    row = (
        Title.objects.filter(pk=title_id)
        .values("id", "title_ko", "title_en", "title_original", "year")
        .first()
    )
    if row is None:
        raise Http404
    name = row["title_ko"] or row["title_en"] or row["title_original"]
    subtitle = next(
        (other for other in (row["title_en"], row["title_original"]) if other and other != name), ""
    )
    svg = poster_svg(title_id=row["id"], title=name, subtitle=subtitle, year=row["year"])
    etag = poster_etag(svg=svg)
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={POSTER_MAX_AGE}"
    return response
