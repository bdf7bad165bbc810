"""Picks: 나를 위한 추천."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.movies.models import Title
from apps.social import selectors
from apps.social import services
from apps.social.http import AuthedHttpRequest
from apps.social.templatetags.social_tags import title_name
from apps.social.views.common import flag
from apps.social.views.common import service_post
from apps.social.views.common import wants_json

PICKS_LIMIT = 24


@login_required
def picks_page(request: AuthedHttpRequest) -> HttpResponse:
    from apps.recs.selectors import recs_dismissed_titles
    from apps.recs.selectors import recs_for_user

    only_mine = flag(request, "mine")
    picks = recs_for_user(user=request.user, limit=PICKS_LIMIT + 12, only_my_services=only_mine)
    # A diary entry counts as seen, like a rating: never suggest what the person logged.
    seen = selectors.title_ids_watched(user=request.user, title_ids=[p.title.pk for p in picks])
    picks = [p for p in picks if p.title.pk not in seen][:PICKS_LIMIT]
    rows: dict[str, list[Any]] = {}
    for pick in picks:
        rows.setdefault(pick.explanation, []).append(pick)
    return render(
        request,
        "social/picks.html",
        {
            "rows": list(rows.items()),
            "count": len(picks),
            "only_mine": only_mine,
            "ratings": request.user.ratings.count(),
            "has_services": request.user.my_services.exists(),
            # What "관심 없음" hid stays in view, so it can be taken back.
            "dismissed": recs_dismissed_titles(user=request.user),
        },
    )


def _picks_url(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return reverse("social:picks")


@service_post(_picks_url)
def pick_dismiss_view(request: AuthedHttpRequest, title_id: int) -> str | HttpResponse:
    title = get_object_or_404(Title, pk=title_id)
    services.pick_dismiss(user=request.user, title=title)
    message = _("We will not suggest %(title)s again.") % {"title": title_name(title)}
    if wants_json(request):  # static/social/library.js removes the card in place
        return JsonResponse({"message": message})
    return message


@service_post(_picks_url)
def pick_restore_view(request: AuthedHttpRequest, title_id: int) -> str:
    title = get_object_or_404(Title, pk=title_id)
    if services.pick_dismiss_undo(user=request.user, title=title):
        return _("%(title)s may be suggested again.") % {"title": title_name(title)}
    return _("%(title)s was not hidden from your picks.") % {"title": title_name(title)}
