"""Catalog REST API: one APIView per operation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.movies.api.serializers import genre_to_json
from apps.movies.api.serializers import provider_to_json
from apps.movies.api.serializers import title_row_to_json
from apps.movies.cards import poster_url_of
from apps.movies.cards import title_url_template
from apps.movies.filters import MINE_VALUES
from apps.movies.filters import NAMED_VALUES
from apps.movies.filters import TRUE_VALUES
from apps.movies.filters import catalog_query_parse
from apps.movies.models import AgeRating
from apps.movies.models import MediaType
from apps.movies.models import OfferType
from apps.movies.models import Title
from apps.movies.selectors import PREDICTED_SORT
from apps.movies.selectors import SORTS
from apps.movies.selectors import catalog_vocabulary
from apps.movies.selectors import my_services_slugs
from apps.movies.selectors import title_credits
from apps.movies.selectors import title_get
from apps.movies.selectors import title_list
from apps.movies.selectors import title_similar
from apps.movies.selectors import title_where_to_watch
from apps.recs.predictions import PREDICTION_MIN_RATINGS
from apps.recs.predictions import catalog_page_by_predicted
from config.exceptions import ApplicationError
from config.exceptions import NotFoundError


class TitleNamesSerializer(serializers.Serializer):
    """What every title in the API starts with: its id, kind, names and year."""

    id = serializers.IntegerField()
    media_type = serializers.ChoiceField(choices=MediaType.choices)
    title = serializers.CharField()
    title_ko = serializers.CharField()
    title_en = serializers.CharField()
    title_original = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)


class FirstRendererNegotiation(BaseContentNegotiation):
    """The catalog API speaks JSON only: skip matching Accept headers against renderers."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        first = next(iter(renderers))
        return (first, first.media_type)


class TitleListApi(APIView):
    """The catalog, filtered and sorted, one page at a time (no total count)."""

    content_negotiation_class = FirstRendererNegotiation
    names_objects_in_query = True  # genre= and provider= slugs: 404 when they name nothing
    refused_by_state = True  # sort=predicted needs the caller's ratings: 409 without them

    class FilterSerializer(serializers.Serializer):
        """Documents the query parameters; ``catalog_query_parse`` validates them."""

        type = serializers.ChoiceField(choices=MediaType.choices, required=False)
        genre = serializers.ListField(
            child=serializers.CharField(),
            required=False,
            help_text="Genre slugs, repeated or comma-separated.",
        )
        match = serializers.ChoiceField(choices=["any", "all"], required=False, help_text="Default: any.")
        provider = serializers.ListField(
            child=serializers.CharField(), required=False, help_text="Provider slugs (any of them)."
        )
        mine = serializers.ChoiceField(
            choices=sorted(MINE_VALUES),
            required=False,
            help_text="Add the caller's own services (1/true/on/yes).",
        )
        offer = serializers.ListField(
            child=serializers.ChoiceField(choices=OfferType.choices), required=False
        )
        year_min = serializers.IntegerField(required=False, min_value=1870, max_value=2100)
        year_max = serializers.IntegerField(required=False, min_value=1870, max_value=2100)
        age = serializers.ListField(child=serializers.ChoiceField(choices=AgeRating.choices), required=False)
        sort = serializers.ChoiceField(
            choices=[*SORTS, PREDICTED_SORT],
            required=False,
            help_text=(
                "Default: popularity. `predicted` (예상 별점순): the caller's predicted stars, highest "
                "first; titles they rated come last. Only for a signed-in caller with at least "
                f"{PREDICTION_MIN_RATINGS} ratings: otherwise 409 with `extra.fields.sort.unavailable`."
            ),
        )
        page = serializers.IntegerField(required=False, min_value=1, help_text="Past the end: empty page.")

    class OutputSerializer(serializers.Serializer):
        class TitleRow(TitleNamesSerializer):
            age_rating = serializers.ChoiceField(choices=AgeRating.choices)
            popularity = serializers.FloatField()
            rating_avg = serializers.FloatField()
            rating_count = serializers.IntegerField()
            genres = serializers.ListField(child=serializers.SlugField())
            providers = serializers.ListField(child=serializers.SlugField())
            poster_url = serializers.CharField()
            url = serializers.CharField()

        page = serializers.IntegerField()
        page_size = serializers.IntegerField()
        next = serializers.CharField(allow_null=True)
        previous = serializers.CharField(allow_null=True)
        results = TitleRow(many=True)

    @extend_schema(
        parameters=[FilterSerializer],
        responses=OutputSerializer,
        summary="List titles",
        description=(
            "Filters combine with AND; values within genre/provider/offer/age combine with OR "
            "(genres with AND when match=all). A value outside a documented set answers 400, a "
            "genre or provider slug that names nothing 404, each naming the valid ones. "
            "sort=predicted orders by the caller's 예상 별점 and answers 409 for an anonymous caller "
            f"or one with fewer than {PREDICTION_MIN_RATINGS} ratings."
        ),
    )
    def get(self, request: Request) -> Response:
        vocabulary = catalog_vocabulary()
        params = request.query_params
        mine = params.get("mine") in TRUE_VALUES
        parsed = catalog_query_parse(
            params=params,
            vocabulary=vocabulary,
            my_services=my_services_slugs(user=request.user, session=request.session) if mine else (),
        )
        if parsed.problems.keys() - NAMED_VALUES:
            raise ApplicationError("Unknown filter values.", extra={"fields": parsed.problems})
        if parsed.problems:
            # Well-formed slugs naming no genre or provider: the things named are not found.
            raise NotFoundError("Unknown filter values.", extra={"fields": parsed.problems})
        if parsed.filters.sort == PREDICTED_SORT:
            # Answers 409 (ConflictError) for an anonymous caller or too few ratings.
            page = catalog_page_by_predicted(
                user_id=request.user.id,
                filters=parsed.filters,
                page=parsed.page,
                page_size=settings.CATALOG_PAGE_SIZE,
            )
        else:
            page = title_list(filters=parsed.filters, page=parsed.page, page_size=settings.CATALOG_PAGE_SIZE)
        detail_url = title_url_template("movies-api:title-detail")
        return Response(
            {
                "page": page.page,
                "page_size": page.page_size,
                "next": _page_link(request, page.page + 1) if page.has_next else None,
                "previous": _page_link(request, page.page - 1) if page.has_previous else None,
                "results": [title_row_to_json(row, detail_url=detail_url) for row in page.rows],
            }
        )


