from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.movies.models import CrawlRunStatus
from apps.movies.models import SourceRecord
from apps.movies.services.crawl_runs import crawl_run_execute
from apps.movies.source_health import source_health_list
from tests.factories import CrawlRunFactory
from tests.movies.crawlers.recordings import replay_client

pytestmark = pytest.mark.django_db


def test_source_health_lists_every_source_with_its_last_run_and_freshness():
    # given two megabox runs, the newest failed
    crawl_run_execute(source="megabox", client=replay_client("megabox")[0])
    failed = CrawlRunFactory(
        source="megabox",
        status=CrawlRunStatus.FAILED,
        started_at=timezone.now() + datetime.timedelta(minutes=1),
        alert="failed: megabox: HTTP 403",
    )

    rows = {row.source: row for row in source_health_list(now=timezone.now() + datetime.timedelta(hours=2))}

    assert set(rows) == {"tmdb", "kobis", "megabox", "lotte", "cgv"}
    megabox = rows["megabox"]
    assert megabox.last_run == failed
    assert megabox.needs_attention is True
    assert (
        megabox.newest_data_at
        == SourceRecord.objects.filter(source="megabox").latest("fetched_at").fetched_at
    )
    assert megabox.newest_data_age >= datetime.timedelta(hours=2)
    assert megabox.next_run_at is not None  # hourly for cinemas
    assert rows["lotte"].last_run is None
    assert rows["lotte"].needs_attention is True  # enabled, never run
    cgv = rows["cgv"]
    assert (cgv.enabled, cgv.next_run_at, cgv.needs_attention) == (False, None, False)
    assert "401/403" in cgv.note
    assert "KOFIC" in rows["kobis"].attribution
    assert "TMDB" in rows["tmdb"].attribution


def test_admin_crawl_runs_page_shows_source_health(admin_client):
    crawl_run_execute(source="megabox", client=replay_client("megabox")[0])

    response = admin_client.get(reverse("admin:movies_crawlrun_changelist"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="source-health"' in html
    assert 'data-source="megabox"' in html
    assert 'data-source="cgv"' in html
    assert "Switched off:" in html or "꺼짐" in html
