"""Recommendation pages: the taste analysis (취향분석) of a person."""

from __future__ import annotations

from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.recs.taste import DIST_HEIGHT
from apps.recs.taste import DIST_WIDTH
from apps.recs.taste import SHARE_WIDTH
from apps.recs.taste import taste_analysis_get
from apps.social.http import request_viewer
from apps.social.selectors import user_get_by_nickname


@require_GET
def taste_page(request: HttpRequest, nickname: str) -> HttpResponse:
    """A person's taste analysis; a hidden one says so (403) without showing anything."""
    owner = user_get_by_nickname(nickname=nickname)
    if owner is None:
        raise Http404
    analysis = taste_analysis_get(owner=owner, viewer=request_viewer(request))
    context = {
        "taste": analysis,
        "owner": owner,
        "dist_width": DIST_WIDTH,
        "dist_height": DIST_HEIGHT,
        "share_width": SHARE_WIDTH,
    }
    return render(request, "recs/taste.html", context, status=200 if analysis.visible else 403)
