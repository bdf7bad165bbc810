"""Reads for lists. Who may see a list follows the mini-homepage's rules (apps/social):
public to everyone, 일촌-only to the owner's 일촌, private to the owner; invited collaborators
(still 일촌 of the owner) always see it; a block either way hides it."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db import connection
from django.db.models import Count
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet

from apps.common.compiled import Compiled
from apps.common.compiled import model_columns
from apps.common.compiled import query_compile
from apps.common.compiled import query_run
from apps.lists.models import ListActivity
from apps.lists.models import ListCollaborator
from apps.lists.models import ListEntry
from apps.lists.models import ListFollow
from apps.lists.models import ListLike
from apps.lists.models import UserList
from apps.social.models import Block
from apps.social.models import Friendship
from apps.social.models import User
from apps.social.models import Visibility

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

SEARCH_LIMIT = 50


def _viewer(user: User | AnonymousUser | None) -> User | None:
    return user if user is not None and user.is_authenticated else None  # type: ignore[return-value]


@dataclass(frozen=True)
class ListAccess:
    can_view: bool = False
    can_edit: bool = False
    is_owner: bool = False
    is_collaborator: bool = False
    liked: bool = False
    following: bool = False


def _blocked_either_way(viewer_ref: int) -> Q:
    return Q(owner_id__in=Block.objects.filter(blocked_id=viewer_ref).values("blocker_id")) | Q(
        owner_id__in=Block.objects.filter(blocker_id=viewer_ref).values("blocked_id")
    )


def _active_collaborators(viewer_id: int) -> QuerySet[ListCollaborator]:
    # An invitation counts while the two are still 일촌: unfriending ends co-editing too.
    return ListCollaborator.objects.filter(user_id=viewer_id).filter(
        Exists(Friendship.objects.filter(user_id=OuterRef("list__owner_id"), friend_id=viewer_id))
    )


def lists_visible(*, viewer: User | AnonymousUser | None) -> QuerySet[UserList]:
    """Every list ``viewer`` may open, in one query (no per-list checks)."""
    viewer = _viewer(viewer)
    if viewer is None:
        return UserList.objects.filter(visibility=Visibility.PUBLIC)
    friends_of_viewer = Friendship.objects.filter(user_id=viewer.pk).values("friend_id")
    return UserList.objects.filter(
        Q(owner_id=viewer.pk)
        | Q(pk__in=_active_collaborators(viewer.pk).values("list_id"))
        | (
            (
                Q(visibility=Visibility.PUBLIC)
                | Q(visibility=Visibility.FRIENDS, owner_id__in=friends_of_viewer)
            )
            & ~_blocked_either_way(viewer.pk)
        )
    )


def list_access(*, user_list: UserList, viewer: User | AnonymousUser | None, token: str = "") -> ListAccess:
    """What ``viewer`` may do with ``user_list``, in one query.

    ``token``: the list's share link. It lets whoever holds it read a public or 일촌-only list
    (the owner chose to pass it on) but never a private one, and never across a block.
    """
    viewer = _viewer(viewer)
    if viewer is None:
        can_view = user_list.visibility == Visibility.PUBLIC or (
            bool(token) and token == user_list.share_token and user_list.visibility != Visibility.PRIVATE
        )
        return ListAccess(can_view=can_view)
    if viewer.pk == user_list.owner_id:
        return ListAccess(can_view=True, can_edit=True, is_owner=True)
    row = (
        UserList.objects.filter(pk=user_list.pk)
        .annotate(
            is_friend=Exists(Friendship.objects.filter(user_id=user_list.owner_id, friend_id=viewer.pk)),
            invited=Exists(ListCollaborator.objects.filter(list_id=user_list.pk, user_id=viewer.pk)),
            blocked=Exists(
                Block.objects.filter(
                    Q(blocker_id=user_list.owner_id, blocked_id=viewer.pk)
                    | Q(blocker_id=viewer.pk, blocked_id=user_list.owner_id)
                )
            ),
            liked=Exists(ListLike.objects.filter(list_id=user_list.pk, user_id=viewer.pk)),
            following=Exists(ListFollow.objects.filter(list_id=user_list.pk, user_id=viewer.pk)),
        )
        .values("is_friend", "invited", "blocked", "liked", "following")
        .get()
    )
    if row["blocked"]:
        return ListAccess()
    collaborator = row["invited"] and row["is_friend"]
    by_token = bool(token) and token == user_list.share_token and user_list.visibility != Visibility.PRIVATE
    can_view = (
        collaborator
        or by_token
        or user_list.visibility == Visibility.PUBLIC
        or (user_list.visibility == Visibility.FRIENDS and row["is_friend"])
    )
    return ListAccess(
        can_view=can_view,
        can_edit=collaborator,
        is_collaborator=collaborator,
        liked=row["liked"] and can_view,
        following=row["following"] and can_view,
    )


def list_get(*, list_id: int) -> UserList | None:
    return UserList.objects.select_related("owner").filter(pk=list_id).first()


def list_get_visible(
    *, list_id: int, viewer: User | AnonymousUser | None, token: str = ""
) -> tuple[UserList, ListAccess] | None:
    """The list and what the viewer may do with it, or None when they may not see it (both
    look the same from outside: no such list)."""
    user_list = list_get(list_id=list_id)
    if user_list is None:
        return None
    access = list_access(user_list=user_list, viewer=viewer, token=token)
    return (user_list, access) if access.can_view else None


def list_get_by_token(*, token: str) -> UserList | None:
    if not token or len(token) > 64:
        return None
    return UserList.objects.select_related("owner").filter(share_token=token).first()


def _with_counts(qs: QuerySet[UserList]) -> QuerySet[UserList]:
    return qs.select_related("owner").annotate(entry_count=Count("entries", distinct=True))


def lists_for_user(*, user: User) -> QuerySet[UserList]:
    """My lists: the ones I own and the ones I was invited to co-edit."""
    return _with_counts(
        UserList.objects.filter(
            Q(owner_id=user.pk) | Q(pk__in=_active_collaborators(user.pk).values("list_id"))
        )
    ).order_by("-updated_at", "-id")


def lists_of_owner_visible(*, owner: User, viewer: User | AnonymousUser | None) -> QuerySet[UserList]:
    """An owner's lists as ``viewer`` may see them (the mini-homepage section)."""
    viewer = _viewer(viewer)
    if viewer is not None and viewer.pk == owner.pk:
        # The owner sees every list of theirs: lists_visible's other branches (invitations,
        # 일촌, blocks) cannot add one, and building them cost ~1.5 ms a page.
        mine = UserList.objects.filter(owner_id=owner.pk)
        return _with_counts(mine).order_by("-updated_at", "-id")
    return _with_counts(lists_visible(viewer=viewer).filter(owner_id=owner.pk)).order_by("-updated_at", "-id")


