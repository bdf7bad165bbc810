"""``{% chat_panel title %}``: the live chat widget of a title's room."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from apps.common.rendered import memoised_fragment

register = template.Library()

# Slow-mode steps offered to moderators (seconds; 0 = off). The protocol allows 0–3600.
SLOW_MODE_CHOICES = (0, 5, 10, 30, 60, 300)


def chat_error_messages() -> dict[str, str]:
    """Every error code of docs/chat-protocol.md in the reader's language.

    The server's own `message` is English for logs and API clients; people see these.
    """
    return {
        "bad_json": _("Something went wrong sending that. Reload the page and try again."),
        "unknown_type": _("Something went wrong sending that. Reload the page and try again."),
        "missing_field": _("Something went wrong sending that. Reload the page and try again."),
        "invalid": _("That value is not allowed."),
        "empty": _("Type a message first."),
        "too_long": _("A message is at most 2,000 characters."),
        "frame_too_large": _("That is too much text to send at once."),
        "flood": _("Slow down a little: too much at once."),
        "rate_limited": _("You are sending messages too fast."),
        "slow_mode": _("Slow mode is on in this room."),
        "blocked_word": _("Your message contains a word this room does not allow."),
        "login_required": _("Log in to chat."),
        "muted": _("You are muted in this room."),
        "banned": _("You are banned from this room."),
        "invite_only": _("This room is invite only."),
        "forbidden": _("Only the room owner or a moderator can do that."),
        "sanction_self": _("You cannot mute, kick or ban yourself."),
        "sanction_protected": _("The room owner and Moochu staff cannot be muted, kicked or banned."),
        "not_found": _("That message or room no longer exists."),
        "deleted": _("This message was deleted."),
        "unavailable": _("Chat is restarting, reconnecting…"),
        "position_invalid": _("Enter the position as whole minutes and seconds."),
        "position_negative": _("The position cannot be before the start."),
        "position_beyond_runtime": _("That is past the end of the title."),
        "episode_required": _("Choose which episode you are watching."),
        "episode_not_found": _("That episode is not in the catalog."),
        "not_synced": _("This room does not follow where you are in the title."),
    }


def chat_error_text(code: str, fallback: str = "") -> str:
    return chat_error_messages().get(code, fallback)


def chat_labels() -> dict[str, Any]:
    """UI strings for static/chat/chat.js, translated server-side."""
    return {
        "errors": chat_error_messages(),
        "muted_forever": _("You are muted in this room."),
        "banned_notice": _("You are banned from this room."),
        "kicked_notice": _("A moderator removed you from this room. Reload the page to come back."),
        "mute_lifted": _("You can chat here again."),
        "sanction_mute": _("%(name)s is muted until %(until)s."),
        "sanction_mute_forever": _("%(name)s is muted."),
        "sanction_ban": _("%(name)s was banned from this room."),
        "sanction_kick": _("%(name)s was removed from this room."),
        "moderate": _("Moderate"),
        "mute_10m": _("Mute 10 min"),
        "mute_1h": _("Mute 1 hour"),
        "kick": _("Kick"),
        "ban": _("Ban"),
        "confirm_kick": _("Remove %(name)s from this room?"),
        "confirm_ban": _("Ban %(name)s from this room?"),
        "slow_on": _("Slow mode: one message every %(s)s s"),
        "slow_wait": _("You can send again in %(s)s s."),
        "slow_off": _("Off"),
        "seconds": _("%(s)s s"),
        "minutes": _("%(m)s min"),
        "kept_text": _("Your text is kept: send it again when the countdown ends."),
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
        "episode_at": _("Ep. %(n)s %(clock)s"),
    }


@register.simple_tag
def chat_panel(title: Any) -> SafeString:
    """The chat widget of ``title``'s room. Nothing in it changes between requests (the socket
    fills it in), so each process draws it once per language and title: ~1,400 Python calls
    of the title page's ~20,000 otherwise."""
    return _chat_panel_html(title.pk)


@memoised_fragment(maxsize=512)
def _chat_panel_html(title_id: int) -> SafeString:
    html = render_to_string(
        "chat/_chat.html",
        {
            "ws_path": f"/ws/chat/titles/{title_id}/",
            "room_name": _("Live chat"),
            "compact": True,
            "chat_labels": chat_labels(),
            "slow_mode_choices": SLOW_MODE_CHOICES,
        },
    )
    return mark_safe(html)  # noqa: S308 - rendered by the autoescaping chat template
