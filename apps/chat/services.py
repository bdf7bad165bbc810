"""Chat writes. Each service persists first and broadcasts from ``transaction.on_commit``:
no client ever sees an unsaved message, and a committed message always has a broadcast
queued (if the broadcast is lost anyway, clients recover it by ``seq``)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case
from django.db.models import F
from django.db.models import PositiveIntegerField
from django.db.models import Q
from django.db.models import Value
from django.db.models import When
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from apps.chat import events
from apps.chat.exceptions import ChatError
from apps.chat.models import BlockedWord
from apps.chat.models import MemberRole
from apps.chat.models import Membership
from apps.chat.models import Message
from apps.chat.models import MessageKind
from apps.chat.models import Reaction
from apps.chat.models import ReadState
from apps.chat.models import Report
from apps.chat.models import ReportStatus
from apps.chat.models import Room
from apps.chat.models import RoomKind
from apps.chat.models import RoomVisibility
from apps.chat.models import Sanction
from apps.chat.models import SanctionKind
from apps.chat.models import ViewerPosition
from apps.chat.progress import Position
from apps.chat.progress import position_validate
from apps.chat.selectors import RoomAccess
from apps.chat.selectors import message_get
from apps.chat.selectors import room_access
from apps.chat.selectors import room_get
from apps.social.models import NotificationKind
from apps.social.services.notifications import notification_create

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AnonymousUser

    from apps.movies.models import Title
    from apps.social.models import User

MESSAGE_MAX_CHARS = 2000
MAX_MENTIONS = 10
MAX_SANCTION_SECONDS = 365 * 24 * 3600
# Nicknames may be Korean; \w is Unicode-aware.
MENTION_RE = re.compile(r"(?<![\w@])@([\w.\-]{1,30})")
# Emoji a viewer can drop on a progress-synced room's timeline (kind="reaction").
TIMELINE_REACTIONS = ("😂", "😱", "😭", "😍", "👏", "🔥", "🤯", "💤")


# -----------------------------------------------------------------------------
# Rooms
# -----------------------------------------------------------------------------
def room_get_or_create_for_title(*, title: Title) -> Room:
    """The title's room, created on first use (race-safe through the unique constraint)."""
    room = Room.objects.filter(kind=RoomKind.TITLE, title=title).first()
    if room is not None:
        return room
    name = (title.title_ko or title.title_en or title.title_original or f"#{title.pk}")[:100]
    room, _ = Room.objects.get_or_create(kind=RoomKind.TITLE, title=title, defaults={"name": name})
    return room


def room_create(
    *,
    owner: User,
    name: str,
    visibility: str = RoomVisibility.PUBLIC,
    topic: str = "",
    scheduled_at: datetime | None = None,
    title: Title | None = None,
    progress_sync: bool = False,
) -> Room:
    room = Room(
        kind=RoomKind.USER,
        owner=owner,
        name=name.strip(),
        topic=topic.strip(),
        visibility=visibility,
        scheduled_at=scheduled_at,
        title=title,
        progress_sync=progress_sync,
    )
    room.full_clean()
    with transaction.atomic():
        room.save()
        Membership.objects.create(room=room, user=owner, role=MemberRole.OWNER)
    return room


def room_invite(*, room: Room, by: User, user: User) -> Membership:
    access = room_access(room=room, user=by)
    if not (access.can_moderate or room.owner_id == by.pk):
        raise ChatError("forbidden", "Only the owner or a moderator can invite.")
    membership, _ = Membership.objects.get_or_create(room=room, user=user)
    return membership


def moderator_appoint(*, room: Room, by: User, user: User) -> Membership:
    if room.owner_id != by.pk and not by.is_staff:
        raise ChatError("forbidden", "Only the room owner can appoint moderators.")
    membership, _ = Membership.objects.update_or_create(
        room=room, user=user, defaults={"role": MemberRole.MODERATOR}
    )
    return membership


def room_blocked_words_set(*, room: Room, by: User, words: list[str]) -> list[str]:
    _require_moderator(room=room, user=by)
    cleaned = sorted({w.strip().lower() for w in words if w.strip()})
    with transaction.atomic():
        BlockedWord.objects.filter(room=room).exclude(word__in=cleaned).delete()
        BlockedWord.objects.bulk_create(
            [BlockedWord(room=room, word=w) for w in cleaned], ignore_conflicts=True
        )
        _record_moderation(room=room, user=by)
    return cleaned


