"""The lists API: the one error shape, the paged envelope, bad input answered with a clear 400,
missing or unseen ids 404, forbidden actions 403, what the data refuses 409."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.lists import services
from apps.lists.models import ListEntry
from apps.lists.models import UserList

pytestmark = pytest.mark.django_db


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_create_add_move_note_and_read_back(owner, titles):
    api = _api(owner)
    created = api.post("/api/lists/create/", {"name": "API 리스트", "visibility": "friends"}, format="json")
    assert created.status_code == 201
    list_id = created.json()["id"]
    assert created.json()["share_token"]
    ids = []
    for title in titles[:3]:
        response = api.post(f"/api/lists/{list_id}/entries/create/", {"title_id": title.pk}, format="json")
        assert response.status_code == 201
        ids.append(response.json()["id"])
    moved = api.post(
        f"/api/lists/entries/{ids[2]}/move/", {"position": 0, "expected_position": 2}, format="json"
    )
    assert moved.json()["position"] == 0
    api.post(f"/api/lists/entries/{ids[0]}/note/", {"note": "최고"}, format="json")
    page = api.get(f"/api/lists/{list_id}/entries/", {"limit": 2})
    body = page.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert [e["title"]["id"] for e in body["results"]] == [titles[2].pk, titles[0].pk]
    assert body["results"][1]["note"] == "최고"
    log = api.get(f"/api/lists/{list_id}/activity/").json()
    assert [row["verb"] for row in log["results"][:2]] == ["noted", "moved"]


def test_friends_list_is_404_for_strangers_and_anonymous(owner, stranger):
    hidden = services.list_create(owner=owner, name="일촌", visibility="friends")
    for client in (_api(stranger), _api()):
        response = client.get(f"/api/lists/{hidden.pk}/")
        assert response.status_code == 404
        assert set(response.json()) == {"message", "extra"}
    assert _api().get(f"/api/lists/shared/{hidden.share_token}/").json()["share_token"] == ""


def test_duplicate_title_is_a_clear_409(movie_night, owner, titles):
    api = _api(owner)
    api.post(f"/api/lists/{movie_night.pk}/entries/create/", {"title_id": titles[0].pk}, format="json")
    response = api.post(
        f"/api/lists/{movie_night.pk}/entries/create/", {"title_id": titles[0].pk}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["extra"]["reason"] == "duplicate"
    assert ListEntry.objects.count() == 1


def test_stale_move_is_a_409_naming_the_current_position(movie_night, owner, titles):
    entries = [services.list_entry_add(user=owner, list_id=movie_night.pk, title_id=t.pk) for t in titles[:2]]
    response = _api(owner).post(
        f"/api/lists/entries/{entries[1].pk}/move/", {"position": 0, "expected_position": 0}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["extra"] == {"entry_id": entries[1].pk, "position": 1, "reason": "stale"}
    # A position past the end: the list's length decides, so 409 too; nothing moved.
    past_end = _api(owner).post(
        f"/api/lists/entries/{entries[1].pk}/move/", {"position": 5, "expected_position": 1}, format="json"
    )
    assert past_end.status_code == 409
    assert past_end.json()["extra"] == {"position": 5, "count": 2}
    assert [e.position for e in ListEntry.objects.order_by("pk")] == [0, 1]


def test_too_long_and_nul_notes_are_400_and_nothing_saved(movie_night, owner, titles):
    api = _api(owner)
    url = f"/api/lists/{movie_night.pk}/entries/create/"
    too_long = api.post(url, {"title_id": titles[0].pk, "note": "가" * 501}, format="json")
    assert too_long.status_code == 400
    assert "note" in too_long.json()["extra"]["fields"]
    nul = APIClient()
    nul.force_login(owner)
    response = nul.post(
        url, data=f'{{"title_id": {titles[0].pk}, "note": "a\\u0000b"}}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["extra"]["reason"] == "nul_byte"
    assert not ListEntry.objects.exists()


def test_stranger_cannot_add_and_anonymous_must_sign_in(movie_night, stranger, titles):
    url = f"/api/lists/{movie_night.pk}/entries/create/"
    # The public list is visible to the stranger, editing it is not theirs: 403.
    assert _api(stranger).post(url, {"title_id": titles[0].pk}, format="json").status_code == 403
    assert _api().post(url, {"title_id": titles[0].pk}, format="json").status_code == 403
    assert not ListEntry.objects.exists()


def test_list_search_and_owner_filter(owner, stranger):
    services.list_create(owner=owner, name="호러 마라톤", visibility="public")
    services.list_create(owner=owner, name="호러 비밀", visibility="private")
    found = _api(stranger).get("/api/lists/", {"q": "호러"}).json()
    assert [row["name"] for row in found["results"]] == ["호러 마라톤"]
    mine = _api(owner).get("/api/lists/", {"owner": owner.nickname}).json()
    assert mine["count"] == 2


def test_like_follow_and_collaborators(movie_night, owner, friend, stranger):
    assert _api(stranger).post(
        f"/api/lists/{movie_night.pk}/like/", {"liked": True}, format="json"
    ).json() == {
        "liked": True,
        "like_count": 1,
    }
    follow = _api(stranger).post(f"/api/lists/{movie_night.pk}/follow/", {"following": True}, format="json")
    assert follow.json() == {"following": True}
    not_friend = _api(owner).post(
        f"/api/lists/{movie_night.pk}/collaborators/create/", {"user_id": stranger.pk}, format="json"
    )
    assert not_friend.status_code == 409
    assert not_friend.json()["extra"]["reason"] == "not_friend"
    invited = _api(owner).post(
        f"/api/lists/{movie_night.pk}/collaborators/create/", {"user_id": friend.pk}, format="json"
    )
    assert invited.status_code == 201
    assert [u["id"] for u in _api().get(f"/api/lists/{movie_night.pk}/collaborators/").json()] == [friend.pk]
    left = _api(friend).delete(f"/api/lists/{movie_night.pk}/collaborators/{friend.pk}/delete/")
    assert left.status_code == 204


def test_update_is_owner_only_and_delete_removes(movie_night, owner, friend):
    services.list_collaborator_invite(user=owner, list_id=movie_night.pk, invitee=friend)
    body = {"name": "새 이름", "description": "", "visibility": "private"}
    assert _api(friend).put(f"/api/lists/{movie_night.pk}/update/", body, format="json").status_code == 403
    assert (
        _api(owner).put(f"/api/lists/{movie_night.pk}/update/", body, format="json").json()["name"]
        == "새 이름"
    )
    assert _api(owner).delete(f"/api/lists/{movie_night.pk}/delete/").status_code == 204
    assert not UserList.objects.exists()


def test_missing_or_unseen_ids_are_404(movie_night, owner, stranger, titles):
    hidden = services.list_create(owner=owner, name="비밀", visibility="private")
    missing = movie_night.pk + hidden.pk + 1000
    for list_id in (missing, hidden.pk):
        response = _api(stranger).delete(f"/api/lists/{list_id}/collaborators/{stranger.pk}/delete/")
        assert response.status_code == 404
        assert response.json()["extra"] == {"list_id": list_id}
        add = _api(stranger).post(
            f"/api/lists/{list_id}/entries/create/", {"title_id": titles[0].pk}, format="json"
        )
        assert add.status_code == 404
    # Someone who is not a collaborator, an unknown title, an unknown entry.
    not_collaborator = _api(owner).delete(f"/api/lists/{movie_night.pk}/collaborators/{stranger.pk}/delete/")
    assert not_collaborator.status_code == 404
    no_title = _api(owner).post(
        f"/api/lists/{movie_night.pk}/entries/create/", {"title_id": titles[-1].pk + 1000}, format="json"
    )
    assert no_title.status_code == 404
    assert _api(owner).delete(f"/api/lists/entries/{missing}/delete/").status_code == 404
    assert not ListEntry.objects.exists()


def test_own_list_like_is_403_and_unknown_keys_are_400(movie_night, owner):
    liked = _api(owner).post(f"/api/lists/{movie_night.pk}/like/", {"liked": True}, format="json")
    assert liked.status_code == 403
    unknown = _api(owner).post("/api/lists/create/", {"name": "새 리스트", "colour": "red"}, format="json")
    assert unknown.status_code == 400
    assert set(unknown.json()["extra"]["fields"]) == {"colour"}
    assert UserList.objects.count() == 1
