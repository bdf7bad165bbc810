"""Writes for watch parties. The party's room is chat's (progress-synced, invite only), so
every change to who is in it or where they are goes through chat's services.

Errors are in the reader's language and use the API contract's classes: a party the caller
may not see is missing (404), a guest doing a host's job is forbidden (403), a party that is
over refuses (409), a bad value is bad input (400). Nothing is written before every check
has passed.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.chat.exceptions import ChatError
from apps.chat.models import RoomVisibility
from apps.chat.progress import MAX_UNKNOWN_RUNTIME_S
from apps.chat.progress import position_validate
from apps.chat.services import room_create
from apps.chat.services import room_invite
from apps.chat.services import viewer_position_set
from apps.movies.models import MediaType
from apps.movies.models import Title
from apps.parties.models import MAX_INVITATIONS
from apps.parties.models import NAME_MAX
from apps.parties.models import Invitation
from apps.parties.models import Party
from apps.parties.models import Rsvp
from apps.parties.models import RsvpAnswer
from apps.parties.selectors import party_access
from apps.social.models import NotificationKind
from apps.social.notification_text import actor_params
from apps.social.notification_text import title_names
from apps.social.services.friends import are_friends
from apps.social.services.notifications import notification_create
from apps.social.templatetags.social_tags import title_name
from config.exceptions import ApplicationError
from config.exceptions import ConflictError
from config.exceptions import ForbiddenError
from config.exceptions import NotFoundError

if TYPE_CHECKING:
    from apps.chat.models import ViewerPosition
    from apps.social.models import User

# How far ahead a party may be planned.
MAX_DAYS_AHEAD = 365


def _not_found(party_id: int) -> NotFoundError:
    return NotFoundError(_("There is no such watch party."), {"party_id": party_id})


def _party_for(*, user: User, party_id: int, lock: bool = False) -> Party:
    """The party if ``user`` is its host or a guest; else "missing", so a party's existence
    does not leak to people who were not invited."""
    qs = Party.objects.select_related("title", "room")
    if lock:
        qs = qs.select_for_update(of=("self",))
    party = qs.filter(pk=party_id).first()
    if party is None or not party_access(party=party, user=user).is_guest:
        raise _not_found(party_id)
    return party


def _require_host(*, party: Party, user: User) -> None:
    if party.host_id != user.pk:
        raise ForbiddenError(_("Only the host can do that."), {"party_id": party.pk})


def _require_not_over(party: Party) -> None:
    if party.is_over(timezone.now()):
        raise ConflictError(
            _("This watch party has already ended."), {"party_id": party.pk, "reason": "ended"}
        )


def party_url(party: Party) -> str:
    return reverse("parties:detail", kwargs={"party_id": party.pk})


# -----------------------------------------------------------------------------
# Parties
# -----------------------------------------------------------------------------
def party_create(
    *, host: User, title_id: int, starts_at: datetime, name: str = "", episode: int | None = None
) -> Party:
    """A party on a title (or one episode of a series) at ``starts_at``, with its room."""
    title = Title.objects.filter(pk=title_id).first()
    if title is None:
        raise NotFoundError(_("There is no such title."), {"title_id": title_id})
    now = timezone.now()
    if starts_at < now - timedelta(minutes=5):
        raise ApplicationError(_("A watch party cannot start in the past."), {"field": "starts_at"})
    if starts_at > now + timedelta(days=MAX_DAYS_AHEAD):
        raise ApplicationError(_("A watch party can be planned up to a year ahead."), {"field": "starts_at"})
    if episode is not None:
        if title.media_type != MediaType.TV:
            raise ApplicationError(_("A film has no episodes."), {"field": "episode"})
        if episode < 1 or (title.episode_count and episode > title.episode_count):
            raise ApplicationError(
                _("This series has episodes 1 to %(last)d.") % {"last": title.episode_count or 1},
                {"field": "episode"},
            )
    name = (name or "").strip().replace("\x00", "")
    if not name:
        name = _("Watching %(title)s together") % {"title": title_name(title)}
    name = name[:NAME_MAX]
    with transaction.atomic():
        room = room_create(
            owner=host,
            name=name,
            visibility=RoomVisibility.INVITE_ONLY,
            title=title,
            scheduled_at=starts_at,
            progress_sync=True,
        )
        party = Party(host=host, title=title, episode=episode, name=name, starts_at=starts_at, room=room)
        party.full_clean()
        party.save()
        Rsvp.objects.create(party=party, user=host, answer=RsvpAnswer.GOING)
    return party


def party_end(*, user: User, party_id: int) -> Party:
    with transaction.atomic():
        party = _party_for(user=user, party_id=party_id, lock=True)
        _require_host(party=party, user=user)
        _require_not_over(party)
        now = timezone.now()
        party.clock_offset_s = party.clock_at(now)
        party.clock_running_since = None
        party.ended_at = now
        party.save(update_fields=["clock_offset_s", "clock_running_since", "ended_at"])
    return party


# -----------------------------------------------------------------------------
# Guests
# -----------------------------------------------------------------------------
def party_invite(*, user: User, party_id: int, invitee: User) -> Invitation:
    """The host invites one of their 일촌; they get a notification and the room."""
    with transaction.atomic():
        party = _party_for(user=user, party_id=party_id, lock=True)
        _require_host(party=party, user=user)
        _require_not_over(party)
        if invitee.pk == user.pk:
            raise ConflictError(_("You are hosting this party."), {"user_id": invitee.pk, "reason": "host"})
        if not are_friends(a_id=user.pk, b_id=invitee.pk):
            raise ConflictError(
                _("Only your 일촌 can be invited to a watch party."),
                {"user_id": invitee.pk, "reason": "not_friend"},
            )
        if Invitation.objects.filter(party=party).count() >= MAX_INVITATIONS:
            raise ConflictError(
                _("A watch party has at most %(max)d guests.") % {"max": MAX_INVITATIONS},
                {"max_invitations": MAX_INVITATIONS},
            )
        invitation, created = Invitation.objects.get_or_create(
            party=party, user=invitee, defaults={"invited_by": user}
        )
        if created:
            room_invite(room=party.room, by=user, user=invitee)
            notification_create(
                user=invitee,
                actor=user,
                kind=NotificationKind.PARTY_INVITE,
                text=_("%(actor)s invited you to watch %(title)s together")
                % {"actor": user.display_name, "title": title_name(party.title)},
                url=party_url(party),
                params=actor_params(user) | title_names(party.title),
            )
    return invitation


def party_rsvp(*, user: User, party_id: int, answer: str) -> Rsvp:
    if answer not in RsvpAnswer.values:
        raise ApplicationError(_("Answer going, maybe or no."), {"field": "answer"})
    with transaction.atomic():
        party = _party_for(user=user, party_id=party_id, lock=True)
        _require_not_over(party)
        rsvp, _created = Rsvp.objects.update_or_create(party=party, user=user, defaults={"answer": answer})
    return rsvp


# -----------------------------------------------------------------------------
# Positions and the clock
# -----------------------------------------------------------------------------
def _position_error(exc: ChatError, party: Party) -> ApplicationError:
    """Chat's refusal of a position, said in the reader's language."""
    extra = {"field": "position_s", "reason": exc.code}
    if exc.code == "position_beyond_runtime":
        minutes = int(exc.extra.get("runtime_s", 0)) // 60
        return ApplicationError(
            _("That is past the end: %(title)s runs %(minutes)d minutes.")
            % {"title": title_name(party.title), "minutes": minutes},
            extra,
        )
    if exc.code in ("episode_not_found", "episode_required"):
        last = int(exc.extra.get("episodes", 0))
        message = (
            _("Choose an episode from 1 to %(last)d.") % {"last": last}
            if last
            else _("A film has no episodes.")
        )
        return ApplicationError(message, {"field": "episode", "reason": exc.code})
    if exc.code == "position_negative":
        return ApplicationError(_("The position cannot be before the start."), extra)
    return ApplicationError(_("Enter the position as whole minutes and seconds."), extra)


def party_position_set(
    *, user: User, party_id: int, position_s: object, episode: object = None
) -> ViewerPosition:
    """Where ``user`` is in the party's title. A party on one episode fixes the episode."""
    party = _party_for(user=user, party_id=party_id)
    if party.episode is not None and episode in (None, party.episode):
        episode = party.episode
    elif party.episode is not None:
        raise ApplicationError(
            _("This party watches episode %(n)d.") % {"n": party.episode},
            {"field": "episode", "reason": "episode_not_found"},
        )
    try:
        # Checked here first so the message is the party's, in the reader's language.
        position_validate(title=party.title, episode=episode, position_s=position_s)
        return viewer_position_set(room_id=party.room_id, user=user, episode=episode, position_s=position_s)
    except ChatError as exc:
        raise _position_error(exc, party) from exc


