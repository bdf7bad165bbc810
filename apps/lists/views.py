"""List pages: thin views over apps/lists services and selectors.

Every state change is a POST; a business error comes back as a message on the page it was
made from (``service_post``), with nothing saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.common.korean import with_particle
from apps.lists import selectors
from apps.lists import services
from apps.lists.forms import ListForm
from apps.lists.models import ListEntry
from apps.lists.models import UserList
from apps.social.http import AuthedHttpRequest
from apps.social.models import User
from apps.social.templatetags.social_tags import title_name
from apps.social.views.common import picked_title_id
from apps.social.views.common import service_post
from config.bad_input import MAX_QUERY_INT
from config.bad_input import query_int
from config.exceptions import ApplicationError

ENTRY_PAGE = 48  # a poster grid of 4/6 columns; a 10,000-entry list is 209 pages
ACTIVITY_PREVIEW = 8
ACTIVITY_PAGE = 50
LISTS_PAGE = 24


def _detail_url(list_id: int, *args: Any, **kwargs: Any) -> str:
    return reverse("lists:detail", kwargs={"list_id": list_id})


def _from_list(request: HttpRequest, list_id: int, *args: Any, **kwargs: Any) -> str:
    return _detail_url(list_id)


def _from_entry(request: HttpRequest, entry_id: int, *args: Any, **kwargs: Any) -> str:
    list_id = ListEntry.objects.filter(pk=entry_id).values_list("list_id", flat=True).first()
    return _detail_url(list_id) if list_id else reverse("lists:mine")


def _mine(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return reverse("lists:mine")


def _visible_list(
    request: HttpRequest, list_id: int, token: str = ""
) -> tuple[UserList, selectors.ListAccess]:
    visible = selectors.list_get_visible(list_id=list_id, viewer=request.user, token=token)
    if visible is None:
        raise Http404
    return visible


def _int_field(request: HttpRequest, name: str) -> int:
    raw = request.POST.get(name, "").strip()
    if not raw.lstrip("-").isdigit() or len(raw) > 12:
        raise ApplicationError(_("Position must be a whole number."), {"field": name})
    return int(raw)


# -----------------------------------------------------------------------------
# Pages
# -----------------------------------------------------------------------------
@login_required
def my_lists(request: AuthedHttpRequest) -> HttpResponse:
    page_obj = Paginator(selectors.lists_for_user(user=request.user), LISTS_PAGE).get_page(
        query_int(request, "page", default=1, minimum=1, maximum=MAX_QUERY_INT)
    )
    return render(request, "lists/mine.html", {"page_obj": page_obj})


@login_required
def list_new(request: AuthedHttpRequest) -> HttpResponse:
    form = ListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_list = services.list_create(owner=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field"), exc.message)
        else:
            return redirect(_detail_url(user_list.pk))
    return render(request, "lists/form.html", {"form": form, "user_list": None})


def _detail(
    request: HttpRequest, user_list: UserList, access: selectors.ListAccess, *, shared: bool
) -> HttpResponse:
    paginator = Paginator(selectors.list_entries(user_list=user_list), ENTRY_PAGE)
    # "?page=last" is where a title just added (appended at the end) shows.
    if request.GET.get("page") == "last":
        number = paginator.num_pages
    else:
        number = query_int(request, "page", default=1, minimum=1, maximum=MAX_QUERY_INT)
    page_obj = paginator.get_page(number)
    return render(
        request,
        "lists/detail.html",
        {
            "user_list": user_list,
            "access": access,
            "page_obj": page_obj,
            "entry_total": page_obj.paginator.count,
            "activity": list(selectors.list_activity(user_list=user_list)[:ACTIVITY_PREVIEW]),
            "collaborators": selectors.list_collaborators(user_list=user_list),
            "shared": shared,
            "share_url": request.build_absolute_uri(
                reverse("lists:shared", kwargs={"token": user_list.share_token})
            )
            if access.can_edit
            else "",
        },
    )


def list_detail(request: HttpRequest, list_id: int) -> HttpResponse:
    user_list, access = _visible_list(request, list_id)
    return _detail(request, user_list, access, shared=False)


def list_shared(request: HttpRequest, token: str) -> HttpResponse:
    """The share link: opens a public or 일촌-only list for whoever holds it (read-only)."""
    user_list = selectors.list_get_by_token(token=token)
    if user_list is None:
        raise Http404
    user_list, access = _visible_list(request, user_list.pk, token=token)
    return _detail(request, user_list, access, shared=True)


@login_required
def list_edit(request: AuthedHttpRequest, list_id: int) -> HttpResponse:
    user_list, access = _visible_list(request, list_id)
    if not access.is_owner:
        raise Http404
    initial = {
        "name": user_list.name,
        "description": user_list.description,
        "visibility": user_list.visibility,
    }
    form = ListForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.list_update(user=request.user, list_id=list_id, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field"), exc.message)
        else:
            return redirect(_detail_url(list_id))
    return render(request, "lists/form.html", {"form": form, "user_list": user_list})


@login_required
def list_collaborators_page(request: AuthedHttpRequest, list_id: int) -> HttpResponse:
    user_list, access = _visible_list(request, list_id)
    if not access.can_edit:
        raise Http404
    return render(
        request,
        "lists/collaborators.html",
        {
            "user_list": user_list,
            "access": access,
            "collaborators": selectors.list_collaborators(user_list=user_list),
            "candidates": selectors.list_invite_candidates(user_list=user_list) if access.is_owner else [],
        },
    )


def list_activity_page(request: HttpRequest, list_id: int) -> HttpResponse:
    user_list, access = _visible_list(request, list_id)
    page_obj = Paginator(selectors.list_activity(user_list=user_list), ACTIVITY_PAGE).get_page(
        query_int(request, "page", default=1, minimum=1, maximum=MAX_QUERY_INT)
    )
    return render(
        request, "lists/activity.html", {"user_list": user_list, "access": access, "page_obj": page_obj}
    )


def list_search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    results = selectors.list_search(query=query, viewer=request.user)
    return render(request, "lists/search.html", {"query": query, "results": results})


# -----------------------------------------------------------------------------
# Actions (POST)
# -----------------------------------------------------------------------------
@service_post(_from_list)
def entry_add_view(request: AuthedHttpRequest, list_id: int) -> str:
    entry = services.list_entry_add(
        user=request.user,
        list_id=list_id,
        title_id=picked_title_id(request),
        note=request.POST.get("note", ""),
    )
    return _("Added %(title)s.") % {"title": with_particle(title_name(entry.title), "을/를")}


@service_post(_from_entry)
def entry_move_view(request: AuthedHttpRequest, entry_id: int) -> str:
    expected = _int_field(request, "expected_position")
    if "position_display" in request.POST:  # "move to #n" (1-based, as people count)
        position = _int_field(request, "position_display") - 1
    else:
        position = _int_field(request, "position")
    services.list_entry_move(
        user=request.user, entry_id=entry_id, position=position, expected_position=expected
    )
    return _("Moved to #%(n)d.") % {"n": position + 1}


@service_post(_from_entry)
def entry_note_view(request: AuthedHttpRequest, entry_id: int) -> str:
    services.list_entry_note_set(user=request.user, entry_id=entry_id, note=request.POST.get("note", ""))
    return _("Note saved.")


@service_post(_from_entry)
def entry_remove_view(request: AuthedHttpRequest, entry_id: int) -> str:
    services.list_entry_remove(user=request.user, entry_id=entry_id)
    return _("Removed from the list.")


@service_post(_from_list)
def list_like_view(request: AuthedHttpRequest, list_id: int) -> str:
    liked = request.POST.get("liked") == "yes"
    services.list_like_set(user=request.user, list_id=list_id, liked=liked)
    return _("Liked.") if liked else _("Like removed.")


@service_post(_from_list)
def list_follow_view(request: AuthedHttpRequest, list_id: int) -> str:
    following = request.POST.get("following") == "yes"
    services.list_follow_set(user=request.user, list_id=list_id, following=following)
    return _("You will hear when titles are added.") if following else _("Unfollowed.")


@service_post(_from_list)
def collaborator_invite_view(request: AuthedHttpRequest, list_id: int) -> str:
    raw = request.POST.get("user_id", "")
    invitee = User.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None
    if invitee is None:
        raise ApplicationError(_("Choose one of your friends."), {"field": "user_id"})
    services.list_collaborator_invite(user=request.user, list_id=list_id, invitee=invitee)
    return _("Invited %(name)s.") % {"name": invitee.display_name}


@service_post(_from_list)
def collaborator_remove_view(request: AuthedHttpRequest, list_id: int, user_id: int) -> str:
    services.list_collaborator_remove(user=request.user, list_id=list_id, collaborator_id=user_id)
    return _("Left the list.") if user_id == request.user.pk else _("Collaborator removed.")


@service_post(_from_list)
def share_reset_view(request: AuthedHttpRequest, list_id: int) -> str:
    services.list_share_token_reset(user=request.user, list_id=list_id)
    return _("A new share link was made; the old one no longer works.")


@service_post(_from_list)
def list_delete_view(request: AuthedHttpRequest, list_id: int) -> HttpResponse:
    services.list_delete(user=request.user, list_id=list_id)
    return redirect(reverse("lists:mine"))
