"""Model operations in the admin: what serves, and one retrain at a time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from apps.recs.models import ModelArtifact
from apps.recs.services.ops import TRAINING_LOCK_KEY
from apps.recs.services.ops import TrainingAlreadyRunning
from apps.recs.services.training import recs_model_train
from apps.recs.tasks import recs_model_train_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:recs_modelartifact_changelist"
RETRAIN = "admin:recs_modelartifact_retrain"


@pytest.fixture
def staff_client(db) -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture(autouse=True)
def no_lock():
    cache.delete(TRAINING_LOCK_KEY)
    yield
    cache.delete(TRAINING_LOCK_KEY)


def test_the_admin_shows_the_active_version_what_it_was_trained_on_and_its_figures(mixed_world, staff_client):
    artifact = recs_model_train(as_of=dt.date(2026, 11, 24))

    page = staff_client.get(reverse(CHANGELIST)).content.decode()

    assert "2026-11-24" in page
    assert f"{artifact.stats['interactions']} interactions ({artifact.stats['ratings']} ratings)" in page
    assert f"RMSE {artifact.stats['rating_validation']['rmse']}" in page
    assert "Retrain now" in page


def test_staff_retrain_now_trains_and_activates_a_new_version(
    mixed_world, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse(RETRAIN), follow=True)

    assert response.redirect_chain[-1][0] == reverse(CHANGELIST)
    assert "Retraining started" in response.content.decode()
    assert ModelArtifact.objects.filter(is_active=True).count() == 1
    assert cache.get(TRAINING_LOCK_KEY) is None  # released when done


def test_a_retrain_asked_for_while_one_runs_is_refused_and_changes_nothing(
    mixed_world, staff_client, django_capture_on_commit_callbacks
):
    cache.add(TRAINING_LOCK_KEY, "2026-11-24T04:30:00", 60)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(reverse(RETRAIN), follow=True)
    with pytest.raises(TrainingAlreadyRunning):
        recs_model_train(as_of=dt.date(2026, 11, 24))
    recs_model_train_task("2026-11-24")  # the nightly task logs and drops it

    assert "already running" in response.content.decode()
    assert callbacks == []
    assert not ModelArtifact.objects.exists()
    assert cache.get(TRAINING_LOCK_KEY) == "2026-11-24T04:30:00"  # the running one still holds it


def test_people_who_are_not_staff_cannot_retrain(mixed_world, logged_in_client):
    response = logged_in_client.post(reverse(RETRAIN))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not ModelArtifact.objects.exists()


def test_retrain_is_post_only(staff_client):
    assert staff_client.get(reverse(RETRAIN)).status_code == 405