def room_slow_mode_set(*, room_id: int, by: User, seconds: int) -> Room:
    if not 0 <= seconds <= 3600:
        raise ChatError("invalid", "Slow mode must be between 0 and 3600 seconds.")
    with transaction.atomic():
        room = Room.objects.select_for_update().get(pk=room_id)
        _require_moderator(room=room, user=by)
        room.slow_mode_seconds = seconds
        room.save(update_fields=["slow_mode_seconds"])
        _record_moderation(room=room, user=by)
        transaction.on_commit(lambda: events.room_updated_broadcast(room=room))
    return room


# -----------------------------------------------------------------------------
# Messages
# -----------------------------------------------------------------------------
def message_create(
    *,
    room_id: int,
    author: User | AnonymousUser,
    body: str,
    reply_to_id: int | None = None,
    spoiler: bool = False,
    client_id: str = "",
    kind: str = MessageKind.TEXT,
    position: Position | None = None,
) -> Message:
    """Persist a message with the room's next seq and broadcast it after commit.

    In a progress-synced room the message is stamped with where its author is in the title
    (``position`` as their socket holds it, else their stored ``ViewerPosition``; the start if
    they never said), so each viewer's socket
    can hold it back until they get there. A ``reaction`` is one of ``TIMELINE_REACTIONS``
    and exists only in such rooms.
    """
    body = _clean_body(body)
    if kind == MessageKind.REACTION and body not in TIMELINE_REACTIONS:
        raise ChatError("invalid", "That reaction is not one of the timeline's emoji.")
    if kind not in MessageKind.values:
        raise ChatError("invalid", "Unknown message kind.")
    with transaction.atomic():
        # The row lock serialises writers per room: seqs are gapless and commit in order.
        room = Room.objects.select_for_update().get(pk=room_id)
        access = room_access(room=room, user=author)
        _require_post(access)
        if not isinstance(author, get_user_model()):  # refused above already; says so to the types
            raise ChatError("login_required", _POST_DENIED["login_required"])
        _check_blocked_words(room=room, body=body)
        if room.slow_mode_seconds and not access.can_moderate:
            _check_slow_mode(room=room, author=author)
        if not room.progress_sync:
            position = None
        elif position is None:
            stored = ViewerPosition.objects.filter(room=room, user_id=author.pk).first()
            position = stored.position if stored is not None else (0, 0)
        if position is None and kind == MessageKind.REACTION:
            raise ChatError("invalid", "Timeline reactions need a progress-synced room.")
        reply_to = None
        if reply_to_id is not None:
            reply_to = Message.objects.filter(pk=reply_to_id, room=room).first()
            if reply_to is None:
                raise ChatError("not_found", "The message you reply to is not in this room.")
        now = timezone.now()
        room.last_seq += 1
        room.last_activity_at = now
        room.save(update_fields=["last_seq", "last_activity_at"])
        message = Message(
            room=room,
            seq=room.last_seq,
            author=author,
            body=body,
            reply_to=reply_to,
            is_spoiler=spoiler,
            client_id=client_id[:64],
            created_at=now,
            kind=kind,
            episode=position[0] if position is not None else None,
            position_s=position[1] if position is not None else None,
        )
        message.save()
        mentioned = _mentioned_users(room=room, body=body, author=author)
        if mentioned:
            message.mentions.set(mentioned)
        # The payload is built from what we hold: no re-read of the row just written.
        mention_ids = [user.pk for user in mentioned]
        transaction.on_commit(
            lambda: events.message_created_broadcast(room=room, message=message, mention_ids=mention_ids)
        )
        if mentioned:
            _mentions_notify(room=room, message=message, users=mentioned)
    return message


def message_edit(*, message_id: int, user: User, body: str) -> Message:
    body = _clean_body(body)
    with transaction.atomic():
        message = _message_for_update(message_id)
        if message.author_id != user.pk:
            raise ChatError("forbidden", "Only the author can edit a message.")
        if message.deleted_at is not None:
            raise ChatError("deleted", "This message was deleted.")
        access = room_access(room=message.room, user=user)
        _require_post(access)
        _check_blocked_words(room=message.room, body=body)
        message.body = body
        message.edited_at = timezone.now()
        message.save(update_fields=["body", "edited_at"])
        return _updated(message.pk)


