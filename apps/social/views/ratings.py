"""Title actions (the include on the title page posts here) and the first-ratings onboarding."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.movies.models import Genre
from apps.movies.models import Provider
from apps.movies.models import Title
from apps.social import selectors
from apps.social import services
from apps.social.http import AuthedHttpRequest
from apps.social.templatetags.social_tags import stars_text
from apps.social.views.common import back
from apps.social.views.common import diary_fields
from apps.social.views.common import service_post
from apps.social.views.common import title_url
from apps.social.views.common import wants_json
from config.exceptions import ApplicationError


def title_social(request: HttpRequest, title_id: int) -> HttpResponse:
    """A social view of one title (ratings, reviews, board posts), also used as a fallback page."""
    title = get_object_or_404(Title, pk=title_id)
    return render(request, "social/title.html", {"title": title})


@login_required
@require_POST
def rating_set_view(request: AuthedHttpRequest, title_id: int) -> HttpResponse:
    """Set or remove my rating: a form post (message and redirect) or a fetch (JSON)."""
    title = get_object_or_404(Title, pk=title_id)
    clear = request.POST.get("clear") == "1" or request.POST.get("stars") in (None, "", "0")
    try:
        if clear:
            if selectors.rating_of(user=request.user, title=title) is not None:
                services.rating_delete(user=request.user, title=title)
            stars, message = None, _("Rating removed.")
        else:
            stars = services.rating_set(user=request.user, title=title, stars=request.POST["stars"]).stars
            message = _("Rating saved.")
    except ApplicationError as exc:
        if wants_json(request):
            return JsonResponse({"message": exc.message, "extra": exc.extra}, status=400)
        messages.error(request, exc.message)
        return back(request, title_url(request, title_id))
    if wants_json(request):
        title.refresh_from_db(fields=["rating_avg", "rating_count"])
        return JsonResponse(
            {
                "stars": stars,
                "label": stars_text(stars) if stars else _("Not rated"),
                "message": message,
                "title_rating_avg": title.rating_avg,
                "title_rating_count": title.rating_count,
            }
        )
    messages.success(request, message)
    return back(request, title_url(request, title_id))


@service_post(title_url)
def watchlist_toggle_view(request: AuthedHttpRequest, title_id: int) -> str:
    title = get_object_or_404(Title, pk=title_id)
    if request.POST.get("action") == "remove":
        services.watchlist_remove(user=request.user, title=title)
        return _("Removed from your watchlist.")
    services.watchlist_add(user=request.user, title=title)
    return _("Added to your watchlist.")


@service_post(title_url)
def diary_create_view(request: AuthedHttpRequest, title_id: int) -> str:
    title = get_object_or_404(Title, pk=title_id)
    rewatch = {"yes": True, "no": False}.get(request.POST.get("rewatch", ""))
    services.diary_entry_create(user=request.user, title=title, rewatch=rewatch, **diary_fields(request))
    return _("Logged in your diary.")


@service_post(title_url)
def review_upsert_view(request: AuthedHttpRequest, title_id: int) -> str:
    title = get_object_or_404(Title, pk=title_id)
    services.review_upsert(
        user=request.user,
        title=title,
        body=request.POST.get("body", ""),
        has_spoilers=bool(request.POST.get("has_spoilers")),
    )
    return _("Review saved.")


ONBOARDING_GOAL = 10  # ratings before the picks are really personal (Watcha Pedia asks for ten too)


ONBOARDING_GRID = 36


@login_required
def onboarding(request: AuthedHttpRequest) -> HttpResponse:
    """Two steps: rate what you have seen on a poster grid, then my services and genres.

    Each star tap saves at once (stars.js; a plain form post without JavaScript), so the
    rating step has nothing to submit: "next" and "skip" both lead to the taste step, and
    that step ends on the picks page.
    """
    if request.GET.get("step") == "taste" or request.method == "POST":
        return _onboarding_taste(request)
    rated = dict(request.user.ratings.values_list("title_id", "half_stars"))
    grid = selectors.onboarding_grid(size=ONBOARDING_GRID)
    for title in grid:
        # For the template only: the grid's titles carry my stars beside them.
        setattr(title, "my_stars", rated[title.pk] / 2 if title.pk in rated else None)  # noqa: B010
    count = len(rated)
    return render(
        request,
        "social/onboarding.html",
        {
            "step": "rate",
            "grid": grid,
            "count": count,
            "goal": ONBOARDING_GOAL,
            "progress": min(100, round(100 * count / ONBOARDING_GOAL)),
        },
    )


def _onboarding_taste(request: AuthedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            services.onboarding_taste_set(
                user=request.user,
                genre_ids=[int(v) for v in request.POST.getlist("genres") if v.isdigit()],
                provider_ids=[int(v) for v in request.POST.getlist("services") if v.isdigit()],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Welcome to Moochu! Your picks are ready."))
            return redirect("social:picks")
    chosen_genres = set(request.POST.getlist("genres")) or {
        str(pk) for pk in request.user.favourite_genres.values_list("pk", flat=True)
    }
    chosen_services = set(request.POST.getlist("services")) or {
        str(pk) for pk in request.user.my_services.values_list("pk", flat=True)
    }
    return render(
        request,
        "social/onboarding.html",
        {
            "step": "taste",
            "genres": Genre.objects.order_by("name_en"),
            "providers": Provider.objects.order_by("name"),
            "chosen_genres": chosen_genres,
            "chosen_services": chosen_services,
            "count": request.user.ratings.count(),
            "goal": ONBOARDING_GOAL,
        },
    )
