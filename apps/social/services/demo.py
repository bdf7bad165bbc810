"""The demo's people: MovieLens 100K's 943 users and 100,000 ratings, and the demo's entry point.

``demo_load`` (``manage.py load_demo``, run by ``make run``) loads the catalog
(``apps.movies.services.demo``) and then these people in one transaction, and refreshes the
titles' rating aggregates and popularity once the ratings are in. The catalog knows nothing of
people; people sit on top of the catalog.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.db.models import Q
from django.db.models import Sum
from django.utils import timezone
from tqdm import tqdm

from apps.movies.datasets import MovieLensRating
from apps.movies.datasets import MovieLensUser
from apps.movies.services import popularity
from apps.movies.services.bulk import chunks
from apps.movies.services.bulk import rows_insert
from apps.movies.services.catalog import title_masks_refresh
from apps.movies.services.demo import KOREAN_SAMPLE_PATH
from apps.movies.services.demo import DemoDataError
from apps.movies.services.demo import DemoLoadResult
from apps.movies.services.demo import MovieLensSource
from apps.movies.services.demo import demo_catalog_import
from apps.movies.services.demo import demo_catalog_read
from apps.social.models import Rating


def _users_by_movielens_id() -> dict[int, int]:
    rows = get_user_model().objects.filter(movielens_id__isnull=False).values_list("movielens_id", "id")
    return {movielens_id: user_id for movielens_id, user_id in rows if movielens_id is not None}


def demo_load(
    *,
    movielens: MovieLensSource | None,
    sample_path: Path = KOREAN_SAMPLE_PATH,
    snapshot: datetime.date | None = None,
    progress: bool = False,
) -> DemoLoadResult:
    """Load the catalog, then MovieLens's people and ratings (when given), in one transaction.

    Raises ``DemoDataError`` naming every bad record and field before anything is written.
    """
    snapshot = snapshot or datetime.date.fromisoformat(settings.DEMO_KOREAN_SNAPSHOT)
    files = demo_catalog_read(sample_path=sample_path)
    result = DemoLoadResult()
    with transaction.atomic():
        catalog = demo_catalog_import(
            files=files, movielens=movielens, snapshot=snapshot, result=result, progress=progress
        )
        if movielens is not None:
            movielens_people_import(
                source=movielens, title_ids=catalog.movielens_title_ids, result=result, progress=progress
            )
        result.updated["title stats"] += _title_stats_refresh(title_ids=catalog.title_ids, reference=snapshot)
        result.updated["title masks"] += title_masks_refresh(title_ids=catalog.title_ids)
    return result


def movielens_people_import(
    *, source: MovieLensSource, title_ids: dict[int, int], result: DemoLoadResult, progress: bool = False
) -> None:
    """Upsert MovieLens users and insert their ratings of the films ``title_ids`` maps.

    Call inside ``transaction.atomic``, after the catalog import.
    """
    user_ids = _movielens_users_upsert(users=list(source.users()), result=result, progress=progress)
    _movielens_ratings_insert(
        ratings=source.ratings(), title_ids=title_ids, user_ids=user_ids, result=result, progress=progress
    )


def _movielens_users_upsert(
    *, users: Sequence[MovieLensUser], result: DemoLoadResult, progress: bool
) -> dict[int, int]:
    """Create demo accounts for MovieLens users; existing ones are kept as they are.

    Returns user ids by MovieLens user id.
    """
    User = get_user_model()
    existing = _users_by_movielens_id()
    missing = [user for user in users if user.user_id not in existing]
    if missing:
        usernames = {f"ml-{user.user_id}" for user in missing}
        nicknames = {f"무비팬{user.user_id}" for user in missing}
        taken = User.objects.filter(Q(username__in=usernames) | Q(nickname__in=nicknames)).values_list(
            "username", flat=True
        )
        if taken:
            raise DemoDataError(
                "Accounts without a MovieLens id already use demo usernames or nicknames",
                sorted(taken)[:10],
            )
    # One unusable password per account: demo accounts exist for their ratings, not for logins.
    accounts = [
        User(
            username=f"ml-{user.user_id}",
            nickname=f"무비팬{user.user_id}",
            movielens_id=user.user_id,
            password=make_password(None),
            email="",
        )
        for user in missing
    ]
    with tqdm(
        total=len(accounts), desc="MovieLens users", unit="rows", disable=not progress or not accounts
    ) as bar:
        for batch in chunks(accounts):
            User.objects.bulk_create(batch)
            bar.update(len(batch))
    result.created["users"] += len(accounts)
    if accounts:
        existing = _users_by_movielens_id()
    return existing


def _movielens_ratings_insert(
    *,
    ratings: Iterable[MovieLensRating],
    title_ids: dict[int, int],
    user_ids: dict[int, int],
    result: DemoLoadResult,
    progress: bool,
) -> None:
    """Insert ratings that are not stored yet; a stored rating is the user's own and is kept."""
    have: set[tuple[int, int]] = set()
    if Rating.objects.filter(user_id__in=user_ids.values()).exists():
        have = set(
            Rating.objects.filter(user__movielens_id__isnull=False)
            .values_list("user_id", "title_id")
            .iterator()
        )
    now = timezone.now()
    rows: list[tuple[Any, ...]] = []
    for rating in ratings:
        if rating.user_id not in user_ids or rating.item_id not in title_ids:
            raise DemoDataError(
                f"MovieLens rating of user {rating.user_id} for movie {rating.item_id} refers to a user or "
                "movie the data set does not list"
            )
        key = (user_ids[rating.user_id], title_ids[rating.item_id])
        if key in have:
            continue
        have.add(key)
        created_at = datetime.datetime.fromtimestamp(rating.timestamp, tz=datetime.UTC)
        rows.append((*key, rating.rating * 2, created_at, now))
    fields = ("user", "title", "half_stars", "created_at", "updated_at")
    rows_insert(Rating, fields, rows, label="MovieLens ratings", progress=progress)
    result.created["ratings"] += len(rows)


def _title_stats_refresh(*, title_ids: Iterable[int], reference: datetime.date) -> int:
    """The demo's titles through the catalog's one stats service (apps.movies.services.popularity),
    damped towards the mean of every rating loaded. Returns the number of titles that changed."""
    totals = Rating.objects.aggregate(n=Count("id"), half_stars=Sum("half_stars"))
    prior_mean = (totals["half_stars"] / totals["n"] / 2) if totals["n"] else 3.0
    return popularity.title_stats_refresh(title_ids=title_ids, reference=reference, prior_mean=prior_mean)
