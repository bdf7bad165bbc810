"""Follow, mutual friends (일촌) and blocks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from apps.social.models import Block
from apps.social.models import Follow
from apps.social.models import FriendRequest
from apps.social.models import FriendRequestStatus
from apps.social.models import Friendship
from apps.social.models import NotificationKind
from apps.social.models import Recommendation
from apps.social.models import RecommendationStatus
from apps.social.notification_text import actor_params
from apps.social.services.common import clean_text
from apps.social.services.common import rate_limit_hit
from apps.social.services.notifications import notification_create
from config.exceptions import ApplicationError
from config.exceptions import NotFoundError

if TYPE_CHECKING:
    from apps.social.models import User


def blocked_between(*, a_id: int, b_id: int) -> bool:
    return Block.objects.filter(
        Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)
    ).exists()


def are_friends(*, a_id: int, b_id: int) -> bool:
    return Friendship.objects.filter(user_id=a_id, friend_id=b_id).exists()


def follow_set(*, user: User, target: User, following: bool) -> None:
    if user.pk == target.pk:
        raise ApplicationError("You cannot follow yourself.")
    if following:
        if blocked_between(a_id=user.pk, b_id=target.pk):
            raise ApplicationError("You cannot follow this user.")
        Follow.objects.get_or_create(follower=user, followee=target)
    else:
        Follow.objects.filter(follower=user, followee=target).delete()


def _friendship_make(a: User, b: User) -> None:
    Friendship.objects.get_or_create(user=a, friend=b)
    Friendship.objects.get_or_create(user=b, friend=a)


@transaction.atomic
def friend_request_send(*, from_user: User, to_user: User, message: str = "") -> FriendRequest:
    if from_user.pk == to_user.pk:
        raise ApplicationError("You cannot send a friend request to yourself.")
    message = clean_text(message, field="message", max_length=200, required=False)
    if blocked_between(a_id=from_user.pk, b_id=to_user.pk):
        raise ApplicationError("You cannot send a friend request to this user.")
    if are_friends(a_id=from_user.pk, b_id=to_user.pk):
        raise ApplicationError("You are already friends.")
    if FriendRequest.objects.filter(
        from_user=from_user, to_user=to_user, status=FriendRequestStatus.PENDING
    ).exists():
        raise ApplicationError("You already sent a friend request to this user.")
    reverse_request = FriendRequest.objects.filter(
        from_user=to_user, to_user=from_user, status=FriendRequestStatus.PENDING
    ).first()
    if reverse_request is not None:
        # They asked first: asking back is accepting.
        return friend_request_accept(user=from_user, request_id=reverse_request.pk)
    rate_limit_hit(action="friend_request", user_id=from_user.pk)
    try:
        with transaction.atomic():
            request = FriendRequest.objects.create(from_user=from_user, to_user=to_user, message=message)
    except IntegrityError as exc:  # a concurrent duplicate
        raise ApplicationError("You already sent a friend request to this user.") from exc
    notification_create(
        user=to_user,
        actor=from_user,
        kind=NotificationKind.FRIEND_REQUEST,
        text=f"{from_user.display_name} sent you a friend request",
        params=actor_params(from_user),
        url=reverse("social:friends"),
    )
    return request


def _pending_request_for(*, request_id: int, user: User, as_receiver: bool) -> FriendRequest:
    lookup = {"to_user": user} if as_receiver else {"from_user": user}
    request = FriendRequest.objects.select_for_update().filter(pk=request_id, **lookup).first()
    if request is None:
        raise NotFoundError("No such friend request.", {"request_id": request_id})
    if request.status == FriendRequestStatus.WITHDRAWN:
        raise ApplicationError("This friend request was withdrawn.", {"request_id": request_id})
    if request.status != FriendRequestStatus.PENDING:
        raise ApplicationError(
            f"This friend request was already {request.status}.", {"request_id": request_id}
        )
    return request


@transaction.atomic
def friend_request_accept(*, user: User, request_id: int) -> FriendRequest:
    request = _pending_request_for(request_id=request_id, user=user, as_receiver=True)
    if blocked_between(a_id=request.from_user_id, b_id=user.pk):
        raise ApplicationError("You cannot accept this request.")
    request.status = FriendRequestStatus.ACCEPTED
    request.save(update_fields=["status", "updated_at"])
    _friendship_make(request.from_user, user)
    Follow.objects.get_or_create(follower=user, followee=request.from_user)
    Follow.objects.get_or_create(follower=request.from_user, followee=user)
    notification_create(
        user=request.from_user,
        actor=user,
        kind=NotificationKind.FRIEND_ACCEPTED,
        text=f"{user.display_name} accepted your friend request",
        params=actor_params(user),
        url=reverse("social:homepage", kwargs={"nickname": user.nickname or user.username}),
    )
    return request


@transaction.atomic
def friend_request_decline(*, user: User, request_id: int) -> FriendRequest:
    request = _pending_request_for(request_id=request_id, user=user, as_receiver=True)
    request.status = FriendRequestStatus.DECLINED
    request.save(update_fields=["status", "updated_at"])
    return request


@transaction.atomic
def friend_request_withdraw(*, user: User, request_id: int) -> FriendRequest:
    request = _pending_request_for(request_id=request_id, user=user, as_receiver=False)
    request.status = FriendRequestStatus.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    return request


@transaction.atomic
def friend_remove(*, user: User, friend: User) -> None:
    deleted, _ = Friendship.objects.filter(Q(user=user, friend=friend) | Q(user=friend, friend=user)).delete()
    if not deleted:
        raise ApplicationError("You are not friends.")


@transaction.atomic
def block_set(*, blocker: User, blocked: User) -> Block:
    """Block: cuts friendship, follows, open requests and pending recommendations both ways."""
    if blocker.pk == blocked.pk:
        raise ApplicationError("You cannot block yourself.")
    block, _ = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    pair = Q(user=blocker, friend=blocked) | Q(user=blocked, friend=blocker)
    Friendship.objects.filter(pair).delete()
    Follow.objects.filter(
        Q(follower=blocker, followee=blocked) | Q(follower=blocked, followee=blocker)
    ).delete()
    FriendRequest.objects.filter(
        Q(from_user=blocker, to_user=blocked) | Q(from_user=blocked, to_user=blocker),
        status=FriendRequestStatus.PENDING,
    ).update(status=FriendRequestStatus.WITHDRAWN)
    Recommendation.objects.filter(
        sender=blocked, receiver=blocker, status=RecommendationStatus.PENDING
    ).update(status=RecommendationStatus.DISMISSED)
    return block


def block_remove(*, blocker: User, blocked: User) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()
