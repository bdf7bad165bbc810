"""예상 별점: predicted ratings on cards and title pages, from one batched call per page."""

from __future__ import annotations

import datetime as dt
import logging
import re

import numpy as np
import pytest
from django.urls import reverse

from apps.recs.ml.rating import RatingModel
from apps.recs.ml.rating import stars_display
from apps.recs.models import ModelArtifact
from apps.recs.predictions import predicted_rating_why
from apps.recs.predictions import predicted_ratings_for_user
from apps.recs.services.serving import model_active_load
from apps.recs.services.serving import rating_model_active_load
from apps.recs.services.training import recs_model_train
from apps.social.models import Rating
from apps.social.services.ratings import rating_set
from tests.factories import ModelArtifactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trained(mixed_world):
    recs_model_train(as_of=dt.date(2026, 11, 24))
    return mixed_world


def _rate(user, titles, stars):
    for title, s in zip(titles, stars, strict=True):
        rating_set(user=user, title=title, stars=s)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [(3.74, 3.5), (3.76, 4.0), (-1.0, 0.5), (0.2, 0.5), (5.8, 5.0), (4.25, 4.0), (4.26, 4.5)],
)
def test_a_prediction_is_shown_clipped_to_half_to_five_in_half_stars(raw, shown):
    assert stars_display(raw) == shown


def test_the_predicted_rating_on_a_card_equals_the_models_prediction_clipped_and_rounded(
    trained, user, logged_in_client
):
    # given: six ratings (predictions start at five)
    hollywood = trained["hollywood"]
    _rate(user, hollywood[15:21], [5, 4.5, 4, 5, 3.5, 4.5])

    # when
    page = logged_in_client.get(reverse("movies:catalog")).content.decode()

    # then: every card not rated shows the model's prediction, clipped and rounded to halves
    model = rating_model_active_load()
    history = {r.title_id: r.stars for r in Rating.objects.filter(user=user)}
    cards = re.findall(r'href="/titles/(\d+)/".*?(?:</li>)', page, flags=re.S)
    assert cards
    shown = {
        int(tid): float(stars)
        for tid, stars in re.findall(
            r'href="/titles/(\d+)/"(?:(?!</li>).)*?class="predicted predicted--card">.*?★([\d.]+)',
            page,
            flags=re.S,
        )
    }
    expected = model.predict_for_history(history, [int(t) for t in cards if int(t) not in history])
    assert shown
    assert shown == {tid: stars_display(value) for tid, value in expected.items()}
    assert all(0.5 <= s <= 5 and s * 2 == int(s * 2) for s in shown.values())


def test_a_page_of_cards_makes_one_batched_prediction_call(trained, user, logged_in_client, monkeypatch):
    _rate(user, trained["hollywood"][15:21], [5, 4.5, 4, 5, 3.5, 4.5])
    calls = []
    original = RatingModel.predict_for_history

    def counting(self, history, item_ids):
        calls.append(len(item_ids))
        return original(self, history, item_ids)

    monkeypatch.setattr(RatingModel, "predict_for_history", counting)

    # a filtered page: the grid alone
    page = logged_in_client.get(reverse("movies:catalog"), {"type": "movie"}).content.decode()
    assert len(calls) == 1
    assert calls[0] == page.count("predicted--card") > 0  # every unrated card of the page, at once

    # the first page also shows the home rows: one more call for all of their cards
    calls.clear()
    logged_in_client.get(reverse("movies:catalog"))
    assert len(calls) == 2


def test_fewer_than_five_ratings_show_no_prediction(trained, user, logged_in_client):
    _rate(user, trained["hollywood"][15:19], [5, 4.5, 4, 5])
    page = logged_in_client.get(reverse("movies:catalog")).content.decode()
    assert "predicted--card" not in page
    assert predicted_ratings_for_user(user_id=user.id, title_ids=[trained["hollywood"][0].id]) == {}
    assert predicted_ratings_for_user(user_id=None, title_ids=[trained["hollywood"][0].id]) == {}


def test_the_title_page_shows_the_prediction_and_why(trained, user, logged_in_client):
    hollywood = trained["hollywood"]
    _rate(user, hollywood[15:21], [5, 4.5, 4, 5, 3.5, 4.5])
    target = hollywood[22]

    page = logged_in_client.get(
        reverse("movies:title-detail", kwargs={"title_id": target.id})
    ).content.decode()

    why = predicted_rating_why(user_id=user.id, title_id=target.id)
    assert why is not None
    assert f"★{why.stars}" in page
    assert "predicted--title" in page
    assert why.because  # drama titles the person rated are its neighbours
    assert why.because[0][0].display_title in page


