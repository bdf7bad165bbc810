"""Shared serializers and helpers of the social API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.movies.models import Title
from apps.social.models import User
from apps.social.selectors import user_get_by_nickname
from apps.social.services.accounts import NICKNAME_MAX
from apps.social.services.accounts import nickname_json_pattern
from config.bad_input import MAX_QUERY_INT


class UserBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nickname = serializers.CharField(source="display_name")
    avatar = serializers.SerializerMethodField()

    def get_avatar(self, obj: User) -> str:
        return obj.avatar.url if obj.avatar else ""


class TitleBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(source="display_title")
    year = serializers.IntegerField(allow_null=True)


HALF_STARS = [step / 2 for step in range(1, 11)]
# The same values as text ("4.5", and "4" or "4.0" for whole stars), as clients long sent them.
HALF_STARS_TEXT = sorted({f"{value:g}" for value in HALF_STARS} | {f"{value:.1f}" for value in HALF_STARS})


@extend_schema_field(
    {"oneOf": [{"type": "number", "enum": HALF_STARS}, {"type": "string", "enum": HALF_STARS_TEXT}]}
)
class StarsField(serializers.DecimalField):
    """A rating: 0.5 to 5 stars in half-star steps, documented as exactly those values (the
    service refuses anything else)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=2, decimal_places=1, **kwargs)


class NicknameField(serializers.CharField):
    """A nickname; its document pattern is the service's rule (see ``nickname_json_pattern``)."""

    json_schema_pattern = staticmethod(nickname_json_pattern)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_length=2, max_length=NICKNAME_MAX, **kwargs)


@extend_schema_field({"type": "string", "format": "binary"})
class UploadField(serializers.FileField):
    """A file sent as a multipart part (drf-spectacular would document a URL)."""


class UniqueIntegerListField(serializers.ListField):
    """Ids that may each appear once; the document says so (``uniqueItems``, added by
    config/schema.py for any field with ``unique_items``)."""

    unique_items = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.IntegerField(), **kwargs)

    def to_internal_value(self, data: Any) -> list[int]:
        values = super().to_internal_value(data)
        if len(set(values)) != len(values):
            raise serializers.ValidationError("Each id may appear only once.")
        return values


class Pagination(LimitOffsetPagination):
    """Views that answer through ``paginated()`` name it as their ``pagination_class``, so the
    OpenAPI document shows the envelope ({count, next, previous, results})."""

    default_limit = 20
    max_limit = 100

    def get_offset(self, request: Request) -> int:
        # Bounded: an offset past everything is an empty page, never a bigint overflow.
        self._require_whole_number(request, self.offset_query_param)
        return min(super().get_offset(request), MAX_QUERY_INT)

    def get_limit(self, request: Request) -> int | None:
        self._require_whole_number(request, self.limit_query_param)
        return super().get_limit(request)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        # As read above: whole numbers from 0; a limit past max_limit is cut to it (limit=0
        # means the default), an offset past everything is an empty page.
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 0
        return parameters

    @staticmethod
    def _require_whole_number(request: Request, name: str) -> None:
        # As documented (an integer): "?offset=abc" is a 400, not silently the first page.
        raw = request.query_params.get(name, "")
        if raw and not raw.isdigit():
            raise serializers.ValidationError({name: ["A whole number is required."]})


def paginated(
    *, request: Request, view: APIView, queryset: QuerySet[Any] | list[Any], serializer_class: type
) -> Response:
    pagination_class = getattr(view, "pagination_class", None) or Pagination
    paginator = pagination_class()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


def name_nested_serializers(namespace: dict[str, Any]) -> None:
    """Give nested Input/Output/Filter serializers schema names unique across the API.

    drf-spectacular names a component after its class ("InputSerializer" → "Input"), so
    every view's nested InputSerializer would collide; call at the end of each API module
    with ``globals()``: ``RatingSetApi.InputSerializer`` becomes ``RatingSetInput``.
    """
    for view in list(namespace.values()):
        if not (
            isinstance(view, type) and issubclass(view, APIView) and view.__module__ == namespace["__name__"]
        ):
            continue
        for attr, nested in vars(view).items():
            if isinstance(nested, type) and issubclass(nested, serializers.BaseSerializer):
                name = view.__name__.removesuffix("Api") + attr.removesuffix("Serializer")
                setattr(nested, "Meta", type("Meta", (), {"ref_name": name}))  # noqa: B010 (a class made here)


def title_or_404(title_id: int) -> Title:
    return get_object_or_404(Title, pk=title_id)


def user_or_404(nickname: str) -> User:
    user = user_get_by_nickname(nickname=nickname)
    if user is None:
        from django.http import Http404

        raise Http404
    return user
