"""Mini-homepage, profile, guestbook and onboarding API."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiRequest
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.movies.models import Title
from apps.social import selectors
from apps.social import services
from apps.social.api.common import NicknameField
from apps.social.api.common import Pagination
from apps.social.api.common import StarsField
from apps.social.api.common import TitleBriefSerializer
from apps.social.api.common import UniqueIntegerListField
from apps.social.api.common import UploadField
from apps.social.api.common import UserBriefSerializer
from apps.social.api.common import name_nested_serializers
from apps.social.api.common import paginated
from apps.social.api.common import user_or_404
from apps.social.http import AuthedRequest
from apps.social.http import request_viewer
from apps.social.models import ShelfItem
from apps.social.models import Visibility
from apps.social.services.accounts import AVATAR_MEDIA_TYPES
from apps.social.services.accounts import ONBOARDING_MIN_TITLES
from apps.social.services.homepage import section_visible
from config.exceptions import ApplicationError
from config.serializers import StrictInputSerializer


class BarSerializer(serializers.Serializer):
    n = serializers.IntegerField()

    def get_fields(self) -> dict[str, serializers.Field]:
        # "label" is also every field's own attribute (its form label), so it is declared here
        # rather than as a class attribute that would stand in for Field.label.
        return {"label": serializers.CharField(), **super().get_fields()}


class HomepageOutputSerializer(serializers.Serializer):
    """Hidden sections come back as null, never as data."""

    user = UserBriefSerializer(source="owner")
    mood = serializers.CharField(source="profile.mood")
    intro = serializers.CharField(source="profile.intro")
    today = serializers.IntegerField(source="counts.today")
    total = serializers.IntegerField(source="counts.total")
    hit_rate_percent = serializers.IntegerField(source="hit_rate.percent", allow_null=True)
    taste_match = serializers.IntegerField(allow_null=True)
    shelf = serializers.SerializerMethodField()
    recent_ratings = serializers.SerializerMethodField()
    taste = serializers.SerializerMethodField()
    friend_count = serializers.SerializerMethodField()

    # The sections' rows come in the context ("sections": homepage_section_get by section),
    # read by the view for the visible sections only.
    def get_shelf(self, page: selectors.Homepage) -> list[dict] | None:
        if not page.sections["shelf"]:
            return None
        shelf = self.context["sections"]["shelf"]["shelf"]
        return [{"position": i.position, "title": TitleBriefSerializer(i.title).data} for i in shelf]

    def get_recent_ratings(self, page: selectors.Homepage) -> list[dict] | None:
        if not page.sections["ratings"]:
            return None
        ratings = self.context["sections"]["ratings"]["recent_ratings"]
        return [{"title": TitleBriefSerializer(r.title).data, "stars": r.stars} for r in ratings]

    def get_taste(self, page: selectors.Homepage) -> dict | None:
        if not page.sections["taste"]:
            return None
        taste = self.context["sections"]["taste"]
        return {
            "genres": BarSerializer(taste["genre_bars"], many=True).data,
            "decades": BarSerializer(taste["decade_bars"], many=True).data,
        }

    def get_friend_count(self, page: selectors.Homepage) -> int | None:
        return page.friend_count if page.sections["friends"] else None


class HomepageDetailApi(APIView):
    permission_classes = []

    @extend_schema(responses=HomepageOutputSerializer)
    def get(self, request: Request, nickname: str) -> Response:
        owner = user_or_404(nickname)
        page = selectors.homepage_get(owner=owner, viewer=request_viewer(request))
        sections = {
            section: selectors.homepage_section_get(owner=owner, section=section)
            for section in ("shelf", "ratings", "taste")
            if page.sections[section]
        }
        return Response(HomepageOutputSerializer(page, context={"sections": sections}).data)


class ProfileUpdateApi(APIView):
    """Always the caller's own profile: only the owner edits a homepage."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        mood = serializers.CharField(required=False, allow_blank=True, max_length=30)
        intro = serializers.CharField(required=False, allow_blank=True, max_length=120)
        nickname = NicknameField(required=False)
        visibility_ratings = serializers.ChoiceField(Visibility.choices, required=False)
        visibility_shelf = serializers.ChoiceField(Visibility.choices, required=False)
        visibility_taste = serializers.ChoiceField(Visibility.choices, required=False)
        visibility_guestbook = serializers.ChoiceField(Visibility.choices, required=False)
        visibility_friends = serializers.ChoiceField(Visibility.choices, required=False)
        visibility_watchlist = serializers.ChoiceField(Visibility.choices, required=False)
        visibility_diary = serializers.ChoiceField(Visibility.choices, required=False)

    class OutputSerializer(serializers.Serializer):
        nickname = serializers.CharField(source="user.nickname")
        mood = serializers.CharField()
        intro = serializers.CharField()
        visibility_ratings = serializers.CharField()
        visibility_shelf = serializers.CharField()
        visibility_taste = serializers.CharField()
        visibility_guestbook = serializers.CharField()
        visibility_friends = serializers.CharField()
        visibility_watchlist = serializers.CharField()
        visibility_diary = serializers.CharField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def patch(self, request: AuthedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "nickname" in values:
            services.user_nickname_set(user=request.user, nickname=values.pop("nickname"))
        profile = services.profile_update(user=request.user, data=values)
        return Response(self.OutputSerializer(profile).data)


class AvatarSetApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    class InputSerializer(StrictInputSerializer):
        avatar = UploadField()

    @extend_schema(
        request={
            "multipart/form-data": OpenApiRequest(
                InputSerializer,
                # A picture, not any file: the service opens it with Pillow and refuses the rest.
                encoding={"avatar": {"contentType": ", ".join(AVATAR_MEDIA_TYPES)}},
            )
        },
        responses=UserBriefSerializer,
    )
    def post(self, request: AuthedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_avatar_set(user=request.user, upload=data.validated_data["avatar"])
        return Response(UserBriefSerializer(user).data)


class ShelfSetApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        # The service's rules, stated here too: at most MAX_ITEMS titles, each once.
        title_ids = UniqueIntegerListField(max_length=ShelfItem.MAX_ITEMS)

    @extend_schema(request=InputSerializer, responses={200: TitleBriefSerializer(many=True)})
    def put(self, request: AuthedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        items = services.shelf_set(user=request.user, **data.validated_data)
        titles = Title.objects.in_bulk([i.title_id for i in items])
        return Response(TitleBriefSerializer([titles[i.title_id] for i in items], many=True).data)


class GuestbookEntryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = UserBriefSerializer()
    body = serializers.CharField()
    is_secret = serializers.BooleanField()
    reply = serializers.CharField()
    created_at = serializers.DateTimeField()


class GuestbookListApi(APIView):
    pagination_class = Pagination
    permission_classes = []

    @extend_schema(responses=GuestbookEntryOutputSerializer(many=True))
    def get(self, request: Request, nickname: str) -> Response:
        owner = user_or_404(nickname)
        if not section_visible(owner=owner, viewer=request_viewer(request), section="guestbook"):
            raise ApplicationError("This guestbook is not visible to you.")
        qs = selectors.guestbook_entries_visible(owner=owner, viewer=request_viewer(request))
        return paginated(
            request=request, view=self, queryset=qs, serializer_class=GuestbookEntryOutputSerializer
        )


class GuestbookCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        body = serializers.CharField(allow_blank=True, max_length=5000)
        is_secret = serializers.BooleanField(default=False)

    @extend_schema(request=InputSerializer, responses=GuestbookEntryOutputSerializer)
    def post(self, request: AuthedRequest, nickname: str) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        owner = user_or_404(nickname)
        entry = services.guestbook_entry_create(owner=owner, author=request.user, **data.validated_data)
        return Response(GuestbookEntryOutputSerializer(entry).data, status=status.HTTP_201_CREATED)


class GuestbookReplyApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        reply = serializers.CharField(allow_blank=True, max_length=5000)

    @extend_schema(request=InputSerializer, responses=GuestbookEntryOutputSerializer)
    def post(self, request: AuthedRequest, entry_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.guestbook_entry_reply(owner=request.user, entry_id=entry_id, **data.validated_data)
        return Response(GuestbookEntryOutputSerializer(entry).data)


class GuestbookDeleteApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: AuthedRequest, entry_id: int) -> Response:
        services.guestbook_entry_delete(user=request.user, entry_id=entry_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OnboardingGridApi(APIView):
    permission_classes = []

    @extend_schema(responses=TitleBriefSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(TitleBriefSerializer(selectors.onboarding_grid(), many=True).data)


class OnboardingRatingInputSerializer(StrictInputSerializer):
    title_id = serializers.IntegerField()
    stars = StarsField()


class OnboardingCompleteApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        genre_ids = serializers.ListField(child=serializers.IntegerField(), min_length=1)
        provider_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
        ratings = OnboardingRatingInputSerializer(many=True, required=False, default=list)
        watchlist_ids = UniqueIntegerListField(required=False, default=list)

        # The service wants five distinct titles, rated or marked, in all; JSON Schema cannot
        # count a union, so the document states the two plain ways to get there.
        schema_extra = {
            "anyOf": [
                {"required": ["ratings"], "properties": {"ratings": {"minItems": ONBOARDING_MIN_TITLES}}},
                {
                    "required": ["watchlist_ids"],
                    "properties": {"watchlist_ids": {"minItems": ONBOARDING_MIN_TITLES}},
                },
            ]
        }

    @extend_schema(
        request=InputSerializer,
        responses={204: None},
        description=(
            f"At least {ONBOARDING_MIN_TITLES} distinct titles, rated or marked, in all; "
            "ids that name nothing answer 404."
        ),
    )
    def post(self, request: AuthedRequest) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.onboarding_complete(
            user=request.user,
            genre_ids=data.validated_data["genre_ids"],
            provider_ids=data.validated_data["provider_ids"],
            ratings={r["title_id"]: r["stars"] for r in data.validated_data["ratings"]},
            watchlist_ids=data.validated_data["watchlist_ids"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


name_nested_serializers(globals())
