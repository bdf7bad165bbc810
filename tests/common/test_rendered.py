"""render_memoised: a fragment rendered once per content, from its context alone."""

from __future__ import annotations

from django.utils import translation

from apps.common.rendered import render_memoised
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
