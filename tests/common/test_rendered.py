"""memoised_fragment / render_memoised: a fragment drawn once per content, from its inputs alone."""

from __future__ import annotations

from django.test import override_settings
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe

from apps.common.rendered import memoised_fragment
from apps.common.rendered import render_memoised
from apps.common.rendered import render_memoised_clear
from apps.movies.selectors import ProviderEntry

NETFLIX = ProviderEntry(
    id=1, slug="netflix", name="Netflix", name_ko="넷플릭스", kind="ott", color="#E50914", logo="", bit=0
)
WATCHA = ProviderEntry(
    id=2, slug="watcha", name="Watcha", name_ko="왓챠", kind="ott", color="#FF0558", logo="", bit=1
)


def _chips(*, netflix_mine: bool) -> str:
    providers = ((NETFLIX, "Netflix", False, netflix_mine), (WATCHA, "Watcha", False, not netflix_mine))
    return render_memoised("movies/_my_services_chips.html", providers=providers)


def test_the_same_content_is_rendered_once_and_a_changed_value_renders_anew():
    first = _chips(netflix_mine=True)

    assert _chips(netflix_mine=True) is first  # kept: no second render
    changed = _chips(netflix_mine=False)
    assert changed != first
    assert 'value="watcha" checked' in changed
    assert 'value="netflix" checked' not in changed


def test_a_fragment_is_kept_per_language():
    context = {
        "filters": None,
        "mine": False,
        "has_services": False,
        "media_types": (),
        "genres": (),
        "providers": (),
        "offer_types": (),
        "age_ratings": (),
    }
    with translation.override("en"):
        english = render_memoised("movies/_catalog_filter_form.html", **context)
    with translation.override("ko"):
        korean = render_memoised("movies/_catalog_filter_form.html", **context)

    assert "Show titles" in english
    assert "Show titles" not in korean


def _counting_fragment() -> tuple[list[str], object]:
    drawn: list[str] = []

    @memoised_fragment(maxsize=8)
    def badge(label: str) -> SafeString:
        drawn.append(label)
        return mark_safe(f"<b>{label} {translation.get_language()}</b>")  # noqa: S308 - test input

    return drawn, badge


@override_settings(DEBUG=False)
def test_a_drawn_fragment_is_kept_per_input_and_language_until_cleared():
    drawn, badge = _counting_fragment()

    with translation.override("ko"):
        korean = [badge("new"), badge("new"), badge("old")]
    with translation.override("en"):
        english = badge("new")
    with translation.override("ko"):
        badge("new")
        render_memoised_clear()
        badge("new")

    assert korean[0] is korean[1]
    assert (korean[0], korean[2], english) == ("<b>new ko</b>", "<b>old ko</b>", "<b>new en</b>")
    assert drawn == ["new", "old", "new", "new"]  # the last one after the clear


@override_settings(DEBUG=True)
def test_under_debug_every_fragment_is_drawn_afresh_so_template_edits_show():
    drawn, badge = _counting_fragment()

    badge("new")
    badge("new")

    assert drawn == ["new", "new"]
