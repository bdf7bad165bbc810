"""The picks page's writes: "관심 없음" and the onboarding taste step."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.movies.models import Genre
from apps.movies.models import Provider
from apps.social.services.homepage import profile_get_or_create
from config.exceptions import ApplicationError

if TYPE_CHECKING:
    from apps.movies.models import Title
    from apps.social.models import User


def pick_dismiss(*, user: User, title: Title) -> None:
    """Never suggest this title to the person again.

    Written straight through the recs app's event store (not the Redis buffer the page
    script uses), so the picks page that reloads next already leaves the title out.
    """
    from apps.recs.models import EventKind
    from apps.recs.services.events import events_write

    now = timezone.now().isoformat()
    events_write(
        events=[
            {
                "event_id": str(uuid.uuid4()),
                "kind": EventKind.REC_DISMISS.value,
                "user_id": user.pk,
                "session_key": "",
                "title_id": title.pk,
                "occurred_at": now,
                "received_at": now,
                "list_name": "picks",
            }
        ]
    )


def pick_dismiss_undo(*, user: User, title: Title) -> bool:
    """Take back "관심 없음" on a title: it may be suggested again. False if it was not dismissed."""
    from apps.recs.services.events import dismissals_undo

    return dismissals_undo(user_id=user.pk, title_id=title.pk) > 0


@transaction.atomic
def onboarding_taste_set(*, user: User, genre_ids: list[int], provider_ids: list[int]) -> User:
    """The last onboarding step: favourite genres and my services (both may be left empty)."""
    genres = list(Genre.objects.filter(pk__in=genre_ids))
    providers = list(Provider.objects.filter(pk__in=provider_ids))
    if len(genres) != len(set(genre_ids)) or len(providers) != len(set(provider_ids)):
        raise ApplicationError(_("Unknown genre or service."), {"field": "genre_ids"})
    user.favourite_genres.set(genres)
    user.my_services.set(providers)
    profile = profile_get_or_create(user=user)
    profile.onboarded_at = timezone.now()
    profile.save(update_fields=["onboarded_at"])
    return user
