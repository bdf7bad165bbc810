"""Chat pages: the room list, a full-page room, and a title's room."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404
from django.http import HttpResponseRedirect
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_http_methods

from apps.chat import presence
from apps.chat.forms import RoomCreateForm
from apps.chat.models import Room
from apps.chat.selectors import room_access
from apps.chat.selectors import room_list_for_user
from apps.chat.services import room_create
from apps.chat.services import room_get_or_create_for_title
from apps.chat.templatetags.chat_tags import chat_labels
from apps.movies.models import Title

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.http import HttpResponse


@require_GET
def room_list(request: HttpRequest) -> HttpResponse:
    rows = room_list_for_user(user=request.user)
    online = presence.presence_counts(room_ids=[row["room"].pk for row in rows])
    for row in rows:
        row["online"] = online.get(row["room"].pk, 0)
    return render(request, "chat/room_list.html", {"rows": rows, "form": RoomCreateForm()})


@login_required
@require_http_methods(["POST"])
def room_create_view(request: HttpRequest) -> HttpResponse:
    form = RoomCreateForm(request.POST)
    if not form.is_valid():
        rows = room_list_for_user(user=request.user)
        return render(request, "chat/room_list.html", {"rows": rows, "form": form}, status=400)
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
    }
    return render(request, "chat/room.html", context)


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
