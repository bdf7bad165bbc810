"""The moderation page and its services: reports queue, lifting sanctions, blocked words,
slow mode; refusals are clear and leave nothing half-done."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.chat.exceptions import ChatError
from apps.chat.models import BlockedWord
from apps.chat.models import Message
from apps.chat.models import Report
from apps.chat.models import ReportStatus
from apps.chat.models import Sanction
from apps.chat.selectors import room_access
from apps.chat.selectors import room_moderation_get
from apps.chat.services import message_create
from apps.chat.services import moderator_appoint
from apps.chat.services import report_create
from apps.chat.services import report_resolve
from apps.chat.services import room_blocked_words_replace
from apps.chat.services import room_create
from apps.chat.services import sanction_apply
from apps.chat.services import sanction_lift
from apps.chat.templatetags.chat_tags import chat_error_messages
from apps.chat.templatetags.chat_tags import chat_labels
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned_room(alice):
    return room_create(owner=alice, name="금요 영화의 밤")


@pytest.fixture
def reported(owned_room, bob, carol):
    message = message_create(room_id=owned_room.pk, author=bob, body="스포 폭탄")
    first = report_create(message_id=message.pk, reporter=carol, reason="스포일러")
    dave = UserFactory(nickname="데이브")
    second = report_create(message_id=message.pk, reporter=dave, reason="spoiler")
    return message, first, second


def _client(user, language: str = "ko") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


# ---- services ---------------------------------------------------------------
def test_deleting_a_reported_message_resolves_every_open_report_on_it(
    alice, reported, django_capture_on_commit_callbacks
):
    message, first, _second = reported

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report_resolve(report_id=first.pk, by=alice, action="delete")

    assert Message.objects.get(pk=message.pk).is_deleted
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.RESOLVED}
    assert callbacks  # the deletion is broadcast (message.updated)


def test_dismissing_a_report_leaves_the_message_and_other_reports(alice, reported):
    message, first, second = reported

    report_resolve(report_id=first.pk, by=alice, action="dismiss")

    assert not Message.objects.get(pk=message.pk).is_deleted
    assert Report.objects.get(pk=first.pk).status == ReportStatus.DISMISSED
    assert Report.objects.get(pk=second.pk).status == ReportStatus.OPEN


def test_report_actions_refuse_non_moderators_twice_handled_and_unknown(bob, carol, alice, reported):
    message, first, _second = reported
    with pytest.raises(ChatError) as refused:
        report_resolve(report_id=first.pk, by=carol, action="delete")
    assert refused.value.code == "forbidden"
    assert not Message.objects.get(pk=message.pk).is_deleted

    report_resolve(report_id=first.pk, by=alice, action="dismiss")
    with pytest.raises(ChatError) as again:
        report_resolve(report_id=first.pk, by=alice, action="dismiss")
    assert again.value.code == "invalid"
    with pytest.raises(ChatError):
        report_resolve(report_id=first.pk, by=alice, action="explode")
    with pytest.raises(ChatError) as missing:
        report_resolve(report_id=999_999, by=alice, action="delete")
    assert missing.value.code == "not_found"


def test_lifting_a_mute_lets_the_user_post_again_and_tells_their_client(
    owned_room, alice, bob, django_capture_on_commit_callbacks
):
    sanction = sanction_apply(room_id=owned_room.pk, by=alice, user_id=bob.pk, kind="mute", seconds=600)
    assert not room_access(room=owned_room, user=bob).can_post

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sanction_lift(sanction_id=sanction.pk, by=alice)

    assert room_access(room=owned_room, user=bob).can_post
    assert len(callbacks) == 1
    assert Sanction.objects.filter(pk=sanction.pk).exists()  # the record stays


def test_only_moderators_lift(owned_room, alice, bob, carol):
    sanction = sanction_apply(room_id=owned_room.pk, by=alice, user_id=bob.pk, kind="ban", seconds=None)

    with pytest.raises(ChatError):
        sanction_lift(sanction_id=sanction.pk, by=carol)

    assert room_access(room=owned_room, user=bob).banned


def test_moderators_cannot_sanction_themselves_or_the_owner(owned_room, alice, bob):
    moderator_appoint(room=owned_room, by=alice, user=bob)
    with pytest.raises(ChatError) as self_sanction:
        sanction_apply(room_id=owned_room.pk, by=bob, user_id=bob.pk, kind="mute", seconds=600)
    assert self_sanction.value.code == "sanction_self"
    with pytest.raises(ChatError) as owner_sanction:
        sanction_apply(room_id=owned_room.pk, by=bob, user_id=alice.pk, kind="ban", seconds=None)
    assert owner_sanction.value.code == "sanction_protected"
    assert owner_sanction.value.status_code == 403
    assert not Sanction.objects.exists()
    # each refusal says what happened, in the moderator's language (not "only moderators can")
    from django.utils import translation

    with translation.override("ko"):
        korean = chat_error_messages()
    with translation.override("en"):
        english = chat_error_messages()
    assert english["sanction_self"] == "You cannot mute, kick or ban yourself."
    assert english["sanction_protected"] == (
        "The room owner and Moochu staff cannot be muted, kicked or banned."
    )
    assert korean["sanction_self"] == "자기 자신에게는 채팅 금지, 내보내기, 입장 금지를 할 수 없어요."
    assert korean["sanction_protected"] == (
        "방장과 Moochu 운영진에게는 채팅 금지, 내보내기, 입장 금지를 할 수 없어요."
    )


def test_blocked_words_box_takes_lines_and_commas_and_refuses_overlong_words(owned_room, alice):
    assert room_blocked_words_replace(room=owned_room, by=alice, text="스포\n결말, 범인 \n\n") == [
        "결말",
        "범인",
        "스포",
    ]

    with pytest.raises(ChatError):
        room_blocked_words_replace(room=owned_room, by=alice, text="ok\n" + "x" * 101)

    assert sorted(BlockedWord.objects.values_list("word", flat=True)) == ["결말", "범인", "스포"]


def test_moderation_selector_lists_open_reports_active_sanctions_and_words(
    owned_room, alice, bob, reported, django_assert_num_queries
):
    sanction_apply(room_id=owned_room.pk, by=alice, user_id=bob.pk, kind="mute", seconds=600)
    room_blocked_words_replace(room=owned_room, by=alice, text="스포")

    with django_assert_num_queries(3):
        moderation = room_moderation_get(room=owned_room)
        authors = [r.message.author.nickname for r in moderation.reports]

    assert authors == ["bob", "bob"]
    assert [s.user_id for s in moderation.sanctions] == [bob.pk]
    assert moderation.blocked_words == ["스포"]


def test_every_protocol_error_code_has_a_translated_text():
    codes = {
        "bad_json", "unknown_type", "missing_field", "invalid", "empty", "too_long", "frame_too_large",
        "flood", "rate_limited", "slow_mode", "blocked_word", "login_required", "muted", "banned",
        "invite_only", "forbidden", "not_found", "deleted", "unavailable", "sanction_self",
        "sanction_protected", "not_synced", "position_invalid", "position_negative",
        "position_beyond_runtime", "episode_required", "episode_not_found",
    }  # fmt: skip
    from django.utils import translation

    with translation.override("ko"):
        korean = chat_error_messages()
        labels = chat_labels()
    assert set(korean) == codes
    assert korean["muted"] == "이 방에서 채팅이 금지되었어요."
    assert labels["errors"]["slow_mode"] == "이 방은 슬로 모드가 켜져 있어요."
    assert labels["mute_10m"] == "10분 채팅 금지"


# ---- pages ------------------------------------------------------------------
def test_moderation_page_shows_the_queue_to_moderators_only(owned_room, alice, bob, reported):
    page = _client(alice).get(f"/chat/rooms/{owned_room.pk}/moderation/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "스포 폭탄" in html
    assert "신고" in html

    assert _client(bob).get(f"/chat/rooms/{owned_room.pk}/moderation/").status_code == 403
    assert Client().get(f"/chat/rooms/{owned_room.pk}/moderation/").status_code == 302


def test_moderation_actions_from_the_page(owned_room, alice, bob, reported):
    message, first, _second = reported
    client = _client(alice, "en")
    url = f"/chat/rooms/{owned_room.pk}/moderation/do/"

    response = client.post(url, {"op": "report_delete", "report_id": first.pk}, follow=True)
    assert "Message deleted." in response.content.decode()
    assert Message.objects.get(pk=message.pk).is_deleted

    client.post(url, {"op": "slow_mode", "seconds": "30"})
    owned_room.refresh_from_db()
    assert owned_room.slow_mode_seconds == 30

    response = client.post(url, {"op": "slow_mode", "seconds": "99999"}, follow=True)
    assert "That value is not allowed." in response.content.decode()
    owned_room.refresh_from_db()
    assert owned_room.slow_mode_seconds == 30

    response = client.post(url, {"op": "blocked_words", "words": "spoiler\nending"}, follow=True)
    assert "Blocked words saved." in response.content.decode()
    assert "ending\nspoiler" in response.content.decode()


def test_a_non_moderator_cannot_post_moderation_actions(owned_room, bob):
    response = _client(bob).post(
        f"/chat/rooms/{owned_room.pk}/moderation/do/", {"op": "slow_mode", "seconds": "60"}
    )

    assert response.status_code == 403
    owned_room.refresh_from_db()
    assert owned_room.slow_mode_seconds == 0


def test_room_page_links_moderators_to_the_moderation_page(owned_room, alice, bob):
    url = f"/chat/rooms/{owned_room.pk}/moderation/"
    assert url in _client(alice).get(f"/chat/rooms/{owned_room.pk}/").content.decode()
    assert url not in _client(bob).get(f"/chat/rooms/{owned_room.pk}/").content.decode()
