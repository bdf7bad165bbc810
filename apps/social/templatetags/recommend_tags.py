"""``{% recommend_dialog title %}``: the recommend-to-friends dialog of a title page.

The dialog renders closed and empty: the friends, ranked by who would like the title, load
when it opens (``apps.social.views.recommendations.recommend_friends``), so a title page
costs no query for them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("social/_recommend_dialog.html", takes_context=True)
def recommend_dialog(context: dict[str, Any], title: Any) -> dict[str, Any]:
    request = context.get("request")
    # The form sends people back to the page the dialog was opened on.
    here = request.get_full_path() if request is not None else ""
    friends_url = reverse("social:recommend-friends", kwargs={"title_id": title.pk})
    return {"friends_url": f"{friends_url}?{urlencode({'next': here})}"}
