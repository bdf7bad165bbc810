"""Watch party pages: thin views over apps/parties services and selectors.

Every state change is a POST; a business error comes back as a message on the party's page
(``service_post``), with nothing saved.
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
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.chat.services import TIMELINE_REACTIONS
from apps.chat.templatetags.chat_tags import SLOW_MODE_CHOICES
from apps.chat.templatetags.chat_tags import chat_labels
from apps.movies.models import MediaType
from apps.movies.models import Title
from apps.parties import selectors
from apps.parties import services
from apps.parties.forms import PartyForm
from apps.parties.models import Party
from apps.parties.models import RsvpAnswer
from apps.social.http import AuthedHttpRequest
from apps.social.models import User
from apps.social.views.common import service_post
from config.bad_input import MAX_QUERY_INT
from config.bad_input import query_int
from config.exceptions import ApplicationError

PARTIES_PAGE = 20


def _detail_url(request: HttpRequest, party_id: int, *args: Any, **kwargs: Any) -> str:
    return reverse("parties:detail", kwargs={"party_id": party_id})


def _guest_party(request: HttpRequest, party_id: int) -> tuple[Party, selectors.PartyAccess]:
    party = selectors.party_get(party_id=party_id)
    if party is None:
        raise Http404
    access = selectors.party_access(party=party, user=request.user)
    if not access.is_guest:
        raise Http404  # not invited: the party does not exist for them
    return party, access


def _whole(request: HttpRequest, name: str, *, required: bool = True) -> int | None:
    raw = request.POST.get(name, "").strip()
    if not raw and not required:
        return None
    if not raw.lstrip("-").isdigit() or len(raw) > 9:
        raise ApplicationError(_("Enter the position as whole minutes and seconds."), {"field": name})
    return int(raw)


def party_labels() -> dict[str, str]:
    """UI strings for static/parties/party.js, translated server-side."""
    return {
        "starts_in": _("Starts in %(time)s"),
        "days": _("%(n)s d"),
        "opening": _("Starting now… the room opens."),
        "you_are_at": _("You are at %(at)s."),
        "following": _("Following the party clock: %(at)s."),
        "saved": _("Your position is saved."),
        "offline": _("Not connected: your position is sent when the chat reconnects."),
        "reaction_at": _("%(emoji)s at %(at)s"),
    }


# -----------------------------------------------------------------------------
# Pages
# -----------------------------------------------------------------------------
@login_required
def my_parties(request: AuthedHttpRequest) -> HttpResponse:
    page_obj = Paginator(selectors.parties_for_user(user=request.user), PARTIES_PAGE).get_page(
        query_int(request, "page", default=1, minimum=1, maximum=MAX_QUERY_INT)
    )
    return render(request, "parties/mine.html", {"page_obj": page_obj, "now": timezone.now()})


@login_required
def party_new(request: AuthedHttpRequest) -> HttpResponse:
    title_id = query_int(request, "title", default=0, minimum=0, maximum=MAX_QUERY_INT)
    title = Title.objects.filter(pk=title_id).first()
    if title is None:
        raise Http404
    form = PartyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            party = services.party_create(host=request.user, title_id=title.pk, **form.cleaned_data)
        except ApplicationError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            return redirect(_detail_url(request, party.pk))
    return render(
        request,
        "parties/new.html",
        {"form": form, "title": title, "is_series": title.media_type == MediaType.TV},
    )


@login_required
def party_detail(request: AuthedHttpRequest, party_id: int) -> HttpResponse:
    party, access = _guest_party(request, party_id)
    now = timezone.now()
    started = party.has_started(now)
    over = party.is_over(now)
    return render(
        request,
        "parties/detail.html",
        {
            "party": party,
            "access": access,
            "now": now,
            "started": started,
            "over": over,
            "live": started and not over,
            "rsvps": selectors.party_rsvps(party=party, user=request.user),
            "answers": RsvpAnswer.choices,
            "guests": selectors.party_guests(party=party),
            "candidates": selectors.party_invite_candidates(party=party)
            if access.is_host and not over
            else [],
            "clock_s": party.clock_at(now),
            "is_series": party.title.media_type == MediaType.TV,
            "reactions": TIMELINE_REACTIONS,
            "segments": range(selectors.TIMELINE_SEGMENTS),
            "ws_path": f"/ws/chat/rooms/{party.room_id}/",
            "chat_labels": chat_labels(),
            "slow_mode_choices": SLOW_MODE_CHOICES,
            "party_labels": party_labels(),
        },
    )


@login_required
def party_timeline_page(request: AuthedHttpRequest, party_id: int) -> HttpResponse:
    party, access = _guest_party(request, party_id)
    now = timezone.now()
    # Until the party is over a guest may be behind: the whole timeline would spoil it.
    timeline = selectors.party_timeline(party=party) if party.is_over(now) else None
    return render(request, "parties/timeline.html", {"party": party, "access": access, "timeline": timeline})


# -----------------------------------------------------------------------------
# Actions (POST, then back to the party)
# -----------------------------------------------------------------------------
@service_post(_detail_url)
def party_rsvp_view(request: AuthedHttpRequest, party_id: int) -> str:
    services.party_rsvp(user=request.user, party_id=party_id, answer=request.POST.get("answer", ""))
    return _("Your answer is saved.")


@service_post(_detail_url)
def party_invite_view(request: AuthedHttpRequest, party_id: int) -> str:
    raw = request.POST.get("user_id", "").strip()
    invitee = User.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None
    if invitee is None:
        raise ApplicationError(_("Choose one of your 일촌 to invite."), {"field": "user_id"})
    services.party_invite(user=request.user, party_id=party_id, invitee=invitee)
    return _("%(name)s is invited.") % {"name": invitee.display_name}


@service_post(_detail_url)
def party_position_view(request: AuthedHttpRequest, party_id: int) -> str:
    minutes = _whole(request, "minutes")
    seconds = _whole(request, "seconds", required=False) or 0
    assert minutes is not None
    if not 0 <= seconds < 60:
        raise ApplicationError(_("Seconds go from 0 to 59."), {"field": "seconds"})
    services.party_position_set(
        user=request.user,
        party_id=party_id,
        position_s=minutes * 60 + seconds if minutes >= 0 else minutes,
        episode=_whole(request, "episode", required=False),
    )
    return _("Your position is saved.")


@service_post(_detail_url)
def party_clock_view(request: AuthedHttpRequest, party_id: int) -> str:
    action = request.POST.get("action", "")
    at_minutes = _whole(request, "minutes", required=False)
    services.party_clock_set(
        user=request.user,
        party_id=party_id,
        action=action,
        at_s=at_minutes * 60 if at_minutes is not None else None,
    )
    return _("The party clock is updated.")


@service_post(_detail_url)
def party_end_view(request: AuthedHttpRequest, party_id: int) -> str:
    services.party_end(user=request.user, party_id=party_id)
    return _("The party has ended. Its timeline is ready.")
