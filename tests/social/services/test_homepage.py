from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from apps.social.models import GuestbookEntry
from apps.social.models import Notification
from apps.social.models import VisitDaily
from apps.social.selectors import guestbook_entries_visible
from apps.social.selectors import homepage_get
from apps.social.selectors import visitor_counts
from apps.social.services import block_set
from apps.social.services import guestbook_entry_create
from apps.social.services import guestbook_entry_delete
from apps.social.services import guestbook_entry_reply
from apps.social.services import profile_update
from apps.social.services import shelf_set
from apps.social.services import visit_record
from apps.social.services import visits_flush
from apps.social.services.common import SEOUL
from apps.social.services.common import seoul_today
from apps.social.visitors import visitor_store
from config.exceptions import ApplicationError
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_secret_entry_is_seen_only_by_owner_and_author(alice, bob, carol):
    entry = guestbook_entry_create(owner=alice, author=bob, body="비밀이야", is_secret=True)
    assert entry in guestbook_entries_visible(owner=alice, viewer=alice)
    assert entry in guestbook_entries_visible(owner=alice, viewer=bob)
    assert entry not in guestbook_entries_visible(owner=alice, viewer=carol)
    assert entry not in guestbook_entries_visible(owner=alice, viewer=None)


def test_guestbook_notification_never_carries_the_body(alice, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        guestbook_entry_create(owner=alice, author=bob, body="top secret words", is_secret=True)
    note = Notification.objects.get(user=alice)
    assert "top secret" not in note.text


def test_only_owner_or_author_may_delete_an_entry(alice, bob, carol):
    entry = guestbook_entry_create(owner=alice, author=bob, body="hi")
    with pytest.raises(ApplicationError):
        guestbook_entry_delete(user=carol, entry_id=entry.pk)
    assert GuestbookEntry.objects.filter(pk=entry.pk).exists()
    guestbook_entry_delete(user=bob, entry_id=entry.pk)
    second = guestbook_entry_create(owner=alice, author=bob, body="again")
    guestbook_entry_delete(user=alice, entry_id=second.pk)
    assert not GuestbookEntry.objects.exists()


def test_only_owner_replies(alice, bob):
    entry = guestbook_entry_create(owner=alice, author=bob, body="hi")
    with pytest.raises(ApplicationError):
        guestbook_entry_reply(owner=bob, entry_id=entry.pk, reply="not mine")
    guestbook_entry_reply(owner=alice, entry_id=entry.pk, reply="반가워")
    assert GuestbookEntry.objects.get().reply == "반가워"


@pytest.mark.parametrize("body", ["", "   ", "x" * 1001])
def test_guestbook_rejects_empty_or_oversized_entries(alice, bob, body):
    with pytest.raises(ApplicationError):
        guestbook_entry_create(owner=alice, author=bob, body=body)
    assert not GuestbookEntry.objects.exists()


def test_blocked_user_cannot_write_in_the_blockers_guestbook(alice, bob):
    block_set(blocker=alice, blocked=bob)
    with pytest.raises(ApplicationError, match="cannot write"):
        guestbook_entry_create(owner=alice, author=bob, body="let me in")
    assert not GuestbookEntry.objects.exists()


def test_guestbook_posts_are_rate_limited(alice, bob, settings):
    settings.SOCIAL_RATE_LIMITS = {"guestbook": (3, 60)}
    for i in range(3):
        guestbook_entry_create(owner=alice, author=bob, body=f"hi {i}")
    with pytest.raises(ApplicationError, match="요청이 너무 많아요"):
        guestbook_entry_create(owner=alice, author=bob, body="one more")
    assert GuestbookEntry.objects.count() == 3


def test_shelf_keeps_order_and_limits(alice):
    titles = [TitleFactory() for _ in range(6)]
    shelf_set(user=alice, title_ids=[titles[2].pk, titles[0].pk])
    shelf_set(user=alice, title_ids=[titles[0].pk, titles[2].pk, titles[1].pk])
    assert [i.title_id for i in alice.shelf.all()] == [titles[0].pk, titles[2].pk, titles[1].pk]
    with pytest.raises(ApplicationError, match="At most 5"):
        shelf_set(user=alice, title_ids=[t.pk for t in titles])
    with pytest.raises(ApplicationError, match="once"):
        shelf_set(user=alice, title_ids=[titles[0].pk, titles[0].pk])
    assert alice.shelf.count() == 3


def test_private_and_friends_sections_are_not_even_loaded(alice, bob, carol, friends):
    TitleFactory()
    profile_update(user=alice, data={"visibility_ratings": "private", "visibility_guestbook": "friends"})
    guestbook_entry_create(owner=alice, author=bob, body="friends only")
    for_bob = homepage_get(owner=alice, viewer=bob)
    for_carol = homepage_get(owner=alice, viewer=carol)
    assert for_bob.sections["guestbook"]
    assert not for_bob.sections["ratings"]
    assert not for_carol.sections["guestbook"]
    assert for_carol.guestbook == []
    assert homepage_get(owner=alice, viewer=alice).sections["ratings"]
    with pytest.raises(ApplicationError):
        guestbook_entry_create(owner=alice, author=carol, body="stranger")


def test_visits_unique_per_viewer_per_seoul_day_and_owner_not_counted(alice, bob):
    assert visit_record(owner=alice, viewer=bob, session_key=None)
    for _ in range(5):
        assert not visit_record(owner=alice, viewer=bob, session_key=None)
    assert not visit_record(owner=alice, viewer=alice, session_key=None)
    assert visit_record(owner=alice, viewer=None, session_key="anon-1")
    assert not visit_record(owner=alice, viewer=None, session_key="anon-1")
    assert visitor_counts(owner=alice) == {"today": 2, "total": 2}


def test_day_boundary_is_midnight_in_seoul(alice, bob):
    # 14:59 UTC is 23:59 in Seoul; 15:00 UTC is already the next Seoul day.
    before = dt.datetime(2026, 11, 24, 14, 59, tzinfo=dt.UTC)
    after = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)
    with mock.patch.object(timezone, "now", return_value=before):
        assert seoul_today() == dt.date(2026, 11, 24)
        assert visit_record(owner=alice, viewer=bob, session_key=None)
    with mock.patch.object(timezone, "now", return_value=after):
        assert seoul_today() == dt.date(2026, 11, 25) == after.astimezone(SEOUL).date()
        assert visit_record(owner=alice, viewer=bob, session_key=None)  # counted again: a new day
        visits_flush()
        assert visitor_counts(owner=alice) == {"today": 1, "total": 2}


def test_totals_survive_a_redis_restart_once_flushed(alice):
    for _i in range(7):
        visit_record(owner=alice, viewer=UserFactory(), session_key=None)
    assert visits_flush() == 1
    visitor_store().clear()  # Redis restarted with no persistence
    assert visitor_counts(owner=alice) == {"today": 7, "total": 7}
    assert VisitDaily.objects.get(owner=alice, day=seoul_today()).count == 7
    # and counting resumes on top of the persisted figure
    visit_record(owner=alice, viewer=UserFactory(), session_key=None)
    assert visitor_counts(owner=alice)["total"] == 8
    visits_flush()
    assert visitor_counts(owner=alice)["total"] == 8
