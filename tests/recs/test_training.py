from __future__ import annotations

import datetime as dt
import logging
from io import StringIO

import pytest
from django.core.management import call_command

from apps.recs import buffer
from apps.recs.models import ModelArtifact
from apps.recs.services.serving import model_active_load
from apps.recs.services.training import recs_model_train
from apps.recs.tasks import recs_model_train_task

pytestmark = pytest.mark.django_db


def test_training_writes_an_active_artifact_and_precomputes_top_picks(taste_world):
    artifact = recs_model_train(as_of=dt.date(2026, 11, 24))
    assert artifact.is_active
    assert artifact.stats["users"] == 12
    assert artifact.stats["interactions"] == 72
    fan = taste_world["users"]["horror"][0]
    picks = buffer.top_read(buffer.redis_client(), fan.id)
    horror_ids = {t.id for t in taste_world["horror"]}
    rated = set(fan.ratings.values_list("title_id", flat=True))
    unrated_horror = horror_ids - rated
    # the fan's unrated horror titles come first, before any romance
    assert {p[0] for p in picks[: len(unrated_horror)]} == unrated_horror
    assert not rated & {p[0] for p in picks}


def test_the_stored_artifact_carries_ials_factors_for_every_rated_title(taste_world, settings):
    artifact = recs_model_train(as_of=dt.date(2026, 11, 24))
    model = model_active_load()
    assert model is not None
    assert model.factors is not None
    assert model.factors.items.shape == (16, settings.RECS_IALS_PARAMS["dim"])
    assert model.factors.items.any(axis=1).all()  # every title was rated by someone
    assert model.factors.weight == settings.RECS_IALS_WEIGHT
    assert artifact.params["ials"] == settings.RECS_IALS_PARAMS


def test_rerun_for_the_same_day_overwrites_and_a_new_day_switches_the_active_version(taste_world):
    recs_model_train(as_of=dt.date(2026, 11, 23))
    recs_model_train(as_of=dt.date(2026, 11, 24))
    recs_model_train(as_of=dt.date(2026, 11, 24))
    assert ModelArtifact.objects.count() == 2
    assert list(ModelArtifact.objects.filter(is_active=True).values_list("as_of", flat=True)) == [
        dt.date(2026, 11, 24)
    ]


def test_a_corrupt_newest_artifact_falls_back_to_the_previous_version_and_logs(taste_world, caplog):
    recs_model_train(as_of=dt.date(2026, 11, 23))
    newest = recs_model_train(as_of=dt.date(2026, 11, 24))
    ModelArtifact.objects.filter(id=newest.id).update(payload=b"garbage")
    with caplog.at_level(logging.ERROR):
        model = model_active_load()
    assert model is not None
    assert "2026-11-24 failed to load" in caplog.text


def test_training_an_empty_database_still_activates_a_model(db):
    artifact = recs_model_train(as_of=dt.date(2026, 11, 24))
    assert artifact.stats["titles"] == 0
    assert model_active_load() is not None


def test_train_recs_command_reports_progress(taste_world):
    out = StringIO()
    call_command("train_recs", "--as-of", "2026-11-24", stdout=out)
    text = out.getvalue()
    assert "interactions: 72" in text
    assert "active model: 2026-11-24" in text


def test_nightly_task_trains_for_the_given_day(taste_world):
    recs_model_train_task("2026-11-20")
    assert ModelArtifact.objects.get(is_active=True).as_of == dt.date(2026, 11, 20)


def test_beat_schedules_the_nightly_retrain_at_the_configured_time(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["recs-nightly-retrain"]
    assert entry["task"] == "apps.recs.tasks.recs_model_train_task"
    assert entry["schedule"].hour == {settings.RECS_RETRAIN_HOUR}


def test_a_request_looks_the_serving_artifact_up_once_and_the_next_request_sees_a_retrain(taste_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.recs.services.serving import artifact_memo_per_request
    from apps.recs.services.serving import model_active_key

    first = recs_model_train(as_of=dt.date(2026, 11, 23))
    with artifact_memo_per_request():
        with CaptureQueriesContext(connection) as captured:
            key = model_active_key()
            assert model_active_key() == key
        # when: a retrain switches the active version in the middle of the request
        second = recs_model_train(as_of=dt.date(2026, 11, 24))
        # then: this request keeps serving the version it looked up
        assert model_active_key() == key
    lookups = [q for q in captured.captured_queries if '"format_version"' in q["sql"]]
    assert key is not None
    assert key.startswith(f"{first.pk}:")
    assert len(lookups) == 1

    # and the next request serves the new version
    with artifact_memo_per_request():
        assert model_active_key().startswith(f"{second.pk}:")


def test_a_signed_in_title_page_looks_the_artifact_up_once(taste_world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    recs_model_train(as_of=dt.date(2026, 11, 24))
    fan = taste_world["users"]["horror"][0]
    client.force_login(fan)
    title = taste_world["horror"][0]
    client.get(f"/titles/{title.pk}/")  # loads the artifact into the process

    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/titles/{title.pk}/").status_code == 200

    lookups = [q for q in captured.captured_queries if '"format_version"' in q["sql"]]
    assert len(lookups) == 1


def test_outside_a_request_every_call_sees_the_newest_artifact(taste_world):
    from apps.recs.services.serving import model_active_key

    first = recs_model_train(as_of=dt.date(2026, 11, 23))
    assert model_active_key().startswith(f"{first.pk}:")
    second = recs_model_train(as_of=dt.date(2026, 11, 24))
    assert model_active_key().startswith(f"{second.pk}:")
