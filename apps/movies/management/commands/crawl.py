"""``manage.py crawl SOURCE [--replay DIR | --from-file PATH]``: run one source by hand.

``--replay DIR`` runs the source's real parsing code on saved answers: DIR holds an
``index.json`` listing them by request (see ReplayTransport), as tests/fixtures/sources/*
do. Nothing reaches the network, posters included.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.core.management.base import CommandParser
from tqdm import tqdm

from apps.movies.crawlers import source_names
from apps.movies.models import CrawlRunStatus
from apps.movies.services.crawl_runs import crawl_run_execute
from apps.movies.tasks import title_posters_copy_enqueue


class Command(BaseCommand):
    help = "Crawl one catalog source now (or replay a recording with --from-file) and merge it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", choices=source_names())
        parser.add_argument(
            "--from-file",
            metavar="PATH",
            help=(
                "replay recorded responses: an index.json listing them (see tests/fixtures/sources/); "
                "posters are not fetched"
            ),
        )
        parser.add_argument(
            "--replay",
            metavar="DIR",
            help="replay a folder of saved answers (DIR/index.json) through the source's own parsing",
        )

    def handle(
        self, *args: Any, source: str, from_file: str | None, replay: str | None = None, **options: Any
    ) -> None:
        if replay:
            index = Path(replay) / "index.json"
            if not index.is_file():
                raise CommandError(f"{replay}: no index.json listing the saved answers")
            from_file = str(index)
        bar = tqdm(desc=source, unit="film", disable=options["verbosity"] == 0, file=self.stderr._out)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            run = crawl_run_execute(
                source=source, from_file=from_file, progress=progress, posters_copy=title_posters_copy_enqueue
            )
        finally:
            bar.close()
        summary = (
            f"{source}: {run.new_count} new, {run.updated_count} updated, {run.unchanged_count} unchanged, "
            f"{run.failed_count} failed, {run.closed_count} closed (run {run.pk}, {run.status})"
        )
        for error in run.errors:
            self.stderr.write(
                f"  {error.get('level', 'error')}: {error.get('external_id') or '-'}: {error['message']}"
            )
        if run.status == CrawlRunStatus.FAILED:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
