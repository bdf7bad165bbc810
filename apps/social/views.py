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
from django.http import JsonResponse
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
from apps.social.models import Rating
from apps.social.models import Review
from apps.social.models import User
from apps.social.selectors_recommend import recommendation_hit_rate
from apps.social.templatetags.social_tags import stars_text
from config.bad_input import MAX_QUERY_INT
from config.bad_input import query_int
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


def _wants_json(request: HttpRequest) -> bool:
    """The star widget (static/js/stars.js) and other fetch callers ask for JSON."""
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def rating_set_view(request: HttpRequest, title_id: int) -> HttpResponse:
    """Set or remove my rating: a form post (message and redirect) or a fetch (JSON)."""
    title = get_object_or_404(Title, pk=title_id)
    clear = request.POST.get("clear") == "1" or request.POST.get("stars") in (None, "", "0")
    try:
        if clear:
            if selectors.rating_of(user=request.user, title=title) is not None:
                services.rating_delete(user=request.user, title=title)
            stars, message = None, _("Rating removed.")
        else:
            stars = services.rating_set(user=request.user, title=title, stars=request.POST["stars"]).stars
            message = _("Rating saved.")
    except ApplicationError as exc:
        if _wants_json(request):
            return JsonResponse({"message": exc.message, "extra": exc.extra}, status=400)
        messages.error(request, exc.message)
        return _back(request, _title_url(request, title_id))
    if _wants_json(request):
        title.refresh_from_db(fields=["rating_avg", "rating_count"])
        return JsonResponse(
            {
                "stars": stars,
                "label": stars_text(stars) if stars else _("Not rated"),
                "message": message,
                "title_rating_avg": title.rating_avg,
                "title_rating_count": title.rating_count,
            }
        )
    messages.success(request, message)
    return _back(request, _title_url(request, title_id))


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
    rewatch = {"yes": True, "no": False}.get(request.POST.get("rewatch", ""))
    services.diary_entry_create(user=request.user, title=title, rewatch=rewatch, **_diary_fields(request))
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
    review = get_object_or_404(selectors.reviews_visible(viewer=request.user), pk=review_id)
    services.review_comment_create(user=request.user, review_id=review.pk, body=request.POST.get("body", ""))
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
    # Bounded: an offset past any guestbook is an empty page, never a bigint overflow.
    offset = query_int(request, "gb", maximum=MAX_QUERY_INT)
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


ONBOARDING_GOAL = 10  # ratings before the picks are really personal (Watcha Pedia asks for ten too)
ONBOARDING_GRID = 36


@login_required
def onboarding(request: HttpRequest) -> HttpResponse:
    """Two steps: rate what you have seen on a poster grid, then my services and genres.

    Each star tap saves at once (stars.js; a plain form post without JavaScript), so the
    rating step has nothing to submit: "next" and "skip" both lead to the taste step, and
    that step ends on the picks page.
    """
    if request.GET.get("step") == "taste" or request.method == "POST":
        return _onboarding_taste(request)
    rated = dict(request.user.ratings.values_list("title_id", "half_stars"))
    grid = selectors.onboarding_grid(size=ONBOARDING_GRID)
    for title in grid:
        title.my_stars = rated[title.pk] / 2 if title.pk in rated else None
    count = len(rated)
    return render(
        request,
        "social/onboarding.html",
        {
            "step": "rate",
            "grid": grid,
            "count": count,
            "goal": ONBOARDING_GOAL,
            "progress": min(100, round(100 * count / ONBOARDING_GOAL)),
        },
    )


