"""Reviews brought from another site: written in bulk under the review rules, re-imports no-ops."""

from __future__ import annotations

import pytest

from apps.social.models import Activity
from apps.social.models import Review
from apps.social.services.history import Outcome
from apps.social.services.history import ReviewItem
from apps.social.services.history import reviews_import
from apps.social.services.ratings import REVIEW_MAX
from tests.factories import ReviewFactory
from tests.factories import TitleFactory

pytestmark = pytest.mark.django_db


def test_reviews_are_created_then_a_reimport_changes_nothing(alice):
    first, second = TitleFactory(), TitleFactory()
    items = [
        ReviewItem(title_id=first.pk, body="  두 가족,\n한 집.  "),
        ReviewItem(title_id=second.pk, body="Long."),
    ]

    results = reviews_import(user=alice, items=items)
    again = reviews_import(user=alice, items=items)

    assert [r.outcome for r in results] == [Outcome.CREATED, Outcome.CREATED]
    assert [r.outcome for r in again] == [Outcome.UNCHANGED, Outcome.UNCHANGED]
    assert dict(Review.objects.filter(user=alice).values_list("title_id", "body")) == {
        first.pk: "두 가족,\n한 집.",
        second.pk: "Long.",
    }
    # A history brought in would bury every 일촌's feed: imports add no feed lines.
    assert not Activity.objects.filter(actor=alice).exists()


def test_an_edited_review_keeps_its_spoiler_mark_and_its_likes(alice):
    review = ReviewFactory(user=alice, body="old", has_spoilers=True, like_count=3)

    (result,) = reviews_import(user=alice, items=[ReviewItem(title_id=review.title_id, body="new")])

    review.refresh_from_db()
    assert result.outcome == Outcome.UPDATED
    assert (review.body, review.has_spoilers, review.like_count) == ("new", True, 3)


def test_a_refused_review_fails_alone_with_its_reason_in_the_readers_language(alice):
    good, empty, long = TitleFactory(), TitleFactory(), TitleFactory()

    results = reviews_import(
        user=alice,
        items=[
            ReviewItem(title_id=empty.pk, body="   "),
            ReviewItem(title_id=good.pk, body="좋아요"),
            ReviewItem(title_id=long.pk, body="가" * (REVIEW_MAX + 1)),
        ],
    )

    assert [r.outcome for r in results] == [Outcome.FAILED, Outcome.CREATED, Outcome.FAILED]
    assert "입력해 주세요" in results[0].error
    assert "너무 길어요" in results[2].error
    assert list(Review.objects.filter(user=alice).values_list("title_id", flat=True)) == [good.pk]


def test_the_last_line_for_a_title_wins(alice):
    title = TitleFactory()

    results = reviews_import(
        user=alice,
        items=[ReviewItem(title_id=title.pk, body="first"), ReviewItem(title_id=title.pk, body="second")],
    )

    assert [r.outcome for r in results] == [Outcome.CREATED, Outcome.UPDATED]
    assert Review.objects.get(user=alice, title=title).body == "second"
