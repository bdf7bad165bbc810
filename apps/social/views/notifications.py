"""The notification centre and watch-alert preferences."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.social import selectors
from apps.social import services
from apps.social.http import AuthedHttpRequest
from apps.social.views.common import back
from apps.social.views.common import service_post
from config.exceptions import ApplicationError


def _coming_soon_url(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return reverse("movies:coming-soon")


@service_post(_coming_soon_url)
def watch_alert_preference_view(request: AuthedHttpRequest) -> str:
    from apps.social.services.watch_alerts import watch_alert_preference_set

    email = request.POST.get("email") == "1"
    watch_alert_preference_set(user=request.user, email=email)
    if email:
        return _("We'll also e-mail you when a title from your watchlist arrives on your services.")
    return _("Watchlist alerts will only appear in Moochu.")


NOTIFICATIONS_PAGE = 30


@login_required
def notifications_page(request: AuthedHttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    paginator = Paginator(
        selectors.notifications_page(user=request.user, unread_only=unread_only), NOTIFICATIONS_PAGE
    )
    return render(
        request,
        "social/notifications.html",
        {
            "page_obj": paginator.get_page(request.GET.get("page")),
            "unread_only": unread_only,
            "unread": selectors.notifications_unread_count(user=request.user),
        },
    )


def _notifications_url(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return reverse("social:notifications")


@login_required
@require_POST
def notification_open_view(request: AuthedHttpRequest, notification_id: int) -> HttpResponse:
    """Mark one notification read (or unread) and, when opening it, go where it points."""
    read = request.POST.get("read", "1") != "0"
    try:
        notification = services.notification_mark_read(
            user=request.user, notification_id=notification_id, read=read
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("social:notifications")
    target = notification.url
    opening = read and request.POST.get("open") == "1" and target
    if opening and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return back(request, reverse("social:notifications"))


@service_post(_notifications_url)
def notifications_read_all_view(request: AuthedHttpRequest) -> str:
    count = services.notifications_mark_read(user=request.user)
    return _("All notifications marked read.") if count else ""
