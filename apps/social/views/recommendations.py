"""Recommendations between friends (inbox) and the feed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.movies.models import Title
from apps.social import selectors
from apps.social import services
from apps.social.http import AuthedHttpRequest
from apps.social.selectors_recommend import recommend_candidates
from apps.social.selectors_recommend import recommendation_hit_rate
from apps.social.views.common import service_post
from apps.social.views.common import title_url

FEED_PAGE = 20


@service_post(title_url)
def recommend_view(request: AuthedHttpRequest, title_id: int) -> str:
    title = get_object_or_404(Title, pk=title_id)
    receiver_ids = [int(v) for v in request.POST.getlist("friends") if v.isdigit()]
    services.recommendation_send(
        sender=request.user, receiver_ids=receiver_ids, title=title, note=request.POST.get("note", "")
    )
    return _("Recommendation sent.")


@login_required
@require_GET
def recommend_friends(request: AuthedHttpRequest, title_id: int) -> HttpResponse:
    """My friends to recommend a title to, those who would like it first.

    Ranking them costs ~8 queries, so the title page does not: its dialog fetches this with
    ``?fragment=1`` when opened (static/social/recommend.js), and without JavaScript the
    dialog links here, a page of its own. Either way the form posts to ``recommend_view``
    and comes back to ``next`` (the page the dialog was on)."""
    title = get_object_or_404(Title, pk=title_id)
    back_to = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back_to, allowed_hosts={request.get_host()}):
        back_to = reverse("movies:title-detail", kwargs={"title_id": title.pk})
    fragment = request.GET.get("fragment") == "1"
    return render(
        request,
        "social/_recommend_form.html" if fragment else "social/recommend.html",
        {
            "title": title,
            "candidates": recommend_candidates(user=request.user, title=title),
            "next": back_to,
        },
    )


@login_required
def inbox(request: AuthedHttpRequest) -> HttpResponse:
    # Shown with their unread styling once, then marked read: opening the inbox clears the badge.
    notifications = list(selectors.notifications_recent(user=request.user)[:30])
    services.notifications_mark_read(user=request.user, ids=[n.pk for n in notifications if not n.is_read])
    return render(
        request,
        "social/inbox.html",
        {
            "pending": selectors.recommendation_inbox(user=request.user),
            "sent": selectors.recommendations_sent(user=request.user)[:50],
            "hit_rate": recommendation_hit_rate(user=request.user),
            "notifications": notifications,
        },
    )


def _inbox_url(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return reverse("social:inbox")


@service_post(_inbox_url)
def recommendation_answer_view(request: AuthedHttpRequest, recommendation_id: int, action: str) -> str:
    if action == "accept":
        services.recommendation_accept(user=request.user, recommendation_id=recommendation_id)
        return _("Added to your watchlist.")
    if action == "dismiss":
        services.recommendation_dismiss(user=request.user, recommendation_id=recommendation_id)
        return _("Dismissed.")
    raise Http404


@login_required
def feed(request: AuthedHttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.feed_for_user(user=request.user), FEED_PAGE)
    return render(request, "social/feed.html", {"page_obj": paginator.get_page(request.GET.get("page"))})


# The inbox lists notifications too; reading them there returns there.
@service_post(_inbox_url)
def notifications_read_view(request: AuthedHttpRequest) -> str:
    services.notifications_mark_read(user=request.user)
    return ""