def lists_of_owner_box(*, owner: User, viewer: User | AnonymousUser | None, limit: int) -> list[UserList]:
    """The first ``limit`` of ``lists_of_owner_visible``, each with its ``entry_count`` (the
    mini-homepage's lists box; the rows hold what a list row shows, not the owner's)."""
    viewer = _viewer(viewer)
    reader = "anonymous" if viewer is None else "owner" if viewer.pk == owner.pk else "visitor"
    ids = {_OWNER: owner.pk, _VIEWER: viewer.pk if viewer is not None else None}
    lists = []
    for row in query_run(_owner_box_sql(reader=reader, limit=limit), ids):
        user_list = UserList.from_db(DEFAULT_DB_ALIAS, _BOX_COLUMNS, row[:-1])
        user_list.__dict__["entry_count"] = row[-1]  # the annotation
        lists.append(user_list)
    return lists


# Every view of a mini-homepage reads the box: compiled once per kind of reader and process
# (apps/common/compiled.py) from lists_of_owner_visible itself, so it keeps its rules; building
# and compiling it was ~0.9 ms of a ~1.2 ms read.
_OWNER = -940_000_001
_VIEWER = -940_000_002
_BOX_COLUMNS = model_columns(
    UserList, {"id", "owner_id", "name", "description", "visibility", "like_count", "updated_at"}
)


@functools.cache
def _owner_box_sql(*, reader: str, limit: int) -> Compiled:
    owner = User(pk=_OWNER)
    viewer = {"anonymous": None, "owner": owner, "visitor": User(pk=_VIEWER)}[reader]
    rows = lists_of_owner_visible(owner=owner, viewer=viewer).values_list(*_BOX_COLUMNS, "entry_count")
    return query_compile(rows[:limit], _OWNER, *([_VIEWER] if reader == "visitor" else []))


