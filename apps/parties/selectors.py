"""Reads for watch parties: who may see one, the page's facts, lists and the timeline."""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from typing import TYPE_CHECKING
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q
from django.db.models import QuerySet
from django.utils import timezone

from apps.chat.models import MessageKind
from apps.chat.selectors import message_timeline
from apps.chat.selectors import viewer_positions_for_room
from apps.common.compiled import Compiled
from apps.common.compiled import model_columns
from apps.common.compiled import query_compile
from apps.common.compiled import query_run
from apps.movies.models import Title
from apps.parties.models import Invitation
from apps.parties.models import Party
from apps.parties.models import Rsvp
from apps.parties.models import RsvpAnswer
from apps.social.models import User
from apps.social.selectors import friends_list_for_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.chat.models import Message

# The timeline bar is cut into this many equal stretches of the title (CSS grid columns).
TIMELINE_SEGMENTS = 24


@dataclass(frozen=True)
class PartyAccess:
    is_guest: bool  # host or invited: may see the party and its room
    is_host: bool


def party_access(*, party: Party, user: User | AnonymousUser) -> PartyAccess:
    if not user.is_authenticated:
        return PartyAccess(is_guest=False, is_host=False)
    is_host = party.host_id == user.pk
    invited = is_host or Invitation.objects.filter(party=party, user_id=user.pk).exists()
    return PartyAccess(is_guest=invited, is_host=is_host)


def party_get(*, party_id: int) -> Party | None:
    return Party.objects.select_related("title", "host", "room").filter(pk=party_id).first()


def parties_for_user(*, user: User) -> QuerySet[Party]:
    """Parties the user hosts or was invited to: upcoming and live first, then past ones."""
    return (
        Party.objects.filter(Q(host=user) | Q(invitations__user=user))
        .select_related("title", "host")
        .distinct()
        .order_by("-starts_at", "-id")
    )


# What the box shows (parties/_party_row.html) and is_over reads: not the title's search
# columns and overview, which made most of the row's bytes and model-building time.
_BOX_COLUMNS = (
    "name", "episode", "starts_at", "ended_at", "host_id", "title_id",
    "title__title_ko", "title__title_en", "title__title_original", "title__poster", "title__runtime_minutes",
    "host__username", "host__nickname",
)  # fmt: skip


def parties_upcoming_for_user(*, user: User, limit: int = 5) -> list[Party]:
    """Parties still ahead or on now, soonest first (the mini-homepage box)."""
    now = timezone.now()
    rows = query_run(_upcoming_sql(limit=limit), {_USER: user.pk})
    return [party for party in map(_box_party_of, rows) if not party.is_over(now)][:limit]


# The owner's page reads the box on every view: compiled once per process with a stand-in user
# (apps/common/compiled.py); building it was ~1 ms of a ~1.5 ms read.
_USER = -930_000_001
_BOX_PARTY = model_columns(Party, {"id", *_BOX_COLUMNS})
_BOX_TITLE = model_columns(Title, {"id", *(c[7:] for c in _BOX_COLUMNS if c.startswith("title__"))})
_BOX_HOST = model_columns(User, {"id", *(c[6:] for c in _BOX_COLUMNS if c.startswith("host__"))})


@functools.cache
def _upcoming_sql(*, limit: int) -> Compiled:
    # A subquery, not a join on invitations: no duplicate rows, so no DISTINCT over the wide
    # party + title + host rows (a sort of every candidate row on each of the owner's page views).
    invited = Invitation.objects.filter(user_id=_USER).values("party_id")
    rows = (
        Party.objects.filter(Q(host_id=_USER) | Q(pk__in=invited), ended_at__isnull=True)
        .order_by("starts_at", "id")
        .values_list(*_BOX_PARTY, *(f"title__{c}" for c in _BOX_TITLE), *(f"host__{c}" for c in _BOX_HOST))
    )
    # Some of the first candidates may be over already (ended by the clock): read a few more.
    return query_compile(rows[: limit * 4], _USER)


