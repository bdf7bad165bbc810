"""Chat reads: room access, message pages and room lists."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import TYPE_CHECKING
from typing import Any

from django.db.models import OuterRef
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Subquery
from django.utils import timezone

from apps.chat.events import MessagePayload
from apps.chat.events import UserRef
from apps.chat.events import message_payload
from apps.chat.models import BlockedWord
from apps.chat.models import MemberRole
from apps.chat.models import Membership
from apps.chat.models import Message
from apps.chat.models import Reaction
from apps.chat.models import ReadState
from apps.chat.models import Report
from apps.chat.models import ReportStatus
from apps.chat.models import Room
from apps.chat.models import RoomVisibility
from apps.chat.models import Sanction
from apps.chat.models import SanctionKind
from apps.chat.models import ViewerPosition
from apps.chat.progress import Position
from apps.chat.progress import visible_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.movies.models import Title
    from apps.social.models import User

PAGE_SIZE = 50
# A reconnect replays at most this many messages per frame; more go in further frames.
RESUME_BATCH = 200


@dataclass(frozen=True)
class RoomAccess:
    room: Room
    can_read: bool
    can_post: bool
    can_moderate: bool
    role: str | None
    banned_until: datetime | None  # only meaningful when banned
    banned: bool
    muted_until: datetime | None
    muted: bool
    watched: bool
    reason: str  # why can_read/can_post is False ("" when allowed)


def title_watched_by(*, user: User | AnonymousUser, title_id: int | None) -> bool:
    """Has the user seen the title? A rating or a diary entry counts as watched.

    Spoiler safety asks the social app, which owns the one definition of "watched".
    """
    if title_id is None or not user.is_authenticated:
        return False
    from apps.social.selectors import title_watched_by_user

    return title_watched_by_user(user=user, title_id=title_id)


def sanction_active(*, room_id: int, user_id: int, kind: str) -> Sanction | None:
    now = timezone.now()
    return (
        Sanction.objects.filter(room_id=room_id, user_id=user_id, kind=kind)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .order_by("-created_at")
        .first()
    )


def room_access(*, room: Room, user: User | AnonymousUser) -> RoomAccess:
    """What the user may do in the room, computed once per connection."""
    user_id: int | None = user.pk if user.is_authenticated else None
    anonymous = user_id is None
    membership = None if user_id is None else Membership.objects.filter(room=room, user_id=user_id).first()
    ban = (
        None if user_id is None else sanction_active(room_id=room.pk, user_id=user_id, kind=SanctionKind.BAN)
    )
    mute = (
        None if user_id is None else sanction_active(room_id=room.pk, user_id=user_id, kind=SanctionKind.MUTE)
    )
    is_staff = bool(getattr(user, "is_staff", False))
    can_moderate = is_staff or bool(membership and membership.can_moderate)

    reason = ""
    can_read = True
    if ban is not None:
        can_read, reason = False, "banned"
    elif room.visibility == RoomVisibility.INVITE_ONLY and membership is None and not is_staff:
        can_read, reason = False, "invite_only"
    can_post = can_read and not anonymous and mute is None
    if can_read and not can_post:
        reason = "login_required" if anonymous else "muted"
    return RoomAccess(
        room=room,
        can_read=can_read,
        can_post=can_post,
        can_moderate=can_moderate and can_read,
        role=membership.role if membership else None,
        banned=ban is not None,
        banned_until=ban.expires_at if ban else None,
        muted=mute is not None,
        muted_until=mute.expires_at if mute else None,
        watched=title_watched_by(user=user, title_id=room.title_id),
        reason=reason,
    )


def membership_list_privileged() -> QuerySet[Membership]:
    """Every moderator and owner membership: the chat rights the 90-day review walks."""
    return Membership.objects.filter(role__in=[MemberRole.MODERATOR, MemberRole.OWNER])


def room_get(*, room_id: int) -> Room | None:
    return Room.objects.filter(pk=room_id).first()


def _messages() -> QuerySet[Message]:
    return Message.objects.select_related("author", "reply_to").prefetch_related(
        "mentions", Prefetch("reactions", queryset=Reaction.objects.order_by("created_at", "pk"))
    )


def message_page_latest(
    *, room_id: int, limit: int = PAGE_SIZE, horizon: Position | None = None, up_to_seq: int | None = None
) -> tuple[list[MessagePayload], bool]:
    """The newest ``limit`` messages, oldest first, and whether older ones exist. With a
    ``horizon`` (progress-synced rooms), only those a viewer there may see."""
    qs = _messages().filter(room_id=room_id)
    if horizon is not None:
        qs = qs.filter(visible_q(horizon))
    if up_to_seq is not None:
        qs = qs.filter(seq__lte=up_to_seq)
    rows = list(qs.order_by("-seq")[: limit + 1])
    return [message_payload(m) for m in reversed(rows[:limit])], len(rows) > limit


def message_page_before(
    *, room_id: int, before_seq: int, limit: int = PAGE_SIZE, horizon: Position | None = None
) -> tuple[list[MessagePayload], bool]:
    qs = _messages().filter(room_id=room_id, seq__lt=before_seq)
    if horizon is not None:
        qs = qs.filter(visible_q(horizon))
    rows = list(qs.order_by("-seq")[: limit + 1])
    return [message_payload(m) for m in reversed(rows[:limit])], len(rows) > limit


# Frames a socket holds back for its viewer; past this it is closed and reconnects.
MAX_WITHHELD = 5000


def message_list_beyond(*, room_id: int, horizon: Position, up_to_seq: int) -> list[MessagePayload]:
    """Messages up to ``up_to_seq`` written from later than ``horizon``, in seq order: what a
    joining socket of a progress-synced room withholds until its viewer gets there."""
    qs = _messages().filter(room_id=room_id, seq__lte=up_to_seq, position_s__isnull=False)
    qs = qs.exclude(visible_q(horizon))
    return [message_payload(m) for m in qs.order_by("seq")[:MAX_WITHHELD]]


def room_title(*, room: Room) -> Title | None:
    """The title a room is about (positions in a progress-synced room are checked against it)."""
    from apps.movies.models import Title

    return Title.objects.filter(pk=room.title_id).first() if room.title_id else None


def viewer_position_get(*, room_id: int, user: User | AnonymousUser) -> ViewerPosition | None:
    if not user.is_authenticated:
        return None
    return ViewerPosition.objects.filter(room_id=room_id, user_id=user.pk).first()


def viewer_positions_for_room(*, room_id: int) -> dict[int, ViewerPosition]:
    """Every member's position in a progress-synced room, by user id."""
    return {vp.user_id: vp for vp in ViewerPosition.objects.filter(room_id=room_id)}


