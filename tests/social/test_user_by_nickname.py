"""user_get_by_nickname: every /@nickname page reads its owner with it (compiled once)."""

from __future__ import annotations

import pytest

from apps.social.models import Profile
from apps.social.models import User
from apps.social.selectors import user_get_by_nickname
from apps.social.services import user_nickname_set
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_finds_by_folded_nickname_with_the_whole_user_and_profile_in_one_query(
    django_assert_num_queries,
):
    # given
    queen = user_nickname_set(user=UserFactory(username="queen"), nickname="MovieQueen")
    Profile.objects.filter(user=queen).update(mood="맑음")
    UserFactory(username="other", nickname="other")

    # when: typed in another case and full width
    with django_assert_num_queries(1):
        found = user_get_by_nickname(nickname="ｍｏｖｉｅｑｕｅｅｎ")
        # then: the profile came along (as select_related), both ways
        assert found is not None
        assert found.profile.mood == "맑음"
        assert found.profile.user is found

    assert found.pk == queen.pk
    assert found.username == "queen"
    assert found.email == queen.email
    assert found.password == queen.password  # the whole row, as before
    assert found.is_active


def test_each_nickname_finds_its_own_user():
    a = user_nickname_set(user=UserFactory(username="a"), nickname="첫째")
    b = user_nickname_set(user=UserFactory(username="b"), nickname="둘째")
    assert user_get_by_nickname(nickname="첫째").pk == a.pk
    assert user_get_by_nickname(nickname="둘째").pk == b.pk


def test_unknown_or_deactivated_nicknames_find_no_one():
    gone = user_nickname_set(user=UserFactory(username="gone"), nickname="떠난사람")
    User.objects.filter(pk=gone.pk).update(is_active=False)
    assert user_get_by_nickname(nickname="떠난사람") is None
    assert user_get_by_nickname(nickname="없는사람") is None
    assert user_get_by_nickname(nickname="") is None


def test_an_account_without_a_nickname_key_is_found_by_its_nickname():
    # given: made outside the nickname service (no key on its profile)
    legacy = UserFactory(username="legacy", nickname="옛날계정")
    Profile.objects.filter(user=legacy).update(nickname_key=None)

    # then
    found = user_get_by_nickname(nickname="옛날계정")
    assert found is not None
    assert found.pk == legacy.pk