def _box_party_of(row: tuple[Any, ...]) -> Party:
    title_at, host_at = len(_BOX_PARTY), len(_BOX_PARTY) + len(_BOX_TITLE)
    party = Party.from_db(DEFAULT_DB_ALIAS, _BOX_PARTY, row[:title_at])
    # As select_related("title", "host") sets them.
    Party._meta.get_field("title").set_cached_value(
        party, Title.from_db(DEFAULT_DB_ALIAS, _BOX_TITLE, row[title_at:host_at])
    )
    host = User.from_db(DEFAULT_DB_ALIAS, _BOX_HOST, row[host_at:])
    Party._meta.get_field("host").set_cached_value(party, host)
    return party


@dataclass
class RsvpSummary:
    counts: dict[str, int]
    people: dict[str, list[Any]]  # answer -> users
    mine: str | None


def party_rsvps(*, party: Party, user: User | AnonymousUser) -> RsvpSummary:
    rows = list(Rsvp.objects.filter(party=party).select_related("user").order_by("updated_at", "id"))
    people: dict[str, list[Any]] = {answer: [] for answer in RsvpAnswer.values}
    for row in rows:
        people[row.answer].append(row.user)
    mine = next((r.answer for r in rows if user.is_authenticated and r.user_id == user.pk), None)
    return RsvpSummary(counts={a: len(u) for a, u in people.items()}, people=people, mine=mine)


def party_guests(*, party: Party) -> list[Any]:
    return [inv.user for inv in Invitation.objects.filter(party=party).select_related("user").order_by("id")]


def party_invite_candidates(*, party: Party) -> list[Any]:
    """The host's 일촌 not yet invited."""
    invited = set(Invitation.objects.filter(party=party).values_list("user_id", flat=True))
    return [friend for friend in friends_list_for_user(user=party.host) if friend.pk not in invited]


@dataclass
class TimelineSegment:
    start_s: int
    end_s: int
    reactions: list[tuple[str, int]]  # emoji, count; most used first
    messages: int


@dataclass
class TimelineMinute:
    episode: int
    minute: int
    messages: list[Message] = field(default_factory=list)
    reactions: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class PartyTimeline:
    segments: list[TimelineSegment]
    minutes: list[TimelineMinute]
    length_s: int
    message_count: int
    reaction_count: int


def party_timeline(*, party: Party) -> PartyTimeline:
    """The party's messages and reactions along the title: a bar of equal stretches and, for
    the page, every minute something happened, in the order of the work."""
    rows = message_timeline(room_id=party.room_id)
    longest = max((m.position_s or 0 for m in rows), default=0)
    length = party.runtime_s or max(longest, 60)
    step = max(1, -(-length // TIMELINE_SEGMENTS))  # ceil: the last stretch reaches the end
    counts: list[Counter[str]] = [Counter() for _ in range(TIMELINE_SEGMENTS)]
    chat_counts = [0] * TIMELINE_SEGMENTS
    minutes: dict[tuple[int, int], TimelineMinute] = {}
    for message in rows:
        seconds = message.position_s or 0
        index = min(seconds // step, TIMELINE_SEGMENTS - 1)
        key = (message.episode or 0, seconds // 60)
        minute = minutes.setdefault(key, TimelineMinute(episode=key[0], minute=key[1]))
        if message.kind == MessageKind.REACTION:
            counts[index][message.body] += 1
            minute.reactions.append((message.body, 1))
        else:
            chat_counts[index] += 1
            minute.messages.append(message)
    for minute in minutes.values():
        minute.reactions = Counter(e for e, _ in minute.reactions).most_common()
    segments = [
        TimelineSegment(
            start_s=i * step,
            end_s=min((i + 1) * step, length),
            reactions=c.most_common(3),
            messages=chat_counts[i],
        )
        for i, c in enumerate(counts)
    ]
    reactions = sum(sum(c.values()) for c in counts)
    return PartyTimeline(
        segments=segments,
        minutes=[minutes[k] for k in sorted(minutes)],
        length_s=length,
        message_count=len(rows) - reactions,
        reaction_count=reactions,
    )


def party_positions(*, party: Party) -> dict[int, tuple[int, int]]:
    """Where each guest is (user id -> (episode, second)), for the page's member list."""
    return {user_id: vp.position for user_id, vp in viewer_positions_for_room(room_id=party.room_id).items()}
