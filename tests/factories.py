"""factory_boy factories, one per model, named <Model>Factory."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.chat.models import BlockedWord
from apps.chat.models import Membership
from apps.chat.models import Room
from apps.chat.models import RoomKind
from apps.movies.models import Availability
from apps.movies.models import CrawlRun
from apps.movies.models import Credit
from apps.movies.models import CreditRole
from apps.movies.models import Genre
from apps.movies.models import OfferType
from apps.movies.models import Person
from apps.movies.models import Provider
from apps.movies.models import ProviderKind
from apps.movies.models import Title
from apps.recs.models import Event
from apps.recs.models import EventKind
from apps.recs.models import ModelArtifact
from apps.social.models import DiaryEntry
from apps.social.models import Friendship
from apps.social.models import Notification
from apps.social.models import NotificationKind
from apps.social.models import Rating
from apps.social.models import Review
from apps.social.models import WatchlistItem

# Factories declare only what the model requires, so ``XFactory(**fields)`` builds the same
# row as ``X.objects.create(**fields)`` and a test states only what it is about.


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    nickname = factory.Sequence(lambda n: f"무비러버{n}")
    password = factory.django.Password("pass-word-123")


class GenreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Genre
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"genre-{n}")
    name_en = factory.LazyAttribute(lambda g: g.slug.title())
    name_ko = factory.LazyAttribute(lambda g: g.slug)
    bit = factory.Sequence(lambda n: n % 63)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"provider-{n}")
    name = factory.LazyAttribute(lambda p: p.slug.title())
    kind = ProviderKind.OTT
    bit = factory.Sequence(lambda n: n % 63)


class TitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Title

    title_ko = factory.Sequence(lambda n: f"영화 {n}")
    title_en = factory.Sequence(lambda n: f"Movie {n}")
    year = 2020
    popularity = factory.Sequence(lambda n: float(1000 - n))


class AvailabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Availability

    title = factory.SubFactory(TitleFactory)
    provider = factory.SubFactory(ProviderFactory)
    offer_type = OfferType.STREAM


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"배우 {n}")


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    title = factory.SubFactory(TitleFactory)
    person = factory.SubFactory(PersonFactory)
    role = CreditRole.CAST


class CrawlRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrawlRun

    source = "kobis"
    started_at = factory.LazyFunction(timezone.now)


# -----------------------------------------------------------------------------
# People (apps/social)
# -----------------------------------------------------------------------------
class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    user = factory.SubFactory(UserFactory)
    title = factory.SubFactory(TitleFactory)
    half_stars = 8
    created_at = factory.LazyFunction(timezone.now)


class WatchlistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WatchlistItem

    user = factory.SubFactory(UserFactory)
    title = factory.SubFactory(TitleFactory)


class DiaryEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiaryEntry

    user = factory.SubFactory(UserFactory)
    title = factory.SubFactory(TitleFactory)
    watched_on = factory.LazyFunction(lambda: dt.date(2026, 1, 1))


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    user = factory.SubFactory(UserFactory)
    title = factory.SubFactory(TitleFactory)
    body = factory.Sequence(lambda n: f"리뷰 {n}")


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = NotificationKind.FRIEND_REQUEST
    text = factory.Sequence(lambda n: f"알림 {n}")


# -----------------------------------------------------------------------------
# Chat
# -----------------------------------------------------------------------------
class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    kind = RoomKind.USER
    name = factory.Sequence(lambda n: f"방 {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    room = factory.SubFactory(RoomFactory)
    user = factory.SubFactory(UserFactory)


class BlockedWordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlockedWord

    room = factory.SubFactory(RoomFactory)
    word = factory.Sequence(lambda n: f"금지어{n}")


# -----------------------------------------------------------------------------
# Recommendations
# -----------------------------------------------------------------------------
class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = EventKind.VIEW
    occurred_at = factory.LazyFunction(timezone.now)


class ModelArtifactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModelArtifact

    as_of = factory.Sequence(lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=n))
    payload = b""
    trained_at = factory.LazyFunction(timezone.now)


def befriend(a, b) -> None:
    """Make ``a`` and ``b`` 일촌 directly (both directions), without the request flow."""
    Friendship.objects.get_or_create(user=a, friend=b)
    Friendship.objects.get_or_create(user=b, friend=a)
