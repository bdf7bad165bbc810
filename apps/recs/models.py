"""Recommendation data: behaviour events and versioned model artifacts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    VIEW = "view", _("Title view")
    LIST_CLICK = "list_click", _("Click from a list")
    RATE = "rate", _("Rating")
    WATCHLIST_ADD = "watchlist_add", _("Watchlist add")
    LIKE = "like", _("Like")
    REC_ACCEPT = "rec_accept", _("Recommendation accepted")
    REC_DISMISS = "rec_dismiss", _("Recommendation dismissed")
    SEARCH_CLICK = "search_click", _("Search result clicked")


class Event(models.Model):
    """One thing a person did, written in batches from the Redis buffer.

    ``event_id`` is the idempotency key: the client sends one (or the server assigns
    one on receipt), so a flush retried after a crash never writes a row twice.
    """

    event_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    session_key = models.CharField(max_length=64, blank=True)
    title = models.ForeignKey(
        "movies.Title", on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField()
    dwell_ms = models.PositiveIntegerField(null=True, blank=True)
    list_name = models.CharField(max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    query = models.CharField(max_length=200, blank=True)
    # Half stars (1–10) for ratings.
    value = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("behaviour event")
        verbose_name_plural = _("behaviour events")
        ordering = ["-occurred_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(session_key=""), name="event_has_an_actor"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=10),
                name="event_value_half_stars",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "kind", "-occurred_at"], name="event_user_kind"),
            models.Index(fields=["title", "-occurred_at"], name="event_title_recent"),
            models.Index(fields=["-occurred_at"], name="event_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.title_id} by {self.user_id or self.session_key}"


class ModelArtifact(models.Model):
    """A trained recommender for one day. At most one is active; serving loads that one."""

    as_of = models.DateField(unique=True)
    is_active = models.BooleanField(default=False)
    # numpy .npz bytes (no pickle): item ids, sparse item-item weights, content neighbours.
    payload = models.BinaryField()
    # The layout both payloads were written in; serving refuses any other (see ml/runtime.py).
    format_version = models.PositiveSmallIntegerField(default=1)
    # The rating predictor (ml/rating.py), .npz bytes; empty when there were too few ratings.
    rating_payload = models.BinaryField(default=b"", blank=True)
    params = models.JSONField(default=dict)
    stats = models.JSONField(default=dict)
    trained_at = models.DateTimeField()

    class Meta:
        verbose_name = _("recommender model")
        verbose_name_plural = _("recommender models")
        ordering = ["-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="artifact_single_active"
            ),
        ]

    def __str__(self) -> str:
        return f"recs model {self.as_of}{' (active)' if self.is_active else ''}"
