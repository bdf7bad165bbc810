"""Who sees a list: owner, 일촌, stranger, anonymous, collaborator, share-link holder, blocked."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.lists import selectors
from apps.lists import services
from apps.social.models import Block
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(owner):
    return {
        visibility: services.list_create(owner=owner, name=f"{visibility} list", visibility=visibility)
        for visibility in ("public", "friends", "private")
    }


def _seen(viewer, three) -> set[str]:
    return {
        name for name, lst in three.items() if selectors.list_access(user_list=lst, viewer=viewer).can_view
    }


def _listed(viewer, owner) -> set[str]:
    listed = {lst.visibility for lst in selectors.lists_of_owner_visible(owner=owner, viewer=viewer)}
    # The mini-homepage's box (a statement compiled once per kind of reader) agrees.
    boxed = {lst.visibility for lst in selectors.lists_of_owner_box(owner=owner, viewer=viewer, limit=10)}
    assert boxed == listed
    return listed


def test_visibility_for_owner_friend_stranger_and_anonymous(three, owner, friend, stranger):
    expected = {
        owner: {"public", "friends", "private"},
        friend: {"public", "friends"},
        stranger: {"public"},
        AnonymousUser(): {"public"},
    }
    for viewer, seen in expected.items():
        # the per-list check and the one-query listing agree
        assert _seen(viewer, three) == seen
        assert _listed(viewer, owner) == seen


def test_collaborator_sees_and_edits_a_private_list(three, owner, friend):
    services.list_collaborator_invite(user=owner, list_id=three["private"].pk, invitee=friend)
    access = selectors.list_access(user_list=three["private"], viewer=friend)
    assert access.can_view
    assert access.can_edit
    assert not access.is_owner
    assert three["private"] in selectors.lists_for_user(user=friend)


def test_share_link_opens_public_and_friends_lists_but_never_private(three, stranger):
    for name, lst in three.items():
        for viewer in (stranger, AnonymousUser()):
            access = selectors.list_access(user_list=lst, viewer=viewer, token=lst.share_token)
            assert access.can_view == (name != "private")
            assert not access.can_edit
    wrong = selectors.list_access(user_list=three["friends"], viewer=stranger, token="not-the-token")
    assert not wrong.can_view


def test_a_block_hides_even_public_lists(three, owner, stranger):
    Block.objects.create(blocker=owner, blocked=stranger)
    assert _seen(stranger, three) == set()
    assert _listed(stranger, owner) == set()
    token = three["public"].share_token
    assert not selectors.list_access(user_list=three["public"], viewer=stranger, token=token).can_view


def test_search_finds_visible_lists_by_name(three, owner, stranger):
    services.list_create(owner=UserFactory(), name="호러 마라톤", visibility="public")
    assert [lst.name for lst in selectors.list_search(query="호러", viewer=stranger)] == ["호러 마라톤"]
    assert {lst.name for lst in selectors.list_search(query="list", viewer=stranger)} == {"public list"}
    assert {lst.name for lst in selectors.list_search(query="list", viewer=owner)} == {
        "public list",
        "friends list",
        "private list",
    }
    assert selectors.list_search(query="   ", viewer=owner) == []


def test_search_answers_as_the_visibility_rule_says_for_every_viewer(three, owner, friend, stranger):
    # given: lists of every visibility, one co-edited by a 일촌, one by a blocked owner, and
    # names with LIKE wildcards and mixed case (the search binds the text into a statement
    # compiled once, so escaping and case must survive the binding)
    services.list_collaborator_invite(user=owner, list_id=three["private"].pk, invitee=friend)
    blocker = UserFactory()
    services.list_create(owner=blocker, name="Blocker's LIST", visibility="public")
    Block.objects.create(blocker=blocker, blocked=stranger)
    services.list_create(owner=UserFactory(), name="100% list_of_fun", visibility="public")
    services.list_create(owner=UserFactory(), name="other", description="a LIST in the description")
    queries = ["list", "LIST", "100%", "%", "_", "list_of", "of_f", "없는말", "description"]

    for viewer in (owner, friend, stranger, AnonymousUser(), None):
        for query in queries:
            # when / then: the same lists, in the same order, as the queryset the API pages over
            expected = [lst.pk for lst in selectors.lists_matching(query=query, viewer=viewer)[:50]]
            found = selectors.list_search(query=query, viewer=viewer)
            assert [lst.pk for lst in found] == expected, (viewer, query)
            assert all(lst.entry_count == 0 and lst.owner.pk for lst in found)
    assert {lst.name for lst in selectors.list_search(query="%", viewer=stranger)} == {"100% list_of_fun"}
    assert "Blocker's LIST" not in {lst.name for lst in selectors.list_search(query="list", viewer=stranger)}
    assert "private list" in {lst.name for lst in selectors.list_search(query="list", viewer=friend)}


def test_search_is_one_query_without_matches_and_two_with(three, owner, friend, django_assert_num_queries):
    selectors.list_search(query="list", viewer=friend)  # the statement compiled
    with django_assert_num_queries(1):
        assert selectors.list_search(query="없는말", viewer=friend) == []
    for _ in range(3):
        services.list_create(owner=owner, name="more list", visibility="public")
    with django_assert_num_queries(2):  # the matching ids, then the lists with owners and counts
        assert len(selectors.list_search(query="list", viewer=friend)) == 5  # not the private one


def test_list_access_is_one_query(three, friend, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.list_access(user_list=three["friends"], viewer=friend)


def test_lists_of_owner_is_one_query(three, owner, friend, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(selectors.lists_of_owner_visible(owner=owner, viewer=friend))
    assert all(row.entry_count == 0 for row in rows)


def test_homepage_box_is_the_owners_visible_lists_newest_first_with_counts_in_one_query(
    three, owner, friend, stranger, django_assert_num_queries
):
    # given: two titles on the private list, a collaborator on it, another owner's list, and
    # a stranger who blocked the owner
    for title in (TitleFactory(), TitleFactory()):
        services.list_entry_add(user=owner, list_id=three["private"].pk, title_id=title.pk)
    services.list_create(owner=friend, name="friend's own", visibility="public")
    Block.objects.create(blocker=stranger, blocked=owner)
    expected = {
        owner: ["private list", "friends list", "public list"],  # the private one changed last
        friend: ["friends list", "public list"],
        stranger: [],
        AnonymousUser(): ["public list"],
    }
    for viewer, names in expected.items():
        # when
        with django_assert_num_queries(1):
            box = selectors.lists_of_owner_box(owner=owner, viewer=viewer, limit=6)
        # then
        assert [lst.name for lst in box] == names
        assert {lst.name: lst.entry_count for lst in box}.get("private list", 2) == 2
        assert all(lst.entry_count == 0 for lst in box if lst.name != "private list")
    assert [lst.name for lst in selectors.lists_of_owner_box(owner=owner, viewer=owner, limit=2)] == [
        "private list",
        "friends list",
    ]
    # A collaborator on the private list sees it in the box too, as in the listing.
    services.list_collaborator_invite(user=owner, list_id=three["private"].pk, invitee=friend)
    assert "private list" in {
        lst.name for lst in selectors.lists_of_owner_box(owner=owner, viewer=friend, limit=6)
    }
