"""List pages: who sees what, the forms' happy and unhappy paths, big lists paginating."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from apps.lists import services
from apps.lists.models import ListEntry
from apps.lists.models import UserList
from apps.movies.models import Title
from tests.factories import TitleFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_create_list_then_add_a_title_with_a_note(owner, titles):
    client = _client(owner)
    response = client.post(
        reverse("lists:new"), {"name": "주말 정주행", "description": "", "visibility": "friends"}
    )
    user_list = UserList.objects.get(owner=owner)
    assert response.status_code == 302
    assert response["Location"] == reverse("lists:detail", kwargs={"list_id": user_list.pk})
    client.post(
        reverse("lists:entry-add", kwargs={"list_id": user_list.pk}),
        {"title_ids": str(titles[0].pk), "note": "첫날 밤에"},
    )
    page = client.get(reverse("lists:detail", kwargs={"list_id": user_list.pk}))
    html = page.content.decode()
    assert titles[0].display_title in html
    assert "첫날 밤에" in html
    assert "Move" in html or "이동" in html


def test_create_form_shows_errors_and_saves_nothing(owner):
    client = _client(owner)
    response = client.post(reverse("lists:new"), {"name": "", "visibility": "everyone"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not UserList.objects.exists()


def test_friends_only_list_is_404_for_strangers_and_anonymous_but_opens_by_share_link(
    owner, friend, stranger
):
    hidden = services.list_create(owner=owner, name="일촌끼리", visibility="friends")
    url = reverse("lists:detail", kwargs={"list_id": hidden.pk})
    assert _client(friend).get(url).status_code == 200
    assert _client(stranger).get(url).status_code == 404
    assert Client().get(url).status_code == 404
    shared = reverse("lists:shared", kwargs={"token": hidden.share_token})
    assert Client().get(shared).status_code == 200
    assert Client().get(reverse("lists:shared", kwargs={"token": "nope"})).status_code == 404


def test_private_list_share_link_is_404(owner, stranger):
    secret = services.list_create(owner=owner, name="비밀", visibility="private")
    assert (
        _client(stranger).get(reverse("lists:shared", kwargs={"token": secret.share_token})).status_code
        == 404
    )


def test_duplicate_add_shows_a_message_and_keeps_one_entry(movie_night, owner, titles):
    client = _client(owner)
    url = reverse("lists:entry-add", kwargs={"list_id": movie_night.pk})
    client.post(url, {"title_ids": str(titles[0].pk)})
    response = client.post(url, {"title_ids": str(titles[0].pk)}, follow=True)
    assert "already in this list" in response.content.decode() or "이미" in response.content.decode()
    assert ListEntry.objects.filter(list=movie_night).count() == 1


def test_stale_move_from_the_page_keeps_the_order(movie_night, owner, titles):
    entries = [services.list_entry_add(user=owner, list_id=movie_night.pk, title_id=t.pk) for t in titles[:3]]
    client = _client(owner)
    url = reverse("lists:entry-move", kwargs={"entry_id": entries[0].pk})
    client.post(url, {"position": "1", "expected_position": "0"})
    response = client.post(url, {"position": "2", "expected_position": "0"}, follow=True)
    assert response.status_code == 200
    order = list(
        ListEntry.objects.filter(list=movie_night).order_by("position").values_list("title_id", flat=True)
    )
    assert order == [titles[1].pk, titles[0].pk, titles[2].pk]
    bad = client.post(url, {"position_display": "abc", "expected_position": "1"}, follow=True)
    assert bad.status_code == 200
    assert order == list(
        ListEntry.objects.filter(list=movie_night).order_by("position").values_list("title_id", flat=True)
    )


def test_stranger_cannot_post_to_a_list(movie_night, stranger, titles):
    response = _client(stranger).post(
        reverse("lists:entry-add", kwargs={"list_id": movie_night.pk}), {"title_ids": str(titles[0].pk)}
    )
    assert response.status_code == 302
    assert not ListEntry.objects.exists()


def test_edit_and_collaborator_pages_are_owner_only(movie_night, owner, friend):
    services.list_collaborator_invite(user=owner, list_id=movie_night.pk, invitee=friend)
    edit = reverse("lists:edit", kwargs={"list_id": movie_night.pk})
    assert _client(owner).get(edit).status_code == 200
    assert _client(friend).get(edit).status_code == 404
    people = reverse("lists:collaborators", kwargs={"list_id": movie_night.pk})
    assert friend.display_name in _client(owner).get(people).content.decode()
    assert _client(friend).get(people).status_code == 200


def test_homepage_and_search_show_visible_lists(owner, stranger):
    services.list_create(owner=owner, name="공개 리스트", visibility="public")
    services.list_create(owner=owner, name="비밀 리스트", visibility="private")
    home = (
        _client(stranger)
        .get(reverse("social:homepage", kwargs={"nickname": owner.nickname}))
        .content.decode()
    )
    assert "공개 리스트" in home
    assert "비밀 리스트" not in home
    found = Client().get(reverse("lists:search"), {"q": "리스트"}).content.decode()
    assert "공개 리스트" in found
    assert "비밀 리스트" not in found


@pytest.mark.slow
def test_a_ten_thousand_entry_list_pages_quickly(owner, django_assert_max_num_queries):
    # given a list at the cap, built in bulk (the services would take minutes for 10,000 adds)
    big = services.list_create(owner=owner, name="만 편", visibility="public")
    titles = Title.objects.bulk_create(
        TitleFactory.build(title_ko=f"만 편 {i}", title_en=f"Ten thousand {i}") for i in range(10_000)
    )
    ListEntry.objects.bulk_create(ListEntry(list=big, title=t, position=i) for i, t in enumerate(titles))
    client = _client(owner)
    url = reverse("lists:detail", kwargs={"list_id": big.pk})
    # when the last page is opened, then it shows 10,000 - 208 * 48 = 16 titles in bounded queries
    with django_assert_max_num_queries(25):
        response = client.get(url, {"page": "last"})
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 16
    assert response.context["page_obj"].number == 209
    # and the 10,001st title is refused with a clear message
    from config.exceptions import ApplicationError

    extra = TitleFactory()
    with pytest.raises(ApplicationError) as exc:
        services.list_entry_add(user=owner, list_id=big.pk, title_id=extra.pk)
    assert exc.value.extra == {"max_entries": 10_000}
    # moving the last to the first shifts 9,999 rows in one statement
    last = ListEntry.objects.get(list=big, position=9_999)
    services.list_entry_move(user=owner, entry_id=last.pk, position=0, expected_position=9_999)
    positions = list(
        ListEntry.objects.filter(list=big).order_by("position").values_list("position", flat=True)
    )
    assert positions == list(range(10_000))


def test_adding_without_javascript_takes_the_best_match_of_the_typed_name(owner, movie_night):
    from apps.movies.search.indexing import title_search_fields_refresh

    parasite = TitleFactory(title_ko="기생충", title_en="Parasite", popularity=99)
    title_search_fields_refresh(title_ids=[parasite.pk])
    client = _client(owner)
    url = reverse("lists:entry-add", kwargs={"list_id": movie_night.pk})

    client.post(url, {"title_ids": "", "title_query": "기생충"})

    assert [e.title_id for e in ListEntry.objects.filter(list=movie_night)] == [parasite.pk]


def test_adding_with_no_title_or_an_unknown_name_says_why_and_adds_nothing(owner, movie_night):
    client = _client(owner)
    url = reverse("lists:entry-add", kwargs={"list_id": movie_night.pk})

    empty = client.post(url, {"title_ids": "", "title_query": ""}, follow=True).content.decode()
    unknown = client.post(url, {"title_query": "존재하지않는제목zzz"}, follow=True).content.decode()
    tampered = client.post(url, {"title_ids": "abc"}, follow=True).content.decode()

    assert "추천 목록에서 작품을 골라 주세요" in empty  # "Pick a title from the suggestions."
    assert "맞는 작품이 없어요" in unknown
    assert "추천 목록에서 작품을 고르세요" in tampered  # a value the picker never sends
    assert not ListEntry.objects.filter(list=movie_night).exists()


def test_the_korean_activity_log_names_each_title_with_the_particle_it_asks_for(owner, movie_night):
    # given: "기생충" (ends in a consonant: 을) and "마더" (a vowel: 를) added, then one removed
    parasite = TitleFactory(title_ko="기생충")
    mother = TitleFactory(title_ko="마더")
    services.list_entry_add(user=owner, list_id=movie_night.pk, title_id=parasite.pk)
    added = services.list_entry_add(user=owner, list_id=movie_night.pk, title_id=mother.pk)
    services.list_entry_remove(user=owner, entry_id=added.pk)

    # when: the activity page is read in Korean
    page = (
        _client(owner)
        .get(reverse("lists:activity", args=[movie_night.pk]), HTTP_ACCEPT_LANGUAGE="ko")
        .content.decode()
    )

    # then: the particle follows each name, outside its name element; never "을(를)"
    assert "기생충</span>을 1번에 추가했어요" in page
    assert "마더</span>를 2번에 추가했어요" in page
    assert "마더</span>를 뺐어요" in page
    assert "을(를)" not in page
