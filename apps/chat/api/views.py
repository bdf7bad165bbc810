"""Chat REST API: room list with live counts, room creation, invites, history, reports."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.chat import presence
from apps.chat.models import Room
from apps.chat.models import RoomVisibility
from apps.chat.selectors import message_page_before
from apps.chat.selectors import message_page_latest
from apps.chat.selectors import room_access
from apps.chat.selectors import room_list_for_user
from apps.chat.services import report_create
from apps.chat.services import room_create
from apps.chat.services import room_invite
from apps.social.http import AuthedRequest
from config.serializers import StrictInputSerializer


class RoomListApi(APIView):
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField(source="room.id")
        name = serializers.CharField(source="room.name")
        kind = serializers.CharField(source="room.kind")
        title_id = serializers.IntegerField(source="room.title_id", allow_null=True)
        visibility = serializers.CharField(source="room.visibility")
        scheduled_at = serializers.DateTimeField(source="room.scheduled_at", allow_null=True)
        last_activity_at = serializers.DateTimeField(source="room.last_activity_at")
        last_seq = serializers.IntegerField(source="room.last_seq")
        online = serializers.IntegerField()
        unread = serializers.IntegerField()

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = room_list_for_user(user=request.user)
        online = presence.presence_counts(room_ids=[row["room"].pk for row in rows])
        for row in rows:
            row["online"] = online.get(row["room"].pk, 0)
        return Response(self.OutputSerializer(rows, many=True).data)


class RoomCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        name = serializers.CharField(max_length=100)
        topic = serializers.CharField(max_length=300, required=False, default="")
        visibility = serializers.ChoiceField(choices=RoomVisibility.choices, default=RoomVisibility.PUBLIC)
        scheduled_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    @extend_schema(
        request=InputSerializer,
        responses={
            201: inline_serializer(
                "RoomCreated", {"id": serializers.IntegerField(), "group": serializers.CharField()}
            )
        },
    )
    def post(self, request: AuthedRequest) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        room = room_create(owner=request.user, **serializer.validated_data)
        return Response({"id": room.pk, "group": room.group_name}, status=201)


class RoomInviteApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        user_id = serializers.IntegerField()

    @extend_schema(
        request=InputSerializer,
        responses={
            201: inline_serializer(
                "RoomInvited",
                {
                    "room": serializers.IntegerField(),
                    "user": serializers.IntegerField(),
                    "role": serializers.CharField(),
                },
            )
        },
    )
    def post(self, request: AuthedRequest, room_id: int) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        room = get_object_or_404(Room, pk=room_id)
        user = get_object_or_404(get_user_model(), pk=serializer.validated_data["user_id"])
        membership = room_invite(room=room, by=request.user, user=user)
        return Response({"room": room.pk, "user": user.pk, "role": membership.role}, status=201)


class RoomMessagesApi(APIView):
    """History over HTTP: the same payloads as the WebSocket ``history`` frame."""

    class FilterSerializer(serializers.Serializer):
        before_seq = serializers.IntegerField(required=False, min_value=1)

    @extend_schema(
        parameters=[FilterSerializer],
        responses=inline_serializer(
            "RoomMessages",
            {
                # Each message is the WebSocket "message" event payload (docs/chat-protocol.md).
                "messages": serializers.ListField(child=serializers.DictField()),
                "has_more": serializers.BooleanField(),
            },
        ),
    )
    def get(self, request: Request, room_id: int) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        room = get_object_or_404(Room, pk=room_id)
        if not room_access(room=room, user=request.user).can_read:
            return Response({"message": "Not found.", "extra": {}}, status=404)
        before = filters.validated_data.get("before_seq")
        if before is None:
            messages, has_more = message_page_latest(room_id=room.pk)
        else:
            messages, has_more = message_page_before(room_id=room.pk, before_seq=before)
        return Response({"messages": messages, "has_more": has_more})


class MessageReportApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        reason = serializers.CharField(max_length=500)

    @extend_schema(
        request=InputSerializer,
        responses={
            201: inline_serializer(
                "MessageReported", {"id": serializers.IntegerField(), "status": serializers.CharField()}
            )
        },
    )
    def post(self, request: AuthedRequest, message_id: int) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = report_create(message_id=message_id, reporter=request.user, **serializer.validated_data)
        return Response({"id": report.pk, "status": report.status}, status=201)
