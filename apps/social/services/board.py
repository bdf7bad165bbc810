"""The recommendation board: posts recommending titles, comments, likes, daily views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from apps.movies.models import Title
from apps.social.models import Activity
from apps.social.models import ActivityVerb
from apps.social.models import BoardComment
from apps.social.models import BoardLike
from apps.social.models import BoardPost
from apps.social.models import BoardView
from apps.social.services.common import clean_text
from apps.social.services.common import like_set
from apps.social.services.common import rate_limit_hit
from apps.social.services.common import seoul_today
from config.exceptions import ApplicationError
from config.exceptions import ForbiddenError
from config.exceptions import NotFoundError

if TYPE_CHECKING:
    from apps.social.models import User

MAX_TITLES = 10


def _titles_check(title_ids: list[int]) -> list[int]:
    title_ids = list(dict.fromkeys(title_ids))
    if not title_ids:
        raise ApplicationError(_("Recommend at least one title."), {"field": "title_ids"})
    if len(title_ids) > MAX_TITLES:
        raise ApplicationError(
            _("At most %(n)s titles per post.") % {"n": MAX_TITLES}, {"field": "title_ids"}
        )
    found = set(Title.objects.filter(pk__in=title_ids).values_list("pk", flat=True))
    missing = [pk for pk in title_ids if pk not in found]
    if missing:
        raise NotFoundError(
            _("Some of these titles do not exist: pick them from the suggestions."), {"title_ids": missing}
        )
    return title_ids


@transaction.atomic
def board_post_create(*, author: User, heading: str, body: str, title_ids: list[int]) -> BoardPost:
    heading = clean_text(heading, field="heading", max_length=120)
    body = clean_text(body, field="body", max_length=10000)
    title_ids = _titles_check(title_ids)
    rate_limit_hit(action="board_post", user_id=author.pk)
    post = BoardPost(author=author, heading=heading, body=body)
    post.full_clean()
    post.save()
    post.titles.set(title_ids)
    Activity.objects.create(
        actor=author, verb=ActivityVerb.POSTED, title_id=title_ids[0], section="board", target_id=post.pk
    )
    return post


def _own_post(*, user: User, post_id: int) -> BoardPost:
    post = BoardPost.objects.select_for_update().filter(pk=post_id).first()
    if post is None or post.author_id != user.pk:
        raise NotFoundError(_("You can only change your own posts."), {"post_id": post_id})
    return post


@transaction.atomic
def board_post_update(
    *, user: User, post_id: int, heading: str, body: str, title_ids: list[int]
) -> BoardPost:
    post = _own_post(user=user, post_id=post_id)
    post.heading = clean_text(heading, field="heading", max_length=120)
    post.body = clean_text(body, field="body", max_length=10000)
    title_ids = _titles_check(title_ids)
    post.full_clean()
    post.save()
    post.titles.set(title_ids)
    return post


@transaction.atomic
def board_post_delete(*, user: User, post_id: int) -> None:
    post = BoardPost.objects.filter(pk=post_id).first()
    if post is None or (post.author_id != user.pk and not user.is_staff):
        raise NotFoundError(_("You can only delete your own posts."), {"post_id": post_id})
    Activity.objects.filter(verb=ActivityVerb.POSTED, target_id=post.pk).delete()
    post.delete()


def board_post_moderate(*, user: User, post_id: int, hidden: bool) -> BoardPost:
    if not user.is_staff:
        raise ForbiddenError("Only staff can moderate posts.")
    post = BoardPost.objects.filter(pk=post_id).first()
    if post is None:
        raise NotFoundError("No such post.", {"post_id": post_id})
    post.is_hidden = hidden
    post.save(update_fields=["is_hidden", "updated_at"])
    return post


@transaction.atomic
def board_comment_create(*, user: User, post: BoardPost, body: str) -> BoardComment:
    body = clean_text(body, field="comment", max_length=1000)
    rate_limit_hit(action="comment", user_id=user.pk)
    comment = BoardComment.objects.create(post=post, author=user, body=body)
    BoardPost.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    return comment


@transaction.atomic
def board_comment_delete(*, user: User, comment_id: int) -> None:
    comment = BoardComment.objects.filter(pk=comment_id).first()
    if comment is None or (comment.author_id != user.pk and not user.is_staff):
        raise NotFoundError("You can only delete your own comments.", {"comment_id": comment_id})
    BoardPost.objects.filter(pk=comment.post_id).update(comment_count=F("comment_count") - 1)
    comment.delete()


@transaction.atomic
def board_like_set(*, user: User, post: BoardPost, liked: bool) -> int:
    return like_set(like_model=BoardLike, target=post, target_field="post", user=user, liked=liked)


def board_view_record(*, user: User | None, post: BoardPost) -> bool:
    """Count one view per signed-in user per Seoul day."""
    if user is None or not user.is_authenticated:
        return False
    try:
        with transaction.atomic():
            BoardView.objects.create(post=post, user=user, day=seoul_today())
    except IntegrityError:
        return False
    BoardPost.objects.filter(pk=post.pk).update(view_count=F("view_count") + 1)
    return True
