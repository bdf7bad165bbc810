"""Template tags of the social app: the title-page block and star display."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import ngettext

from apps.common.rendered import memoised_fragment
from apps.social.selectors import title_social_get

register = template.Library()


@register.inclusion_tag("social/_title_actions_body.html", takes_context=True)
def title_social_block(context: dict[str, Any], title: Any) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    # The title page read the person's ratings already (for 예상 별점): my stars come from there.
    rated = context.get("rated_stars")
    return {
        "request": request,
        "title": title,
        "social": title_social_get(title=title, viewer=viewer, rated=rated),
        "star_choices": [x / 2 for x in range(1, 11)],
        "csrf_token": context.get("csrf_token"),
        "user": viewer,
    }


@register.filter
def stars(half_stars_or_stars: float | int | None, scale: str = "stars") -> str:
    """★★★½ text for a rating in stars (or in half stars with scale="half")."""
    if half_stars_or_stars is None:
        return ""
    value = float(half_stars_or_stars) / (2 if scale == "half" else 1)
    full = int(value)
    return "★" * full + ("½" if value - full >= 0.5 else "")


@register.inclusion_tag("components/star_input.html", takes_context=True)
def star_input(
    context: dict[str, Any],
    title: Any,
    value: float | None = None,
    next: str = "",
    uid: str = "",
    size: str = "",
) -> dict[str, Any]:
    """The half-star rating input for one title (see templates/components/star_input.html)."""
    request = context.get("request")
    current = float(value) if value else None
    uid = f"{uid or 'star'}-{title.pk}"
    return {
        "title": title,
        "radios": star_radios(name="stars", uid=uid, current=current),
        "current": stars_text(current) if current else "",
        "action": reverse("social:rate", kwargs={"title_id": title.pk}),
        "next": next or (request.get_full_path() if request else ""),
        "uid": uid,
        "size": size,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def star_field(
    name: str = "stars", value: float | None = None, uid: str = "", legend: str = ""
) -> SafeString:
    """The ten half-star radios as one field of a larger form (diary entries)."""
    current = float(value) if value else None
    return _star_field_html(name, current, uid or f"field-{name}", legend)


# The stars widgets are the same for everyone: each process draws each one once per language
# (the title page draws two, ~3,000 Python calls a request before). They hold no request data:
# the form around them (CSRF token, action, next) is drawn per request.
@memoised_fragment(maxsize=2048)
def _star_radios_html(name: str, uid: str, current: float | None) -> SafeString:
    return mark_safe(  # noqa: S308 - rendered by the autoescaping template
        render_to_string(
            "components/star_radios.html", {"options": _star_options(current), "name": name, "uid": uid}
        )
    )


@memoised_fragment(maxsize=256)
def _star_field_html(name: str, current: float | None, uid: str, legend: str) -> SafeString:
    return mark_safe(  # noqa: S308 - rendered by the autoescaping template
        render_to_string(
            "components/star_field.html",
            {
                "radios": star_radios(name=name, uid=uid, current=current),
                "name": name,
                "current": current,
                "uid": uid,
                "legend": legend or gettext("Rating"),
            },
        )
    )


def star_radios(*, name: str, uid: str, current: float | None) -> SafeString:
    """The ten half-star radios (components/star_radios.html) in the active language."""
    return _star_radios_html(name, uid, current)


def _star_label(stars: float) -> str:
    # "1 star" is the only singular: "0.5 stars", "3.5 stars".
    return ngettext("%(n)s star", "%(n)s stars", 1 if stars == 1 else 2) % {"n": stars_text(stars)}


def _star_options(current: float | None) -> list[dict[str, Any]]:
    options = []
    for half in range(1, 11):
        stars = half / 2
        options.append(
            {
                "half": half,
                "value": f"{stars:.1f}",
                "checked": current is not None and round(current * 2) == half,
                "label": ngettext("%(n)s star", "%(n)s stars", 1 if half == 2 else 2)
                % {"n": stars_text(stars)},
            }
        )
    return options


def stars_text(stars: float | None) -> str:
    """3.0 -> "3", 3.5 -> "3.5" (how Korean and English sites print half stars)."""
    if stars is None:
        return ""
    return f"{stars:g}"


@register.filter
def title_name(title: Any) -> str:
    """A title's name in the page's language (Korean first in Korean, English first in English)."""
    from apps.movies.cards import is_korean

    if is_korean():
        return title.title_ko or title.title_en or title.title_original
    return title.title_en or title.title_ko or title.title_original
