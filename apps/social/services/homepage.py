"""Mini-homepage: profile, life-movies shelf, guestbook, visitor counters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apps.movies.models import Title
from apps.social.homepage_cache import homepage_forget_on_commit
from apps.social.models import Activity
from apps.social.models import ActivityVerb
from apps.social.models import GuestbookEntry
from apps.social.models import NotificationKind
from apps.social.models import Profile
from apps.social.models import ShelfItem
from apps.social.models import Visibility
from apps.social.models import VisitDaily
from apps.social.notification_text import actor_params
from apps.social.services.common import clean_text
from apps.social.services.common import rate_limit_hit
from apps.social.services.common import seoul_today
from apps.social.services.friends import are_friends
from apps.social.services.friends import blocked_between
from apps.social.services.notifications import notification_create
from apps.social.visitors import visitor_store
from config.exceptions import ApplicationError
from config.exceptions import NotFoundError

if TYPE_CHECKING:
    from apps.social.models import User

GUESTBOOK_MAX = 1000
SECTIONS = ("ratings", "shelf", "taste", "guestbook", "friends", "watchlist", "diary")


def profile_get_or_create(*, user: User) -> Profile:
    # Reuse a profile loaded with select_related("profile") or by an earlier call.
    profile = user._state.fields_cache.get("profile")
    if profile is None:
        profile, _ = Profile.objects.get_or_create(user=user)
        user._state.fields_cache["profile"] = profile
    return profile


def profile_update(*, user: User, data: dict[str, str]) -> Profile:
    """Update the caller's own profile: there is no way to name another user's profile."""
    profile = profile_get_or_create(user=user)
    fields: list[str] = []
    if "mood" in data:
        profile.mood = clean_text(data["mood"], field="mood", max_length=30, required=False)
        fields.append("mood")
    if "intro" in data:
        profile.intro = clean_text(data["intro"], field="intro", max_length=120, required=False)
        fields.append("intro")
    for section in SECTIONS:
        key = f"visibility_{section}"
        if key in data:
            if data[key] not in Visibility.values:
                raise ApplicationError(f"Unknown visibility {data[key]!r}.", {"field": key})
            setattr(profile, key, data[key])
            fields.append(key)
    if fields:
        profile.full_clean()
        profile.save(update_fields=fields)
    return profile


@transaction.atomic
def shelf_set(*, user: User, title_ids: list[int]) -> list[ShelfItem]:
    """Replace the life-movies shelf with these titles, in this order (at most five)."""
    if len(title_ids) > ShelfItem.MAX_ITEMS:
        raise ApplicationError(f"At most {ShelfItem.MAX_ITEMS} life movies.", {"field": "title_ids"})
    if len(set(title_ids)) != len(title_ids):
        raise ApplicationError("A title can only be on the shelf once.", {"field": "title_ids"})
    found = set(Title.objects.filter(pk__in=title_ids).values_list("pk", flat=True))
    missing = [pk for pk in title_ids if pk not in found]
    if missing:
        raise NotFoundError("Unknown titles.", {"title_ids": missing})
    before = set(ShelfItem.objects.filter(user=user).values_list("title_id", flat=True))
    ShelfItem.objects.filter(user=user).delete()
    items = ShelfItem.objects.bulk_create(
        ShelfItem(user=user, title_id=pk, position=index) for index, pk in enumerate(title_ids, start=1)
    )
    Activity.objects.bulk_create(
        Activity(actor=user, verb=ActivityVerb.SHELVED, title_id=pk, section="shelf")
        for pk in title_ids
        if pk not in before
    )
    homepage_forget_on_commit(user_ids=[user.pk])
    return items


def section_visible(*, owner: User, viewer: User | None, section: str) -> bool:
    if viewer is not None and viewer.pk == owner.pk:
        return True
    visibility = getattr(profile_get_or_create(user=owner), f"visibility_{section}")
    if visibility == Visibility.PUBLIC:
        return True
    if visibility == Visibility.FRIENDS and viewer is not None and viewer.is_authenticated:
        return are_friends(a_id=owner.pk, b_id=viewer.pk)
    return False


@transaction.atomic
def guestbook_entry_create(
    *, owner: User, author: User, body: str, is_secret: bool = False
) -> GuestbookEntry:
    body = clean_text(body, field="entry", max_length=GUESTBOOK_MAX)
    if blocked_between(a_id=owner.pk, b_id=author.pk):
        raise ApplicationError("You cannot write in this guestbook.")
    if not section_visible(owner=owner, viewer=author, section="guestbook"):
        raise ApplicationError("This guestbook is closed to you.")
    rate_limit_hit(action="guestbook", user_id=author.pk)
    entry = GuestbookEntry(owner=owner, author=author, body=body, is_secret=is_secret)
    entry.full_clean()
    entry.save()
    if author.pk != owner.pk:
        notification_create(
            user=owner,
            actor=author,
            kind=NotificationKind.GUESTBOOK,
            # Never the body: a secret entry's text must not travel in a notification.
            text=f"{author.display_name} wrote in your guestbook",
            params=actor_params(author),
            url=reverse("social:homepage", kwargs={"nickname": owner.nickname or owner.username})
            + "#guestbook",
        )
    return entry


def guestbook_entry_reply(*, owner: User, entry_id: int, reply: str) -> GuestbookEntry:
    entry = GuestbookEntry.objects.filter(pk=entry_id, owner=owner).first()
    if entry is None:
        raise NotFoundError("No such entry in your guestbook.", {"entry_id": entry_id})
    entry.reply = clean_text(reply, field="reply", max_length=GUESTBOOK_MAX)
    entry.replied_at = timezone.now()
    entry.save(update_fields=["reply", "replied_at", "updated_at"])
    return entry


def guestbook_entry_delete(*, user: User, entry_id: int) -> None:
    """Only the page owner or the entry's author may delete; anything else looks like 'not found'."""
    deleted, _ = (
        GuestbookEntry.objects.filter(pk=entry_id).filter(Q(owner_id=user.pk) | Q(author_id=user.pk)).delete()
    )
    if not deleted:
        raise NotFoundError("No such entry, or it is not yours to delete.", {"entry_id": entry_id})


