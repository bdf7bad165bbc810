from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.movies.lookups import any_of
from apps.movies.models import Title
from tests.factories import TitleFactory

pytestmark = pytest.mark.django_db


def test_any_of_finds_the_listed_rows_with_one_array_parameter():
    # given
    wanted = TitleFactory.create_batch(3)
    TitleFactory()

    # when
    with CaptureQueriesContext(connection) as queries:
        found = set(Title.objects.filter(any_of("id", [t.id for t in wanted])).values_list("id", flat=True))

    # then
    assert found == {t.id for t in wanted}
    assert "= ANY(" in queries[0]["sql"]


def test_any_of_matches_strings_and_nothing_for_an_empty_list():
    parasite = TitleFactory(kobis_code="20183782")
    TitleFactory(kobis_code="20124079")

    assert list(Title.objects.filter(any_of("kobis_code", ["20183782", "x"]))) == [parasite]
    assert list(Title.objects.filter(any_of("id", []))) == []
