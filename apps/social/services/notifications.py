"""Notifications: stored first (shown on next page load), then pushed over the WebSocket."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.social.events import NotificationCreateEvent
from apps.social.events import notification_broadcast
from apps.social.models import Notification
from apps.social.unread_cache import unread_forget
from config import realtime
from config.exceptions import NotFoundError

if TYPE_CHECKING:
    from apps.social.models import User


def notification_create(
    *,
    user: User,
    actor: User | None,
    kind: str,
    text: str,
    url: str = "",
    params: dict[str, Any] | None = None,
) -> Notification:
    """Store a notification and broadcast it after commit.

    `text` and `params` must be built from public fields only (names, titles), never from the
    body of a guestbook entry or a note, so nothing secret can leak through a notification.
    `params` lets the reader's language render it later (apps/social/notification_text.py);
    `text` is what readers see for kinds without a sentence there.
    """
    notification = Notification.objects.create(
        user=user, actor=actor, kind=kind, text=text[:300], url=url, params=params or {}
    )

    def _send() -> None:
        unread_forget(user_ids=[user.pk])
        unread = Notification.objects.filter(user_id=user.pk, is_read=False).count()
        event: NotificationCreateEvent = {
            "type": realtime.NOTIFY_MESSAGE,
            "notification": {
                "id": notification.pk,
                "kind": kind,
                "text": notification.display_text,
                "params": notification.params,
                "url": url,
                "created_at": notification.created_at.isoformat(),
            },
            "unread": unread,
        }
        notification_broadcast(user_id=user.pk, event=event)

    transaction.on_commit(_send)
    return notification


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, is_read=False)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    updated = qs.update(is_read=True)
    if updated:
        transaction.on_commit(lambda: unread_forget(user_ids=[user.pk]))
    return updated


def notification_mark_read(*, user: User, notification_id: int, read: bool = True) -> Notification:
    """Mark one of my notifications read (or unread again)."""
    notification = Notification.objects.filter(user=user, pk=notification_id).first()
    if notification is None:
        raise NotFoundError(_("No such notification."), {"notification_id": notification_id})
    if notification.is_read != read:
        notification.is_read = read
        notification.save(update_fields=["is_read"])
        transaction.on_commit(lambda: unread_forget(user_ids=[user.pk]))
    return notification
