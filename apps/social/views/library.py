"""My library: watchlist and diary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

# The library's reads (selectors_library.py), under the name every view uses.
from apps.social import selectors_library as selectors
from apps.social import services
from apps.social.http import AuthedHttpRequest
from apps.social.views.common import back
from apps.social.views.common import diary_fields
from apps.social.views.common import flag
from apps.social.views.common import picked_title
from apps.social.views.common import service_post
from config.exceptions import ApplicationError

LIBRARY_PAGE = 48


DIARY_PAGE = 30


@login_required
def watchlist_page(request: AuthedHttpRequest) -> HttpResponse:
    can_predict = selectors.watchlist_predictor() is not None
    sort = request.GET.get("sort", "added")
    if sort not in selectors.WATCHLIST_SORTS or (sort == "predicted" and not can_predict):
        sort = "added"
    filters = selectors.WatchlistFilters(
        mine=flag(request, "mine"),
        cinema=flag(request, "cinema"),
        rent_buy=flag(request, "rent_buy"),
        sort=sort,
    )
    if can_predict:
        items: Any = selectors.watchlist_with_predictions(user=request.user, filters=filters)
    else:
        items = selectors.watchlist_for_user(user=request.user, filters=filters)
    paginator = Paginator(items, LIBRARY_PAGE)
    return render(
        request,
        "social/watchlist.html",
        {
            "page_obj": paginator.get_page(request.GET.get("page")),
            "filters": filters,
            "can_predict": can_predict,
            "total": request.user.watchlist.count(),
            "has_services": request.user.my_services.exists(),
        },
    )


def _month_param(raw: str) -> tuple[int, int]:
    today = dt.date.today()
    try:
        year, month = (int(part) for part in raw.split("-", 1))
        dt.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    if not 1870 <= year <= today.year + 1:
        return today.year, today.month
    return year, month


@login_required
def diary_page(request: AuthedHttpRequest) -> HttpResponse:
    view = "calendar" if request.GET.get("view") == "calendar" else "list"
    context: dict[str, Any] = {"view": view}
    if view == "calendar":
        year, month = _month_param(request.GET.get("month", ""))
        context["month"] = selectors.diary_month(user=request.user, year=year, month=month)
    else:
        paginator = Paginator(selectors.diary_for_user(user=request.user), DIARY_PAGE)
        context["page_obj"] = paginator.get_page(request.GET.get("page"))
    context["total"] = request.user.diary.count()
    return render(request, "social/diary.html", context)


def _diary_url(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return reverse("social:diary-page")


@login_required
def diary_edit(request: AuthedHttpRequest, entry_id: int) -> HttpResponse:
    entry = get_object_or_404(selectors.diary_for_user(user=request.user), pk=entry_id)
    if request.method == "POST":
        try:
            services.diary_entry_update(
                user=request.user,
                entry_id=entry.pk,
                rewatch=request.POST.get("rewatch") == "yes",
                **diary_fields(request),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Diary entry saved."))
            return back(request, reverse("social:diary-page"))
    return render(request, "social/diary_edit.html", {"entry": entry})


@service_post(_diary_url)
def diary_delete_view(request: AuthedHttpRequest, entry_id: int) -> str:
    services.diary_entry_delete(user=request.user, entry_id=entry_id)
    return _("Diary entry deleted.")


@service_post(_diary_url)
def diary_log_view(request: AuthedHttpRequest) -> str:
    """Log a viewing from the diary page: the title comes from the search-as-you-type picker."""
    title = picked_title(request)
    rewatch = {"yes": True, "no": False}.get(request.POST.get("rewatch", ""))
    services.diary_entry_create(user=request.user, title=title, rewatch=rewatch, **diary_fields(request))
    return _("Logged in your diary.")
