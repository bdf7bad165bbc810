"""Lists shown on other apps' pages (the mini-homepage, the catalog search), each a small
include fed by an apps/lists selector, so those pages' views need not know about lists."""

from __future__ import annotations

from typing import Any

from django import template

from apps.lists import selectors

register = template.Library()

HOMEPAGE_LISTS = 6
SEARCH_LISTS = 5


@register.inclusion_tag("lists/_homepage_lists.html", takes_context=True)
def homepage_lists(context: dict[str, Any], owner: Any) -> dict[str, Any]:
    viewer = context["request"].user
    lists = selectors.lists_of_owner_box(owner=owner, viewer=viewer, limit=HOMEPAGE_LISTS)
    return {"lists": lists, "is_self": viewer.is_authenticated and viewer.pk == owner.pk}


@register.inclusion_tag("lists/_search_lists.html", takes_context=True)
def search_lists(context: dict[str, Any], query: str) -> dict[str, Any]:
    lists = selectors.list_search(query=query or "", viewer=context["request"].user, limit=SEARCH_LISTS)
    return {"lists": lists, "query": query}


@register.filter
def reader_title(title: Any) -> str:
    """A title's name in the page's language; a dash for a title since deleted (kept in the log)."""
    from apps.social.templatetags.social_tags import title_name

    return title_name(title) if title is not None else "—"
