"""The search results page and the search / suggest APIs: thin over apps.movies.search."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_field
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.movies.search import SearchQueryEmpty
from apps.movies.search import SearchQueryError
from apps.movies.search import SearchResults
from apps.movies.search import search_titles
from apps.movies.search import suggest_titles
from apps.movies.search.query import MAX_QUERY_LENGTH
from apps.movies.search.service import DEFAULT_LIMIT
from apps.movies.search.service import MAX_LIMIT
from apps.movies.search.service import SUGGEST_LIMIT

if TYPE_CHECKING:
    from apps.movies.models import Title
    from apps.movies.search import SearchHit

PAGE_SIZE = DEFAULT_LIMIT
# Nobody pages past this; it also bounds the OFFSET a crafted URL can ask for.
MAX_PAGE = 50


def title_url(title: Title) -> str:
    """The title's page, when the catalog pages are installed."""
    try:
        return reverse("movies:title-detail", kwargs={"title_id": title.id})
    except NoReverseMatch:
        return ""


def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    try:
        page = min(MAX_PAGE, max(1, int(request.GET.get("page", "1"))))
    except ValueError:
        page = 1
    context: dict[str, object] = {"query": query, "page": page, "max_length": MAX_QUERY_LENGTH}
    if not query.strip():
        return render(request, "search/results.html", context)
    try:
        results = search_titles(query=query, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    except SearchQueryError as error:
        context["error"] = error.message
        return render(request, "search/results.html", context, status=400)
    context.update(
        results=results,
        hits=[(hit.title, title_url(hit.title)) for hit in results.hits[:PAGE_SIZE]],
        has_next=not results.is_fallback and len(results.hits) > PAGE_SIZE,
        first_rank=(page - 1) * PAGE_SIZE + 1,
    )
    return render(request, "search/results.html", context)


class _TitleHitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="title.id")
    title = serializers.CharField(source="title.display_title")
    secondary_title = serializers.CharField(source="title.secondary_title")
    year = serializers.IntegerField(source="title.year", allow_null=True)
    media_type = serializers.CharField(source="title.media_type")
    url = serializers.SerializerMethodField()
    score = serializers.FloatField()

    @extend_schema_field(serializers.CharField())
    def get_url(self, hit: SearchHit) -> str:
        return title_url(hit.title)


class TitleSearchApi(APIView):
    """Ranked titles for a query; popular titles in the hinted genres when nothing matches."""

    permission_classes = [AllowAny]

    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(max_length=MAX_QUERY_LENGTH, trim_whitespace=False)
        limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT)
        offset = serializers.IntegerField(min_value=0, max_value=10_000, default=0)

    @extend_schema_serializer(component_name="TitleSearchResults")
    class OutputSerializer(serializers.Serializer):
        query = serializers.CharField()
        backend = serializers.CharField()
        is_fallback = serializers.BooleanField()
        genre_hints = serializers.ListField(child=serializers.CharField())
        results = _TitleHitSerializer(many=True, source="hits")

    @extend_schema(parameters=[FilterSerializer], responses=OutputSerializer, operation_id="search_titles")
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        try:
            results = search_titles(
                query=filters.validated_data["q"],
                limit=filters.validated_data["limit"],
                offset=filters.validated_data["offset"],
            )
        except SearchQueryEmpty:
            # Any text within the length is a valid query (as documented); one with nothing
            # to search for ("!!", a half-typed symbol) simply finds nothing.
            results = _no_results(filters.validated_data["q"])
        return Response(self.OutputSerializer(results).data)


class TitleSuggestApi(APIView):
    """A few titles for search-as-you-type."""

    permission_classes = [AllowAny]

    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(max_length=MAX_QUERY_LENGTH, trim_whitespace=False)
        limit = serializers.IntegerField(min_value=1, max_value=20, default=SUGGEST_LIMIT)

    @extend_schema_serializer(component_name="TitleSuggestions")
    class OutputSerializer(serializers.Serializer):
        query = serializers.CharField()
        results = _TitleHitSerializer(many=True, source="hits")

    @extend_schema(parameters=[FilterSerializer], responses=OutputSerializer, operation_id="search_suggest")
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        try:
            results = suggest_titles(query=filters.validated_data["q"], limit=filters.validated_data["limit"])
        except SearchQueryEmpty:
            results = _no_results(filters.validated_data["q"])
        return Response(self.OutputSerializer(results).data)


def _no_results(query: str) -> SearchResults:
    return SearchResults(query=query, hits=[], backend="none")
