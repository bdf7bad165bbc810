"""What a title counts towards in taste charts: named genres, its origin, its leading people."""

from __future__ import annotations

import pytest
from django.utils import translation

from apps.movies.models import Credit
from apps.movies.models import CreditRole
from apps.movies.models import Person
from apps.movies.taste_groups import LEADING_ORDER
from apps.movies.taste_groups import leading_credits
from apps.movies.taste_groups import origin_label
from tests.factories import TitleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("names", "korean"),
    [
        ({"title_ko": "기생충", "title_en": "Parasite", "title_original": "기생충"}, True),
        (
            {"title_ko": "기생충", "title_en": "Parasite", "title_original": ""},
            True,
        ),  # no original: the Korean name
        ({"title_ko": "", "title_en": "Heat", "title_original": ""}, False),  # known only in English
        ({"title_ko": "히트", "title_en": "Heat", "title_original": "Heat"}, False),
    ],
)
def test_origin_is_korean_when_the_original_title_is_in_hangul(names, korean):
    with translation.override("en"):
        assert origin_label(**names) == ("Korean" if korean else "Other")


def test_leading_credits_are_directors_and_the_first_billed_cast():
    title = TitleFactory()
    people = [Person.objects.create(name=f"p{i}") for i in range(LEADING_ORDER + 2)]
    Credit.objects.create(title=title, person=people[0], role=CreditRole.DIRECTOR, order=0)
    for order, person in enumerate(people[1:]):
        Credit.objects.create(title=title, person=person, role=CreditRole.CAST, order=order)

    credits = leading_credits(title_ids=[title.pk])

    assert (title.pk, "p0", CreditRole.DIRECTOR) in credits
    assert sorted(name for _, name, role in credits if role == CreditRole.CAST) == [
        f"p{i}" for i in range(1, LEADING_ORDER + 1)
    ]
