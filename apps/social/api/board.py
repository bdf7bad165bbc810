"""Recommendation board API."""

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
from apps.social.http import AuthedRequest
from apps.social.http import request_viewer
from apps.social.models import BoardPost
from apps.social.services.board import MAX_TITLES
from config.serializers import StrictInputSerializer


class BoardPostOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = UserBriefSerializer()
    heading = serializers.CharField()
    body = serializers.CharField()
    titles = TitleBriefSerializer(many=True, source="titles.all")
    view_count = serializers.IntegerField()
    like_count = serializers.IntegerField()
    comment_count = serializers.IntegerField()
    is_hidden = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class BoardPostInputSerializer(StrictInputSerializer):
    # Blank is refused by the service (clean_text): say so here, for the document.
    heading = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=10000)
    title_ids = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=MAX_TITLES)


def _visible_post(request: Request, post_id: int) -> BoardPost:
    # Hidden (moderated) posts stay visible to their author and staff only.
    return get_object_or_404(selectors.board_posts_visible(viewer=request_viewer(request)), pk=post_id)


class BoardPostListApi(APIView):
    pagination_class = Pagination
    permission_classes = []

    class FilterSerializer(serializers.Serializer):
        sort = serializers.ChoiceField(["new", "hot"], default="new")
        title_id = serializers.IntegerField(required=False)

    @extend_schema(parameters=[FilterSerializer], responses=BoardPostOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        posts = selectors.board_post_list(viewer=request_viewer(request), **filters.validated_data)
        return paginated(
            request=request, view=self, queryset=posts, serializer_class=BoardPostOutputSerializer
        )


class BoardPostDetailApi(APIView):
    permission_classes = []

    @extend_schema(responses=BoardPostOutputSerializer)
    def get(self, request: Request, post_id: int) -> Response:
        post = _visible_post(request, post_id)
        if services.board_view_record(user=request_viewer(request), post=post):
            post.view_count += 1
        return Response(BoardPostOutputSerializer(post).data)


class BoardPostCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=BoardPostInputSerializer, responses=BoardPostOutputSerializer)
    def post(self, request: AuthedRequest) -> Response:
        data = BoardPostInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        post = services.board_post_create(author=request.user, **data.validated_data)
        return Response(BoardPostOutputSerializer(post).data, status=status.HTTP_201_CREATED)


class BoardPostUpdateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=BoardPostInputSerializer, responses=BoardPostOutputSerializer)
    def put(self, request: AuthedRequest, post_id: int) -> Response:
        data = BoardPostInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        post = services.board_post_update(user=request.user, post_id=post_id, **data.validated_data)
        return Response(BoardPostOutputSerializer(post).data)


class BoardPostDeleteApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: AuthedRequest, post_id: int) -> Response:
        services.board_post_delete(user=request.user, post_id=post_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BoardPostModerateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        hidden = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses=BoardPostOutputSerializer)
    def post(self, request: AuthedRequest, post_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        post = services.board_post_moderate(user=request.user, post_id=post_id, **data.validated_data)
        return Response(BoardPostOutputSerializer(post).data)


class BoardCommentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = UserBriefSerializer()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class BoardCommentListApi(APIView):
    pagination_class = Pagination
    permission_classes = []

    @extend_schema(responses=BoardCommentOutputSerializer(many=True))
    def get(self, request: Request, post_id: int) -> Response:
        post = _visible_post(request, post_id)
        qs = post.comments.select_related("author")
        return paginated(
            request=request, view=self, queryset=qs, serializer_class=BoardCommentOutputSerializer
        )


class BoardCommentCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        body = serializers.CharField(allow_blank=True, max_length=5000)

    @extend_schema(request=InputSerializer, responses=BoardCommentOutputSerializer)
    def post(self, request: AuthedRequest, post_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.board_comment_create(
            user=request.user, post=_visible_post(request, post_id), **data.validated_data
        )
        return Response(BoardCommentOutputSerializer(comment).data, status=status.HTTP_201_CREATED)


class BoardCommentDeleteApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: AuthedRequest, comment_id: int) -> Response:
        services.board_comment_delete(user=request.user, comment_id=comment_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BoardLikeApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        liked = serializers.BooleanField()

    class OutputSerializer(serializers.Serializer):
        like_count = serializers.IntegerField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def put(self, request: AuthedRequest, post_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        count = services.board_like_set(
            user=request.user, post=_visible_post(request, post_id), **data.validated_data
        )
        return Response({"like_count": count})


name_nested_serializers(globals())