def message_timeline(*, room_id: int, limit: int = 2000) -> list[Message]:
    """A progress-synced room's messages and reactions along the title, in the order of the
    work (episode, second), then as written; deleted ones left out."""
    return list(
        Message.objects.filter(room_id=room_id, position_s__isnull=False, deleted_at__isnull=True)
        .select_related("author")
        .order_by("episode", "position_s", "seq")[:limit]
    )


def message_list_after(
    *, room_id: int, after_seq: int, up_to_seq: int | None = None, limit: int = RESUME_BATCH
) -> list[MessagePayload]:
    """Messages with seq in (after_seq, up_to_seq], oldest first: what a reconnecting client missed."""
    qs = _messages().filter(room_id=room_id, seq__gt=after_seq)
    if up_to_seq is not None:
        qs = qs.filter(seq__lte=up_to_seq)
    return [message_payload(m) for m in qs.order_by("seq")[:limit]]


# Missed messages replayed on reconnect; past this the client gets a fresh page instead.
RESUME_MAX = 500


@dataclass(frozen=True)
class RoomHistory:
    """What a joining socket is sent: missed messages on a resume, else the latest page."""

    messages: list[MessagePayload]
    has_more: bool
    reset: bool  # the resume was too far behind: a fresh page replaces the client's view
    delivered_seq: int  # live events up to here are already in ``messages``
    # Progress-synced rooms: messages up to delivered_seq from beyond the viewer's horizon,
    # for the socket to hold back (never sent in the hello).
    withheld: list[MessagePayload] = field(default_factory=list)


