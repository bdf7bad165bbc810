"""Lists (컬렉션): ordered titles with a note each, shared with 일촌 who may co-edit them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Deferrable
from django.utils.translation import gettext_lazy as _

from apps.social.models import Visibility

NAME_MAX = 100
DESCRIPTION_MAX = 1000
NOTE_MAX = 500
# A list this long is already a catalogue; the pages and the API paginate it (tested at the cap).
MAX_ENTRIES = 10_000
MAX_COLLABORATORS = 20


def _share_token() -> str:
    # 128 bits: a share link cannot be guessed, and the owner can replace it to revoke old links.
    return secrets.token_urlsafe(16)


class UserList(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lists")
    name = models.CharField(_("name"), max_length=NAME_MAX)
    description = models.CharField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    # The same three levels as the mini-homepage sections (apps/social Visibility).
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    share_token = models.CharField(max_length=32, unique=True, default=_share_token)
    like_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("list")
        verbose_name_plural = _("lists")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-updated_at"], name="list_owner_recent"),
            models.Index(fields=["visibility", "-like_count"], name="list_popular"),
        ]

    def __str__(self) -> str:
        return self.name


class ListEntry(models.Model):
    """One title at one position (0-based, contiguous) of a list."""

    list = models.ForeignKey(UserList, on_delete=models.CASCADE, related_name="entries")
    title = models.ForeignKey("movies.Title", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        ordering = ["list", "position"]
        constraints = [
            models.UniqueConstraint(fields=["list", "title"], name="list_entry_title_unique"),
            # Deferred: a move shifts a range of positions in one UPDATE, which passes through
            # duplicates row by row; the order is whole again at commit.
            models.UniqueConstraint(
                fields=["list", "position"], name="list_entry_position_unique", deferrable=Deferrable.DEFERRED
            ),
        ]

    def __str__(self) -> str:
        return f"{self.list_id}#{self.position}: {self.title_id}"


class ListCollaborator(models.Model):
    """A 일촌 the owner invited: may add, remove, reorder and annotate entries."""

    list = models.ForeignKey(UserList, on_delete=models.CASCADE, related_name="collaborators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("list collaborator")
        verbose_name_plural = _("list collaborators")
        constraints = [models.UniqueConstraint(fields=["list", "user"], name="list_collaborator_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} edits {self.list_id}"


class ListLike(models.Model):
    list = models.ForeignKey(UserList, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("list like")
        verbose_name_plural = _("list likes")
        constraints = [models.UniqueConstraint(fields=["list", "user"], name="list_like_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.list_id}"


class ListFollow(models.Model):
    """A follower hears (a notification) when titles are added to the list."""

    list = models.ForeignKey(UserList, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("list follow")
        verbose_name_plural = _("list follows")
        constraints = [models.UniqueConstraint(fields=["list", "user"], name="list_follow_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.list_id}"


class ListVerb(models.TextChoices):
    CREATED = "created", _("created the list")
    EDITED = "edited", _("edited the list details")
    ADDED = "added", _("added")
    REMOVED = "removed", _("removed")
    MOVED = "moved", _("moved")
    NOTED = "noted", _("wrote a note on")
    INVITED = "invited", _("invited")
    UNINVITED = "uninvited", _("removed collaborator")


class ListActivity(models.Model):
    """Who changed what, shown on the list page. ``detail`` holds positions and names as written."""

    list = models.ForeignKey(UserList, on_delete=models.CASCADE, related_name="activity")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verb = models.CharField(max_length=10, choices=ListVerb.choices)
    title = models.ForeignKey("movies.Title", on_delete=models.SET_NULL, null=True, related_name="+")
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("list activity")
        verbose_name_plural = _("list activities")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["list", "-created_at", "-id"], name="list_activity_recent")]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} in {self.list_id}"
