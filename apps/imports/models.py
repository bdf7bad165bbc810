"""An upload of someone's history from another site, its rows, and the matches they confirmed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.imports.parsing import message_text


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    PARSING = "parsing", _("Reading and matching")
    REVIEW = "review", _("Waiting for your review")
    APPLYING = "applying", _("Applying")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Could not be read")


class RowStatus(models.TextChoices):
    MATCHED = "matched", _("Matched")
    AMBIGUOUS = "ambiguous", _("Choose a title")
    UNMATCHED = "unmatched", _("Not found")
    INVALID = "invalid", _("Has problems")


class RowOutcome(models.TextChoices):
    PENDING = "", _("Not applied yet")
    CREATED = "created", _("Added")
    UPDATED = "updated", _("Changed")
    UNCHANGED = "unchanged", _("Already there")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class ImportBatch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_batches"
    )
    source = models.CharField(max_length=20, blank=True)
    filename = models.CharField(max_length=255)
    # The upload until it is read; emptied afterwards (the rows hold everything it said).
    upload = models.FileField(upload_to="imports/", blank=True)
    status = models.CharField(max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    # Why it could not be read: {"msgid", "params"}, translated when shown (parsing.message_text).
    error = models.JSONField(default=dict, blank=True)
    # Rows read and matched (or applied) so far, for the progress bar.
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # The language the person applied in: the task writes the rows' outcome notes in it.
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="import_batch_user_recent")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def error_text(self) -> str:
        return message_text(self.error) if self.error else ""

    @property
    def is_running(self) -> bool:
        return self.status in (BatchStatus.QUEUED, BatchStatus.PARSING, BatchStatus.APPLYING)


class ImportRow(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    kind = models.CharField(max_length=10)
    file = models.CharField(max_length=100)
    line = models.PositiveIntegerField()
    name = models.CharField(max_length=500)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    external_id = models.CharField(max_length=300, blank=True)
    media_type = models.CharField(max_length=5, blank=True)
    half_stars = models.PositiveSmallIntegerField(null=True, blank=True)
    day = models.DateField(null=True, blank=True)
    rewatch = models.BooleanField(default=False)
    body = models.TextField(blank=True)
    problems = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=RowStatus.choices)
    # Candidate title ids for an ambiguous row, best first.
    candidate_ids = models.JSONField(default=list, blank=True)
    title = models.ForeignKey(
        "movies.Title", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Matched by an external id applied before (TitleLink), not by name.
    by_link = models.BooleanField(default=False)
    # The person's choice: skip a matched row, or leave an ambiguous one out.
    skip = models.BooleanField(default=False)
    outcome = models.CharField(
        max_length=10, choices=RowOutcome.choices, blank=True, default=RowOutcome.PENDING
    )
    outcome_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["batch", "status", "id"], name="import_row_batch_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(half_stars__isnull=True) | Q(half_stars__gte=1, half_stars__lte=10),
                name="import_row_half_stars_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file}:{self.line} {self.name}"

    @property
    def stars(self) -> float | None:
        return self.half_stars / 2 if self.half_stars else None

    @property
    def problem_texts(self) -> list[str]:
        return [message_text(problem) for problem in self.problems]


class TitleLink(models.Model):
    """An external id (IMDb "tt…", a Letterboxd film URI) applied as this title.

    Moochu's catalog holds no IMDb or Letterboxd ids, so the first import of a film matches by
    name and year; once applied, the link makes every later import match it by id. A link from
    a sure name match is shared (``user`` empty); a link from a person's own choice (an
    ambiguous or unmatched row) is theirs alone, so one person's pick can never decide
    another person's import.
    """

    source = models.CharField(max_length=20)
    external_id = models.CharField(max_length=300)
    title = models.ForeignKey("movies.Title", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=Q(user__isnull=True),
                name="import_title_link_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "source", "external_id"],
                condition=Q(user__isnull=False),
                name="import_title_link_user_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id} → {self.title_id}"
