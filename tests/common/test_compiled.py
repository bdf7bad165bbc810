"""Statements compiled once from querysets, run with the real ids (apps.common.compiled)."""

from __future__ import annotations

import pytest

from apps.common.compiled import statement_compile
from apps.common.compiled import statement_run
from apps.movies.models import Provider
from apps.movies.selectors import my_services_slugs
from apps.recs.predictions import rated_stars_for_user
from apps.social.models import Rating
from tests.factories import ProviderFactory
from tests.factories import RatingFactory
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

_STANDIN = -930_999_001


def test_a_compiled_statement_reads_each_persons_own_rows():
    # given: one statement compiled with a stand-in, two people with ratings
    first, second = UserFactory(), UserFactory()
    RatingFactory(user=first, half_stars=7)
    RatingFactory(user=second, half_stars=3)
    compiled = statement_compile(
        Rating.objects.filter(user_id=_STANDIN).values_list("user_id", "half_stars"), _STANDIN
    )

    # when / then: each run binds its own id
    assert statement_run(compiled, {_STANDIN: first.pk}) == [(first.pk, 7)]
    assert statement_run(compiled, {_STANDIN: second.pk}) == [(second.pk, 3)]
    assert statement_run(compiled, {_STANDIN: -1}) == []


def test_a_stand_in_the_orm_did_not_make_a_parameter_is_refused():
    # An unsaved object's pk is not a parameter: the real id could never be bound.
    with pytest.raises(RuntimeError, match="stand-in"):
        statement_compile(Rating.objects.filter(user_id=1).values_list("id"), _STANDIN)


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
