"""Helpers every social page shares: the POST contract (``service_post``), redirects back,
and the small request readers several pages use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.movies.models import Title
from apps.social import selectors
from apps.social.http import AuthedHttpRequest
from apps.social.models import User
from config.exceptions import ApplicationError


def back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def home_url(user: User, view: str = "social:homepage") -> str:
    """``user``'s mini-homepage (or another of its URLs, e.g. its visit beacon)."""
    return reverse(view, kwargs={"nickname": user.nickname or user.username})


def service_post(fallback: Callable[..., str]) -> Callable[..., Any]:
    """POST-only, signed-in view; an ApplicationError becomes a message and a redirect back."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        @require_POST
        def wrapper(request: AuthedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                result = view(request, *args, **kwargs)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return back(request, fallback(request, *args, **kwargs))
            if isinstance(result, HttpResponse):
                return result
            if result:
                messages.success(request, result)
            return back(request, fallback(request, *args, **kwargs))

        return wrapper

    return decorator


def title_url(request: HttpRequest, title_id: int, *args: Any, **kwargs: Any) -> str:
    return reverse("social:title", kwargs={"title_id": title_id})


def user_by_nickname(nickname: str) -> User:
    user = selectors.user_get_by_nickname(nickname=nickname)
    if user is None:
        raise Http404
    return user


def wants_json(request: HttpRequest) -> bool:
    """The star widget (static/js/stars.js) and other fetch callers ask for JSON."""
    return "application/json" in request.headers.get("Accept", "")


def homepage_of(request: HttpRequest, nickname: str, *args: Any, **kwargs: Any) -> str:
    return reverse("social:homepage", kwargs={"nickname": nickname}) + "#guestbook"


def flag(request: HttpRequest, name: str) -> bool:
    return request.GET.get(name) in ("1", "on", "true")


def diary_fields(request: HttpRequest) -> dict[str, Any]:
    raw_date = request.POST.get("watched_on") or ""
    try:
        watched_on = dt.date.fromisoformat(raw_date) if raw_date else None
    except ValueError as exc:
        raise ApplicationError(_("Enter the date as YYYY-MM-DD.")) from exc
    return {
        "watched_on": watched_on,
        "note": request.POST.get("note", ""),
        "stars": request.POST.get("stars") or None,
    }


def picked_titles(request: HttpRequest) -> list[int]:
    """Title ids chosen in a title picker (static/js/title_picker.js).

    Without JavaScript people type a name: the best search match is taken, so the form
    still works; a name that matches nothing is a clear error, not a half-made post.
    """
    ids = [int(v) for v in request.POST.getlist("title_ids") if v.strip().isdigit()]
    bad = [v for v in request.POST.getlist("title_ids") if v.strip() and not v.strip().isdigit()]
    if bad:
        raise ApplicationError(_("Pick titles from the suggestions."), {"field": "title_ids"})
    query = request.POST.get("title_query", "").strip()
    if not ids and query:
        from apps.movies.search import suggest_titles

        hits = suggest_titles(query=query[:200], limit=1).hits
        if not hits:
            raise ApplicationError(
                _("No title matches “%(query)s”.") % {"query": query[:200]}, {"field": "title_ids"}
            )
        ids = [hits[0].title.pk]
    return ids


def picked_title_id(request: HttpRequest) -> int:
    """The one title chosen in a title picker (the diary's, a list's): the first picked, or
    the best match for the typed name."""
    ids = picked_titles(request)
    if not ids:
        raise ApplicationError(_("Pick a title from the suggestions."), {"field": "title_ids"})
    return ids[0]


def picked_title(request: HttpRequest) -> Title:
    title = Title.objects.filter(pk=picked_title_id(request)).first()
    if title is None:
        raise ApplicationError(_("That title does not exist."), {"field": "title_ids"})
    return title