def _onboarding_taste(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            services.onboarding_taste_set(
                user=request.user,
                genre_ids=[int(v) for v in request.POST.getlist("genres") if v.isdigit()],
                provider_ids=[int(v) for v in request.POST.getlist("services") if v.isdigit()],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Welcome to Moochu! Your picks are ready."))
            return redirect("social:picks")
    chosen_genres = set(request.POST.getlist("genres")) or {
        str(pk) for pk in request.user.favourite_genres.values_list("pk", flat=True)
    }
    chosen_services = set(request.POST.getlist("services")) or {
        str(pk) for pk in request.user.my_services.values_list("pk", flat=True)
    }
    return render(
        request,
        "social/onboarding.html",
        {
            "step": "taste",
            "genres": Genre.objects.order_by("name_en"),
            "providers": Provider.objects.order_by("name"),
            "chosen_genres": chosen_genres,
            "chosen_services": chosen_services,
            "count": request.user.ratings.count(),
            "goal": ONBOARDING_GOAL,
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
            "hit_rate": recommendation_hit_rate(user=request.user),
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
    liked = request.user.is_authenticated and post.likes.filter(user=request.user).exists()
    return render(request, "social/board_detail.html", {"post": post, "comments": comments, "liked": liked})


@login_required
def board_edit(request: HttpRequest, post_id: int | None = None) -> HttpResponse:
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
            title_ids = _picked_titles(request)
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


# -----------------------------------------------------------------------------
# My library: watchlist and diary
# -----------------------------------------------------------------------------
LIBRARY_PAGE = 48
DIARY_PAGE = 30


def _flag(request: HttpRequest, name: str) -> bool:
    return request.GET.get(name) in ("1", "on", "true")


@login_required
def watchlist_page(request: HttpRequest) -> HttpResponse:
    can_predict = selectors.watchlist_predictor() is not None
    sort = request.GET.get("sort", "added")
    if sort not in selectors.WATCHLIST_SORTS or (sort == "predicted" and not can_predict):
        sort = "added"
    filters = selectors.WatchlistFilters(
        mine=_flag(request, "mine"),
        cinema=_flag(request, "cinema"),
        rent_buy=_flag(request, "rent_buy"),
        sort=sort,
    )
    if can_predict:
        items: Any = selectors.watchlist_with_predictions(user=request.user, filters=filters)
    else:
        items = selectors.watchlist_for_user(user=request.user, filters=filters)
    paginator = Paginator(items, LIBRARY_PAGE)
    return render(
        request,
        "social/watchlist.html",
        {
            "page_obj": paginator.get_page(request.GET.get("page")),
            "filters": filters,
            "can_predict": can_predict,
            "total": request.user.watchlist.count(),
            "has_services": request.user.my_services.exists(),
        },
    )


def _month_param(raw: str) -> tuple[int, int]:
    today = dt.date.today()
    try:
        year, month = (int(part) for part in raw.split("-", 1))
        dt.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    if not 1870 <= year <= today.year + 1:
        return today.year, today.month
    return year, month


@login_required
def diary_page(request: HttpRequest) -> HttpResponse:
    view = "calendar" if request.GET.get("view") == "calendar" else "list"
    context: dict[str, Any] = {"view": view}
    if view == "calendar":
        year, month = _month_param(request.GET.get("month", ""))
        context["month"] = selectors.diary_month(user=request.user, year=year, month=month)
    else:
        paginator = Paginator(selectors.diary_for_user(user=request.user), DIARY_PAGE)
        context["page_obj"] = paginator.get_page(request.GET.get("page"))
    context["total"] = request.user.diary.count()
    return render(request, "social/diary.html", context)


def _diary_url(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return reverse("social:diary-page")


def _diary_fields(request: HttpRequest) -> dict[str, Any]:
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


@login_required
def diary_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_object_or_404(selectors.diary_for_user(user=request.user), pk=entry_id)
    if request.method == "POST":
        try:
            services.diary_entry_update(
                user=request.user,
                entry_id=entry.pk,
                rewatch=request.POST.get("rewatch") == "yes",
                **_diary_fields(request),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Diary entry saved."))
            return _back(request, reverse("social:diary-page"))
    return render(request, "social/diary_edit.html", {"entry": entry})


@service_post(_diary_url)
def diary_delete_view(request: HttpRequest, entry_id: int) -> str:
    services.diary_entry_delete(user=request.user, entry_id=entry_id)
    return _("Diary entry deleted.")


@service_post(_diary_url)
def diary_log_view(request: HttpRequest) -> str:
    """Log a viewing from the diary page: the title comes from the search-as-you-type picker."""
    title = _picked_title(request)
    rewatch = {"yes": True, "no": False}.get(request.POST.get("rewatch", ""))
    services.diary_entry_create(user=request.user, title=title, rewatch=rewatch, **_diary_fields(request))
    return _("Logged in your diary.")


def _picked_titles(request: HttpRequest) -> list[int]:
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


def _picked_title(request: HttpRequest) -> Title:
    ids = _picked_titles(request)
    if not ids:
        raise ApplicationError(_("Choose a title."), {"field": "title_ids"})
    title = Title.objects.filter(pk=ids[0]).first()
    if title is None:
        raise ApplicationError(_("That title does not exist."), {"field": "title_ids"})
    return title


# -----------------------------------------------------------------------------
# Reviews as conversations
# -----------------------------------------------------------------------------
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_visible(review_id=review_id, viewer=request.user)
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
def review_reply_view(request: HttpRequest, review_id: int) -> str:
    """A comment or a reply, posted from the review page."""
    parent = request.POST.get("parent_id", "")
    services.review_comment_create(
        user=request.user,
        review_id=review_id,
        body=request.POST.get("body", ""),
        parent_id=int(parent) if parent.isdigit() else None,
    )
    return _("Comment posted.")


@service_post(_review_url)
def review_edit_view(request: HttpRequest, review_id: int) -> str:
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
def review_report_view(request: HttpRequest, review_id: int) -> str:
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
def review_comment_delete_view(request: HttpRequest, comment_id: int) -> str:
    services.review_comment_delete(user=request.user, comment_id=comment_id)
    return _("Comment deleted.")


# -----------------------------------------------------------------------------
# Notification centre
# -----------------------------------------------------------------------------
NOTIFICATIONS_PAGE = 30


@login_required
def notifications_page(request: HttpRequest) -> HttpResponse:
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
def notification_open_view(request: HttpRequest, notification_id: int) -> HttpResponse:
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
    return _back(request, reverse("social:notifications"))


@service_post(_notifications_url)
def notifications_read_all_view(request: HttpRequest) -> str:
    count = services.notifications_mark_read(user=request.user)
    return _("All notifications marked read.") if count else ""


# -----------------------------------------------------------------------------
# Picks: 나를 위한 추천
# -----------------------------------------------------------------------------
PICKS_LIMIT = 24


@login_required
def picks_page(request: HttpRequest) -> HttpResponse:
    from apps.recs.selectors import recs_for_user

    only_mine = _flag(request, "mine")
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
        },
    )


def _picks_url(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return reverse("social:picks")


@service_post(_picks_url)
def pick_dismiss_view(request: HttpRequest, title_id: int) -> str | HttpResponse:
    title = get_object_or_404(Title, pk=title_id)
    services.pick_dismiss(user=request.user, title=title)
    message = _("We will not suggest %(title)s again.") % {"title": title.display_title}
    if _wants_json(request):  # static/social/library.js removes the card in place
        return JsonResponse({"message": message})
    return message
