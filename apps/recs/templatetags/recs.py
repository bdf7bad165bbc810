"""Template tags for recommendation surfaces: ``{% load recs %}`` then

- ``{% recs_home_rows %}``: for you, because you liked X, new on my services, trending;
- ``{% recs_similar_titles title %}``: similar titles on a title page;
- ``{% recs_tracking %}`` / ``{% recs_tracking title %}``: the behaviour-event page script.
"""

from __future__ import annotations

from typing import Any

from django import template

from apps.recs.selectors import recs_home_rows as _home_rows
from apps.recs.selectors import recs_similar_titles as _similar_titles

register = template.Library()


def _user(context: template.Context) -> Any:
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@register.inclusion_tag("recs/_rows.html", takes_context=True)
def recs_home_rows(context: template.Context, limit: int = 12) -> dict[str, Any]:
    return {"rows": _home_rows(user=_user(context), limit=limit), "user": context.get("user")}


@register.inclusion_tag("recs/_similar.html", takes_context=True)
def recs_similar_titles(context: template.Context, title: Any, limit: int = 12) -> dict[str, Any]:
    return {"titles": _similar_titles(title_id=title.id, limit=limit, user=_user(context))}


@register.inclusion_tag("recs/_tracking.html", takes_context=True)
def recs_tracking(context: template.Context, title: Any = None) -> dict[str, Any]:
    return {"title_id": getattr(title, "id", None), "csrf_token": context.get("csrf_token")}
