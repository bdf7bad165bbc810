"""Moochu's people: accounts and their ratings."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    # Shown everywhere and used in /@nickname; Korean allowed. Stored NFC-normalised,
    # unique regardless of case (see social services).
    nickname = models.CharField(_("nickname"), max_length=30, unique=True, null=True, blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    # Cold start and "my services" filter, chosen at onboarding.
    favourite_genres = models.ManyToManyField("movies.Genre", blank=True, related_name="fans")
    my_services = models.ManyToManyField("movies.Provider", blank=True, related_name="subscribers")
    # MovieLens 100K user id for imported demo accounts.
    movielens_id = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("nickname"), name="user_nickname_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.nickname or self.username

    @property
    def display_name(self) -> str:
        return self.nickname or self.username


class Rating(models.Model):
    """A half-star rating (0.5–5.0), stored as a count of half stars (1–10)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings")
    title = models.ForeignKey("movies.Title", on_delete=models.CASCADE, related_name="ratings")
    half_stars = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "title"], name="rating_unique_per_user"),
            models.CheckConstraint(
                condition=Q(half_stars__gte=1, half_stars__lte=10), name="rating_in_range"
            ),
        ]
        indexes = [
            models.Index(fields=["title", "half_stars"], name="rating_title"),
            models.Index(fields=["user", "-created_at"], name="rating_user_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.user} rated {self.title} {self.stars}"

    @property
    def stars(self) -> float:
        return self.half_stars / 2


class PrivilegeArea(models.TextChoices):
    CHAT_MODERATOR = "chat_moderator", _("Chat room moderator")
    ROOM_OWNER = "room_owner", _("Chat room owner")
    STAFF = "staff", _("Staff / admin")
    API_TOKEN = "api_token", _("API token")


class PrivilegeAccess(models.Model):
    """When a user last used one elevated right; maintained by the daily rights batch."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="privileges")
    area = models.CharField(max_length=20, choices=PrivilegeArea.choices)
    # Which instance of the right: a room id for room roles, empty for staff and tokens.
    scope = models.CharField(max_length=40, blank=True)
    last_access_at = models.DateTimeField()
    # Stamped by each batch that saw the right still held; older rows are gone rights.
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "area", "scope"], name="privilege_access_unique"),
        ]
        indexes = [models.Index(fields=["last_access_at"], name="privilege_access_last")]

    def __str__(self) -> str:
        return f"{self.user} {self.area}:{self.scope} last {self.last_access_at:%Y-%m-%d}"


class RightRevocation(models.Model):
    """Audit trail: one row per right the batch took away."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="revocations")
    area = models.CharField(max_length=20, choices=PrivilegeArea.choices)
    scope = models.CharField(max_length=40, blank=True)
    last_access_at = models.DateTimeField()
    revoked_at = models.DateTimeField()
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["-revoked_at", "id"]

    def __str__(self) -> str:
        return f"{self.user} lost {self.area}:{self.scope} on {self.revoked_at:%Y-%m-%d}"