def message_delete(*, message_id: int, user: User) -> Message:
    """Soft delete by the author or a moderator: the seq stays, the text goes."""
    with transaction.atomic():
        message = _message_for_update(message_id)
        if message.author_id != user.pk:
            _require_moderator(room=message.room, user=user)
            _record_moderation(room=message.room, user=user)
        if message.deleted_at is None:
            message.deleted_at = timezone.now()
            message.deleted_by = user
            message.save(update_fields=["deleted_at", "deleted_by"])
        return _updated(message.pk)


def message_spoiler_set(*, message_id: int, user: User, spoiler: bool) -> Message:
    with transaction.atomic():
        message = _message_for_update(message_id)
        if message.author_id != user.pk:
            _require_moderator(room=message.room, user=user)
            _record_moderation(room=message.room, user=user)
        message.is_spoiler = spoiler
        message.save(update_fields=["is_spoiler"])
        return _updated(message.pk)


def reaction_toggle(*, message_id: int, user: User, emoji: str) -> list[dict[str, Any]]:
    emoji = (emoji or "").strip()
    # Emoji only: no ASCII letters, digits, markup or whitespace.
    if not 1 <= len(emoji) <= 8 or any(c.isascii() or c.isspace() for c in emoji):
        raise ChatError("invalid", "A reaction must be an emoji.")
    with transaction.atomic():
        message = _message_for_update(message_id)
        if message.deleted_at is not None:
            raise ChatError("deleted", "This message was deleted.")
        access = room_access(room=message.room, user=user)
        _require_post(access)
        deleted, _ = Reaction.objects.filter(message=message, user=user, emoji=emoji).delete()
        if not deleted:
            Reaction.objects.create(message=message, user=user, emoji=emoji)
        summary = events.reaction_summary(list(Reaction.objects.filter(message=message)))
        transaction.on_commit(lambda: events.reaction_updated_broadcast(message=message, reactions=summary))
    return summary


def read_state_mark(*, room_id: int, user: User, seq: int) -> int:
    """Move the read marker forward (never back); returns the unread count."""
    with transaction.atomic():
        room = Room.objects.get(pk=room_id)
        seq = max(0, min(seq, room.last_seq))
        state, _ = ReadState.objects.select_for_update().get_or_create(room=room, user=user)
        if seq > state.last_read_seq:
            state.last_read_seq = seq
            state.save(update_fields=["last_read_seq", "updated_at"])
        return max(0, room.last_seq - state.last_read_seq)


def report_create(*, message_id: int, reporter: User, reason: str) -> Report:
    reason = (reason or "").strip()[:500]
    if not reason:
        raise ChatError("invalid", "Say why you report this message.")
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        raise ChatError("not_found", "No such message.")
    if not room_access(room=message.room, user=reporter).can_read:
        raise ChatError("forbidden", "You cannot see this message.")
    with transaction.atomic():
        report, created = Report.objects.get_or_create(
            message=message, reporter=reporter, defaults={"reason": reason}
        )
        if created:
            transaction.on_commit(
                lambda: events.report_notify_staff(
                    report_id=report.pk, room_id=message.room_id, message_id=message.pk
                )
            )
    return report


# -----------------------------------------------------------------------------
# Moderation
# -----------------------------------------------------------------------------
def sanction_apply(
    *, room_id: int, by: User, user_id: int, kind: str, seconds: int | None, reason: str = ""
) -> Sanction:
    """Mute (read-only) or ban (no entry) a user, for ``seconds`` or forever (None)."""
    if kind not in SanctionKind.values:
        raise ChatError("invalid", "Unknown sanction.")
    if seconds is not None and not 1 <= seconds <= MAX_SANCTION_SECONDS:
        raise ChatError("invalid", "Duration must be between 1 second and a year.")
    with transaction.atomic():
        room = Room.objects.get(pk=room_id)
        _require_moderator(room=room, user=by)
        target = _sanction_target(room=room, by=by, user_id=user_id)
        expires_at = timezone.now() + timedelta(seconds=seconds) if seconds else None
        sanction = Sanction.objects.create(
            room=room, user=target, kind=kind, expires_at=expires_at, reason=reason[:300], issued_by=by
        )
        _record_moderation(room=room, user=by)
        until = expires_at.isoformat() if expires_at else None
        transaction.on_commit(
            lambda: events.member_sanctioned_broadcast(
                room_id=room.pk, user_id=target.pk, action=kind, until=until
            )
        )
    return sanction


