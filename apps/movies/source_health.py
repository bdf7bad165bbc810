"""Source health: per source, how its last run went and how fresh its data is (admin)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from apps.movies.crawlers.registry import crawler_for
from apps.movies.crawlers.registry import source_names
from apps.movies.models import CrawlRun
from apps.movies.models import CrawlRunStatus
from apps.movies.models import SourceRecord


@dataclass(frozen=True)
class SourceHealth:
    source: str
    enabled: bool
    note: str
    attribution: str
    last_run: CrawlRun | None
    # When a record of this source last arrived (new or changed), and how long ago.
    newest_data_at: datetime.datetime | None
    newest_data_age: datetime.timedelta | None
    next_run_at: datetime.datetime | None

    @property
    def needs_attention(self) -> bool:
        if not self.enabled:
            return False
        run = self.last_run
        return run is None or run.status == CrawlRunStatus.FAILED or bool(run.alert)


def source_health_list(*, now: datetime.datetime | None = None) -> list[SourceHealth]:
    """One row per known source, enabled ones first. Four queries whatever the history."""
    now = now or timezone.now()
    names = source_names()
    last_runs: dict[str, CrawlRun] = {}
    # Newest run per source: DISTINCT ON would tie this to PostgreSQL; the index
    # crawl_run_source_started makes one small query per source cheap instead.
    for name in names:
        run = CrawlRun.objects.filter(source=name).order_by("-started_at", "-id").first()
        if run is not None:
            last_runs[name] = run
    newest = dict(
        SourceRecord.objects.filter(source__in=names)
        .values("source")
        .annotate(newest=Max("fetched_at"))
        .values_list("source", "newest")
    )
    rows = []
    for name in names:
        crawler = crawler_for(name)
        newest_at = newest.get(name)
        rows.append(
            SourceHealth(
                source=name,
                enabled=crawler.enabled,
                note=crawler.status_note,
                attribution=crawler.attribution,
                last_run=last_runs.get(name),
                newest_data_at=newest_at,
                newest_data_age=(now - newest_at) if newest_at else None,
                next_run_at=_next_run(name, now) if crawler.enabled else None,
            )
        )
    rows.sort(key=lambda row: (not row.enabled, row.source))
    return rows


def _next_run(source: str, now: datetime.datetime) -> datetime.datetime | None:
    entry = settings.CELERY_BEAT_SCHEDULE.get(f"crawl-{source}")
    schedule = entry.get("schedule") if entry else None
    if schedule is None or not hasattr(schedule, "remaining_estimate"):
        return None
    # Celery's crontab counts from the last run; from "now" gives the next slot.
    return now + schedule.remaining_estimate(now)
