"""Recommendation API: the behaviour-event batch endpoint and read endpoints for picks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.movies.models import AgeRating
from apps.movies.models import Title
from apps.recs import selectors
from apps.recs.models import EventKind
from apps.recs.services.events import FUTURE_TIMESTAMP
from apps.recs.services.events import MAX_DWELL_MS
from apps.recs.services.events import UNKNOWN_TITLE
from apps.recs.services.events import event_batch_ingest
from apps.social.http import AuthedRequest
from config.bad_input import MAX_QUERY_INT
from config.serializers import StrictInputSerializer


class BeaconSessionAuthentication(SessionAuthentication):
    """Session auth that also takes the CSRF token from the JSON body.

    ``navigator.sendBeacon`` cannot set headers, so the page script sends the token as
    ``csrf`` in the payload; it is checked by Django's own CSRF middleware as usual.
    """

    def enforce_csrf(self, request: Request) -> None:
        token = request._request.META.get("HTTP_X_CSRFTOKEN")
        if not token and isinstance(request.data, dict) and isinstance(request.data.get("csrf"), str):
            request._request.META["HTTP_X_CSRFTOKEN"] = request.data["csrf"]
        super().enforce_csrf(request)


class EventSerializer(serializers.Serializer):
    """One behaviour event as ``event_batch_ingest`` accepts it (documentation only)."""

    kind = serializers.ChoiceField(choices=EventKind.choices)
    title_id = serializers.IntegerField(min_value=1, max_value=MAX_QUERY_INT)
    occurred_at = serializers.DateTimeField()
    dwell_ms = serializers.IntegerField(min_value=0, max_value=MAX_DWELL_MS, required=False, allow_null=True)
    position = serializers.IntegerField(min_value=0, max_value=9_999, required=False, allow_null=True)
    value = serializers.IntegerField(
        min_value=1, max_value=10, required=False, allow_null=True, help_text="Half stars; required for rate."
    )
    list_name = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="Cut to 40."
    )
    query = serializers.CharField(required=False, allow_blank=True, allow_null=True, help_text="Cut to 200.")
    event_id = serializers.UUIDField(required=False, allow_null=True)

    schema_extra = {
        "anyOf": [
            {"properties": {"kind": {"not": {"enum": [EventKind.RATE.value]}}}},
            {"required": ["value"], "properties": {"value": {"type": "integer"}}},
        ]
    }


def _event_status(errors: dict[str, str]) -> int:
    refused_by_state = {"title_id": UNKNOWN_TITLE, "occurred_at": FUTURE_TIMESTAMP}
    return 409 if all(refused_by_state.get(key) == value for key, value in errors.items()) else 400


class EventBatchCreateApi(APIView):
    authentication_classes = [BeaconSessionAuthentication]
    permission_classes = [AllowAny]

    # A batch of objects: JSON only (a form cannot carry one).
    parser_classes = [JSONParser]

    class InputSerializer(StrictInputSerializer):
        # Each event is checked on its own by the service, so one bad event never sinks the
        # batch; EventSerializer only documents the shape the service accepts.
        events = serializers.ListField(
            child=serializers.JSONField(), allow_empty=False, max_length=settings.RECS_EVENTS_MAX_BATCH
        )
        csrf = serializers.CharField(required=False, allow_blank=True)  # "" is no token

    class DocumentedInputSerializer(serializers.Serializer):
        events = serializers.ListField(
            child=EventSerializer(), min_length=1, max_length=settings.RECS_EVENTS_MAX_BATCH
        )
        csrf = serializers.CharField(required=False, allow_blank=True)

    @extend_schema(
        request=DocumentedInputSerializer,
        responses={
            202: inline_serializer(
                "EventBatchAccepted",
                {"accepted": serializers.IntegerField(), "rate_limited": serializers.IntegerField()},
            )
        },
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = request._request.session
        if not session.session_key:
            session.save()
        user_id = request.user.id if request.user.is_authenticated else None
        result = event_batch_ingest(
            events=serializer.validated_data["events"],
            user_id=user_id,
            session_key=session.session_key or "",
            client_ip=request.META.get("REMOTE_ADDR", ""),
        )
        body: dict[str, Any] = {"accepted": result.accepted, "rate_limited": result.rate_limited}
        if result.errors:
            rejected = [{**e, "status": _event_status(e["errors"])} for e in result.errors]
            message = f"{len(rejected)} of {len(serializer.validated_data['events'])} events rejected"
            # 400 when an event breaks the documented shape; events that are well formed but
            # name an unknown title or a time in the future (no schema can say "now") conflict
            # with the server's state instead: 409.
            batch_status = 400 if any(r["status"] == 400 for r in rejected) else 409
            return Response(
                {"message": message, "extra": {**body, "rejected": rejected}}, status=batch_status
            )
        if result.rate_limited and not result.accepted:
            return Response(
                {"message": "Too many events from this session", "extra": body},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(settings.RECS_EVENTS_RATE_WINDOW_S)},
            )
        return Response(body, status=status.HTTP_202_ACCEPTED)


class RecsTitleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    display_title = serializers.CharField()
    secondary_title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    age_rating = serializers.CharField()


class RecsPickOutput(serializers.Serializer):
    title = RecsTitleOutput()
    score = serializers.FloatField()
    reason = serializers.CharField()
    explanation = serializers.CharField()
    because_title_id = serializers.SerializerMethodField()

    def get_because_title_id(self, obj: selectors.Recommendation) -> int | None:
        return obj.because_title.id if obj.because_title else None


class RecsForMeApi(APIView):
    permission_classes = [AllowAny]

    class FilterSerializer(serializers.Serializer):
        limit = serializers.IntegerField(min_value=1, max_value=100, default=20)
        only_my_services = serializers.BooleanField(default=False)
        max_age_rating = serializers.ChoiceField(
            choices=[AgeRating.ALL, AgeRating.AGE_12, AgeRating.AGE_15, AgeRating.AGE_18], required=False
        )

    @extend_schema(
        parameters=[FilterSerializer],
        responses=inline_serializer("RecsForMe", {"results": RecsPickOutput(many=True)}),
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        user = request.user if request.user.is_authenticated else None
        picks = selectors.recs_for_user(user=user, **filters.validated_data)
        return Response({"results": RecsPickOutput(picks, many=True).data})


class RecsHomeRowsApi(APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        key = serializers.CharField()
        heading = serializers.CharField()
        items = RecsPickOutput(many=True)

    @extend_schema(responses=inline_serializer("RecsHomeRows", {"rows": OutputSerializer(many=True)}))
    def get(self, request: Request) -> Response:
        user = request.user if request.user.is_authenticated else None
        rows = selectors.recs_home_rows(user=user)
        return Response({"rows": self.OutputSerializer(rows, many=True).data})


class RecsSimilarTitlesApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=inline_serializer("RecsSimilarTitles", {"results": RecsTitleOutput(many=True)}))
    def get(self, request: Request, title_id: int) -> Response:
        get_object_or_404(Title, id=title_id)
        user = request.user if request.user.is_authenticated else None
        titles = selectors.recs_similar_titles(title_id=title_id, user=user)
        return Response({"results": RecsTitleOutput(titles, many=True).data})


class RecsTrendingApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=inline_serializer("RecsTrending", {"results": RecsTitleOutput(many=True)}))
    def get(self, request: Request) -> Response:
        return Response({"results": RecsTitleOutput(selectors.recs_trending(), many=True).data})


class RecsTasteMatchApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "RecsTasteMatch",
            {"user_id": serializers.IntegerField(), "taste_match": serializers.FloatField(allow_null=True)},
        )
    )
    def get(self, request: AuthedRequest, user_id: int) -> Response:
        other = get_object_or_404(get_user_model(), id=user_id)
        match = selectors.recs_taste_match(user_a=request.user, user_b=other)
        return Response({"user_id": other.id, "taste_match": match})
