"""``manage.py crawl SOURCE [--from-file PATH]``: run one source by hand, with a progress bar."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.core.management.base import CommandParser
from tqdm import tqdm

from apps.movies.crawlers import source_names
from apps.movies.models import CrawlRunStatus
from apps.movies.services.ingestion import crawl_run_execute


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

    def handle(self, *args: Any, source: str, from_file: str | None, **options: Any) -> None:
        bar = tqdm(desc=source, unit="film", disable=options["verbosity"] == 0, file=self.stderr._out)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            run = crawl_run_execute(source=source, from_file=from_file, progress=progress)
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
