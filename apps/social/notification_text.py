"""Notification wording, rendered in the reader's language when it is shown.

A notification stores its `kind` and the public facts it needs (`params`: the actor's name,
a title's names in each language). The sentence is built at display time, under whatever
language is active: the inbox page, the API (request language) and the live push (the
socket's language), so "앨리스 recommended 살인의 추억" never reaches a Korean reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.common.korean import PARTICLES
from apps.common.korean import particle_for
from apps.common.korean import with_particle

if TYPE_CHECKING:
    from apps.movies.models import Title
    from apps.social.models import User


def scope_language(scope: dict[str, Any]) -> str:
    """The language a WebSocket's page was shown in: the language cookie, else Accept-Language."""
    from django.conf import settings
    from django.utils.translation import trans_real

    wanted = [(scope.get("cookies") or {}).get(settings.LANGUAGE_COOKIE_NAME, "")]
    for name, value in scope.get("headers") or ():
        if name == b"accept-language":
            wanted += [lang for lang, _q in trans_real.parse_accept_lang_header(value.decode("latin-1"))]
    for code in wanted:
        try:
            return trans_real.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def title_names(title: Title) -> dict[str, str]:
    """A title's names, stored so the reader's language can pick one later."""
    return {"title_ko": title.title_ko, "title_en": title.title_en, "title_original": title.title_original}


def actor_params(actor: User) -> dict[str, str]:
    return {"actor": actor.display_name}


def _title_for_reader(params: dict[str, Any]) -> str:
    korean = (get_language() or "ko").startswith("ko")
    order = (
        ("title_ko", "title_en", "title_original") if korean else ("title_en", "title_original", "title_ko")
    )
    for key in order:
        if params.get(key):
            return str(params[key])
    return ""


def notification_text(*, kind: str, params: dict[str, Any] | None, fallback: str = "") -> str:
    """The sentence for one notification in the active language; `fallback` if unknown."""
    params = params or {}
    if kind == "watch_alert" and params.get("provider"):
        korean = (get_language() or "ko").startswith("ko")
        provider = params.get("provider_ko") if korean else params["provider"]
        return _("%(title)s from your watchlist is now on %(provider)s") % {
            "title": _title_for_reader(params),
            "provider": provider or params["provider"],
        }
    actor = params.get("actor")
    if not actor:
        return fallback
    if kind == "recommendation":
        return _("%(actor)s recommended %(title)s") % {"actor": actor, "title": _title_for_reader(params)}
    if kind == "friend_request":
        return _("%(actor)s sent you a friend request") % {"actor": actor}
    if kind == "friend_accepted":
        return _("%(actor)s accepted your friend request") % {"actor": actor}
    if kind == "guestbook":
        return _("%(actor)s wrote in your guestbook") % {"actor": actor}
    if kind == "list_invite":
        return _("%(actor)s invited you to edit the list %(list)s") % {
            "actor": actor,
            "list": params.get("list", ""),
        }
    if kind == "list_like":
        # Korean names come with their particles (apps/common/korean.py).
        list_name = with_particle(str(params.get("list", "")), "을/를")
        return _("%(actor)s liked your list %(list)s") % {"actor": actor, "list": list_name}
    named = {"actor": actor, "title": _title_for_reader(params)}
    if kind == "list_add":
        return _("%(actor)s added %(title)s to the list %(list)s") % {
            **named,
            "title": with_particle(named["title"], "을/를"),
            "list": params.get("list", ""),
        }
    if kind == "party_invite":
        return _("%(actor)s invited you to watch %(title)s together") % named
    if kind == "review_like":
        return _("%(actor)s liked your review of %(title)s") % named
    if kind == "review_comment":
        return _("%(actor)s commented on your review of %(title)s") % named
    if kind == "comment_reply":
        return _("%(actor)s replied to your comment on the review of %(title)s") % named
    return fallback


_MARKS = {"actor": "\x00A\x00", "title": "\x00T\x00", "provider": "\x00P\x00", "list": "\x00L\x00"}


def notification_html(*, kind: str, params: dict[str, Any] | None, fallback: str = "") -> str:
    """The sentence of ``notification_text`` as HTML, with the actor's nickname marked as a name
    (``data-name``) and the title as a title (``.title-name``), each in its own element."""
    from django.utils.html import escape
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    params = dict(params or {})
    korean = (get_language() or "ko").startswith("ko")
    shown = {
        "actor": params.get("actor", ""),
        "title": _title_for_reader(params),
        "provider": (params.get("provider_ko") if korean else None) or params.get("provider", ""),
        "list": params.get("list", ""),
    }
    marked = dict(params)
    for key in ("title_ko", "title_en", "title_original"):
        if marked.get(key):
            marked[key] = _MARKS["title"]
    for key in ("actor", "provider", "provider_ko"):
        if marked.get(key):
            marked[key] = _MARKS["actor" if key == "actor" else "provider"]
    if marked.get("list"):
        marked["list"] = _MARKS["list"]
    sentence = notification_text(kind=kind, params=marked, fallback="")
    if not sentence:
        return escape(notification_text(kind=kind, params=params, fallback=fallback))
    html: str = escape(sentence)
    for key, mark in _MARKS.items():
        if key == "title":
            piece = format_html('<span class="title-name" dir="auto">{}</span>', shown[key])
        elif key == "list":  # a list's name is what its owner wrote
            piece = format_html('<span class="ugc" dir="auto">{}</span>', shown[key])
        else:
            piece = format_html('<span data-name dir="auto">{}</span>', shown[key])
        # A particle was chosen for the mark, not the name: choose it again for the name.
        for particle in PARTICLES:
            unsure = particle_for(mark, particle)
            if unsure:
                html = html.replace(mark + unsure, piece + particle_for(str(shown[key]), particle))
        html = html.replace(mark, piece)
    return mark_safe(html)  # noqa: S308 (every piece escaped above)
