"""Template helpers of the catalog pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe

from apps.common.korean import Particle
from apps.common.korean import particle_for
from apps.common.korean import with_particle
from apps.movies.cards import CardView
from apps.movies.cards import badge_initials
from apps.movies.cards import card_html
from apps.movies.cards import card_view as build_card_view
from apps.movies.cards import is_korean
from apps.movies.cards import poster_url_of
from apps.movies.cards import provider_display_name
from apps.movies.models import AgeRating
from apps.movies.models import MediaType
from apps.movies.models import OfferType

register = template.Library()


@register.simple_tag
def poster_src(item: Any) -> str:
    """The poster of a title (model or list row), or its generated placeholder."""
    return poster_url_of(item)


@register.filter
def offer_label(value: str) -> str:
    return str(OfferType(value).label) if value in OfferType.values else value


@register.filter
def age_label(value: str) -> str:
    return str(AgeRating(value).label) if value in AgeRating.values else value


@register.filter
def media_label(value: str) -> str:
    return str(MediaType(value).label) if value in MediaType.values else value


@register.filter
def provider_name(provider: Any) -> str:
    """A provider's name in the current language (model or vocabulary entry)."""
    return provider_display_name(provider, korean=is_korean())


@register.filter
def initials(name: str) -> str:
    """Up to two letters for a provider badge without a logo."""
    return badge_initials(name)


@register.filter
def card_view(item: Any) -> CardView:
    """A title card's ready-made strings, from a list row or a Title (see ``apps.movies.cards``)."""
    return build_card_view(item)


@register.simple_tag(takes_context=True)
def title_card(
    context: template.Context,
    item: Any,
    *,
    why: str = "",
    list_position: int | None = None,
    dismissible: bool = False,
) -> SafeString:
    """A title card (movies/partials/card.html) of a list row or a Title, with its 예상 별점 from
    ``predicted_stars`` in the context (one batched call per page, made by the view or tag)."""
    view = build_card_view(item)
    stars = (context.get("predicted_stars") or {}).get(view.id)
    html = card_html(
        view, why=str(why or ""), stars=stars, list_position=list_position, dismissible=bool(dismissible)
    )
    return mark_safe(html)  # noqa: S308 - rendered by the autoescaping card template


@register.filter
def as_title_name(value: Any, particle: Particle | None = None) -> str:
    """A title (or a person's name) marked as a name, to sit inside a translated sentence;
    with ``particle`` ("을/를", "은/는", …) followed by it in Korean: ``title|as_title_name:"을/를"``."""
    from django.utils.html import format_html

    after = particle_for(str(value), particle) if particle else ""
    return format_html('<span class="title-name" dir="auto">{}</span>{}', value, after)


@register.filter(name="with_particle")
def with_particle_filter(value: Any, particle: Particle) -> str:
    """``value`` followed by its Korean particle (apps/common/korean.py): ``name|with_particle:"으로/로"``."""
    return with_particle(str(value), particle)


@register.filter
def as_person_name(value: Any) -> str:
    """A nickname or person's name marked as a name, to sit inside a translated sentence."""
    from django.utils.html import format_html

    return format_html('<span data-name dir="auto">{}</span>', value)


@register.filter
def as_user_text(value: Any) -> str:
    """What a person wrote (a search query, a comment), marked as user text inside a sentence."""
    from django.utils.html import format_html

    return format_html('<span class="ugc" dir="auto">{}</span>', value)


@register.filter
def is_korean_text(value: Any) -> bool:
    """True when the text holds Hangul (a Korean source's overview gets ``lang="ko"``)."""
    import re

    return bool(re.search(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]", str(value or "")))
