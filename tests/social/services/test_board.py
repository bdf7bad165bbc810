from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils import translation

from apps.social.models import BoardPost
from apps.social.selectors import board_post_list
from apps.social.services import board_like_set
from apps.social.services import board_post_create
from apps.social.services import board_post_delete
from apps.social.services import board_post_moderate
from apps.social.services import board_post_update
from apps.social.services import board_view_record
from config.exceptions import ApplicationError
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_only_author_edits_and_author_or_staff_deletes(alice, bob, title):
    post = board_post_create(author=alice, heading="강추", body="must watch", title_ids=[title.pk])
    with pytest.raises(ApplicationError):
        board_post_update(user=bob, post_id=post.pk, heading="x", body="y", title_ids=[title.pk])
    with pytest.raises(ApplicationError):
        board_post_delete(user=bob, post_id=post.pk)
    board_post_delete(user=UserFactory(is_staff=True), post_id=post.pk)
    assert not BoardPost.objects.exists()


@translation.override("en")
def test_post_needs_a_known_title(alice):
    with pytest.raises(ApplicationError, match="at least one"):
        board_post_create(author=alice, heading="h", body="b", title_ids=[])
    with pytest.raises(ApplicationError, match="do not exist") as error:
        board_post_create(author=alice, heading="h", body="b", title_ids=[999999])
    assert error.value.extra == {"title_ids": [999999]}
    assert not BoardPost.objects.exists()


def test_views_count_once_per_user_per_day(alice, bob, title):
    post = board_post_create(author=alice, heading="h", body="b", title_ids=[title.pk])
    assert board_view_record(user=bob, post=post)
    assert not board_view_record(user=bob, post=post)
    assert not board_view_record(user=None, post=post)
    assert BoardPost.objects.get().view_count == 1


def test_hot_ranks_engagement_over_age_and_hidden_posts_vanish(alice, bob, title):
    old = board_post_create(author=alice, heading="old", body="b", title_ids=[title.pk])
    BoardPost.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    fresh = board_post_create(author=alice, heading="fresh", body="b", title_ids=[title.pk])
    liked = board_post_create(author=alice, heading="liked", body="b", title_ids=[TitleFactory().pk])
    for _ in range(3):
        board_like_set(user=UserFactory(), post=liked, liked=True)
    assert [p.heading for p in board_post_list(sort="hot")][:2] == ["liked", "fresh"]
    assert [p.heading for p in board_post_list(sort="new")] == ["liked", "fresh", "old"]
    assert [p.heading for p in board_post_list(title_id=title.pk)] == ["fresh", "old"]
    with pytest.raises(ApplicationError):
        board_post_moderate(user=bob, post_id=fresh.pk, hidden=True)
    board_post_moderate(user=UserFactory(is_staff=True), post_id=fresh.pk, hidden=True)
    assert "fresh" not in [p.heading for p in board_post_list(viewer=bob)]
    assert "fresh" in [p.heading for p in board_post_list(viewer=alice)]
