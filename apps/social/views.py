"""Social pages: thin views over the services and selectors.

Every state change is a POST (CSRF-protected by the middleware); business errors come
back as a message on the page they were made from, with nothing saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.movies.models import Genre
from apps.movies.models import Provider
from apps.movies.models import Title
from apps.social import selectors
from apps.social import services
from apps.social.forms import AvatarForm
from apps.social.forms import BoardPostForm
from apps.social.forms import GuestbookForm
from apps.social.forms import ProfileForm
from apps.social.models import BoardPost
from apps.social.models import Review
from apps.social.models import User
from config.exceptions import ApplicationError

FEED_PAGE = 20
BOARD_PAGE = 20


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def _home_url(user: User) -> str:
    return reverse("social:homepage", kwargs={"nickname": user.nickname or user.username})


def service_post(fallback: Callable[..., str]) -> Callable[..., Any]:
    """POST-only, signed-in view; an ApplicationError becomes a message and a redirect back."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        @require_POST
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                result = view(request, *args, **kwargs)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return _back(request, fallback(request, *args, **kwargs))
            if isinstance(result, HttpResponse):
                return result
            if result:
                messages.success(request, result)
            return _back(request, fallback(request, *args, **kwargs))

        return wrapper

    return decorator


def _title_url(request: HttpRequest, title_id: int, *args: Any, **kwargs: Any) -> str:
    return reverse("social:title", kwargs={"title_id": title_id})


def _user_by_nickname(nickname: str) -> User:
    user = selectors.user_get_by_nickname(nickname=nickname)
    if user is None:
        raise Http404
    return user


# -----------------------------------------------------------------------------
# Title actions (the include on the title page posts here)
# -----------------------------------------------------------------------------
def title_social(request: HttpRequest, title_id: int) -> HttpResponse:
    """A social view of one title (ratings, reviews, board posts), also used as a fallback page."""
    title = get_object_or_404(Title, pk=title_id)
    return render(request, "social/title.html", {"title": title})


@service_post(_title_url)
def rating_set_view(request: HttpRequest, title_id: int) -> str:
    title = get_object_or_404(Title, pk=title_id)
    if request.POST.get("stars") in (None, "", "0"):
        services.rating_delete(user=request.user, title=title)
        return _("Rating removed.")
    services.rating_set(user=request.user, title=title, stars=request.POST["stars"])
    return _("Rating saved.")


@service_post(_title_url)
def watchlist_toggle_view(request: HttpRequest, title_id: int) -> str:
    title = get_object_or_404(Title, pk=title_id)
    if request.POST.get("action") == "remove":
        services.watchlist_remove(user=request.user, title=title)
        return _("Removed from your watchlist.")
    services.watchlist_add(user=request.user, title=title)
    return _("Added to your watchlist.")


@service_post(_title_url)
def diary_create_view(request: HttpRequest, title_id: int) -> str:
    title = get_object_or_404(Title, pk=title_id)
    raw_date = request.POST.get("watched_on") or ""
    try:
        watched_on = dt.date.fromisoformat(raw_date) if raw_date else None
    except ValueError as exc:
        raise ApplicationError(_("Enter the date as YYYY-MM-DD.")) from exc
    rewatch = {"yes": True, "no": False}.get(request.POST.get("rewatch", ""))
    services.diary_entry_create(
        user=request.user,
        title=title,
        watched_on=watched_on,
        rewatch=rewatch,
        note=request.POST.get("note", ""),
    )
    return _("Logged in your diary.")


@service_post(_title_url)
def review_upsert_view(request: HttpRequest, title_id: int) -> str:
    title = get_object_or_404(Title, pk=title_id)
    services.review_upsert(
        user=request.user,
        title=title,
        body=request.POST.get("body", ""),
        has_spoilers=bool(request.POST.get("has_spoilers")),
    )
    return _("Review saved.")


def _review_title_url(request: HttpRequest, review_id: int, *args: Any, **kwargs: Any) -> str:
    review = Review.objects.filter(pk=review_id).only("title_id").first()
    return _title_url(request, review.title_id) if review else reverse("social:feed")


@service_post(_review_title_url)
def review_delete_view(request: HttpRequest, review_id: int) -> str:
    services.review_delete(user=request.user, review_id=review_id)
    return _("Review deleted.")


