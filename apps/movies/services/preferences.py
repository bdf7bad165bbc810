"""Visitor preferences of the catalog: the "my services" list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from apps.movies.models import Provider

# Anonymous visitors keep their services in the session under this key.
SESSION_MY_SERVICES_KEY = "movies:my_services"


def my_services_set(*, user: Any, session: Any, provider_slugs: Sequence[str]) -> list[str]:
    """Remember the visitor's services: on the account when signed in, else in the session.

    Unknown slugs are dropped. Returns the slugs stored.
    """
    providers = list(Provider.objects.filter(slug__in=provider_slugs).order_by("display_priority", "name"))
    slugs = [provider.slug for provider in providers]
    if user is not None and user.is_authenticated:
        with transaction.atomic():
            user.my_services.set(providers)
    else:
        session[SESSION_MY_SERVICES_KEY] = slugs
    return slugs
