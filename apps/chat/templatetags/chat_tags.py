"""``{% chat_panel title %}``: the live chat widget of a title's room."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def chat_labels() -> dict[str, str]:
    """UI strings for static/chat/chat.js, translated server-side."""
    return {
        "connecting": _("Connecting…"),
        "connected": _("Live"),
        "reconnecting": _("Reconnecting in %(s)s s…"),
        "offline": _("Offline"),
        "closed": _("Disconnected"),
        "typing": _("%(name)s is typing…"),
        "deleted": _("(message deleted)"),
        "edited": _("(edited)"),
        "spoiler": _("Spoiler — click to reveal"),
        "reply": _("Reply"),
        "edit": _("Edit"),
        "delete": _("Delete"),
        "report": _("Report"),
        "mark_spoiler": _("Mark spoiler"),
        "unmark_spoiler": _("Not a spoiler"),
        "replying_to": _("Replying to %(name)s"),
        "login_to_chat": _("Log in to chat."),
        "retry_in": _("Try again in %(s)s s."),
        "report_reason": _("Why are you reporting this message?"),
        "edit_prompt": _("Edit your message"),
        "muted": _("You are muted until %(until)s."),
        "sanctioned": _("%(name)s: %(action)s"),
    }


@register.inclusion_tag("chat/_chat.html")
def chat_panel(title: Any) -> dict[str, Any]:
    return {
        "ws_path": f"/ws/chat/titles/{title.pk}/",
        "room_name": _("Live chat"),
        "compact": True,
        "chat_labels": chat_labels(),
    }
