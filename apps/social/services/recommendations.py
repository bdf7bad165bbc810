"""Recommending a title to friends: inbox, accept (to the watchlist) or dismiss."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse

from apps.social.models import Activity
from apps.social.models import ActivityVerb
from apps.social.models import Friendship
from apps.social.models import NotificationKind
from apps.social.models import Recommendation
from apps.social.models import RecommendationStatus
from apps.social.models import User
from apps.social.notification_text import actor_params
from apps.social.notification_text import title_names
from apps.social.services.common import clean_text
from apps.social.services.common import rate_limit_hit
from apps.social.services.friends import blocked_between
from apps.social.services.notifications import notification_create
from apps.social.services.ratings import watchlist_add
from config.exceptions import ApplicationError
from config.exceptions import ConflictError
from config.exceptions import ForbiddenError
from config.exceptions import NotFoundError

if TYPE_CHECKING:
    from apps.movies.models import Title

NOTE_MAX = 300
MAX_RECEIVERS = 20


@transaction.atomic
def recommendation_send(
    *, sender: User, receiver_ids: list[int], title: Title, note: str
) -> list[Recommendation]:
    """Send one title to friends with a note: all receivers are checked before anything is saved."""
    note = clean_text(note, field="note", max_length=NOTE_MAX)
    receiver_ids = list(dict.fromkeys(receiver_ids))
    if not receiver_ids:
        raise ApplicationError("Choose at least one friend.", {"field": "receiver_ids"})
    if len(receiver_ids) > MAX_RECEIVERS:
        raise ApplicationError(f"At most {MAX_RECEIVERS} friends at once.", {"field": "receiver_ids"})
    if sender.pk in receiver_ids:
        raise ForbiddenError("You cannot recommend a title to yourself.", {"field": "receiver_ids"})
    receivers = {u.pk: u for u in User.objects.filter(pk__in=receiver_ids)}
    friends = set(
        Friendship.objects.filter(user=sender, friend_id__in=receiver_ids).values_list("friend_id", flat=True)
    )
    for receiver_id in receiver_ids:
        if receiver_id not in receivers:
            raise NotFoundError("Unknown user.", {"receiver_id": receiver_id})
        if blocked_between(a_id=sender.pk, b_id=receiver_id):
            raise ForbiddenError("You cannot recommend to this user.", {"receiver_id": receiver_id})
        if receiver_id not in friends:
            raise ForbiddenError("You can only recommend titles to friends.", {"receiver_id": receiver_id})
    already = set(
        Recommendation.objects.filter(sender=sender, title=title, receiver_id__in=receiver_ids).values_list(
            "receiver_id", flat=True
        )
    )
    if already:
        raise ConflictError(
            "You already recommended this title to some of them.", {"receiver_ids": sorted(already)}
        )
    for _ in receiver_ids:
        rate_limit_hit(action="recommendation", user_id=sender.pk)
    created = []
    for receiver_id in receiver_ids:
        rec = Recommendation(sender=sender, receiver=receivers[receiver_id], title=title, note=note)
        rec.full_clean()
        rec.save()
        created.append(rec)
        notification_create(
            user=receivers[receiver_id],
            actor=sender,
            kind=NotificationKind.RECOMMENDATION,
            text=f"{sender.display_name} recommended {title.display_title}",
            params=actor_params(sender) | title_names(title),
            url=reverse("social:inbox"),
        )
    Activity.objects.create(actor=sender, verb=ActivityVerb.RECOMMENDED, title=title, section="ratings")
    return created


def _pending_for_receiver(*, user: User, recommendation_id: int) -> Recommendation:
    rec = (
        Recommendation.objects.select_for_update()
        .select_related("title")
        .filter(pk=recommendation_id, receiver=user)
        .first()
    )
    if rec is None:
        raise NotFoundError("No such recommendation.", {"recommendation_id": recommendation_id})
    if rec.status != RecommendationStatus.PENDING:
        raise ConflictError(f"This recommendation was already {rec.status}.")
    return rec


@transaction.atomic
def recommendation_accept(*, user: User, recommendation_id: int) -> Recommendation:
    rec = _pending_for_receiver(user=user, recommendation_id=recommendation_id)
    rec.status = RecommendationStatus.ACCEPTED
    rec.save(update_fields=["status", "updated_at"])
    watchlist_add(user=user, title=rec.title)
    return rec


@transaction.atomic
def recommendation_dismiss(*, user: User, recommendation_id: int) -> Recommendation:
    rec = _pending_for_receiver(user=user, recommendation_id=recommendation_id)
    rec.status = RecommendationStatus.DISMISSED
    rec.save(update_fields=["status", "updated_at"])
    return rec