def lists_popular(*, viewer: User | AnonymousUser | None) -> QuerySet[UserList]:
    return _with_counts(lists_visible(viewer=viewer)).order_by("-like_count", "-updated_at", "-id")


def _lists_matching_uncounted(*, query: str, viewer: User | AnonymousUser | None) -> QuerySet[UserList]:
    return (
        lists_visible(viewer=viewer)
        .filter(Q(name__icontains=query) | Q(description__icontains=query))
        .order_by("-like_count", "-updated_at", "-id")
    )


def lists_matching(*, query: str, viewer: User | AnonymousUser | None) -> QuerySet[UserList]:
    """Lists whose name or description contains ``query``, most liked first, visible ones only."""
    query = query.strip()
    if not query:
        return UserList.objects.none()
    return _with_counts(_lists_matching_uncounted(query=query, viewer=viewer))


def list_search(
    *, query: str, viewer: User | AnonymousUser | None, limit: int = SEARCH_LIMIT
) -> list[UserList]:
    """``lists_matching``'s first ``limit`` lists: their ids from a statement compiled once per
    shape (below), then the lists with owners and counts only when there are any."""
    query = query.strip()
    viewer = _viewer(viewer)
    if not query:
        return []
    sql, params = _list_search_ids_sql(signed_in=viewer is not None, limit=limit)
    like = connection.ops.prep_for_like_query(query)
    bound = [
        (viewer.pk if viewer is not None else p)
        if p == _VIEWER_STAND_IN
        else (p.replace(_QUERY_STAND_IN, like) if isinstance(p, str) else p)
        for p in params
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, bound)
        ids = [row[0] for row in cursor.fetchall()]
    if not ids:
        return []
    lists = _with_counts(UserList.objects.filter(pk__in=ids)).in_bulk()
    return [lists[i] for i in ids if i in lists]


# The search page asks for lists on every search, and building the visibility rule's query
# (owner, invited 일촌, public or 일촌-only, no block either way) through the ORM cost ~5 ms of
# a 16 ms page, for a statement PostgreSQL answers in 0.3 ms. It is compiled once per shape
# from the same querysets, with stand-ins for the viewer and the text bound per request.
_VIEWER_STAND_IN = -2_000_000_017  # no row has this id
_QUERY_STAND_IN = "\x1fmoochu-list-search\x1f"  # no LIKE wildcard to escape


@functools.lru_cache(maxsize=16)
def _list_search_ids_sql(*, signed_in: bool, limit: int) -> tuple[str, tuple[Any, ...]]:
    viewer = User(pk=_VIEWER_STAND_IN) if signed_in else None
    qs = _lists_matching_uncounted(query=_QUERY_STAND_IN, viewer=viewer).values_list("id", flat=True)
    sql, params = qs[:limit].query.sql_with_params()
    # The text goes in twice (name, description) and the viewer's id only where it stands in:
    # anything else means the querysets changed shape, and binding would be wrong.
    texts = sum(isinstance(p, str) and _QUERY_STAND_IN in p for p in params)
    if texts != 2 or signed_in != (_VIEWER_STAND_IN in params):
        raise RuntimeError(f"list search statement has an unexpected shape: {params!r}")
    return sql, tuple(params)


def list_entries(*, user_list: UserList) -> QuerySet[ListEntry]:
    return (
        ListEntry.objects.filter(list_id=user_list.pk)
        .select_related("title", "added_by")
        .order_by("position")
    )


def list_activity(*, user_list: UserList) -> QuerySet[ListActivity]:
    return (
        ListActivity.objects.filter(list_id=user_list.pk)
        .select_related("actor", "title", "target_user")
        .order_by("-created_at", "-id")
    )


def list_collaborators(*, user_list: UserList) -> list[User]:
    return list(
        User.objects.filter(
            pk__in=ListCollaborator.objects.filter(list_id=user_list.pk).values("user_id")
        ).order_by("nickname")
    )


def list_invite_candidates(*, user_list: UserList) -> list[User]:
    """The owner's 일촌 not yet invited: the only people who may be invited."""
    return list(
        User.objects.filter(pk__in=Friendship.objects.filter(user_id=user_list.owner_id).values("friend_id"))
        .exclude(pk__in=ListCollaborator.objects.filter(list_id=user_list.pk).values("user_id"))
        .order_by("nickname")
    )