def test_all_ratings_identical_keep_predictions_sane(trained, user):
    hollywood = trained["hollywood"]
    _rate(user, hollywood[:8], [5] * 8)
    ids = [t.id for t in hollywood[8:]] + [t.id for t in trained["korean"].values()]

    predicted = predicted_ratings_for_user(user_id=user.id, title_ids=ids)
    why = predicted_rating_why(user_id=user.id, title_id=hollywood[9].id)

    assert set(predicted) == set(ids)
    assert all(0.5 <= s <= 5 for s in predicted.values())
    assert why is not None
    assert np.isfinite(why.person_lean)


def test_a_model_trained_on_identical_ratings_predicts_them(db):
    from apps.recs.ml.rating import rating_model_fit

    rng = np.random.default_rng(0)
    users = rng.integers(0, 40, 600)
    items = rng.integers(0, 30, 600)
    model = rating_model_fit(users=users, items=items, stars=np.full(600, 4.0))
    got = model.predict_for_history({int(items[0]): 4.0, int(items[1]): 4.0}, list(range(30)))
    assert all(abs(v - 4.0) < 0.05 for v in got.values())


def test_an_artifact_in_an_older_format_is_refused_with_a_logged_reason_and_the_active_one_keeps_serving(
    trained, caplog
):
    # given: the model serving now, and a newer artifact written by older code
    serving = model_active_load()
    assert serving is not None
    ModelArtifact.objects.update(is_active=False)
    old = ModelArtifactFactory(
        as_of=dt.date(2026, 11, 25),
        payload=b"old",
        format_version=1,
        is_active=True,
        trained_at=dt.datetime.now(dt.UTC),
    )

    # when
    with caplog.at_level(logging.ERROR):
        model = model_active_load()
        again = model_active_load()

    # then
    assert model is serving
    assert again is serving
    assert "2026-11-25 refused: written in format 1, this code reads format 2" in caplog.text
    assert caplog.text.count("refused") == 1  # logged once, not on every request
    assert old.id


def test_a_rating_payload_in_another_format_is_refused(trained, monkeypatch):
    artifact = ModelArtifact.objects.get(is_active=True)
    payload = bytes(artifact.rating_payload)
    model = RatingModel.from_bytes(payload)
    model_bytes = model.to_bytes()
    assert (
        RatingModel.from_bytes(model_bytes).predict_for_history({trained["hollywood"][0].id: 4.0}, []) == {}
    )
    from apps.recs.ml import rating

    monkeypatch.setattr(rating, "RATING_FORMAT_VERSION", rating.RATING_FORMAT_VERSION + 1)
    with pytest.raises(ValueError, match="rating model format"):
        RatingModel.from_bytes(model_bytes)


def test_titles_nobody_rated_are_predicted_from_the_rated_titles_most_like_them(trained, user):
    # given: loves crime (살인의 추억, 올드보이), dislikes the dramas (괴물, 아가씨)
    korean = trained["korean"]
    _rate(
        user,
        [
            korean["살인의 추억"],
            korean["올드보이"],
            korean["괴물"],
            korean["아가씨"],
            trained["hollywood"][0],
        ],
        [5, 5, 1, 1, 3],
    )

    # when: two Korean titles the rating model never saw
    predicted = predicted_ratings_for_user(
        user_id=user.id, title_ids=[korean["박쥐"].id, korean["기생충"].id]
    )

    # then: the crime title like the loved ones beats the drama like the disliked ones
    assert predicted[korean["박쥐"].id] > predicted[korean["기생충"].id]


def test_why_for_a_title_nobody_rated_points_at_the_rated_titles_most_like_it(trained, user):
    korean = trained["korean"]
    _rate(
        user,
        [
            korean["살인의 추억"],
            korean["올드보이"],
            korean["괴물"],
            korean["아가씨"],
            trained["hollywood"][0],
        ],
        [5, 5, 1, 1, 3],
    )

    why = predicted_rating_why(user_id=user.id, title_id=korean["마더"].id)

    assert why is not None
    assert why.title_mean is None  # no "people usually give it" for a title nobody rated
    assert why.because
    assert {t.display_title for t, _ in why.because} <= {"살인의 추억", "올드보이", "괴물", "아가씨"}
