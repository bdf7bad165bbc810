"""apps/common/compiled.py: a read compiled once, run with real ids, gives what the queryset gives."""

from __future__ import annotations

import pytest

from apps.common.compiled import query_compile
from apps.common.compiled import query_run
from apps.social.models import GuestbookEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

_OWNER = -990_000_001
_COLUMNS = ("id", "owner_id", "author_id", "body", "is_secret", "created_at")


def test_a_compiled_read_run_for_each_owner_returns_what_its_queryset_returns():
    # given: two owners' guestbooks
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    GuestbookEntry.objects.create(owner=alice, author=carol, body="for alice")
    GuestbookEntry.objects.create(owner=bob, author=carol, body="for bob", is_secret=True)
    compiled = query_compile(GuestbookEntry.objects.filter(owner_id=_OWNER).values_list(*_COLUMNS), _OWNER)

    for owner in (alice, bob, UserFactory()):
        # when
        rows = query_run(compiled, {_OWNER: owner.pk})
        # then: the same rows and values (datetimes converted as the backend's queryset does)
        assert rows == list(GuestbookEntry.objects.filter(owner_id=owner.pk).values_list(*_COLUMNS))
    assert rows == []


def test_a_stand_in_that_is_not_a_parameter_is_refused():
    # A slice is inlined into the SQL: an id there would never be swapped.
    with pytest.raises(RuntimeError, match="stand-in"):
        query_compile(GuestbookEntry.objects.all()[: _OWNER * -1], _OWNER)
    with pytest.raises(RuntimeError, match="stand-in"):
        query_compile(GuestbookEntry.objects.filter(owner_id=1), _OWNER)
