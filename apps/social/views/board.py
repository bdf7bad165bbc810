"""The recommendation board: posts, comments, likes, moderation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.movies.models import Title
from apps.social import selectors
from apps.social import services
from apps.social.forms import BoardPostForm
from apps.social.http import AuthedHttpRequest
from apps.social.http import request_viewer
from apps.social.models import BoardPost
from apps.social.views.common import picked_titles
from apps.social.views.common import service_post
from config.exceptions import ApplicationError

BOARD_PAGE = 20


def board_list(request: HttpRequest) -> HttpResponse:
    sort = "hot" if request.GET.get("sort") == "hot" else "new"
    title_id = request.GET.get("title")
    title = Title.objects.filter(pk=int(title_id)).first() if title_id and title_id.isdigit() else None
    posts = selectors.board_post_list(
        sort=sort, title_id=title.pk if title else None, viewer=request_viewer(request), rows_only=True
    )
    paginator = Paginator(posts, BOARD_PAGE)
    return render(
        request,
        "social/board_list.html",
        {"page_obj": paginator.get_page(request.GET.get("page")), "sort": sort, "title": title},
    )


def _visible_post(request: HttpRequest, post_id: int) -> BoardPost:
    return get_object_or_404(selectors.board_posts_visible(viewer=request_viewer(request)), pk=post_id)


def board_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _visible_post(request, post_id)
    if services.board_view_record(user=request_viewer(request), post=post):
        post.view_count += 1
    comments = post.comments.select_related("author")
    liked = request.user.is_authenticated and post.likes.filter(user=request.user).exists()
    return render(request, "social/board_detail.html", {"post": post, "comments": comments, "liked": liked})


@login_required
def board_edit(request: AuthedHttpRequest, post_id: int | None = None) -> HttpResponse:
    post = None
    if post_id is not None:
        post = get_object_or_404(BoardPost, pk=post_id, author=request.user)
    initial = {"heading": post.heading, "body": post.body} if post is not None else {}
    if post is not None:
        picked = list(post.titles.all())
    elif request.GET.get("title", "").isdigit():
        picked = list(Title.objects.filter(pk=int(request.GET["title"])))
    else:
        picked = []
    form = BoardPostForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            title_ids = picked_titles(request)
            # Show what was picked again if anything else is wrong.
            picked = list(Title.objects.filter(pk__in=title_ids))
            if form.is_valid():
                if post is None:
                    post = services.board_post_create(
                        author=request.user, title_ids=title_ids, **form.cleaned_data
                    )
                else:
                    post = services.board_post_update(
                        user=request.user, post_id=post.pk, title_ids=title_ids, **form.cleaned_data
                    )
                messages.success(request, _("Post published."))
                return redirect("social:board-detail", post_id=post.pk)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    return render(request, "social/board_edit.html", {"form": form, "post": post, "picked": picked})


def _board_url(request: HttpRequest, post_id: int | None = None, *args: Any, **kwargs: Any) -> str:
    if post_id is not None and BoardPost.objects.filter(pk=post_id).exists():
        return reverse("social:board-detail", kwargs={"post_id": post_id})
    return reverse("social:board")


@service_post(_board_url)
def board_delete_view(request: AuthedHttpRequest, post_id: int) -> HttpResponse:
    services.board_post_delete(user=request.user, post_id=post_id)
    messages.success(request, _("Post deleted."))
    return redirect("social:board")


@service_post(_board_url)
def board_moderate_view(request: AuthedHttpRequest, post_id: int) -> str:
    services.board_post_moderate(user=request.user, post_id=post_id, hidden=request.POST.get("hidden") == "1")
    return _("Moderation saved.")


@service_post(_board_url)
def board_comment_view(request: AuthedHttpRequest, post_id: int) -> str:
    services.board_comment_create(
        user=request.user, post=_visible_post(request, post_id), body=request.POST.get("body", "")
    )
    return _("Comment posted.")


@service_post(_board_url)
def board_like_view(request: AuthedHttpRequest, post_id: int) -> str:
    services.board_like_set(
        user=request.user, post=_visible_post(request, post_id), liked=request.POST.get("liked") != "0"
    )
    return ""
