"""Reviews: the title-page actions and the review page as a conversation."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.social import selectors
from apps.social import services
from apps.social.http import AuthedHttpRequest
from apps.social.http import request_viewer
from apps.social.models import Rating
from apps.social.models import Review
from apps.social.views.common import service_post
from apps.social.views.common import title_url
from config.exceptions import ApplicationError


def _review_title_url(request: HttpRequest, review_id: int, *args: Any, **kwargs: Any) -> str:
    review = Review.objects.filter(pk=review_id).only("title_id").first()
    return title_url(request, review.title_id) if review else reverse("social:feed")


@service_post(_review_title_url)
def review_delete_view(request: AuthedHttpRequest, review_id: int) -> str:
    services.review_delete(user=request.user, review_id=review_id)
    return _("Review deleted.")


def _comment_post(request: AuthedHttpRequest, review_id: int) -> str:
    """A comment, or a reply when ``parent_id`` is given, on a review the person can see.

    A review hidden from them is 404 (as its page is); a deleted one gets the service's
    clear message."""
    hidden = (
        Review.objects.filter(pk=review_id).exists()
        and not selectors.reviews_visible(viewer=request_viewer(request)).filter(pk=review_id).exists()
    )
    if hidden:
        raise Http404
    parent = request.POST.get("parent_id", "")
    services.review_comment_create(
        user=request.user,
        review_id=review_id,
        body=request.POST.get("body", ""),
        parent_id=int(parent) if parent.isdigit() else None,
    )
    return _("Comment posted.")


@service_post(_review_title_url)
def review_comment_view(request: AuthedHttpRequest, review_id: int) -> str:
    """Posted from the title page; returns there."""
    return _comment_post(request, review_id)


@service_post(_review_title_url)
def review_like_view(request: AuthedHttpRequest, review_id: int) -> str:
    review = get_object_or_404(Review, pk=review_id)
    services.review_like_set(user=request.user, review=review, liked=request.POST.get("liked") != "0")
    return ""


def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_visible(review_id=review_id, viewer=request_viewer(request))
    if review is None:
        raise Http404
    viewer = request.user if request.user.is_authenticated else None
    return render(
        request,
        "social/review_detail.html",
        {
            "review": review,
            "comments": selectors.review_comments_thread(review=review, viewer=viewer),
            "author_rating": Rating.objects.filter(user_id=review.user_id, title_id=review.title_id).first(),
        },
    )


def _review_url(request: HttpRequest, review_id: int, *args: Any, **kwargs: Any) -> str:
    if Review.objects.filter(pk=review_id).exists():
        return reverse("social:review-detail", kwargs={"review_id": review_id})
    return reverse("social:notifications")


@service_post(_review_url)
def review_reply_view(request: AuthedHttpRequest, review_id: int) -> str:
    """Posted from the review page (a comment, or a reply to one); returns there."""
    return _comment_post(request, review_id)


@service_post(_review_url)
def review_edit_view(request: AuthedHttpRequest, review_id: int) -> str:
    review = Review.objects.filter(pk=review_id, user=request.user).select_related("title").first()
    if review is None:
        raise ApplicationError(_("You can only edit your own review."), {"review_id": review_id})
    services.review_upsert(
        user=request.user,
        title=review.title,
        body=request.POST.get("body", ""),
        has_spoilers=bool(request.POST.get("has_spoilers")),
    )
    return _("Review saved.")


@service_post(_review_url)
def review_report_view(request: AuthedHttpRequest, review_id: int) -> str:
    comment = request.POST.get("comment_id", "")
    services.review_report_create(
        user=request.user,
        review_id=review_id,
        comment_id=int(comment) if comment.isdigit() else None,
        reason=request.POST.get("reason", ""),
    )
    return _("Thank you: the staff will look at it.")


def _comment_review_url(request: HttpRequest, comment_id: int, *args: Any, **kwargs: Any) -> str:
    from apps.social.models import ReviewComment

    comment = ReviewComment.objects.filter(pk=comment_id).only("review_id").first()
    return _review_url(request, comment.review_id) if comment else reverse("social:notifications")


@service_post(_comment_review_url)
def review_comment_delete_view(request: AuthedHttpRequest, comment_id: int) -> str:
    services.review_comment_delete(user=request.user, comment_id=comment_id)
    return _("Comment deleted.")
