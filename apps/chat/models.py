"""Chat rooms, their members and messages.

Every title has one room (created on demand); users open their own rooms too. Rooms are
never deleted for being empty. Messages carry a per-room ``seq`` assigned in the same
transaction as the insert, so clients detect gaps and resume exactly where they left off.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config import realtime


class RoomKind(models.TextChoices):
    TITLE = "title", _("Title room")
    USER = "user", _("User room")


class RoomVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INVITE_ONLY = "invite", _("Invite only")


class Room(models.Model):
    kind = models.CharField(max_length=5, choices=RoomKind.choices)
    # Set for title rooms (exactly one per title) and optional for user rooms.
    title = models.ForeignKey(
        "movies.Title", null=True, blank=True, on_delete=models.CASCADE, related_name="chat_rooms"
    )
    name = models.CharField(max_length=100)
    topic = models.CharField(max_length=300, blank=True)
    visibility = models.CharField(max_length=6, choices=RoomVisibility.choices, default=RoomVisibility.PUBLIC)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_rooms"
    )
    # A "watch night" at a set time; informational, the room is open before and after.
    scheduled_at = models.DateTimeField(null=True, blank=True)
    slow_mode_seconds = models.PositiveIntegerField(default=0)
    # Progress-synced (apps/chat/progress.py): messages carry their author's position in the
    # title, and each socket is sent only what its viewer has reached. Watch parties use it.
    progress_sync = models.BooleanField(default=False)
    # Highest seq handed out; bumped under a row lock by message_create.
    last_seq = models.PositiveBigIntegerField(default=0)
    last_activity_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chat room")
        verbose_name_plural = _("chat rooms")
        ordering = ["-last_activity_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["title"], condition=Q(kind="title"), name="chat_room_one_per_title"
            ),
            models.CheckConstraint(
                condition=Q(kind="user") | Q(title__isnull=False), name="chat_room_title_room_has_title"
            ),
            models.CheckConstraint(
                condition=Q(slow_mode_seconds__lte=3600), name="chat_room_slow_mode_max_hour"
            ),
        ]
        indexes = [models.Index(fields=["visibility", "-last_activity_at"], name="chat_room_recent")]

    def __str__(self) -> str:
        return self.name

    @property
    def group_name(self) -> str:
        return realtime.chat_room_group(self.pk)

    @property
    def is_public(self) -> bool:
        return self.visibility == RoomVisibility.PUBLIC


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member")
    MODERATOR = "moderator", _("Moderator")
    OWNER = "owner", _("Owner")


class Membership(models.Model):
    """An explicit tie to a room: invitation (invite-only rooms) and roles."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_memberships"
    )
    role = models.CharField(max_length=9, choices=MemberRole.choices, default=MemberRole.MEMBER)
    # Last moderation action taken with these rights; stale moderators get revoked.
    rights_last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("room membership")
        verbose_name_plural = _("room memberships")
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="chat_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.room} ({self.role})"

    @property
    def can_moderate(self) -> bool:
        return self.role in (MemberRole.MODERATOR, MemberRole.OWNER)


class MessageKind(models.TextChoices):
    TEXT = "text", _("Message")
    REACTION = "reaction", _("Reaction")


class Message(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="chat_messages"
    )
    body = models.TextField(max_length=2000)
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="chat_mentions")
    is_spoiler = models.BooleanField(default=False)
    # Echo of the client's id for this message, so the sender matches its optimistic copy.
    client_id = models.CharField(max_length=64, blank=True)
    # Where in the title the author was (progress-synced rooms only): episode 0 is a film.
    episode = models.PositiveIntegerField(null=True, blank=True)
    position_s = models.PositiveIntegerField(null=True, blank=True)
    # "text" is a chat message; "reaction" an emoji placed on the title's timeline.
    kind = models.CharField(max_length=8, choices=MessageKind.choices, default=MessageKind.TEXT)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering = ["room", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="chat_message_seq_unique"),
            models.CheckConstraint(
                condition=Q(episode__isnull=True, position_s__isnull=True)
                | Q(episode__isnull=False, position_s__isnull=False),
                name="chat_message_position_whole",
            ),
        ]
        indexes = [
            models.Index(fields=["room", "author", "-created_at"], name="chat_message_author_recent"),
            models.Index(fields=["room", "episode", "position_s"], name="chat_message_position"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} in {self.room_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Reaction(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(fields=["message", "user", "emoji"], name="chat_reaction_unique")
        ]

    def __str__(self) -> str:
        return f"{self.emoji} on {self.message_id}"


class SanctionKind(models.TextChoices):
    MUTE = "mute", _("Mute")
    BAN = "ban", _("Ban")


class Sanction(models.Model):
    """A mute (may read, may not post) or ban (may not join) until ``expires_at`` (None: forever)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="sanctions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_sanctions"
    )
    kind = models.CharField(max_length=4, choices=SanctionKind.choices)
    expires_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        indexes = [models.Index(fields=["room", "user", "kind"], name="chat_sanction_lookup")]

    def __str__(self) -> str:
        return f"{self.kind} {self.user} in {self.room_id}"


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")


class Report(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=500)
    status = models.CharField(max_length=9, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chat report")
        verbose_name_plural = _("chat reports")
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="chat_report_once_per_reporter")
        ]

    def __str__(self) -> str:
        return f"report on {self.message_id} ({self.status})"


class ReadState(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_read_states"
    )
    last_read_seq = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("read position")
        verbose_name_plural = _("read positions")
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="chat_read_state_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.room_id} to {self.last_read_seq}"


class BlockedWord(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="blocked_words")
    word = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("blocked word")
        verbose_name_plural = _("blocked words")
        constraints = [models.UniqueConstraint(fields=["room", "word"], name="chat_blocked_word_unique")]

    def __str__(self) -> str:
        return self.word


class ViewerPosition(models.Model):
    """Where a member is in a progress-synced room's title, and the furthest they have reached.

    The horizon only moves forward: what a viewer has been shown stays shown when they rewind.
    """

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="viewer_positions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    episode = models.PositiveIntegerField(default=0)
    position_s = models.PositiveIntegerField(default=0)
    horizon_episode = models.PositiveIntegerField(default=0)
    horizon_s = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="chat_viewer_position_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.episode}:{self.position_s} in {self.room_id}"

    @property
    def position(self) -> tuple[int, int]:
        return (self.episode, self.position_s)

    @property
    def horizon(self) -> tuple[int, int]:
        return (self.horizon_episode, self.horizon_s)
