"""The half-star widgets are drawn once per language, value and id in each process: a drawing
must never carry another value's check mark, another language's labels or another title's ids."""

from __future__ import annotations

from django.template import Context
from django.template import Template
from django.utils import translation

from apps.social.templatetags.social_tags import star_field


class _Title:
    display_title = "괴물"

    def __init__(self, pk: int) -> None:
        self.pk = pk


def _star_input(title: _Title, value: float | None) -> str:
    template = Template("{% load social_tags %}{% star_input title value '/next/' %}")
    return template.render(Context({"title": title, "value": value, "csrf_token": "token"}))


def test_the_rating_input_checks_the_current_value_of_its_own_title():
    with translation.override("en"):
        first = _star_input(_Title(1), 3.5)
        again = _star_input(_Title(1), 4)
        other = _star_input(_Title(2), None)

    assert 'id="star-1-7" name="stars" value="3.5" checked' in first
    assert 'value="4.0" checked' in again
    assert "checked" not in again.replace('value="4.0" checked', "")
    assert 'id="star-2-1"' in other
    assert "star-1-" not in other
    assert " checked" not in other


def test_the_stars_speak_the_pages_language():
    with translation.override("ko"):
        korean = _star_input(_Title(1), None) + star_field("stars", None, "diary-title")
    with translation.override("en"):
        english = _star_input(_Title(1), None) + star_field("stars", None, "diary-title")

    assert "별 3.5개" in korean
    assert "3.5 stars" in english
    assert "별 3.5개" not in english


def test_the_diary_field_names_every_radio_and_checks_no_rating_by_default():
    with translation.override("en"):
        field = star_field("stars", None, "diary-title")
        rated = star_field("stars", 2.5, "diary-edit")

    assert field.count('name="stars"') == 11  # ten half stars and "no rating"
    assert 'id="diary-title-none" name="stars" value="" checked' in field
    assert 'id="diary-edit-5" name="stars" value="2.5" checked' in rated
    assert 'id="diary-edit-none" name="stars" value=""><' in rated
