"""Year in review pages: the year's page, the latest year, and the shareable card image."""

from __future__ import annotations

import hashlib
import logging

from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.social.http import request_viewer
from apps.social.models import User
from apps.social.selectors import user_get_by_nickname
from apps.yearly.image import KoreanFontMissing
from apps.yearly.image import year_card_png
from apps.yearly.selectors import FIRST_YEAR
from apps.yearly.selectors import MONTH_HEIGHT
from apps.yearly.selectors import MONTH_WIDTH
from apps.yearly.selectors import SHARE_WIDTH
from apps.yearly.selectors import YearInReview
from apps.yearly.selectors import year_in_review_get
from apps.yearly.selectors import year_in_review_years

logger = logging.getLogger(__name__)


def _owner(nickname: str) -> User:
    owner = user_get_by_nickname(nickname=nickname)
    if owner is None:
        raise Http404
    return owner


def _review(request: HttpRequest, nickname: str, year: int) -> YearInReview:
    # Years outside what anyone could have logged are not pages (and not queried).
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    return year_in_review_get(owner=_owner(nickname), viewer=request_viewer(request), year=year)


@require_GET
def year_latest(request: HttpRequest, nickname: str) -> HttpResponse:
    """The newest year with activity the viewer may see (this year when there is none)."""
    owner = _owner(nickname)
    years = year_in_review_years(owner=owner, viewer=request_viewer(request))
    year = years[0] if years else timezone.localdate().year
    return redirect("yearly:year", nickname=owner.nickname or owner.username, year=year)


@require_GET
def year_page(request: HttpRequest, nickname: str, year: int) -> HttpResponse:
    """A person's year; a hidden one says so (403) without showing anything."""
    review = _review(request, nickname, year)
    context = {
        "review": review,
        "owner": review.owner,
        "month_width": MONTH_WIDTH,
        "month_height": MONTH_HEIGHT,
        "share_width": SHARE_WIDTH,
    }
    return render(request, "yearly/year.html", context, status=200 if review.visible else 403)


@require_GET
def year_card(request: HttpRequest, nickname: str, year: int) -> HttpResponse:
    """The year's shareable PNG, as this viewer may see it."""
    review = _review(request, nickname, year)
    if not review.visible:
        hidden = _("This year in review is not shared with you.")
        return HttpResponse(hidden, status=403, content_type="text/plain; charset=utf-8")
    try:
        png = year_card_png(review)
    except KoreanFontMissing as error:
        logger.error("year card not drawn: %s", error)
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(png, content_type="image/png")
    response["ETag"] = f'"{hashlib.blake2b(png, digest_size=12).hexdigest()}"'
    # What a viewer sees depends on who they are: no shared caches.
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = f'inline; filename="moochu-{review.year}.png"'
    return response
