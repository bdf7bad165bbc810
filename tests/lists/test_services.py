"""List services: who may change what, the order staying whole, and the log of changes."""

from __future__ import annotations

import pytest
from django.utils import translation

from apps.lists import selectors
from apps.lists import services
from apps.lists.models import NOTE_MAX
from apps.lists.models import ListActivity
from apps.lists.models import ListEntry
from apps.lists.models import ListVerb
from apps.lists.models import UserList
from apps.social.models import Friendship
from apps.social.models import Notification
from apps.social.models import NotificationKind
from apps.social.notification_text import notification_html
from apps.social.notification_text import notification_text
from config.exceptions import ApplicationError
from config.exceptions import ConflictError
from config.exceptions import ForbiddenError
from config.exceptions import NotFoundError
from tests.factories import TitleFactory
from tests.factories import befriend

pytestmark = pytest.mark.django_db


def _positions(user_list: UserList) -> list[tuple[int, int]]:
    return list(
        ListEntry.objects.filter(list=user_list).order_by("position").values_list("position", "title_id")
    )


def test_list_create_logs_creation_and_rejects_bad_input(owner):
    user_list = services.list_create(owner=owner, name="  인생 영화  ", visibility="friends")
    assert (user_list.name, user_list.visibility) == ("인생 영화", "friends")
    assert list(ListActivity.objects.filter(list=user_list).values_list("verb", flat=True)) == [
        ListVerb.CREATED
    ]
    for bad in (
        {"name": ""},
        {"name": "x" * 101},
        {"name": "a\x00b"},
        {"name": "ok", "visibility": "everyone"},
    ):
        with pytest.raises(ApplicationError):
            services.list_create(owner=owner, **{"visibility": "public", **bad})
    assert UserList.objects.count() == 1


def test_entries_append_in_order_with_notes_and_the_log_names_who(movie_night, owner, titles):
    services.list_entry_add(user=owner, list_id=movie_night.pk, title_id=titles[0].pk, note="첫 번째")
    services.list_entry_add(user=owner, list_id=movie_night.pk, title_id=titles[1].pk)
    assert _positions(movie_night) == [(0, titles[0].pk), (1, titles[1].pk)]
    assert ListEntry.objects.get(title=titles[0]).note == "첫 번째"
    log = list(selectors.list_activity(user_list=movie_night))
    assert [(a.verb, a.actor_id, a.title_id) for a in log[:2]] == [
        (ListVerb.ADDED, owner.pk, titles[1].pk),
        (ListVerb.ADDED, owner.pk, titles[0].pk),
    ]


def test_duplicate_title_is_refused_and_nothing_changes(movie_night, owner, titles):
    services.list_entry_add(user=owner, list_id=movie_night.pk, title_id=titles[0].pk)
    with pytest.raises(ConflictError) as exc:
        services.list_entry_add(user=owner, list_id=movie_night.pk, title_id=titles[0].pk, note="again")
    assert exc.value.extra["reason"] == "duplicate"
    assert _positions(movie_night) == [(0, titles[0].pk)]
    assert ListActivity.objects.filter(verb=ListVerb.ADDED).count() == 1


def test_note_too_long_or_with_nul_is_refused_and_the_old_note_kept(movie_night, owner, titles):
    entry = services.list_entry_add(user=owner, list_id=movie_night.pk, title_id=titles[0].pk, note="좋아")
    with pytest.raises(ApplicationError) as long_exc:
        services.list_entry_note_set(user=owner, entry_id=entry.pk, note="가" * (NOTE_MAX + 1))
    assert long_exc.value.extra == {"field": "note", "max_length": NOTE_MAX}
    with pytest.raises(ApplicationError) as nul_exc:
        services.list_entry_note_set(user=owner, entry_id=entry.pk, note="a\x00b")
    assert nul_exc.value.extra["reason"] == "nul_byte"
    entry.refresh_from_db()
    assert entry.note == "좋아"
    assert not ListActivity.objects.filter(verb=ListVerb.NOTED).exists()


