"""Chat pages: the room list, a full-page room, and a title's room."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.http import HttpResponseRedirect
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_http_methods

from apps.chat import presence
from apps.chat.exceptions import ChatError
from apps.chat.forms import RoomCreateForm
from apps.chat.models import Room
from apps.chat.selectors import room_access
from apps.chat.selectors import room_list_for_user
from apps.chat.selectors import room_moderation_get
from apps.chat.services import report_resolve
from apps.chat.services import room_blocked_words_replace
from apps.chat.services import room_create
from apps.chat.services import room_get_or_create_for_title
from apps.chat.services import room_slow_mode_set
from apps.chat.services import sanction_lift
from apps.chat.templatetags.chat_tags import SLOW_MODE_CHOICES
from apps.chat.templatetags.chat_tags import chat_error_text
from apps.chat.templatetags.chat_tags import chat_labels
from apps.common.rendered import memoised_fragment
from apps.movies.models import Title
from apps.social.http import AuthedHttpRequest

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.http import HttpResponse


@require_GET
def room_list(request: HttpRequest) -> HttpResponse:
    rows = room_list_for_user(user=request.user)
    online = presence.presence_counts(room_ids=[row["room"].pk for row in rows])
    for row in rows:
        row["online"] = online.get(row["room"].pk, 0)
    form_fields = _room_create_fields_blank() if request.user.is_authenticated else ""
    return render(request, "chat/room_list.html", {"rows": rows, "form_fields": form_fields})


def _room_create_fields(form: RoomCreateForm) -> SafeString:
    # The template autoescapes what it prints, so its output is safe HTML.
    return mark_safe(render_to_string("chat/_room_create_fields.html", {"form": form}))  # noqa: S308


@memoised_fragment(maxsize=4)
def _room_create_fields_blank() -> SafeString:
    """The blank form is the same for everyone (no initial values, no CSRF token: that stays
    in the page): drawing its four fields was ~40% of the room list's template work."""
    return _room_create_fields(RoomCreateForm())


@login_required
@require_http_methods(["POST"])
def room_create_view(request: AuthedHttpRequest) -> HttpResponse:
    form = RoomCreateForm(request.POST)
    if not form.is_valid():
        rows = room_list_for_user(user=request.user)
        context = {"rows": rows, "form_fields": _room_create_fields(form), "form_invalid": True}
        return render(request, "chat/room_list.html", context, status=400)
    room = room_create(owner=request.user, **form.cleaned_data)
    return HttpResponseRedirect(reverse("chat:room", args=[room.pk]))


@require_GET
def room_detail(request: HttpRequest, room_id: int) -> HttpResponse:
    room = get_object_or_404(Room.objects.select_related("title"), pk=room_id)
    access = room_access(room=room, user=request.user)
    if not access.can_read:
        # Same answer for banned and not invited: don't reveal more than needed.
        raise Http404
    context = {
        "room": room,
        "access": access,
        "ws_path": f"/ws/chat/rooms/{room.pk}/",
        "chat_labels": chat_labels(),
        "slow_mode_choices": SLOW_MODE_CHOICES,
    }
    return render(request, "chat/room.html", context)


# -----------------------------------------------------------------------------
# Moderation page: reports queue, mutes and bans, slow mode, blocked words
# -----------------------------------------------------------------------------


def _moderated_room(request: HttpRequest, room_id: int) -> Room:
    room = get_object_or_404(Room.objects.select_related("title"), pk=room_id)
    if not room_access(room=room, user=request.user).can_moderate:
        raise PermissionDenied
    return room


@login_required
@require_GET
def room_moderation(request: AuthedHttpRequest, room_id: int) -> HttpResponse:
    room = _moderated_room(request, room_id)
    context = {
        "room": room,
        "moderation": room_moderation_get(room=room),
        "slow_mode_choices": SLOW_MODE_CHOICES,
    }
    return render(request, "chat/moderation.html", context)


@login_required
@require_http_methods(["POST"])
def room_moderation_action(request: AuthedHttpRequest, room_id: int) -> HttpResponse:
    """One form per action; a refusal comes back as a translated message, nothing half-done."""
    room = _moderated_room(request, room_id)
    op = request.POST.get("op", "")
    try:
        if op == "slow_mode":
            room_slow_mode_set(room_id=room.pk, by=request.user, seconds=_int(request.POST.get("seconds")))
            messages.success(request, _("Slow mode saved."))
        elif op == "blocked_words":
            room_blocked_words_replace(room=room, by=request.user, text=request.POST.get("words", ""))
            messages.success(request, _("Blocked words saved."))
        elif op == "lift":
            sanction_lift(sanction_id=_int(request.POST.get("sanction_id")), by=request.user)
            messages.success(request, _("Lifted."))
        elif op in ("report_delete", "report_dismiss"):
            action = op.removeprefix("report_")
            report_resolve(report_id=_int(request.POST.get("report_id")), by=request.user, action=action)
            messages.success(request, _("Message deleted.") if action == "delete" else _("Report dismissed."))
        else:
            messages.error(request, chat_error_text("invalid"))
    except ChatError as exc:
        messages.error(request, chat_error_text(exc.code, exc.message))
    return HttpResponseRedirect(reverse("chat:room_moderation", args=[room.pk]))


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise ChatError("invalid", "A number was expected.") from None


@require_GET
def title_room(request: HttpRequest, title_id: int) -> HttpResponse:
    title = get_object_or_404(Title, pk=title_id)
    room = room_get_or_create_for_title(title=title)
    return HttpResponseRedirect(reverse("chat:room", args=[room.pk]))


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Readiness for load balancers and test fixtures: database and presence store answer."""
    try:
        connection.ensure_connection()
        presence.presence_counts(room_ids=[0])
    except Exception as exc:  # any failure means "not ready"
        return JsonResponse({"ok": False, "error": type(exc).__name__}, status=503)
    return JsonResponse({"ok": True})
