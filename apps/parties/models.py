"""Watch parties (같이 보기): a title or an episode watched together at a set time.

A party owns a progress-synced, invite-only chat room (apps/chat): the room does the
spoiler-safe delivery, the party adds the schedule, RSVPs, invitations and the party clock.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

NAME_MAX = 100
# A party is over this long after its film ends (or its start, when the runtime is unknown).
AFTER_END = timedelta(hours=2)
UNKNOWN_RUNTIME = timedelta(hours=3)
MAX_INVITATIONS = 50


class RsvpAnswer(models.TextChoices):
    GOING = "going", _("Going")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("Can't go")


class Party(models.Model):
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hosted_parties"
    )
    title = models.ForeignKey("movies.Title", on_delete=models.CASCADE, related_name="parties")
    # A series' party may be about one episode; None: any episode (each viewer says which).
    episode = models.PositiveIntegerField(null=True, blank=True)
    name = models.CharField(_("name"), max_length=NAME_MAX)
    starts_at = models.DateTimeField(_("starts at"))
    # The party's own room (progress_sync on, invite only): chat owns delivery.
    room = models.OneToOneField("chat.Room", on_delete=models.PROTECT, related_name="party")
    # The party clock: seconds into the title when last paused, and since when it runs.
    clock_offset_s = models.PositiveIntegerField(default=0)
    clock_running_since = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("watch party")
        verbose_name_plural = _("watch parties")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["host", "-starts_at"], name="party_host_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(episode__isnull=True) | Q(episode__gte=1), name="party_episode_from_one"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def runtime_s(self) -> int | None:
        minutes = self.title.runtime_minutes
        return minutes * 60 if minutes else None

    def ends_by(self) -> datetime:
        """When the party is over by itself, if the host never ends it."""
        runtime = timedelta(seconds=self.runtime_s) if self.runtime_s else UNKNOWN_RUNTIME
        return self.starts_at + runtime + AFTER_END

    def is_over(self, now: datetime) -> bool:
        return self.ended_at is not None or now >= self.ends_by()

    def has_started(self, now: datetime) -> bool:
        return now >= self.starts_at

    def clock_at(self, now: datetime) -> int:
        """Seconds into the title on the party clock at ``now`` (held at the runtime)."""
        seconds = self.clock_offset_s
        if self.clock_running_since is not None:
            seconds += max(0, int((now - self.clock_running_since).total_seconds()))
        return min(seconds, self.runtime_s) if self.runtime_s else seconds


class Invitation(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_invitations"
    )
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("party invitation")
        verbose_name_plural = _("party invitations")
        constraints = [models.UniqueConstraint(fields=["party", "user"], name="party_invitation_once")]

    def __str__(self) -> str:
        return f"{self.user_id} to {self.party_id}"


class Rsvp(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_rsvps")
    answer = models.CharField(max_length=5, choices=RsvpAnswer.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [models.UniqueConstraint(fields=["party", "user"], name="party_rsvp_once")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.answer} for {self.party_id}"
