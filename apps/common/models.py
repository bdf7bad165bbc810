"""The one abstract timestamp base every app's models use."""

from __future__ import annotations

from django.db import models


class TimeStampedModel(models.Model):
    # Indexed: feeds, boards and inboxes list rows newest first.
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