def member_kick(*, room_id: int, by: User, user_id: int) -> None:
    """Disconnect the user's sockets from the room; they may come back (a ban keeps them out)."""
    with transaction.atomic():
        room = Room.objects.get(pk=room_id)
        _require_moderator(room=room, user=by)
        target = _sanction_target(room=room, by=by, user_id=user_id)
        _record_moderation(room=room, user=by)
        transaction.on_commit(
            lambda: events.member_sanctioned_broadcast(
                room_id=room.pk, user_id=target.pk, action="kick", until=None
            )
        )


BLOCKED_WORD_MAX_CHARS = 100
BLOCKED_WORDS_MAX = 200


def room_blocked_words_replace(*, room: Room, by: User, text: str) -> list[str]:
    """The moderation page's blocked-words box: one word or phrase per line (or comma)."""
    words = [w.strip() for w in re.split(r"[\n,]", text or "") if w.strip()]
    too_long = [w for w in words if len(w) > BLOCKED_WORD_MAX_CHARS]
    if too_long:
        raise ChatError(
            "invalid",
            f"A blocked word is at most {BLOCKED_WORD_MAX_CHARS} characters.",
            {"field": "words", "word": too_long[0][:20]},
        )
    if len(set(words)) > BLOCKED_WORDS_MAX:
        raise ChatError("invalid", f"At most {BLOCKED_WORDS_MAX} blocked words.", {"field": "words"})
    return room_blocked_words_set(room=room, by=by, words=words)


def sanction_lift(*, sanction_id: int, by: User) -> Sanction:
    """End a mute or ban now (the record stays, expiring at this moment)."""
    with transaction.atomic():
        sanction = Sanction.objects.select_for_update().select_related("room").filter(pk=sanction_id).first()
        if sanction is None:
            raise ChatError("not_found", "No such sanction.")
        _require_moderator(room=sanction.room, user=by)
        now = timezone.now()
        if sanction.expires_at is None or sanction.expires_at > now:
            sanction.expires_at = now
            sanction.save(update_fields=["expires_at"])
            _record_moderation(room=sanction.room, user=by)
            room_id, user_id = sanction.room_id, sanction.user_id
            # "lift": the user's client enables the composer again (docs/chat-protocol.md).
            transaction.on_commit(
                lambda: events.member_sanctioned_broadcast(
                    room_id=room_id, user_id=user_id, action="lift", until=None
                )
            )
    return sanction


REPORT_ACTIONS = ("delete", "dismiss")


def report_resolve(*, report_id: int, by: User, action: str) -> Report:
    """Work one report of the queue: delete the message (every open report on it is resolved)
    or dismiss this report. Only the room's owner or moderators (or staff)."""
    if action not in REPORT_ACTIONS:
        raise ChatError("invalid", "Unknown report action.")
    with transaction.atomic():
        report = (
            Report.objects.select_for_update().select_related("message__room").filter(pk=report_id).first()
        )
        if report is None:
            raise ChatError("not_found", "No such report.")
        room = report.message.room
        _require_moderator(room=room, user=by)
        if report.status != ReportStatus.OPEN:
            raise ChatError("invalid", "This report was already handled.")
        if action == "delete":
            message_delete(message_id=report.message_id, user=by)
            Report.objects.filter(message_id=report.message_id, status=ReportStatus.OPEN).update(
                status=ReportStatus.RESOLVED
            )
            report.status = ReportStatus.RESOLVED
        else:
            report.status = ReportStatus.DISMISSED
            report.save(update_fields=["status"])
            _record_moderation(room=room, user=by)
    return report


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------
_POST_DENIED = {
    "login_required": "Log in to chat.",
    "muted": "You are muted in this room.",
    "banned": "You are banned from this room.",
    "invite_only": "This room is invite only.",
}


def _require_post(access: Any) -> None:
    if not access.can_post:
        message = _POST_DENIED.get(access.reason, "You cannot post here.")
        raise ChatError(access.reason or "forbidden", message)


def _clean_body(body: Any) -> str:
    if not isinstance(body, str):
        raise ChatError("invalid", "A message body must be text.")
    body = body.replace("\x00", "").strip()
    if not body:
        raise ChatError("empty", "A message cannot be empty.")
    if len(body) > MESSAGE_MAX_CHARS:
        raise ChatError("too_long", f"A message is at most {MESSAGE_MAX_CHARS} characters.")
    return body


