"""Personal from the first minute, and relevant where the collaborative model knows nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from apps.recs.selectors import recs_for_user
from apps.recs.services.training import recs_model_train
from apps.social.services.accounts import onboarding_complete
from apps.social.services.ratings import rating_set
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_person_who_rates_ten_titles_in_onboarding_gets_personal_explained_picks(
    mixed_world, django_capture_on_commit_callbacks
):
    # given: a trained model, and someone who loves the drama cluster
    recs_model_train(as_of=dt.date(2026, 11, 24))
    drama = mixed_world["hollywood"][15:25]
    action, _drama, _crime = mixed_world["genres"]
    person = UserFactory()

    # when: onboarding with ten ratings
    with django_capture_on_commit_callbacks(execute=True):
        onboarding_complete(
            user=person,
            genre_ids=[action.id],
            provider_ids=[],
            ratings={t.id: 4.5 for t in drama},
            watchlist_ids=[],
        )
    picks = recs_for_user(user=person, limit=10)
    popular = recs_for_user(user=None, limit=10)

    # then
    assert len(picks) == 10
    assert [p.title.id for p in picks] != [p.title.id for p in popular]
    assert {p.title.id for p in picks[:3]} <= {t.id for t in mixed_world["hollywood"][25:]}
    assert all(p.reason in {"liked", "similar"} for p in picks)
    assert all(p.because_title is not None and p.explanation for p in picks)


def test_a_new_rating_moves_the_picks_at_once(mixed_world, django_capture_on_commit_callbacks):
    recs_model_train(as_of=dt.date(2026, 11, 24))
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for title in mixed_world["hollywood"][15:20]:
            rating_set(user=person, title=title, stars=5)
    before = [p.title.id for p in recs_for_user(user=person, limit=10)]

    with django_capture_on_commit_callbacks(execute=True):
        for title in mixed_world["hollywood"][:5]:
            rating_set(user=person, title=title, stars=5)
    after = [p.title.id for p in recs_for_user(user=person, limit=10)]

    assert after != before
    assert not {t.id for t in mixed_world["hollywood"][:5]} & set(after)


def test_someone_who_rated_only_korean_titles_gets_korean_picks_explained_by_them(
    mixed_world, django_capture_on_commit_callbacks
):
    # given: the model knows the Hollywood titles only; the person rated four Korean ones
    recs_model_train(as_of=dt.date(2026, 11, 24))
    korean = mixed_world["korean"]
    rated = [korean["살인의 추억"], korean["괴물"], korean["올드보이"], korean["아가씨"]]
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for title in rated:
            rating_set(user=person, title=title, stars=5)

    # when
    with translation.override("ko"):
        picks = recs_for_user(user=person, limit=6)

    # then: the four unrated Korean titles lead, each explained by a title the person rated
    korean_ids = {t.id for t in korean.values()}
    assert {p.title.id for p in picks[:4]} == korean_ids - {t.id for t in rated}
    for pick in picks[:4]:
        assert pick.because_title in rated
        assert pick.reason == "similar"
    by_title = {p.title.display_title: p.explanation for p in picks}
    # 마더 shares its director with 살인의 추억 (and 괴물): the reason says so, with the right particle.
    assert by_title["마더"] in {"살인의 추억을 좋아하셨다면 — 같은 감독", "괴물을 좋아하셨다면 — 같은 감독"}
    with translation.override("en"):
        english = recs_for_user(user=person, limit=6)
    assert any(p.explanation.endswith("— same director") for p in english)


def test_a_person_whose_rated_titles_were_all_deleted_gets_popular_picks(mixed_world):
    recs_model_train(as_of=dt.date(2026, 11, 24))
    person = UserFactory()
    gone = mixed_world["korean"]["박쥐"]
    rating_set(user=person, title=gone, stars=4)
    gone.delete()

    picks = recs_for_user(user=person, limit=5)

    assert len(picks) == 5
    assert gone.id not in {p.title.id for p in picks}


def test_a_fresh_demo_database_has_an_active_model_before_the_server_starts(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from apps.recs.models import ModelArtifact
    from apps.recs.services.serving import model_active_load
    from tests.movies.demo_fakes import sample_record
    from tests.movies.demo_fakes import series_record
    from tests.movies.demo_fakes import write_sample

    sample = write_sample(tmp_path / "sample.json", [sample_record(), series_record()])

    def load() -> str:
        out = StringIO()
        call_command("load_demo", "--no-progress", "--skip-movielens", "--sample", str(sample), stdout=out)
        return out.getvalue()

    first = load()
    second = load()

    assert "trained and active" in first
    assert ModelArtifact.objects.filter(is_active=True).count() == 1
    assert model_active_load() is not None
    assert "recommendations model unchanged" in second  # nothing changed: no retraining