def party_clock_set(*, user: User, party_id: int, action: str, at_s: int | None = None) -> Party:
    """The host starts, pauses, resumes or moves the party clock. Guests who follow the clock
    move with it (their pages send the clock's position)."""
    if action not in ("start", "pause", "seek"):
        raise ApplicationError(_("Start, pause or move the clock."), {"field": "action"})
    with transaction.atomic():
        party = _party_for(user=user, party_id=party_id, lock=True)
        _require_host(party=party, user=user)
        _require_not_over(party)
        now = timezone.now()
        if not party.has_started(now):
            raise ConflictError(_("The party has not started yet."), {"reason": "not_started"})
        if action == "seek":
            if at_s is None:
                raise ApplicationError(_("Say where to move the clock."), {"field": "at_s"})
            # The clock counts seconds within the title (or within each episode of a series).
            limit = party.runtime_s or MAX_UNKNOWN_RUNTIME_S
            if at_s < 0:
                raise ApplicationError(_("The position cannot be before the start."), {"field": "at_s"})
            if at_s > limit:
                raise ApplicationError(
                    _("That is past the end: %(title)s runs %(minutes)d minutes.")
                    % {"title": title_name(party.title), "minutes": limit // 60},
                    {"field": "at_s"},
                )
            party.clock_offset_s = at_s
            party.clock_running_since = now if party.clock_running_since else None
        elif action == "start":
            if party.clock_running_since is None:
                party.clock_running_since = now
        else:
            party.clock_offset_s = party.clock_at(now)
            party.clock_running_since = None
        party.full_clean()
        party.save(update_fields=["clock_offset_s", "clock_running_since"])
    return party
