"""Template tags for recommendation surfaces: ``{% load recs %}`` then

- ``{% recs_home_rows %}``: for you, because you liked X, new on my services, trending;
- ``{% recs_similar_titles title %}``: similar titles on a title page;
- ``{% recs_tracking %}`` / ``{% recs_tracking title %}``: the behaviour-event page script;
- ``{% predicted_rating_why title %}``: the title page's prediction and what it rests on.
"""

from __future__ import annotations

from typing import Any

from django import template

from apps.recs.predictions import predicted_rating_why as _why
from apps.recs.predictions import predicted_ratings_for_user
from apps.recs.selectors import recs_home_rows as _home_rows
from apps.recs.selectors import recs_similar_titles as _similar_titles

register = template.Library()


def _user(context: template.Context) -> Any:
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _predictions(
    context: template.Context, title_ids: list[int], rated: dict[int, float] | None = None
) -> dict[int, float]:
    user = _user(context)
    return predicted_ratings_for_user(user_id=user.id if user else None, title_ids=title_ids, rated=rated)


@register.inclusion_tag("recs/_rows.html", takes_context=True)
def recs_home_rows(context: template.Context, limit: int = 12) -> dict[str, Any]:
    """The rows, reusing what the page's view read this request: the person's services
    (``my_services``, slugs) and ratings (``rated_stars``); each is read here when absent."""
    user = _user(context)
    services = context.get("my_services") if user is not None else None
    rows = _home_rows(user=user, limit=limit, service_slugs=services)
    ids = [pick.title.id for row in rows for pick in row.items]
    predicted = _predictions(context, ids, rated=context.get("rated_stars"))
    return {"rows": rows, "user": context.get("user"), "predicted_stars": predicted}


@register.inclusion_tag("recs/_similar.html", takes_context=True)
def recs_similar_titles(context: template.Context, title: Any, limit: int = 12) -> dict[str, Any]:
    titles = _similar_titles(title_id=title.id, limit=limit, user=_user(context))
    return {"titles": titles, "predicted_stars": _predictions(context, [t.id for t in titles])}


@register.inclusion_tag("recs/_predicted_why.html", takes_context=True)
def predicted_rating_why(context: template.Context, title: Any) -> dict[str, Any]:
    user = _user(context)
    # The view's read of the person's ratings (``rated_stars``), when it made one.
    rated = context.get("rated_stars")
    return {"why": _why(user_id=user.id if user else None, title_id=title.id, rated=rated)}


@register.inclusion_tag("recs/_tracking.html", takes_context=True)
def recs_tracking(context: template.Context, title: Any = None) -> dict[str, Any]:
    return {"title_id": getattr(title, "id", None), "csrf_token": context.get("csrf_token")}