@service_post(_review_title_url)
def review_comment_view(request: HttpRequest, review_id: int) -> str:
    review = get_object_or_404(Review, pk=review_id)
    services.review_comment_create(user=request.user, review=review, body=request.POST.get("body", ""))
    return _("Comment posted.")


@service_post(_review_title_url)
def review_like_view(request: HttpRequest, review_id: int) -> str:
    review = get_object_or_404(Review, pk=review_id)
    services.review_like_set(user=request.user, review=review, liked=request.POST.get("liked") != "0")
    return ""


# -----------------------------------------------------------------------------
# Mini-homepage
# -----------------------------------------------------------------------------
def homepage(request: HttpRequest, nickname: str) -> HttpResponse:
    owner = _user_by_nickname(nickname)
    if not request.user.is_authenticated and not request.session.session_key:
        request.session.save()  # an anonymous visitor needs a session to be counted once a day
    services.visit_record(owner=owner, viewer=request.user, session_key=request.session.session_key)
    try:
        offset = max(0, int(request.GET.get("gb", 0)))
    except ValueError:
        offset = 0
    page = selectors.homepage_get(owner=owner, viewer=request.user, guestbook_offset=offset)
    return render(
        request,
        "social/homepage.html",
        {
            "page": page,
            "owner": owner,
            "guestbook_form": GuestbookForm(),
            "gb_next": offset + selectors.GUESTBOOK_PAGE
            if offset + selectors.GUESTBOOK_PAGE < page.guestbook_count
            else None,
            "gb_prev": max(0, offset - selectors.GUESTBOOK_PAGE) if offset else None,
        },
    )


def _homepage_of(request: HttpRequest, nickname: str, *args: Any, **kwargs: Any) -> str:
    return reverse("social:homepage", kwargs={"nickname": nickname}) + "#guestbook"


@service_post(_homepage_of)
def guestbook_create_view(request: HttpRequest, nickname: str) -> str:
    owner = _user_by_nickname(nickname)
    form = GuestbookForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_("Write a message of at most 1000 characters."))
    services.guestbook_entry_create(owner=owner, author=request.user, **form.cleaned_data)
    return _("Thanks for visiting!")


