"""Ratings, watchlist, diary and reviews API."""

from __future__ import annotations

from django.http import Http404
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
from apps.social.api.common import StarsField
from apps.social.api.common import TitleBriefSerializer
from apps.social.api.common import UserBriefSerializer
from apps.social.api.common import name_nested_serializers
from apps.social.api.common import paginated
from apps.social.api.common import title_or_404
from apps.social.http import AuthedRequest
from apps.social.http import request_viewer
from apps.social.models import DiaryEntry
from apps.social.models import Review
from apps.social.models import WatchlistItem
from config.serializers import StrictInputSerializer


class RatingOutputSerializer(serializers.Serializer):
    title = TitleBriefSerializer()
    stars = serializers.FloatField()
    title_rating_avg = serializers.FloatField(source="title.rating_avg")
    title_rating_count = serializers.IntegerField(source="title.rating_count")


class RatingSetApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        stars = StarsField()

    @extend_schema(request=InputSerializer, responses=RatingOutputSerializer)
    def put(self, request: AuthedRequest, title_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.rating_set(user=request.user, title=title_or_404(title_id), **data.validated_data)
        rating.title.refresh_from_db(fields=["rating_avg", "rating_count"])
        return Response(RatingOutputSerializer(rating).data)


class RatingDeleteApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: AuthedRequest, title_id: int) -> Response:
        services.rating_delete(user=request.user, title=title_or_404(title_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WatchlistOutputSerializer(serializers.Serializer):
    title = TitleBriefSerializer()
    created_at = serializers.DateTimeField()


class WatchlistListApi(APIView):
    pagination_class = Pagination
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=WatchlistOutputSerializer(many=True))
    def get(self, request: AuthedRequest) -> Response:
        qs = WatchlistItem.objects.filter(user=request.user).select_related("title")
        return paginated(request=request, view=self, queryset=qs, serializer_class=WatchlistOutputSerializer)


class WatchlistAddApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=WatchlistOutputSerializer)
    def post(self, request: AuthedRequest, title_id: int) -> Response:
        item = services.watchlist_add(user=request.user, title=title_or_404(title_id))
        return Response(WatchlistOutputSerializer(item).data, status=status.HTTP_201_CREATED)


class WatchlistRemoveApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: AuthedRequest, title_id: int) -> Response:
        services.watchlist_remove(user=request.user, title=title_or_404(title_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DiaryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = TitleBriefSerializer()
    watched_on = serializers.DateField()
    rewatch = serializers.BooleanField()
    stars = serializers.FloatField(allow_null=True)
    note = serializers.CharField()


class DiaryListApi(APIView):
    pagination_class = Pagination
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=DiaryOutputSerializer(many=True))
    def get(self, request: AuthedRequest) -> Response:
        qs = DiaryEntry.objects.filter(user=request.user).select_related("title")
        return paginated(request=request, view=self, queryset=qs, serializer_class=DiaryOutputSerializer)


class DiaryCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        title_id = serializers.IntegerField()
        watched_on = serializers.DateField(required=False)
        rewatch = serializers.BooleanField(required=False, allow_null=True, default=None)
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
        stars = StarsField(required=False, allow_null=True, default=None)

    @extend_schema(request=InputSerializer, responses=DiaryOutputSerializer)
    def post(self, request: AuthedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        title = title_or_404(values.pop("title_id"))
        entry = services.diary_entry_create(user=request.user, title=title, **values)
        return Response(DiaryOutputSerializer(entry).data, status=status.HTTP_201_CREATED)


class DiaryDeleteApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: AuthedRequest, entry_id: int) -> Response:
        services.diary_entry_delete(user=request.user, entry_id=entry_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReviewOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user = UserBriefSerializer()
    title = TitleBriefSerializer()
    body = serializers.CharField()
    has_spoilers = serializers.BooleanField()
    like_count = serializers.IntegerField()
    comment_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class ReviewListApi(APIView):
    pagination_class = Pagination
    permission_classes = []

    @extend_schema(responses=ReviewOutputSerializer(many=True))
    def get(self, request: Request, title_id: int) -> Response:
        qs = (
            selectors.reviews_visible(viewer=request_viewer(request))
            .filter(title_id=title_id)
            .select_related("user", "title")
            .order_by("-like_count", "-created_at", "-id")
        )
        return paginated(request=request, view=self, queryset=qs, serializer_class=ReviewOutputSerializer)


class ReviewUpsertApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        body = serializers.CharField(max_length=5000, allow_blank=True)
        has_spoilers = serializers.BooleanField(default=False)

    @extend_schema(request=InputSerializer, responses=ReviewOutputSerializer)
    def put(self, request: AuthedRequest, title_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.review_upsert(
            user=request.user, title=title_or_404(title_id), **data.validated_data
        )
        return Response(ReviewOutputSerializer(review).data)


class ReviewDeleteApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: AuthedRequest, review_id: int) -> Response:
        services.review_delete(user=request.user, review_id=review_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReviewCommentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user = UserBriefSerializer()
    # The top-level comment this one replies to (replies are one level deep); null for a comment.
    parent_id = serializers.IntegerField(allow_null=True)
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReviewCommentListApi(APIView):
    pagination_class = Pagination
    permission_classes = []

    @extend_schema(responses=ReviewCommentOutputSerializer(many=True))
    def get(self, request: Request, review_id: int) -> Response:
        review = get_object_or_404(selectors.reviews_visible(viewer=request_viewer(request)), pk=review_id)
        qs = review.comments.select_related("user")
        return paginated(
            request=request, view=self, queryset=qs, serializer_class=ReviewCommentOutputSerializer
        )


class ReviewCommentCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        body = serializers.CharField(max_length=1000, allow_blank=True)
        parent_id = serializers.IntegerField(required=False, allow_null=True, default=None)

    @extend_schema(request=InputSerializer, responses=ReviewCommentOutputSerializer)
    def post(self, request: AuthedRequest, review_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # A review hidden from this person is not found (404); a deleted one is a clear 400
        # from the service, which locks the row and so also catches a deletion meanwhile.
        hidden = Review.objects.filter(pk=review_id).exclude(
            pk__in=selectors.reviews_visible(viewer=request.user).filter(pk=review_id).values("pk")
        )
        if hidden.exists():
            raise Http404
        comment = services.review_comment_create(
            user=request.user, review_id=review_id, **data.validated_data
        )
        return Response(ReviewCommentOutputSerializer(comment).data, status=status.HTTP_201_CREATED)


class ReviewCommentDeleteApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: AuthedRequest, comment_id: int) -> Response:
        services.review_comment_delete(user=request.user, comment_id=comment_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LikeInputSerializer(StrictInputSerializer):
    liked = serializers.BooleanField()


class LikeOutputSerializer(serializers.Serializer):
    like_count = serializers.IntegerField()


class ReviewLikeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=LikeInputSerializer, responses=LikeOutputSerializer)
    def put(self, request: AuthedRequest, review_id: int) -> Response:
        data = LikeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = get_object_or_404(Review, pk=review_id)
        count = services.review_like_set(user=request.user, review=review, **data.validated_data)
        return Response({"like_count": count})


name_nested_serializers(globals())