def test_move_down_and_up_keeps_positions_contiguous(movie_night, owner, titles):
    entries = [services.list_entry_add(user=owner, list_id=movie_night.pk, title_id=t.pk) for t in titles]
    services.list_entry_move(user=owner, entry_id=entries[0].pk, position=3, expected_position=0)
    ids = [t.pk for t in titles]
    assert [t for _, t in _positions(movie_night)] == [ids[1], ids[2], ids[3], ids[0], ids[4]]
    services.list_entry_move(user=owner, entry_id=entries[4].pk, position=0, expected_position=4)
    assert _positions(movie_night) == list(enumerate([ids[4], ids[1], ids[2], ids[3], ids[0]]))
    moved = ListActivity.objects.filter(verb=ListVerb.MOVED).order_by("id").first()
    assert moved.detail == {"from": 1, "to": 4}


def test_move_with_a_stale_position_is_refused_and_the_order_kept(movie_night, owner, titles):
    entries = [services.list_entry_add(user=owner, list_id=movie_night.pk, title_id=t.pk) for t in titles[:3]]
    services.list_entry_move(user=owner, entry_id=entries[2].pk, position=0, expected_position=2)
    before = _positions(movie_night)
    # given another editor saw entries[0] at position 0, but it is at 1 now
    with pytest.raises(ConflictError) as exc:
        services.list_entry_move(user=owner, entry_id=entries[0].pk, position=2, expected_position=0)
    assert exc.value.extra == {"entry_id": entries[0].pk, "position": 1, "reason": "stale"}
    assert _positions(movie_night) == before


def test_move_out_of_range_is_refused(movie_night, owner, titles):
    entry = services.list_entry_add(user=owner, list_id=movie_night.pk, title_id=titles[0].pk)
    for position in (-1, 1, 10**9):
        with pytest.raises(ConflictError):
            services.list_entry_move(user=owner, entry_id=entry.pk, position=position, expected_position=0)
    assert _positions(movie_night) == [(0, titles[0].pk)]


def test_remove_closes_the_gap(movie_night, owner, titles):
    entries = [services.list_entry_add(user=owner, list_id=movie_night.pk, title_id=t.pk) for t in titles[:3]]
    services.list_entry_remove(user=owner, entry_id=entries[1].pk)
    assert _positions(movie_night) == [(0, titles[0].pk), (1, titles[2].pk)]
    assert ListActivity.objects.filter(verb=ListVerb.REMOVED, title=titles[1]).exists()


def test_invited_friend_may_add_move_and_annotate_but_not_edit_details(movie_night, owner, friend, titles):
    services.list_collaborator_invite(user=owner, list_id=movie_night.pk, invitee=friend)
    invite = Notification.objects.get(user=friend)
    assert invite.kind == NotificationKind.LIST_INVITE
    entry = services.list_entry_add(
        user=friend, list_id=movie_night.pk, title_id=titles[0].pk, note="내 추천"
    )
    services.list_entry_add(user=owner, list_id=movie_night.pk, title_id=titles[1].pk)
    services.list_entry_move(user=friend, entry_id=entry.pk, position=1, expected_position=0)
    services.list_entry_note_set(user=friend, entry_id=entry.pk, note="꼭 보기")
    assert ListEntry.objects.get(pk=entry.pk).added_by == friend
    actors = set(ListActivity.objects.filter(list=movie_night).values_list("actor__username", "verb"))
    assert {("friend", "added"), ("friend", "moved"), ("friend", "noted"), ("owner", "invited")} <= actors
    with pytest.raises(ForbiddenError):
        services.list_update(
            user=friend, list_id=movie_night.pk, name="x", description="", visibility="private"
        )
    with pytest.raises(ForbiddenError):
        services.list_collaborator_invite(user=friend, list_id=movie_night.pk, invitee=owner)


def test_only_friends_may_be_invited_and_strangers_cannot_edit(movie_night, owner, stranger, titles):
    with pytest.raises(ConflictError) as exc:
        services.list_collaborator_invite(user=owner, list_id=movie_night.pk, invitee=stranger)
    assert exc.value.extra["reason"] == "not_friend"
    with pytest.raises(ForbiddenError):
        services.list_entry_add(user=stranger, list_id=movie_night.pk, title_id=titles[0].pk)
    assert not ListEntry.objects.exists()


def test_unfriending_ends_co_editing(movie_night, owner, friend, titles):
    services.list_collaborator_invite(user=owner, list_id=movie_night.pk, invitee=friend)
    Friendship.objects.filter(user__in=[owner, friend]).delete()
    with pytest.raises(ApplicationError):
        services.list_entry_add(user=friend, list_id=movie_night.pk, title_id=titles[0].pk)


