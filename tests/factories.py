"""factory_boy factories, one per model, named <Model>Factory."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from apps.movies.models import Availability
from apps.movies.models import Genre
from apps.movies.models import OfferType
from apps.movies.models import Provider
from apps.movies.models import ProviderKind
from apps.movies.models import Title


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