def _my_home(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return _home_url(request.user)


@service_post(_my_home)
def guestbook_reply_view(request: HttpRequest, entry_id: int) -> str:
    services.guestbook_entry_reply(owner=request.user, entry_id=entry_id, reply=request.POST.get("reply", ""))
    return _("Reply posted.")


@service_post(_my_home)
def guestbook_delete_view(request: HttpRequest, entry_id: int) -> str:
    services.guestbook_entry_delete(user=request.user, entry_id=entry_id)
    return _("Entry deleted.")


def surf(request: HttpRequest, nickname: str) -> HttpResponse:
    """파도타기: jump to a random friend of this page's owner."""
    owner = _user_by_nickname(nickname)
    viewer = request.user if request.user.is_authenticated else None
    rel = selectors.relationship_between(viewer=viewer, owner=owner)
    profile = services.profile_get_or_create(user=owner)
    friend = None
    if selectors.visible_sections(owner=owner, profile=profile, rel=rel)["friends"]:
        friend = selectors.random_friend_of(user=owner, exclude_id=viewer.pk if viewer else None)
    if friend is None:
        messages.info(request, _("No friends to surf to from here."))
        return redirect(_home_url(owner))
    return redirect(_home_url(friend))


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = services.profile_get_or_create(user=request.user)
    initial = {
        "nickname": request.user.nickname or "",
        "mood": profile.mood,
        "intro": profile.intro,
        **{f"visibility_{s}": getattr(profile, f"visibility_{s}") for s in services.homepage.SECTIONS},
    }
    form = ProfileForm(request.POST or None, initial=initial)
    avatar_form = AvatarForm()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            # Nickname and the rest in one transaction: a taken nickname saves nothing.
            with transaction.atomic():
                if data["nickname"] != request.user.nickname:
                    services.user_nickname_set(user=request.user, nickname=data["nickname"])
                data.pop("nickname")
                services.profile_update(user=request.user, data=data)
        except ApplicationError as exc:
            request.user.refresh_from_db(fields=["nickname"])
            form.add_error(
                exc.extra.get("field") if exc.extra.get("field") in form.fields else None, exc.message
            )
        else:
            messages.success(request, _("Profile saved."))
            return redirect(_home_url(request.user))
    return render(request, "social/profile_edit.html", {"form": form, "avatar_form": avatar_form})


@login_required
@require_POST
def avatar_upload(request: HttpRequest) -> HttpResponse:
    form = AvatarForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a picture to upload."))
    else:
        try:
            services.user_avatar_set(user=request.user, upload=form.cleaned_data["avatar"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Profile photo updated."))
    return redirect("social:profile-edit")


@login_required
def shelf_edit(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        ids = []
        for key in ("t1", "t2", "t3", "t4", "t5"):
            raw = request.POST.get(key, "").strip()
            if raw:
                if not raw.isdigit():
                    messages.error(request, _("Use title numbers."))
                    return redirect("social:shelf-edit")
                ids.append(int(raw))
        try:
            services.shelf_set(user=request.user, title_ids=ids)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("social:shelf-edit")
        messages.success(request, _("Life movies saved."))
        return redirect(_home_url(request.user))
    shelf = list(request.user.shelf.select_related("title"))
    rated = request.user.ratings.select_related("title").order_by("-half_stars", "-created_at")[:30]
    return render(request, "social/shelf_edit.html", {"shelf": shelf, "rated": rated})


@login_required
def onboarding(request: HttpRequest) -> HttpResponse:
    grid = selectors.onboarding_grid()
    if request.method == "POST":
        ratings: dict[int, str] = {}
        for title in grid:
            value = request.POST.get(f"rate_{title.pk}", "")
            if value:
                ratings[title.pk] = value
        try:
            services.onboarding_complete(
                user=request.user,
                genre_ids=[int(v) for v in request.POST.getlist("genres") if v.isdigit()],
                provider_ids=[int(v) for v in request.POST.getlist("services") if v.isdigit()],
                ratings=ratings,
                watchlist_ids=[int(v) for v in request.POST.getlist("want") if v.isdigit()],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Welcome to Moochu! Your picks are ready."))
            return redirect(_home_url(request.user) if request.user.nickname else "movies:home")
    return render(
        request,
        "social/onboarding.html",
        {
            "grid": grid,
            "genres": Genre.objects.all(),
            "providers": Provider.objects.all(),
            "chosen_genres": set(request.POST.getlist("genres")),
            "chosen_services": set(request.POST.getlist("services")),
            "star_choices": [x / 2 for x in range(1, 11)],
        },
    )


# -----------------------------------------------------------------------------
# Friends
# -----------------------------------------------------------------------------
@login_required
def friends(request: HttpRequest) -> HttpResponse:
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


@service_post(_homepage_of)
def friend_request_view(request: HttpRequest, nickname: str) -> str:
    target = _user_by_nickname(nickname)
    services.friend_request_send(
        from_user=request.user, to_user=target, message=request.POST.get("message", "")
    )
    return _("Friend request sent.")


@service_post(_friends_url)
def friend_request_answer_view(request: HttpRequest, request_id: int, action: str) -> str:
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


@service_post(_homepage_of)
def relation_view(request: HttpRequest, nickname: str, action: str) -> str:
    target = _user_by_nickname(nickname)
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


# -----------------------------------------------------------------------------
# Recommendations, inbox, notifications, feed
# -----------------------------------------------------------------------------
@service_post(_title_url)
def recommend_view(request: HttpRequest, title_id: int) -> str:
    title = get_object_or_404(Title, pk=title_id)
    receiver_ids = [int(v) for v in request.POST.getlist("friends") if v.isdigit()]
    services.recommendation_send(
        sender=request.user, receiver_ids=receiver_ids, title=title, note=request.POST.get("note", "")
    )
    return _("Recommendation sent.")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    # Shown with their unread styling once, then marked read: opening the inbox clears the badge.
    notifications = list(selectors.notifications_recent(user=request.user)[:30])
    services.notifications_mark_read(user=request.user, ids=[n.pk for n in notifications if not n.is_read])
    return render(
        request,
        "social/inbox.html",
        {
            "pending": selectors.recommendation_inbox(user=request.user),
            "sent": selectors.recommendations_sent(user=request.user)[:50],
            "notifications": notifications,
        },
    )


def _inbox_url(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return reverse("social:inbox")


@service_post(_inbox_url)
def recommendation_answer_view(request: HttpRequest, recommendation_id: int, action: str) -> str:
    if action == "accept":
        services.recommendation_accept(user=request.user, recommendation_id=recommendation_id)
        return _("Added to your watchlist.")
    if action == "dismiss":
        services.recommendation_dismiss(user=request.user, recommendation_id=recommendation_id)
        return _("Dismissed.")
    raise Http404


@service_post(_inbox_url)
def notifications_read_view(request: HttpRequest) -> str:
    services.notifications_mark_read(user=request.user)
    return ""


def _coming_soon_url(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return reverse("movies:coming-soon")


@service_post(_coming_soon_url)
def watch_alert_preference_view(request: HttpRequest) -> str:
    from apps.social.services.watch_alerts import watch_alert_preference_set

    email = request.POST.get("email") == "1"
    watch_alert_preference_set(user=request.user, email=email)
    if email:
        return _("We'll also e-mail you when a title from your watchlist arrives on your services.")
    return _("Watchlist alerts will only appear in Moochu.")


@login_required
def feed(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.feed_for_user(user=request.user), FEED_PAGE)
    return render(request, "social/feed.html", {"page_obj": paginator.get_page(request.GET.get("page"))})


# -----------------------------------------------------------------------------
# Board
# -----------------------------------------------------------------------------
def board_list(request: HttpRequest) -> HttpResponse:
    sort = "hot" if request.GET.get("sort") == "hot" else "new"
    title_id = request.GET.get("title")
    title = Title.objects.filter(pk=int(title_id)).first() if title_id and title_id.isdigit() else None
    posts = selectors.board_post_list(sort=sort, title_id=title.pk if title else None, viewer=request.user)
    paginator = Paginator(posts, BOARD_PAGE)
    return render(
        request,
        "social/board_list.html",
        {"page_obj": paginator.get_page(request.GET.get("page")), "sort": sort, "title": title},
    )


def _visible_post(request: HttpRequest, post_id: int) -> BoardPost:
    qs = selectors.board_post_list(viewer=request.user)
    return get_object_or_404(qs.filter(pk=post_id))


def board_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _visible_post(request, post_id)
    if services.board_view_record(user=request.user, post=post):
        post.view_count += 1
    comments = post.comments.select_related("author")
    return render(request, "social/board_detail.html", {"post": post, "comments": comments})


@login_required
def board_edit(request: HttpRequest, post_id: int | None = None) -> HttpResponse:
    post = None
    if post_id is not None:
        post = get_object_or_404(BoardPost, pk=post_id, author=request.user)
    initial = {}
    if post is not None:
        initial = {
            "heading": post.heading,
            "body": post.body,
            "title_ids": ",".join(str(t.pk) for t in post.titles.all()),
        }
    elif request.GET.get("title", "").isdigit():
        initial = {"title_ids": request.GET["title"]}
    form = BoardPostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if post is None:
                post = services.board_post_create(author=request.user, **form.cleaned_data)
            else:
                post = services.board_post_update(user=request.user, post_id=post.pk, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("social:board-detail", post_id=post.pk)
    return render(request, "social/board_edit.html", {"form": form, "post": post})


def _board_url(request: HttpRequest, post_id: int | None = None, *args: Any, **kwargs: Any) -> str:
    if post_id is not None and BoardPost.objects.filter(pk=post_id).exists():
        return reverse("social:board-detail", kwargs={"post_id": post_id})
    return reverse("social:board")


@service_post(_board_url)
def board_delete_view(request: HttpRequest, post_id: int) -> HttpResponse:
    services.board_post_delete(user=request.user, post_id=post_id)
    messages.success(request, _("Post deleted."))
    return redirect("social:board")


@service_post(_board_url)
def board_moderate_view(request: HttpRequest, post_id: int) -> str:
    services.board_post_moderate(user=request.user, post_id=post_id, hidden=request.POST.get("hidden") == "1")
    return _("Moderation saved.")


@service_post(_board_url)
def board_comment_view(request: HttpRequest, post_id: int) -> str:
    services.board_comment_create(
        user=request.user, post=_visible_post(request, post_id), body=request.POST.get("body", "")
    )
    return _("Comment posted.")


@service_post(_board_url)
def board_like_view(request: HttpRequest, post_id: int) -> str:
    services.board_like_set(
        user=request.user, post=_visible_post(request, post_id), liked=request.POST.get("liked") != "0"
    )
    return ""