def _page_link(request: Request, page: int) -> str:
    # Cheaper than QueryDict.copy(), which deep-copies every value.
    params = [
        (key, value) for key, values in request.query_params.lists() if key != "page" for value in values
    ]
    return f"{request.path}?{urlencode([*params, ('page', page)])}"


class TitleDetailApi(APIView):
    """One title with its people, where to watch it and similar titles."""

    class OutputSerializer(TitleNamesSerializer):
        class Person(serializers.Serializer):
            id = serializers.IntegerField()
            name = serializers.CharField()
            name_en = serializers.CharField()
            character = serializers.CharField()

        class Offer(serializers.Serializer):
            provider = serializers.SlugField()
            offer_type = serializers.ChoiceField(choices=OfferType.choices)
            region = serializers.CharField()
            link = serializers.CharField()
            starts_on = serializers.DateField(allow_null=True)
            observed_on = serializers.DateField(allow_null=True)

        release_date = serializers.DateField(allow_null=True)
        runtime_minutes = serializers.IntegerField(allow_null=True)
        age_rating = serializers.ChoiceField(choices=AgeRating.choices)
        overview = serializers.CharField()
        genres = serializers.ListField(child=serializers.SlugField())
        poster_url = serializers.CharField()
        popularity = serializers.FloatField()
        rating_avg = serializers.FloatField()
        rating_count = serializers.IntegerField()
        external_ids = serializers.DictField(child=serializers.CharField(allow_null=True))
        directors = Person(many=True)
        cast = Person(many=True)
        where_to_watch = Offer(many=True)
        similar = serializers.ListField(child=serializers.IntegerField())

    @extend_schema(responses=OutputSerializer, summary="Get a title")
    def get(self, request: Request, title_id: int) -> Response:
        try:
            title = title_get(title_id=title_id)
        except Title.DoesNotExist as exc:
            raise Http404 from exc
        credits = title_credits(title=title)
        offers = [offer for group in title_where_to_watch(title=title) for offer in group.offers]
        return Response(
            {
                "id": title.id,
                "media_type": title.media_type,
                "title": title.display_title,
                "title_ko": title.title_ko,
                "title_en": title.title_en,
                "title_original": title.title_original,
                "year": title.year,
                "release_date": title.release_date,
                "runtime_minutes": title.runtime_minutes,
                "age_rating": title.age_rating,
                "overview": title.overview,
                "genres": [genre.slug for genre in title.genres.all()],
                "poster_url": poster_url_of(title),
                "popularity": title.popularity,
                "rating_avg": title.rating_avg,
                "rating_count": title.rating_count,
                "external_ids": {
                    "movielens": title.movielens_id,
                    "tmdb": title.tmdb_id,
                    "kobis": title.kobis_code,
                },
                "directors": [_person(credit) for credit in credits["directors"]],
                "cast": [_person(credit) for credit in credits["cast"]],
                "where_to_watch": [
                    {
                        "provider": offer.provider.slug,
                        "offer_type": offer.offer_type,
                        "region": offer.region,
                        "link": offer.link,
                        "starts_on": offer.starts_on,
                        "observed_on": offer.observed_on,
                    }
                    for offer in offers
                ],
                "similar": [row["id"] for row in title_similar(title=title)],
            }
        )


def _person(credit: Any) -> dict[str, Any]:
    return {
        "id": credit.person_id,
        "name": credit.person.name,
        "name_en": credit.person.name_en,
        "character": credit.character,
    }


class GenreListApi(APIView):
    class OutputSerializer(serializers.Serializer):
        slug = serializers.SlugField()
        name_ko = serializers.CharField()
        name_en = serializers.CharField()

    @extend_schema(responses=OutputSerializer(many=True), summary="List genres")
    def get(self, request: Request) -> Response:
        return Response([genre_to_json(genre) for genre in catalog_vocabulary().genres])


class ProviderListApi(APIView):
    class OutputSerializer(serializers.Serializer):
        slug = serializers.SlugField()
        name = serializers.CharField()
        name_ko = serializers.CharField()
        kind = serializers.CharField()
        color = serializers.CharField()
        logo_url = serializers.CharField(allow_null=True)

    @extend_schema(
        responses=OutputSerializer(many=True),
        summary="List providers",
        parameters=[OpenApiParameter("kind", str, enum=["ott", "cinema"], required=False)],
    )
    def get(self, request: Request) -> Response:
        providers = catalog_vocabulary().providers
        kind = request.query_params.get("kind") or None  # "?kind=" means no filter, as documented
        if kind is not None:
            kinds = sorted({provider.kind for provider in providers} | {"ott", "cinema"})
            if kind not in kinds:
                raise ApplicationError("Unknown provider kind.", extra={"fields": {"kind": {"valid": kinds}}})
            providers = tuple(provider for provider in providers if provider.kind == kind)
        return Response([provider_to_json(provider) for provider in providers])
