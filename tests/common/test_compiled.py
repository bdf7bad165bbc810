"""apps/common/compiled.py: a read compiled once, run with real ids, gives what the queryset gives."""

from __future__ import annotations

import pytest

from apps.common.compiled import query_compile
from apps.common.compiled import query_run
from apps.movies.models import Provider
from apps.movies.selectors import my_services_slugs
from apps.recs.predictions import rated_stars_for_user
from apps.social.models import GuestbookEntry
from tests.factories import ProviderFactory
from tests.factories import RatingFactory
from tests.factories import TitleFactory
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


def test_my_services_and_ratings_read_in_one_query_each_in_display_order(django_assert_num_queries):
    # given: a person with three services (shown by display priority, then name) and ratings
    person = UserFactory()
    late = ProviderFactory(slug="late", name="A late one", display_priority=50)
    first = ProviderFactory(slug="first", name="Zeta", display_priority=1)
    tie = ProviderFactory(slug="tie", name="Alpha", display_priority=1)
    ProviderFactory(slug="not-mine", display_priority=0)
    person.my_services.set([late, first, tie])
    rated = TitleFactory()
    RatingFactory(user=person, title=rated, half_stars=9)
    RatingFactory(user=UserFactory(), half_stars=2)

    # when
    with django_assert_num_queries(2):
        services = my_services_slugs(user=person, session={})
        stars = rated_stars_for_user(user_id=person.pk)

    # then
    assert services == ["tie", "first", "late"]
    assert services == list(
        Provider.objects.filter(subscribers=person)
        .order_by("display_priority", "name")
        .values_list("slug", flat=True)
    )
    assert stars == {rated.pk: 4.5}
    # and: a change shows on the next read (nothing is kept between requests)
    person.my_services.remove(first)
    assert my_services_slugs(user=person, session={}) == ["tie", "late"]
