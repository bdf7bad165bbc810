"""The header's unread-notification badge is read from the cache, and never shows a stale count."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.social.selectors import notifications_unread_count
from apps.social.services.notifications import notification_create
from apps.social.services.notifications import notification_mark_read
from apps.social.services.notifications import notifications_mark_read
from apps.social.unread_cache import unread_cached
from apps.social.unread_cache import unread_store
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_cache")]


def _notify(user, django_capture_on_commit_callbacks, text: str = "새 소식"):
    with django_capture_on_commit_callbacks(execute=True):
        return notification_create(user=user, actor=None, kind="guestbook", text=text)


def test_a_counted_badge_is_served_without_a_query(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    user = UserFactory()
    _notify(user, django_capture_on_commit_callbacks)
    assert notifications_unread_count(user=user) == 1

    with django_assert_num_queries(0):
        assert notifications_unread_count(user=user) == 1


def test_a_new_notification_shows_on_the_next_count(django_capture_on_commit_callbacks):
    user = UserFactory()
    assert notifications_unread_count(user=user) == 0  # 0 is cached

    _notify(user, django_capture_on_commit_callbacks)

    assert notifications_unread_count(user=user) == 1


def test_marking_all_read_clears_the_badge(django_capture_on_commit_callbacks):
    user = UserFactory()
    _notify(user, django_capture_on_commit_callbacks)
    _notify(user, django_capture_on_commit_callbacks)
    assert notifications_unread_count(user=user) == 2

    with django_capture_on_commit_callbacks(execute=True):
        notifications_mark_read(user=user)

    assert notifications_unread_count(user=user) == 0


def test_marking_one_unread_again_counts_it(django_capture_on_commit_callbacks):
    user = UserFactory()
    notification = _notify(user, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        notification_mark_read(user=user, notification_id=notification.pk)
    assert notifications_unread_count(user=user) == 0

    with django_capture_on_commit_callbacks(execute=True):
        notification_mark_read(user=user, notification_id=notification.pk, read=False)

    assert notifications_unread_count(user=user) == 1


def test_a_mark_read_that_changes_nothing_keeps_the_cached_count(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    user = UserFactory()
    assert notifications_unread_count(user=user) == 0
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notifications_mark_read(user=user)

    assert callbacks == []
    with django_assert_num_queries(0):
        assert notifications_unread_count(user=user) == 0


def test_a_count_taken_before_a_write_committed_is_never_shown(django_capture_on_commit_callbacks):
    # given: a reader counted 0 and read the version, then a notification committed
    user = UserFactory()
    _cached, version_seen = unread_cached(user_id=user.pk)
    _notify(user, django_capture_on_commit_callbacks)

    # when: the slow reader stores its old count after the write's invalidation
    unread_store(user_id=user.pk, version=version_seen, count=0)

    # then: the stale entry is rejected and the badge is recounted
    assert notifications_unread_count(user=user) == 1


def test_the_page_badge_follows_new_notifications(django_capture_on_commit_callbacks):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    first = client.get("/coming-soon/")
    assert first.status_code == 200
    assert first.context["social_unread_count"] == 0

    _notify(user, django_capture_on_commit_callbacks)

    assert client.get("/coming-soon/").context["social_unread_count"] == 1
