"""Nicknames, avatars and onboarding."""

from __future__ import annotations

import functools
import io
import re
import sys
import unicodedata
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image
from PIL import UnidentifiedImageError

from apps.movies.models import Genre
from apps.movies.models import Provider
from apps.movies.models import Title
from apps.social.confusables import skeleton
from apps.social.homepage_cache import homepage_forget_on_commit
from apps.social.models import Profile
from apps.social.models import User
from apps.social.services.homepage import profile_get_or_create
from apps.social.services.ratings import rating_set
from apps.social.services.ratings import watchlist_add
from config.exceptions import ApplicationError
from config.exceptions import ConflictError
from config.exceptions import NotFoundError

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

# Letters of any script (Hangul included), digits, underscore and period; 2–20 characters.
NICKNAME_RE = re.compile(r"^[\w.]{2,20}$")  # 20: NICKNAME_MAX
AVATAR_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
AVATAR_MEDIA_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
AVATAR_SIDE = 512
ONBOARDING_MIN_TITLES = 5


NICKNAME_MAX = 20


@functools.cache
def nickname_json_pattern() -> str:
    """``NICKNAME_RE`` as a JSON Schema pattern, for the API document.

    Python's ``\\w`` is every script's letters and digits, which JSON Schema's ``\\w`` (ASCII)
    is not, so the class is spelled out from the Unicode database this Python has: the
    characters whose display form and uniqueness key both pass ``NICKNAME_RE`` on their own.
    Built once per process, when the schema is (about 3 s).
    """
    word = re.compile(r"[\w.]")
    ranges: list[list[int]] = []
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        if not word.match(char):
            continue
        display, key = nickname_normalise(char)
        if display != char or len(key) != 1 or not word.match(key):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    spelled = "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)
    return f"^[{spelled}]{{2,{NICKNAME_MAX}}}$"


def nickname_skeleton(display: str) -> str:
    """The confusable skeleton of a nickname, from its case-preserving form ("I" looks like
    "l"; casefolding first would hide that)."""
    return skeleton(unicodedata.normalize("NFKC", display))


def nickname_taken(*, display: str, exclude_user: User | None = None) -> bool:
    """Whether this nickname, or one people could mistake for it, is in use."""
    key = nickname_normalise(display)[1]
    taken = Profile.objects.filter(Q(nickname_key=key) | Q(nickname_skeleton=nickname_skeleton(display)))
    if exclude_user is not None and exclude_user.pk:
        taken = taken.exclude(user=exclude_user)
    return taken.exists()


def nickname_normalise(value: str) -> tuple[str, str]:
    """Return (display form in NFC, uniqueness key).

    The key folds case and compatibility forms (NFKC after casefold, e.g. full-width
    "ＡＢＣ" == "abc"), so two nicknames that look the same cannot both exist.
    """
    display = unicodedata.normalize("NFC", (value or "").strip())
    key = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", display).casefold())
    return display, key


def nickname_validate(value: str, *, user: User | None = None) -> tuple[str, str]:
    display, key = nickname_normalise(value)
    if not NICKNAME_RE.match(display) or not NICKNAME_RE.match(key):
        raise ApplicationError(
            "Nicknames are 2–20 letters, digits, '_' or '.', without spaces.", {"field": "nickname"}
        )
    if nickname_taken(display=display, exclude_user=user):
        raise ConflictError("This nickname is taken.", {"field": "nickname"})
    return display, key


@transaction.atomic
def user_nickname_set(*, user: User, nickname: str) -> User:
    display, key = nickname_validate(nickname, user=user)
    profile = profile_get_or_create(user=user)
    try:
        with transaction.atomic():
            profile.nickname_key = key
            profile.nickname_skeleton = nickname_skeleton(display)
            profile.save(update_fields=["nickname_key", "nickname_skeleton"])
            user.nickname = display
            user.save(update_fields=["nickname"])
    except IntegrityError as exc:  # lost a race for the same nickname
        raise ConflictError("This nickname is taken.", {"field": "nickname"}) from exc
    homepage_forget_on_commit(user_ids=[user.pk])  # the taste section links by nickname
    return user


def _avatar_image(upload: UploadedFile) -> Image.Image:
    max_bytes = getattr(settings, "SOCIAL_AVATAR_MAX_BYTES", 5 * 1024 * 1024)
    if upload.size is None or upload.size > max_bytes:
        raise ApplicationError(
            f"The picture is too large (at most {max_bytes // (1024 * 1024)} MB).", {"field": "avatar"}
        )
    try:
        upload.seek(0)
        probe = Image.open(upload)
        probe.verify()  # checks the file's structure without decoding it all
        if probe.format not in AVATAR_FORMATS:
            raise UnidentifiedImageError(probe.format)
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ApplicationError(
            "The file is not a picture we can use (JPEG, PNG, GIF or WebP).", {"field": "avatar"}
        ) from exc
    return image


def user_avatar_set(*, user: User, upload: UploadedFile) -> User:
    """Verify the upload is an image, then store a re-encoded square thumbnail (drops any payload)."""
    image = _avatar_image(upload)
    image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    image.thumbnail((AVATAR_SIDE, AVATAR_SIDE))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG" if image.mode == "RGBA" else "JPEG", quality=88)
    ext = "png" if image.mode == "RGBA" else "jpg"
    old = user.avatar.name if user.avatar else ""
    user.avatar.save(
        f"{user.pk}-{int(timezone.now().timestamp())}.{ext}", ContentFile(buffer.getvalue()), save=True
    )
    if old:
        user.avatar.storage.delete(old)
    return user


@transaction.atomic
def onboarding_complete(
    *,
    user: User,
    genre_ids: list[int],
    provider_ids: list[int],
    ratings: dict[int, float],
    watchlist_ids: list[int],
) -> User:
    """Cold start: favourite genres, my services, and at least five rated or marked titles."""
    marked = set(ratings) | set(watchlist_ids)
    if not genre_ids:
        raise ApplicationError("Pick at least one favourite genre.", {"field": "genre_ids"})
    # What names nothing (404) is reported before what is too few (400).
    genres = list(Genre.objects.filter(pk__in=genre_ids))
    providers = list(Provider.objects.filter(pk__in=provider_ids))
    if len(genres) != len(set(genre_ids)) or len(providers) != len(set(provider_ids)):
        raise NotFoundError("Unknown genre or service.", {"field": "genre_ids"})
    titles = Title.objects.in_bulk(list(marked))
    if len(titles) != len(marked):
        raise NotFoundError("Unknown titles.", {"title_ids": sorted(marked - set(titles))})
    if len(marked) < ONBOARDING_MIN_TITLES:
        raise ApplicationError(
            f"Rate or mark at least {ONBOARDING_MIN_TITLES} titles ({len(marked)} so far).",
            {"field": "titles", "count": len(marked)},
        )
    user.favourite_genres.set(genres)
    user.my_services.set(providers)
    for title_id, stars in ratings.items():
        rating_set(user=user, title=titles[title_id], stars=stars)
    for title_id in watchlist_ids:
        if title_id not in ratings:
            watchlist_add(user=user, title=titles[title_id])
    profile = profile_get_or_create(user=user)
    profile.onboarded_at = timezone.now()
    profile.save(update_fields=["onboarded_at"])
    return user
