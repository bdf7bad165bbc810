from __future__ import annotations

import pytest
from django.conf import settings

from apps.social.models import VisitDaily
from apps.social.services import visit_record
from apps.social.tasks import visits_flush_task

pytestmark = pytest.mark.django_db


def test_visits_flush_task_persists_pending_counts_and_is_idempotent(alice, bob, carol):
    visit_record(owner=alice, viewer=bob, session_key=None)
    visit_record(owner=alice, viewer=carol, session_key=None)
    visits_flush_task()
    visits_flush_task()  # nothing pending any more: no double counting
    assert VisitDaily.objects.get(owner=alice).count == 2


def test_flush_task_is_scheduled_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["social-visits-flush"]
    assert entry["task"] == "apps.social.tasks.visits_flush_task"
    assert entry["schedule"] == 60.0