def _visitor(*, owner: User, viewer: User | None, session_key: str | None) -> str:
    """Who is visiting, as counted ("" for nobody to count: the owner, or no session)."""
    if viewer is not None and viewer.is_authenticated:
        return "" if viewer.pk == owner.pk else f"u{viewer.pk}"
    return f"s{session_key}" if session_key else ""


def visit_record(*, owner: User, viewer: User | None, session_key: str | None) -> bool:
    """Count a homepage visit once per viewer per Seoul day; the owner's own visits never count."""
    visitor = _visitor(owner=owner, viewer=viewer, session_key=session_key)
    if not visitor:
        return False
    return visitor_store().record(owner_id=owner.pk, day=seoul_today(), visitor=visitor)


def visit_record_pending(*, owner: User, viewer: User | None, session_key: str | None) -> int:
    """``visit_record``, returning today's visits not yet flushed to VisitDaily (counting this
    one): TODAY/TOTAL need both, and one Redis round trip does both. Called by the signed-in
    mini-homepage and by the anonymous page's visit beacon (apps/social/views/homepage.py)."""
    visitor = _visitor(owner=owner, viewer=viewer, session_key=session_key)
    _added, pending = visitor_store().record_pending(owner_id=owner.pk, day=seoul_today(), visitor=visitor)
    return pending


def visits_flush() -> int:
    """Persist pending Redis counts into VisitDaily; returns the number of rows touched."""
    drained = visitor_store().drain()
    for (owner_id, day), count in drained.items():
        updated = VisitDaily.objects.filter(owner_id=owner_id, day=day).update(count=F("count") + count)
        if not updated:
            _, created = VisitDaily.objects.get_or_create(
                owner_id=owner_id, day=day, defaults={"count": count}
            )
            if not created:
                VisitDaily.objects.filter(owner_id=owner_id, day=day).update(count=F("count") + count)
    return len(drained)