def _check_blocked_words(*, room: Room, body: str) -> None:
    lowered = body.lower()
    for word in BlockedWord.objects.filter(room=room).values_list("word", flat=True):
        if word.lower() in lowered:
            raise ChatError("blocked_word", "Your message contains a word this room does not allow.")


def _check_slow_mode(*, room: Room, author: User | AnonymousUser) -> None:
    last = (
        Message.objects.filter(room=room, author_id=author.pk)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None:
        return
    wait = room.slow_mode_seconds - (timezone.now() - last).total_seconds()
    if wait > 0:
        raise ChatError(
            "slow_mode",
            f"Slow mode is on: one message every {room.slow_mode_seconds} s.",
            {"retry_after": round(wait, 2)},
        )


def _mentions_notify(*, room: Room, message: Message, users: list[Any]) -> None:
    """Each mentioned user gets a stored notification (the social app's service writes it and
    broadcasts it after commit on their notification group). Call inside the message's
    transaction: the notification exists exactly when the message does."""
    author = message.author
    name = author.display_name if author is not None else ""
    url = reverse("chat:room", kwargs={"room_id": room.pk})
    for user in users:
        notification_create(
            user=user,
            actor=author,
            kind=NotificationKind.MENTION,
            # Public fields only (names), never the message body: notifications can outlive
            # a deleted or spoiler message.
            text=f"{name} mentioned you in {room.name}",
            url=url,
        )


def _mentioned_users(*, room: Room, body: str, author: Any) -> list[Any]:
    names = {m.lower() for m in MENTION_RE.findall(body)}
    if not names:
        return []
    user_model = get_user_model()
    users = (
        user_model.objects.annotate(nick=Lower("nickname"), uname=Lower("username"))
        .filter(Q(nick__in=names) | Q(uname__in=names))
        .exclude(pk=author.pk)[:MAX_MENTIONS]
    )
    if room.visibility == RoomVisibility.INVITE_ONLY:
        members = set(Membership.objects.filter(room=room).values_list("user_id", flat=True))
        return [u for u in users if u.pk in members]
    return list(users)


def _message_for_update(message_id: Any) -> Message:
    if not isinstance(message_id, int):
        raise ChatError("invalid", "message_id must be an integer.")
    message = Message.objects.select_for_update().select_related("room").filter(pk=message_id).first()
    if message is None:
        raise ChatError("not_found", "No such message.")
    return message


def _updated(message_id: int) -> Message:
    fresh = message_get(message_id=message_id)
    assert fresh is not None
    transaction.on_commit(lambda: events.message_updated_broadcast(message=fresh))
    return fresh


def _require_moderator(*, room: Room, user: User) -> None:
    if not room_access(room=room, user=user).can_moderate:
        raise ChatError("forbidden", "Only the room owner or a moderator can do that.")


def _record_moderation(*, room: Room, user: User) -> None:
    # Rights that are used stay; the daily rights batch (apps/social/rights.py) revokes stale ones.
    Membership.objects.filter(room=room, user=user).update(rights_last_used_at=timezone.now())


def _sanction_target(*, room: Room, by: User, user_id: Any) -> Any:
    if not isinstance(user_id, int):
        raise ChatError("invalid", "user_id must be an integer.")
    target = get_user_model().objects.filter(pk=user_id).first()
    if target is None:
        raise ChatError("not_found", "No such user.")
    # Each refusal has its own code so the person is told exactly why, in their language
    # (apps/chat/templatetags/chat_tags.py), not a moderator's generic "only moderators can".
    if target.pk == by.pk:
        raise ChatError("sanction_self", "You cannot mute, kick or ban yourself.")
    if target.pk == room.owner_id or target.is_staff:
        raise ChatError("sanction_protected", "The room owner and staff cannot be muted, kicked or banned.")
    return target


# -----------------------------------------------------------------------------
# Progress-synced rooms
# -----------------------------------------------------------------------------
def viewer_position_set(
    *, room_id: int, user: User | AnonymousUser, episode: object, position_s: object
) -> ViewerPosition:
    """Say where ``user`` is in the room's title (the API's and other apps' way in). Validated
    against the catalog (runtime, episodes) before anything is written; the horizon only moves
    forward. After commit the user's sockets release what they have now reached."""
    if not user.is_authenticated:
        raise ChatError("login_required", "Log in to chat.")
    room = Room.objects.select_related("title").filter(pk=room_id).first()
    if room is None:
        raise ChatError("not_found", "No such room.")
    if not room.progress_sync:
        raise ChatError("not_synced", "This room does not follow progress.")
    if not room_access(room=room, user=user).can_read:
        raise ChatError("forbidden", "You are not in this room.")
    position = position_validate(title=room.title, episode=episode, position_s=position_s)
    viewer_position_record(room_id=room.pk, user_id=user.pk, position=position)
    stored = ViewerPosition.objects.get(room_id=room.pk, user_id=user.pk)
    return stored


def viewer_position_record(
    *, room_id: int, user_id: int, position: Position, horizon: Position | None = None
) -> Position:
    """Store a position already validated, for a reader already let in (the socket checked both
    when it joined), and return the horizon. One UPDATE in the usual case: 200 viewers moving at
    once must not queue the room's messages behind them (benchmarks/chat.py, scenario p)."""
    episode, seconds = position
    # The furthest point reached: at least ``position`` (a socket may have been further since).
    reached_episode, reached_s = max(position, horizon or position)
    later = Q(horizon_episode__lt=reached_episode) | Q(
        horizon_episode=reached_episode, horizon_s__lt=reached_s
    )
    with transaction.atomic():
        mine = ViewerPosition.objects.filter(room_id=room_id, user_id=user_id)
        updated = mine.update(
            episode=episode,
            position_s=seconds,
            horizon_episode=Case(
                When(later, then=Value(episode)),
                default=F("horizon_episode"),
                output_field=PositiveIntegerField(),
            ),
            horizon_s=Case(
                When(later, then=Value(reached_s)),
                default=F("horizon_s"),
                output_field=PositiveIntegerField(),
            ),
            updated_at=timezone.now(),
        )
        if not updated:
            ViewerPosition.objects.get_or_create(
                room_id=room_id,
                user_id=user_id,
                defaults={
                    "episode": episode,
                    "position_s": seconds,
                    "horizon_episode": reached_episode,
                    "horizon_s": reached_s,
                },
            )
        stored: Position = mine.values_list("horizon_episode", "horizon_s").get()
        transaction.on_commit(
            lambda: events.position_updated_broadcast(
                room_id=room_id, user_id=user_id, position=position, horizon=stored
            )
        )
    return stored


# -----------------------------------------------------------------------------
# Joining
# -----------------------------------------------------------------------------
def room_join(
    *, user: User | AnonymousUser, room_id: int | None = None, title_id: int | None = None
) -> RoomAccess:
    """Resolve the room a socket asks for (a title's room is created on first visit) and
    authorise the user to read it. Raises ``ChatError`` with ``not_found``, ``banned`` or
    ``invite_only``; the history comes from ``selectors.room_history`` after the socket
    has joined the room's group."""
    from apps.movies.models import Title

    room: Room | None
    if title_id is not None:
        title = Title.objects.filter(pk=title_id).first()
        room = room_get_or_create_for_title(title=title) if title else None
    else:
        room = room_get(room_id=room_id or 0)
    if room is None:
        raise ChatError("not_found", "No such room.")
    access = room_access(room=room, user=user)
    if not access.can_read:
        if access.banned:
            raise ChatError(access.reason, "You are banned from this room.")
        raise ChatError(access.reason, "This room is invite only.")
    return access


# -----------------------------------------------------------------------------
# Rights review (apps/social/rights.py: the 90-day batch)
# -----------------------------------------------------------------------------
def room_role_revoke(*, room_id: int, user_id: int, role: str) -> None:
    """Take a moderator's or owner's role away: they stay a member. An owner's room stays
    (rooms never disappear); it just has no owner until staff assign one. Call inside the
    batch's transaction; a role already gone is left as it is."""
    if role not in (MemberRole.MODERATOR, MemberRole.OWNER):
        raise ChatError("invalid", f"Only moderator and owner roles can be revoked, not {role!r}.")
    Membership.objects.filter(user_id=user_id, room_id=room_id, role=role).update(role=MemberRole.MEMBER)
    if role == MemberRole.OWNER:
        Room.objects.filter(pk=room_id, owner_id=user_id).update(owner=None)


# -----------------------------------------------------------------------------
# Account deletion
# -----------------------------------------------------------------------------
def messages_erase_for_author(*, user: User) -> int:
    """Erase a leaving user's messages: each keeps its seq (conversations keep their order)
    and shows as deleted; the text is gone. Call inside the account deletion's transaction."""
    return Message.objects.filter(author=user, deleted_at__isnull=True).update(
        body="", deleted_at=timezone.now(), deleted_by=None
    )
