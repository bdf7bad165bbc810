"""Train the recommender now (the nightly Celery beat job does the same)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from apps.recs.services.training import recs_model_train


class Command(BaseCommand):
    help = "Train the recommender, store today's artifact, activate it and precompute top picks."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--as-of", type=dt.date.fromisoformat, default=None, help="artifact date (YYYY-MM-DD)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        artifact = recs_model_train(as_of=options["as_of"], progress=lambda msg: self.stdout.write(msg))
        self.stdout.write(self.style.SUCCESS(f"active model: {artifact.as_of} {artifact.stats}"))
