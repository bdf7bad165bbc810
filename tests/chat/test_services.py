"""Chat services: persist first, broadcast on commit, refuse cleanly."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from apps.chat.exceptions import ChatError
from apps.chat.models import MemberRole
from apps.chat.models import Membership
from apps.chat.models import Message
from apps.chat.models import Room
from apps.chat.services import message_create
from apps.chat.services import report_create
from apps.chat.services import room_create
from apps.chat.services import room_get_or_create_for_title
from apps.chat.services import room_role_revoke
from apps.social.models import Notification
from apps.social.rights import rights_batch_run
from tests.factories import BlockedWordFactory
from tests.factories import MembershipFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_message_create_assigns_increasing_seq_and_broadcasts_only_after_commit(
    room, alice, django_capture_on_commit_callbacks
):
    with mock.patch("apps.chat.events._send") as send:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            first = message_create(room_id=room.pk, author=alice, body="하나")
            second = message_create(room_id=room.pk, author=alice, body="둘")
        # nothing went out before the commit
        assert send.call_count == 0
        for callback in callbacks:
            callback()
    assert (first.seq, second.seq) == (1, 2)
    room.refresh_from_db()
    assert room.last_seq == 2
    groups = [call.args[0] for call in send.call_args_list]
    assert groups == [room.group_name, room.group_name]
    assert [call.args[1]["seq"] for call in send.call_args_list] == [1, 2]


def test_refused_message_saves_and_broadcasts_nothing(room, alice, django_capture_on_commit_callbacks):
    BlockedWordFactory(room=room, word="스포일러범")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ChatError) as exc:
        message_create(room_id=room.pk, author=alice, body="난 스포일러범 이다")
    assert exc.value.code == "blocked_word"
    assert callbacks == []
    assert Message.objects.count() == 0
    room.refresh_from_db()
    assert room.last_seq == 0


def test_mentions_resolve_nicknames_case_insensitively_and_notify_on_commit(
    room, alice, bob, django_capture_on_commit_callbacks
):
    with (
        mock.patch("apps.social.services.notifications.notification_broadcast") as broadcast,
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = message_create(room_id=room.pk, author=alice, body="@BOB @앨리스 @nobody 봐봐")
    assert list(message.mentions.values_list("pk", flat=True)) == [bob.pk]  # not the author herself
    # one stored notification, for bob only, broadcast to his group after commit
    note = Notification.objects.get()
    assert (note.user_id, note.actor_id, note.kind) == (bob.pk, alice.pk, "mention")
    assert "봐봐" not in note.text  # names only, never the body
    assert [call.kwargs["user_id"] for call in broadcast.call_args_list] == [bob.pk]


def test_title_room_is_one_per_title_and_stays_when_empty(title):
    room = room_get_or_create_for_title(title=title)
    assert room_get_or_create_for_title(title=title).pk == room.pk
    assert room.group_name == f"chat.room.{room.pk}"
    assert Room.objects.filter(title=title).count() == 1


def test_user_room_makes_its_creator_owner(alice):
    room = room_create(owner=alice, name="  금요 영화의 밤 ", visibility="invite")
    assert room.name == "금요 영화의 밤"
    assert Membership.objects.get(room=room, user=alice).role == MemberRole.OWNER


def test_stale_moderators_are_revoked_and_active_ones_kept(alice):
    room = room_create(owner=alice, name="방")
    stale = MembershipFactory(
        room=room,
        user=UserFactory(),
        role=MemberRole.MODERATOR,
        rights_last_used_at=timezone.now() - timedelta(days=100),
    )
    active = MembershipFactory(
        room=room, user=UserFactory(), role=MemberRole.MODERATOR, rights_last_used_at=timezone.now()
    )
    rights_batch_run(now=timezone.now())  # the daily inactive-rights batch
    stale.refresh_from_db()
    active.refresh_from_db()
    assert (stale.role, active.role) == (MemberRole.MEMBER, MemberRole.MODERATOR)
    assert Membership.objects.get(room=room, user=alice).role == MemberRole.OWNER


def test_room_role_revoke_demotes_an_owner_and_leaves_the_room_ownerless(alice, bob):
    room = room_create(owner=alice, name="방")
    MembershipFactory(room=room, user=bob, role=MemberRole.MEMBER)
    room_role_revoke(room_id=room.pk, user_id=alice.pk, role=MemberRole.OWNER)
    room.refresh_from_db()
    assert room.owner_id is None
    assert Membership.objects.get(room=room, user=alice).role == MemberRole.MEMBER
    # someone else's membership is untouched
    assert Membership.objects.get(room=room, user=bob).role == MemberRole.MEMBER


def test_room_role_revoke_refuses_other_roles_and_changes_nothing(alice):
    room = room_create(owner=alice, name="방")
    with pytest.raises(ChatError) as caught:
        room_role_revoke(room_id=room.pk, user_id=alice.pk, role=MemberRole.MEMBER)
    assert caught.value.code == "invalid"
    room.refresh_from_db()
    assert room.owner_id == alice.pk
    assert Membership.objects.get(room=room, user=alice).role == MemberRole.OWNER


def test_report_reaches_staff_group_once(room, alice, bob, django_capture_on_commit_callbacks):
    message = message_create(room_id=room.pk, author=alice, body="광고입니다")
    with mock.patch("apps.chat.events._send") as send, django_capture_on_commit_callbacks(execute=True):
        report_create(message_id=message.pk, reporter=bob, reason="spam")
        report_create(message_id=message.pk, reporter=bob, reason="spam again")
    assert [call.args[0] for call in send.call_args_list] == ["notify.staff"]
