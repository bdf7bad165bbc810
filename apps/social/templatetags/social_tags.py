"""Template tags of the social app: the title-page block and star display."""

from __future__ import annotations

from typing import Any

from django import template

from apps.social.selectors import title_social_get

register = template.Library()


@register.inclusion_tag("social/_title_actions_body.html", takes_context=True)
def title_social_block(context: dict[str, Any], title: Any) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    return {
        "request": request,
        "title": title,
        "social": title_social_get(title=title, viewer=viewer),
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
