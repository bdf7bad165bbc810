"""Writes for lists. Every change to a list's entries locks the list row first, so positions
stay 0…n-1 with no gaps or twins whatever two editors do at once, and logs who did what."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from django.db import IntegrityError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.common.korean import with_particle
from apps.lists.models import DESCRIPTION_MAX
from apps.lists.models import MAX_COLLABORATORS
from apps.lists.models import MAX_ENTRIES
from apps.lists.models import NAME_MAX
from apps.lists.models import NOTE_MAX
from apps.lists.models import ListActivity
from apps.lists.models import ListCollaborator
from apps.lists.models import ListEntry
from apps.lists.models import ListFollow
from apps.lists.models import ListLike
from apps.lists.models import ListVerb
from apps.lists.models import UserList
from apps.lists.models import _share_token
from apps.lists.selectors import list_access
from apps.movies.models import Title
from apps.social.models import NotificationKind
from apps.social.models import Visibility
from apps.social.notification_text import actor_params
from apps.social.notification_text import title_names
from apps.social.services.common import clean_text
from apps.social.services.common import like_set
from apps.social.services.friends import are_friends
from apps.social.services.notifications import notification_create
from apps.social.templatetags.social_tags import title_name
from config.exceptions import ApplicationError
from config.exceptions import ConflictError
from config.exceptions import ForbiddenError
from config.exceptions import NotFoundError

if TYPE_CHECKING:
    from apps.social.models import User

# Followers told about one addition; a list with more followers tells the first ones only,
# so adding a title never turns into thousands of inserts inside the editor's request.
FOLLOWER_NOTIFY_MAX = 200


# -----------------------------------------------------------------------------
# Helpers
# -----------------------------------------------------------------------------
def _text(value: str | None, *, field: str, label: str, max_length: int, required: bool) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise ApplicationError(
            _("%(field)s contains a NUL character.") % {"field": label},
            {"field": field, "reason": "nul_byte"},
        )
    return clean_text(text, field=field, label=label, max_length=max_length, required=required)


def _visibility(value: str) -> str:
    if value not in Visibility.values:
        raise ApplicationError(
            _("Choose who may see the list: public, friends or private."), {"field": "visibility"}
        )
    return value


def _list_url(user_list: UserList) -> str:
    return reverse("lists:detail", kwargs={"list_id": user_list.pk})


def _list_params(user_list: UserList) -> dict[str, str]:
    return {"list": user_list.name}


def _not_found(list_id: int) -> NotFoundError:
    return NotFoundError(_("No such list."), {"list_id": list_id})


def _list_for_edit(*, user: User, list_id: int, owner_only: bool = False) -> UserList:
    """The list, locked for the rest of the transaction, if ``user`` may change it.

    Call inside ``transaction.atomic``. Lists the user may not even see answer as missing,
    so their existence does not leak.
    """
    user_list = UserList.objects.select_for_update().filter(pk=list_id).first()
    if user_list is None:
        raise _not_found(list_id)
    access = list_access(user_list=user_list, viewer=user)
    if not access.can_view:
        raise _not_found(list_id)
    if not access.can_edit or (owner_only and not access.is_owner):
        raise ForbiddenError(
            _("Only the owner can do that.") if owner_only else _("You cannot edit this list."),
            {"list_id": list_id},
        )
    return user_list


def _entry_for_edit(*, user: User, entry_id: int) -> tuple[UserList, ListEntry]:
    list_id = ListEntry.objects.filter(pk=entry_id).values_list("list_id", flat=True).first()
    if list_id is None:
        raise NotFoundError(_("No such entry: the list may have changed."), {"entry_id": entry_id})
    user_list = _list_for_edit(user=user, list_id=list_id)
    # Read again under the list lock: another editor may have removed or moved it meanwhile.
    entry = ListEntry.objects.select_related("title").filter(pk=entry_id, list_id=list_id).first()
    if entry is None:
        raise NotFoundError(_("No such entry: the list may have changed."), {"entry_id": entry_id})
    return user_list, entry


def _log(*, user_list: UserList, actor: User, verb: str, title: Title | None = None, **extra: Any) -> None:
    target = extra.pop("target_user", None)
    ListActivity.objects.create(
        list=user_list, actor=actor, verb=verb, title=title, target_user=target, detail=extra
    )


def _touch(user_list: UserList) -> None:
    # "Recently changed" ordering on my-lists and the homepage follows entry edits too.
    user_list.save(update_fields=["updated_at"])


# -----------------------------------------------------------------------------
# Lists
# -----------------------------------------------------------------------------
@transaction.atomic
def list_create(
    *, owner: User, name: str, description: str = "", visibility: str = Visibility.PUBLIC
) -> UserList:
    user_list = UserList(
        owner=owner,
        name=_text(name, field="name", label=_("Name"), max_length=NAME_MAX, required=True),
        description=_text(
            description,
            field="description",
            label=_("Description"),
            max_length=DESCRIPTION_MAX,
            required=False,
        ),
        visibility=_visibility(visibility),
    )
    user_list.full_clean()
    user_list.save()
    _log(user_list=user_list, actor=owner, verb=ListVerb.CREATED)
    return user_list


@transaction.atomic
def list_update(*, user: User, list_id: int, name: str, description: str, visibility: str) -> UserList:
    """Name, description and visibility: the owner's to decide, not a collaborator's."""
    user_list = _list_for_edit(user=user, list_id=list_id, owner_only=True)
    new = {
        "name": _text(name, field="name", label=_("Name"), max_length=NAME_MAX, required=True),
        "description": _text(
            description,
            field="description",
            label=_("Description"),
            max_length=DESCRIPTION_MAX,
            required=False,
        ),
        "visibility": _visibility(visibility),
    }
    changed = [field for field, value in new.items() if getattr(user_list, field) != value]
    if not changed:
        return user_list
    for field in changed:
        setattr(user_list, field, new[field])
    user_list.full_clean()
    user_list.save(update_fields=[*changed, "updated_at"])
    _log(user_list=user_list, actor=user, verb=ListVerb.EDITED, fields=changed)
    return user_list


@transaction.atomic
def list_delete(*, user: User, list_id: int) -> None:
    user_list = _list_for_edit(user=user, list_id=list_id, owner_only=True)
    user_list.delete()


@transaction.atomic
def list_share_token_reset(*, user: User, list_id: int) -> UserList:
    """A new share link; the old one stops working at once."""
    user_list = _list_for_edit(user=user, list_id=list_id, owner_only=True)
    user_list.share_token = _share_token()
    user_list.save(update_fields=["share_token", "updated_at"])
    return user_list


# -----------------------------------------------------------------------------
# Entries
# -----------------------------------------------------------------------------
@transaction.atomic
def list_entry_add(*, user: User, list_id: int, title_id: int, note: str = "") -> ListEntry:
    """Append a title (at the end) with an optional note."""
    user_list = _list_for_edit(user=user, list_id=list_id)
    note = _text(note, field="note", label=_("Note"), max_length=NOTE_MAX, required=False)
    title = Title.objects.filter(pk=title_id).first()
    if title is None:
        raise NotFoundError(_("No such title."), {"title_id": title_id})
    if ListEntry.objects.filter(list_id=user_list.pk, title_id=title_id).exists():
        raise ConflictError(
            _("%(title)s is already in this list.") % {"title": with_particle(title_name(title), "은/는")},
            {"title_id": title_id, "reason": "duplicate"},
        )
    count = ListEntry.objects.filter(list_id=user_list.pk).count()
    if count >= MAX_ENTRIES:
        raise ConflictError(
            _("A list holds at most %(max)d titles.") % {"max": MAX_ENTRIES}, {"max_entries": MAX_ENTRIES}
        )
    try:
        with transaction.atomic():
            entry = ListEntry.objects.create(
                list=user_list, title=title, position=count, note=note, added_by=user
            )
    except IntegrityError as exc:  # pragma: no cover (the list lock makes this unreachable)
        raise ConflictError(
            _("%(title)s is already in this list.") % {"title": with_particle(title_name(title), "은/는")}
        ) from exc
    _log(user_list=user_list, actor=user, verb=ListVerb.ADDED, title=title, position=count + 1)
    _touch(user_list)
    _followers_tell(user_list=user_list, actor=user, title=title)
    return entry


def _followers_tell(*, user_list: UserList, actor: User, title: Title) -> None:
    followers = (
        ListFollow.objects.filter(list_id=user_list.pk)
        .exclude(user_id=actor.pk)
        .select_related("user")
        .order_by("id")[:FOLLOWER_NOTIFY_MAX]
    )
    names = {
        "actor": actor.display_name,
        "title": with_particle(title_name(title), "을/를"),
        "list": user_list.name,
    }
    for follow in followers:
        # Only followers who may still see the list (a list made private, an unfriending).
        if not list_access(user_list=user_list, viewer=follow.user).can_view:
            continue
        notification_create(
            user=follow.user,
            actor=actor,
            kind=NotificationKind.LIST_ADD,
            text=_("%(actor)s added %(title)s to the list %(list)s") % names,
            url=_list_url(user_list),
            params=actor_params(actor) | title_names(title) | _list_params(user_list),
        )


@transaction.atomic
def list_entry_remove(*, user: User, entry_id: int) -> None:
    user_list, entry = _entry_for_edit(user=user, entry_id=entry_id)
    position = entry.position
    entry.delete()
    ListEntry.objects.filter(list_id=user_list.pk, position__gt=position).update(position=F("position") - 1)
    _log(user_list=user_list, actor=user, verb=ListVerb.REMOVED, title=entry.title, position=position + 1)
    _touch(user_list)


@transaction.atomic
def list_entry_move(*, user: User, entry_id: int, position: int, expected_position: int) -> ListEntry:
    """Move an entry to ``position`` (0-based), shifting the ones between by one.

    ``expected_position`` is where the editor saw the entry: if someone moved it since, the
    move is refused (the editor reloads) instead of landing somewhere nobody meant.
    """
    user_list, entry = _entry_for_edit(user=user, entry_id=entry_id)
    if entry.position != expected_position:
        raise ConflictError(
            _("The list changed since you loaded it: reload and try again."),
            {"entry_id": entry_id, "position": entry.position, "reason": "stale"},
        )
    count = ListEntry.objects.filter(list_id=user_list.pk).count()
    if not 0 <= position < count:
        # The list's length decides, not the request's form: 409, like a stale position.
        raise ConflictError(
            _("Position must be between 1 and %(n)d.") % {"n": count},
            {"position": position, "count": count},
        )
    old = entry.position
    if position == old:
        return entry
    siblings = ListEntry.objects.filter(list_id=user_list.pk)
    if position > old:
        siblings.filter(position__gt=old, position__lte=position).update(position=F("position") - 1)
    else:
        siblings.filter(position__gte=position, position__lt=old).update(position=F("position") + 1)
    entry.position = position
    entry.save(update_fields=["position", "updated_at"])
    _log(
        user_list=user_list,
        actor=user,
        verb=ListVerb.MOVED,
        title=entry.title,
        **{"from": old + 1, "to": position + 1},
    )
    _touch(user_list)
    return entry


@transaction.atomic
def list_entry_note_set(*, user: User, entry_id: int, note: str) -> ListEntry:
    user_list, entry = _entry_for_edit(user=user, entry_id=entry_id)
    note = _text(note, field="note", label=_("Note"), max_length=NOTE_MAX, required=False)
    if note == entry.note:
        return entry
    entry.note = note
    entry.full_clean()
    entry.save(update_fields=["note", "updated_at"])
    _log(user_list=user_list, actor=user, verb=ListVerb.NOTED, title=entry.title)
    _touch(user_list)
    return entry


# -----------------------------------------------------------------------------
# Collaborators, likes, follows
# -----------------------------------------------------------------------------
@transaction.atomic
def list_collaborator_invite(*, user: User, list_id: int, invitee: User) -> ListCollaborator:
    """The owner invites one of their 일촌 to co-edit."""
    user_list = _list_for_edit(user=user, list_id=list_id, owner_only=True)
    if invitee.pk == user.pk:
        raise ConflictError(_("You already own this list."), {"user_id": invitee.pk, "reason": "owner"})
    if not are_friends(a_id=user.pk, b_id=invitee.pk):
        raise ConflictError(
            _("Only your friends can be invited to edit a list."),
            {"user_id": invitee.pk, "reason": "not_friend"},
        )
    if ListCollaborator.objects.filter(list_id=user_list.pk).count() >= MAX_COLLABORATORS:
        raise ConflictError(
            _("A list has at most %(max)d collaborators.") % {"max": MAX_COLLABORATORS},
            {"max_collaborators": MAX_COLLABORATORS},
        )
    collaborator, created = ListCollaborator.objects.get_or_create(
        list=user_list, user=invitee, defaults={"invited_by": user}
    )
    if created:
        _log(user_list=user_list, actor=user, verb=ListVerb.INVITED, target_user=invitee)
        notification_create(
            user=invitee,
            actor=user,
            kind=NotificationKind.LIST_INVITE,
            text=_("%(actor)s invited you to edit the list %(list)s")
            % {"actor": user.display_name, "list": user_list.name},
            url=_list_url(user_list),
            params=actor_params(user) | _list_params(user_list),
        )
    return collaborator


@transaction.atomic
def list_collaborator_remove(*, user: User, list_id: int, collaborator_id: int) -> None:
    """The owner removes a collaborator, or a collaborator leaves."""
    user_list = UserList.objects.select_for_update().filter(pk=list_id).first()
    # A list the user may not see answers as missing, so its existence does not leak.
    if user_list is None or not list_access(user_list=user_list, viewer=user).can_view:
        raise _not_found(list_id)
    if user.pk not in (user_list.owner_id, collaborator_id):
        raise ForbiddenError(_("Only the owner can do that."), {"list_id": list_id})
    row = (
        ListCollaborator.objects.select_related("user")
        .filter(list_id=list_id, user_id=collaborator_id)
        .first()
    )
    if row is None:
        raise NotFoundError(_("That person is not a collaborator."), {"user_id": collaborator_id})
    row.delete()
    _log(user_list=user_list, actor=user, verb=ListVerb.UNINVITED, target_user=row.user)


def _list_for_reader(*, user: User, list_id: int) -> UserList:
    user_list = UserList.objects.filter(pk=list_id).first()
    if user_list is None or not list_access(user_list=user_list, viewer=user).can_view:
        raise _not_found(list_id)
    return user_list


@transaction.atomic
def list_like_set(*, user: User, list_id: int, liked: bool) -> int:
    """Like or unlike (idempotent); returns the like count. The owner hears of a new like."""
    user_list = _list_for_reader(user=user, list_id=list_id)
    if user_list.owner_id == user.pk:
        raise ForbiddenError(_("You cannot like your own list."), {"list_id": list_id})
    was_liked = ListLike.objects.filter(list=user_list, user=user).exists()
    count = like_set(like_model=ListLike, target=user_list, target_field="list", user=user, liked=liked)
    if liked and not was_liked:
        notification_create(
            user=user_list.owner,
            actor=user,
            kind=NotificationKind.LIST_LIKE,
            text=_("%(actor)s liked your list %(list)s")
            % {"actor": user.display_name, "list": with_particle(user_list.name, "을/를")},
            url=_list_url(user_list),
            params=actor_params(user) | _list_params(user_list),
        )
    return count


@transaction.atomic
def list_follow_set(*, user: User, list_id: int, following: bool) -> bool:
    user_list = _list_for_reader(user=user, list_id=list_id)
    if user_list.owner_id == user.pk:
        raise ForbiddenError(_("You cannot follow your own list."), {"list_id": list_id})
    if following:
        ListFollow.objects.get_or_create(list=user_list, user=user)
    else:
        ListFollow.objects.filter(list=user_list, user=user).delete()
    return following
