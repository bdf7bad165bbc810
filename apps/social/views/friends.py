"""Friends: the list, requests and their answers, follow/block relations."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.social import selectors
from apps.social import services
from apps.social.http import AuthedHttpRequest
from apps.social.views.common import homepage_of
from apps.social.views.common import service_post
from apps.social.views.common import user_by_nickname


@login_required
def friends(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "social/friends.html",
        {
            "friends": selectors.friends_list_for_user(user=request.user),
            "incoming": selectors.friend_requests_incoming(user=request.user),
            "outgoing": selectors.friend_requests_outgoing(user=request.user),
            "blocked": selectors.blocked_users_for(user=request.user),
            "query": request.GET.get("q", "")[:40],
            "found": selectors.user_search(query=request.GET.get("q", "")[:40], viewer=request.user),
        },
    )


def _friends_url(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return reverse("social:friends")


@service_post(homepage_of)
def friend_request_view(request: AuthedHttpRequest, nickname: str) -> str:
    target = user_by_nickname(nickname)
    services.friend_request_send(
        from_user=request.user, to_user=target, message=request.POST.get("message", "")
    )
    return _("Friend request sent.")


@service_post(_friends_url)
def friend_request_answer_view(request: AuthedHttpRequest, request_id: int, action: str) -> str:
    handlers = {
        "accept": services.friend_request_accept,
        "decline": services.friend_request_decline,
        "withdraw": services.friend_request_withdraw,
    }
    if action not in handlers:
        raise Http404
    handlers[action](user=request.user, request_id=request_id)
    return {
        "accept": _("You are now friends."),
        "decline": _("Request declined."),
        "withdraw": _("Request withdrawn."),
    }[action]


@service_post(homepage_of)
def relation_view(request: AuthedHttpRequest, nickname: str, action: str) -> str:
    target = user_by_nickname(nickname)
    if action == "unfriend":
        services.friend_remove(user=request.user, friend=target)
    elif action == "follow":
        services.follow_set(user=request.user, target=target, following=True)
    elif action == "unfollow":
        services.follow_set(user=request.user, target=target, following=False)
    elif action == "block":
        services.block_set(blocker=request.user, blocked=target)
    elif action == "unblock":
        services.block_remove(blocker=request.user, blocked=target)
    else:
        raise Http404
    return _("Done.")
