"""Mini-homepages (/@nickname), the guestbook, surfing, and editing my page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from apps.social import homepage_cache
from apps.social import selectors
from apps.social import services
from apps.social.forms import AvatarForm
from apps.social.forms import GuestbookForm
from apps.social.forms import ProfileForm
from apps.social.http import AuthedHttpRequest
from apps.social.http import request_is_same_origin
from apps.social.http import request_viewer
from apps.social.views.common import home_url
from apps.social.views.common import homepage_of
from apps.social.views.common import service_post
from apps.social.views.common import user_by_nickname
from config.bad_input import MAX_QUERY_INT
from config.bad_input import query_int
from config.exceptions import ApplicationError


def homepage(request: HttpRequest, nickname: str) -> HttpResponse:
    """The mini-homepage. Who counts in TODAY/TOTAL is decided here and in ``homepage_visit``:

    - Signed in, the visit is counted while the page is drawn (that page is never shared by
      the edge cache, and this works without JavaScript). The owner's own visits never count.
    - Anonymous, a visit counts when a browser shows the page: the page's script
      (static/social/visit.js) posts to ``homepage_visit``, which counts it and answers the
      fresh figures. So this GET sets no cookie and saves no session, and nginx may keep the
      page for everyone for a few seconds (compose/production/nginx/nginx.conf); crawlers,
      link previews and clients without JavaScript no longer add to TODAY. Until the beacon
      answers, the page shows the counts before this visit.
    """
    owner = user_by_nickname(nickname)
    viewer = request_viewer(request)
    pending = None  # anonymous: homepage_get reads today's pending count without recording
    if viewer is not None:
        pending = services.visit_record_pending(owner=owner, viewer=viewer, session_key=None)
    # Bounded: an offset past any guestbook is an empty page, never a bigint overflow.
    offset = query_int(request, "gb", maximum=MAX_QUERY_INT)
    page = selectors.homepage_get(owner=owner, viewer=viewer, guestbook_offset=offset, visits_pending=pending)
    return render(
        request,
        "social/homepage.html",
        {
            "page": page,
            "owner": owner,
            "section_html": _sections_html(page),
            "guestbook_form": GuestbookForm(),
            "gb_next": offset + selectors.GUESTBOOK_PAGE
            if offset + selectors.GUESTBOOK_PAGE < page.guestbook_count
            else None,
            "gb_prev": max(0, offset - selectors.GUESTBOOK_PAGE) if offset else None,
            # Only anonymous pages carry the visit beacon: a signed-in visit was counted above.
            "visit_url": "" if viewer else home_url(owner, "social:homepage-visit"),
        },
    )


def _homepage_visit(request: HttpRequest, nickname: str) -> HttpResponse:
    try:
        owner = user_by_nickname(nickname)
    except Http404:
        return JsonResponse({"message": "No such page.", "extra": {}}, status=404)
    viewer = request_viewer(request)
    if viewer is None and not request.session.session_key:
        # An anonymous visitor is counted once a day by their session, made here (as the
        # behaviour-event beacon does), never by the page that may be shared.
        request.session.save()
    # Idempotent: the visitor is one member of the owner's set for the day (apps/social/visitors.py),
    # so a reload, a second tab or a signed-in viewer already counted by the page adds nothing.
    # With Redis down nothing is counted and the persisted counts are answered.
    pending = services.visit_record_pending(
        owner=owner, viewer=viewer, session_key=request.session.session_key
    )
    return JsonResponse(selectors.visitor_counts(owner=owner, visits_pending=pending))


_homepage_visit_checked = csrf_protect(_homepage_visit)


# The visit beacon of an anonymous mini-homepage (see ``homepage``). Signed out it carries no
# CSRF token: a token would make the shared page set a cookie. What a forged post could do is
# bump a page's TODAY from someone else's browser, so requests from other sites are refused by
# their Sec-Fetch-Site / Origin headers instead. Signed in, the token is checked as everywhere.
@csrf_exempt
@never_cache
@require_POST
def homepage_visit(request: HttpRequest, nickname: str) -> HttpResponse:
    """Count this visit (once per visitor and Seoul day) and answer {"today": n, "total": n}."""
    if not request_is_same_origin(request):
        return JsonResponse({"message": "Cross-site visit refused.", "extra": {}}, status=403)
    if request.user.is_authenticated:
        return _homepage_visit_checked(request, nickname)
    return _homepage_visit(request, nickname)


def _sections_html(page: selectors.Homepage) -> dict[str, str]:
    """The page's visible cacheable sections, from the cache or drawn now and stored
    (apps/social/homepage_cache.py): one cache round trip when all are there."""
    owner, is_self = page.owner, page.rel.is_self
    shown = [section for section in homepage_cache.CACHED_SECTIONS if page.sections[section]]
    if not shown:
        return {}
    variant = homepage_cache.section_variant(is_self=is_self, language=get_language() or "")
    html, generation = homepage_cache.sections_cached(owner_id=owner.pk, sections=shown, variant=variant)
    drawn: dict[str, str] = {}
    for section in shown:
        if section not in html:
            rows = selectors.homepage_section_get(owner=owner, section=section)
            context = {**rows, "is_self": is_self, "owner": owner}
            drawn[section] = render_to_string(homepage_cache.section_template(section), context)
    homepage_cache.sections_store(owner_id=owner.pk, variant=variant, generation=generation, html=drawn)
    return {section: mark_safe(text) for section, text in {**html, **drawn}.items()}  # noqa: S308 - rendered by autoescaping templates


@service_post(homepage_of)
def guestbook_create_view(request: AuthedHttpRequest, nickname: str) -> str:
    owner = user_by_nickname(nickname)
    form = GuestbookForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_("Write a message of at most 1000 characters."))
    services.guestbook_entry_create(owner=owner, author=request.user, **form.cleaned_data)
    return _("Thanks for visiting!")


def _my_home(request: AuthedHttpRequest, *args: Any, **kwargs: Any) -> str:
    return home_url(request.user)


@service_post(_my_home)
def guestbook_reply_view(request: AuthedHttpRequest, entry_id: int) -> str:
    services.guestbook_entry_reply(owner=request.user, entry_id=entry_id, reply=request.POST.get("reply", ""))
    return _("Reply posted.")


@service_post(_my_home)
def guestbook_delete_view(request: AuthedHttpRequest, entry_id: int) -> str:
    services.guestbook_entry_delete(user=request.user, entry_id=entry_id)
    return _("Entry deleted.")


def surf(request: HttpRequest, nickname: str) -> HttpResponse:
    """파도타기: jump to a random friend of this page's owner."""
    owner = user_by_nickname(nickname)
    viewer = request.user if request.user.is_authenticated else None
    rel = selectors.relationship_between(viewer=viewer, owner=owner)
    profile = services.profile_get_or_create(user=owner)
    friend = None
    if selectors.visible_sections(owner=owner, profile=profile, rel=rel)["friends"]:
        friend = selectors.random_friend_of(user=owner, exclude_id=viewer.pk if viewer else None)
    if friend is None:
        messages.info(request, _("No friends to surf to from here."))
        return redirect(home_url(owner))
    return redirect(home_url(friend))


@login_required
def profile_edit(request: AuthedHttpRequest) -> HttpResponse:
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
            return redirect(home_url(request.user))
    return render(request, "social/profile_edit.html", {"form": form, "avatar_form": avatar_form})


@login_required
@require_POST
def avatar_upload(request: AuthedHttpRequest) -> HttpResponse:
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
def shelf_edit(request: AuthedHttpRequest) -> HttpResponse:
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
        return redirect(home_url(request.user))
    shelf = list(request.user.shelf.select_related("title"))
    rated = request.user.ratings.select_related("title").order_by("-half_stars", "-created_at")[:30]
    return render(request, "social/shelf_edit.html", {"shelf": shelf, "rated": rated})