def test_collaborator_may_leave_and_owner_may_remove(movie_night, owner, friend, stranger):
    services.list_collaborator_invite(user=owner, list_id=movie_night.pk, invitee=friend)
    with pytest.raises(ForbiddenError):
        services.list_collaborator_remove(user=stranger, list_id=movie_night.pk, collaborator_id=friend.pk)
    services.list_collaborator_remove(user=friend, list_id=movie_night.pk, collaborator_id=friend.pk)
    assert selectors.list_collaborators(user_list=movie_night) == []


def test_like_and_follow_notify_and_are_idempotent(movie_night, owner, friend, stranger, titles):
    assert services.list_like_set(user=stranger, list_id=movie_night.pk, liked=True) == 1
    assert services.list_like_set(user=stranger, list_id=movie_night.pk, liked=True) == 1
    assert Notification.objects.filter(user=owner, kind=NotificationKind.LIST_LIKE).count() == 1
    with pytest.raises(ForbiddenError):
        services.list_like_set(user=owner, list_id=movie_night.pk, liked=True)
    services.list_follow_set(user=stranger, list_id=movie_night.pk, following=True)
    services.list_entry_add(user=owner, list_id=movie_night.pk, title_id=titles[0].pk)
    told = Notification.objects.get(user=stranger, kind=NotificationKind.LIST_ADD)
    assert told.params["list"] == movie_night.name
    assert services.list_like_set(user=stranger, list_id=movie_night.pk, liked=False) == 0


def test_followers_who_lost_access_are_not_told(movie_night, owner, stranger, titles):
    services.list_follow_set(user=stranger, list_id=movie_night.pk, following=True)
    services.list_update(
        user=owner, list_id=movie_night.pk, name=movie_night.name, description="", visibility="private"
    )
    services.list_entry_add(user=owner, list_id=movie_night.pk, title_id=titles[0].pk)
    assert not Notification.objects.filter(user=stranger).exists()


def test_private_list_cannot_be_liked_by_others(owner, friend):
    secret = services.list_create(owner=owner, name="비밀", visibility="private")
    with pytest.raises(NotFoundError):
        services.list_like_set(user=friend, list_id=secret.pk, liked=True)


def test_share_token_reset_replaces_the_link(movie_night, owner, friend):
    old = movie_night.share_token
    services.list_share_token_reset(user=owner, list_id=movie_night.pk)
    movie_night.refresh_from_db()
    assert movie_night.share_token != old
    assert selectors.list_get_by_token(token=old) is None
    befriend(owner, friend)
    with pytest.raises(ForbiddenError):
        services.list_share_token_reset(user=friend, list_id=movie_night.pk)


def test_list_notifications_in_korean_attach_the_right_particle_to_the_title_and_the_list(
    movie_night, owner, stranger
):
    # given: a follower and a liker of "금요일 영화의 밤" (ends in a consonant: 을)
    services.list_follow_set(user=stranger, list_id=movie_night.pk, following=True)
    services.list_like_set(user=stranger, list_id=movie_night.pk, liked=True)
    # when: the owner adds "마더" (ends in a vowel: 를)
    services.list_entry_add(user=owner, list_id=movie_night.pk, title_id=TitleFactory(title_ko="마더").pk)

    added = Notification.objects.get(user=stranger, kind=NotificationKind.LIST_ADD)
    liked = Notification.objects.get(user=owner, kind=NotificationKind.LIST_LIKE)
    with translation.override("ko"):
        added_text = notification_text(kind=added.kind, params=added.params)
        added_html = notification_html(kind=added.kind, params=added.params)
        liked_text = notification_text(kind=liked.kind, params=liked.params)
        liked_html = notification_html(kind=liked.kind, params=liked.params)
    with translation.override("en"):
        added_english = notification_text(kind=added.kind, params=added.params)

    # then: 를 after 마더 and 을 after 밤, never the unsure "을(를)", in text and in HTML
    assert "마더를 추가했어요" in added_text
    assert '<span class="title-name" dir="auto">마더</span>를 추가했어요' in added_html
    assert "금요일 영화의 밤을 좋아해요" in liked_text
    assert "금요일 영화의 밤</span>을 좋아해요" in liked_html
    assert "(를)" not in added_html + liked_html
    assert added_english.endswith(" to the list 금요일 영화의 밤")  # English: names as they are
    assert "를" not in added_english
