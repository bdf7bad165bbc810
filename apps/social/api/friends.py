"""Friends, follows, blocks, recommendations, notifications and the feed API."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.social import selectors
from apps.social import services
from apps.social.api.common import Pagination
from apps.social.api.common import TitleBriefSerializer
from apps.social.api.common import UserBriefSerializer
from apps.social.api.common import name_nested_serializers
from apps.social.api.common import paginated
from apps.social.api.common import title_or_404
from apps.social.api.common import user_or_404
from apps.social.http import AuthedRequest
from apps.social.http import request_viewer
from apps.social.models import User
from apps.social.services.recommendations import MAX_RECEIVERS
from apps.social.services.recommendations import NOTE_MAX
from config.exceptions import ApplicationError
from config.serializers import StrictInputSerializer


class UserSearchApi(APIView):
    permission_classes = []

    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(max_length=40)

    @extend_schema(parameters=[FilterSerializer], responses=UserBriefSerializer(many=True))
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        users = selectors.user_search(query=filters.validated_data["q"], viewer=request_viewer(request))
        return Response(UserBriefSerializer(users, many=True).data)


class FriendListApi(APIView):
    pagination_class = Pagination
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UserBriefSerializer(many=True))
    def get(self, request: AuthedRequest) -> Response:
        qs = selectors.friends_list_for_user(user=request.user)
        return paginated(request=request, view=self, queryset=qs, serializer_class=UserBriefSerializer)


class FriendRequestOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    from_user = UserBriefSerializer()
    to_user = UserBriefSerializer()
    message = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class FriendRequestListApi(APIView):
    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer):
        incoming = FriendRequestOutputSerializer(many=True)
        outgoing = FriendRequestOutputSerializer(many=True)

    @extend_schema(responses=OutputSerializer)
    def get(self, request: AuthedRequest) -> Response:
        data = {
            "incoming": selectors.friend_requests_incoming(user=request.user).select_related("to_user"),
            "outgoing": selectors.friend_requests_outgoing(user=request.user).select_related("from_user"),
        }
        return Response(self.OutputSerializer(data).data)


class FriendRequestCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        user_id = serializers.IntegerField()
        message = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)

    @extend_schema(request=InputSerializer, responses=FriendRequestOutputSerializer)
    def post(self, request: AuthedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        to_user = get_object_or_404(User, pk=data.validated_data["user_id"], is_active=True)
        friend_request = services.friend_request_send(
            from_user=request.user, to_user=to_user, message=data.validated_data["message"]
        )
        return Response(FriendRequestOutputSerializer(friend_request).data, status=status.HTTP_201_CREATED)


class FriendRequestAcceptApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=FriendRequestOutputSerializer)
    def post(self, request: AuthedRequest, request_id: int) -> Response:
        friend_request = services.friend_request_accept(user=request.user, request_id=request_id)
        return Response(FriendRequestOutputSerializer(friend_request).data)


class FriendRequestDeclineApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=FriendRequestOutputSerializer)
    def post(self, request: AuthedRequest, request_id: int) -> Response:
        friend_request = services.friend_request_decline(user=request.user, request_id=request_id)
        return Response(FriendRequestOutputSerializer(friend_request).data)


class FriendRequestWithdrawApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=FriendRequestOutputSerializer)
    def post(self, request: AuthedRequest, request_id: int) -> Response:
        friend_request = services.friend_request_withdraw(user=request.user, request_id=request_id)
        return Response(FriendRequestOutputSerializer(friend_request).data)


class FriendRemoveApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: AuthedRequest, user_id: int) -> Response:
        services.friend_remove(user=request.user, friend=get_object_or_404(User, pk=user_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class FollowSetApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        following = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses={204: None})
    def put(self, request: AuthedRequest, user_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = get_object_or_404(User, pk=user_id, is_active=True)
        services.follow_set(user=request.user, target=target, **data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BlockCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: AuthedRequest, user_id: int) -> Response:
        services.block_set(blocker=request.user, blocked=get_object_or_404(User, pk=user_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class BlockDeleteApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: AuthedRequest, user_id: int) -> Response:
        services.block_remove(blocker=request.user, blocked=get_object_or_404(User, pk=user_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SurfApi(APIView):
    """파도타기: a random friend of the given user (or of the caller)."""

    permission_classes = []

    @extend_schema(responses=UserBriefSerializer)
    def get(self, request: Request, nickname: str) -> Response:
        owner = user_or_404(nickname)
        viewer = request.user if request.user.is_authenticated else None
        page_rel = selectors.relationship_between(viewer=viewer, owner=owner)
        profile = services.profile_get_or_create(user=owner)
        if not selectors.visible_sections(owner=owner, profile=profile, rel=page_rel)["friends"]:
            raise ApplicationError("This user's friends are not visible to you.")
        friend = selectors.random_friend_of(user=owner, exclude_id=viewer.pk if viewer else None)
        if friend is None:
            raise ApplicationError("No friends to surf to yet.")
        return Response(UserBriefSerializer(friend).data)


class TasteMatchApi(APIView):
    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer):
        percent = serializers.IntegerField(allow_null=True)

    @extend_schema(responses=OutputSerializer)
    def get(self, request: AuthedRequest, nickname: str) -> Response:
        other = user_or_404(nickname)
        rel = selectors.relationship_between(viewer=request.user, owner=other)
        profile = services.profile_get_or_create(user=other)
        if not selectors.visible_sections(owner=other, profile=profile, rel=rel)["ratings"]:
            # Computed from their ratings: hidden when their ratings are.
            raise ApplicationError("This user's ratings are not visible to you.")
        return Response({"percent": selectors.taste_match_percent(a=request.user, b=other)})


# -----------------------------------------------------------------------------
# Recommendations to friends
# -----------------------------------------------------------------------------
class RecommendationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sender = UserBriefSerializer()
    receiver = UserBriefSerializer()
    title = TitleBriefSerializer()
    note = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class RecommendationSendApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        title_id = serializers.IntegerField()
        # The service's limits (blank notes are refused), stated for the document.
        receiver_ids = serializers.ListField(
            child=serializers.IntegerField(), min_length=1, max_length=MAX_RECEIVERS
        )
        note = serializers.CharField(max_length=NOTE_MAX)

    @extend_schema(request=InputSerializer, responses=RecommendationOutputSerializer(many=True))
    def post(self, request: AuthedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        recs = services.recommendation_send(
            sender=request.user,
            receiver_ids=data.validated_data["receiver_ids"],
            title=title_or_404(data.validated_data["title_id"]),
            note=data.validated_data["note"],
        )
        return Response(RecommendationOutputSerializer(recs, many=True).data, status=status.HTTP_201_CREATED)


class RecommendationInboxApi(APIView):
    pagination_class = Pagination
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=RecommendationOutputSerializer(many=True))
    def get(self, request: AuthedRequest) -> Response:
        qs = selectors.recommendation_inbox(user=request.user).select_related("receiver")
        return paginated(
            request=request, view=self, queryset=qs, serializer_class=RecommendationOutputSerializer
        )


class RecommendationSentApi(APIView):
    pagination_class = Pagination
    permission_classes = [IsAuthenticated]

    class OutputSerializer(RecommendationOutputSerializer):
        friend_stars = serializers.SerializerMethodField()

        def get_friend_stars(self, obj: object) -> float | None:
            half = getattr(obj, "friend_half_stars", None)
            return half / 2 if half is not None else None

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: AuthedRequest) -> Response:
        qs = selectors.recommendations_sent(user=request.user).select_related("sender")
        return paginated(request=request, view=self, queryset=qs, serializer_class=self.OutputSerializer)


class RecommendationAcceptApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=RecommendationOutputSerializer)
    def post(self, request: AuthedRequest, recommendation_id: int) -> Response:
        rec = services.recommendation_accept(user=request.user, recommendation_id=recommendation_id)
        return Response(RecommendationOutputSerializer(rec).data)


class RecommendationDismissApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=RecommendationOutputSerializer)
    def post(self, request: AuthedRequest, recommendation_id: int) -> Response:
        rec = services.recommendation_dismiss(user=request.user, recommendation_id=recommendation_id)
        return Response(RecommendationOutputSerializer(rec).data)


# -----------------------------------------------------------------------------
# Notifications and feed
# -----------------------------------------------------------------------------
class NotificationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    # Rendered in the request's language (Accept-Language / language cookie).
    text = serializers.CharField(source="display_text")
    url = serializers.CharField()
    is_read = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class NotificationListApi(APIView):
    pagination_class = Pagination
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=NotificationOutputSerializer(many=True))
    def get(self, request: AuthedRequest) -> Response:
        qs = selectors.notifications_recent(user=request.user)
        return paginated(
            request=request, view=self, queryset=qs, serializer_class=NotificationOutputSerializer
        )


class NotificationReadApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        ids = serializers.ListField(child=serializers.IntegerField(), required=False, allow_null=True)

    class OutputSerializer(serializers.Serializer):
        marked = serializers.IntegerField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: AuthedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.notifications_mark_read(user=request.user, ids=data.validated_data.get("ids"))
        return Response({"marked": marked})


class ActivityOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    actor = UserBriefSerializer()
    verb = serializers.CharField()
    title = TitleBriefSerializer(allow_null=True)
    stars = serializers.FloatField(allow_null=True)
    target_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()


class FeedApi(APIView):
    pagination_class = Pagination
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ActivityOutputSerializer(many=True))
    def get(self, request: AuthedRequest) -> Response:
        qs = selectors.feed_for_user(user=request.user)
        return paginated(request=request, view=self, queryset=qs, serializer_class=ActivityOutputSerializer)


name_nested_serializers(globals())