def room_history(*, room: Room, last_seq: int | None, horizon: Position | None = None) -> RoomHistory:
    """Read after the socket joined the room's group, so that nothing committed after this
    read can be missed; the consumer drops live events with ``seq <= delivered_seq``."""
    if horizon is not None:
        # Always a fresh page: a resume by seq cannot tell "not sent yet" from "seen".
        up_to = Room.objects.filter(pk=room.pk).values_list("last_seq", flat=True).first() or 0
        messages, has_more = message_page_latest(room_id=room.pk, horizon=horizon, up_to_seq=up_to)
        withheld = message_list_beyond(room_id=room.pk, horizon=horizon, up_to_seq=up_to)
        return RoomHistory(
            messages=messages, has_more=has_more, reset=True, delivered_seq=up_to, withheld=withheld
        )
    reset = False
    if last_seq is not None and 0 <= last_seq <= room.last_seq:
        missed = message_list_after(room_id=room.pk, after_seq=last_seq, limit=RESUME_MAX + 1)
        if len(missed) <= RESUME_MAX:
            delivered = missed[-1]["seq"] if missed else last_seq
            return RoomHistory(messages=missed, has_more=last_seq > 0, reset=False, delivered_seq=delivered)
        reset = True
    messages, has_more = message_page_latest(room_id=room.pk)
    delivered = messages[-1]["seq"] if messages else 0
    return RoomHistory(messages=messages, has_more=has_more, reset=reset, delivered_seq=delivered)


def message_get(*, message_id: int) -> Message | None:
    return _messages().filter(pk=message_id).first()


def room_list_public(*, limit: int = 100) -> QuerySet[Room]:
    return Room.objects.filter(visibility=RoomVisibility.PUBLIC).select_related("title")[:limit]


# What the room list shows of a room (chat/room_list.html and RoomListApi): not the topic,
# owner or settings, and not the title's row (the list never shows it).
_ROOM_LIST_COLUMNS = (
    "kind", "title_id", "name", "visibility", "scheduled_at", "last_seq", "last_activity_at",
)  # fmt: skip


def room_list_for_user(*, user: User | AnonymousUser, limit: int = 100) -> list[dict[str, Any]]:
    """Rooms the user can see (public plus invited), newest activity first, with unread counts.

    One query: the user's read position comes along as a subquery per listed room.
    """
    rooms = Room.objects.only(*_ROOM_LIST_COLUMNS)
    if user.is_authenticated:
        # A subquery, not a join: joining memberships needed DISTINCT over every public room.
        member_of = Membership.objects.filter(user=user).values("room_id")
        rooms = rooms.filter(Q(visibility=RoomVisibility.PUBLIC) | Q(pk__in=member_of)).annotate(
            last_read_seq=Subquery(
                ReadState.objects.filter(user=user, room_id=OuterRef("pk")).values("last_read_seq")[:1]
            )
        )
    else:
        rooms = rooms.filter(visibility=RoomVisibility.PUBLIC)
    rows = []
    for room in rooms.order_by("-last_activity_at", "id")[:limit]:
        read = getattr(room, "last_read_seq", None)
        # Only rooms the user has opened count unread: a new title room is not "99 unread".
        rows.append({"room": room, "unread": max(0, room.last_seq - read) if read is not None else 0})
    return rows


def unread_count(*, room_id: int, user: User) -> int:
    state = ReadState.objects.filter(room_id=room_id, user=user).first()
    last_seq = Room.objects.filter(pk=room_id).values_list("last_seq", flat=True).first() or 0
    return max(0, last_seq - (state.last_read_seq if state else 0))


def users_by_ids(*, user_ids: list[int]) -> list[UserRef]:
    from apps.social.models import User

    users = User.objects.filter(pk__in=user_ids).only("id", "nickname", "username")
    refs: list[UserRef] = [{"id": u.pk, "name": u.display_name} for u in users]
    return sorted(refs, key=lambda u: u["name"])


# -----------------------------------------------------------------------------
# Moderation page
# -----------------------------------------------------------------------------
@dataclass(frozen=True)
class RoomModeration:
    reports: list[Report]
    sanctions: list[Sanction]
    blocked_words: list[str]


def room_moderation_get(*, room: Room) -> RoomModeration:
    """What a room's moderators work on: open reports (oldest first), active mutes and bans,
    blocked words. Three queries."""
    reports = list(
        Report.objects.filter(message__room=room, status=ReportStatus.OPEN)
        .select_related("message__author", "reporter")
        .order_by("created_at", "pk")[:200]
    )
    now = timezone.now()
    sanctions = list(
        Sanction.objects.filter(room=room)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("user", "issued_by")
        .order_by("-created_at", "-pk")
    )
    words = list(BlockedWord.objects.filter(room=room).order_by("word").values_list("word", flat=True))
    return RoomModeration(reports=reports, sanctions=sanctions, blocked_words=words)
