"""``{% recommend_dialog title %}``: the recommend-to-friends form with who would like it."""

from __future__ import annotations

from typing import Any

from django import template

from apps.social.selectors_recommend import recommend_candidates

register = template.Library()


@register.inclusion_tag("social/_recommend_dialog.html", takes_context=True)
def recommend_dialog(context: dict[str, Any], title: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    candidates = recommend_candidates(user=user, title=title) if user and user.is_authenticated else []
    return {
        "title": title,
        "candidates": candidates,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
