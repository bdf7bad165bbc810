"""The lists API: one APIView per operation, the one error shape, the paged envelope."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.lists import selectors
from apps.lists import services
from apps.lists.models import DESCRIPTION_MAX
from apps.lists.models import NAME_MAX
from apps.lists.models import NOTE_MAX
from apps.lists.models import UserList
from apps.social.api.common import Pagination
from apps.social.api.common import TitleBriefSerializer
from apps.social.api.common import UserBriefSerializer
from apps.social.api.common import name_nested_serializers
from apps.social.api.common import paginated
from apps.social.http import AuthedRequest
from apps.social.models import User
from apps.social.models import Visibility
from apps.social.selectors import user_get_by_nickname
from config.serializers import StrictInputSerializer

# Positions are 0-based in the API (1-based on the pages, as people count).
POSITION_MAX = 2**31 - 1


class UserListOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    visibility = serializers.ChoiceField(Visibility.choices)
    owner = UserBriefSerializer()
    like_count = serializers.IntegerField()
    entry_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class UserListDetailOutputSerializer(UserListOutputSerializer):
    can_edit = serializers.BooleanField()
    is_owner = serializers.BooleanField()
    liked = serializers.BooleanField()
    following = serializers.BooleanField()
    # Only for those who may edit: whoever holds it can read the list (never a private one).
    share_token = serializers.CharField(allow_blank=True)


class UserListInputSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=NAME_MAX)
    description = serializers.CharField(max_length=DESCRIPTION_MAX, allow_blank=True, default="")
    visibility = serializers.ChoiceField(Visibility.choices, default=Visibility.PUBLIC)


class ListEntryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    title = TitleBriefSerializer()
    note = serializers.CharField()
    added_by = UserBriefSerializer(allow_null=True)
    updated_at = serializers.DateTimeField()


class ListActivityOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    actor = UserBriefSerializer(allow_null=True)
    verb = serializers.CharField()
    title = TitleBriefSerializer(allow_null=True)
    target_user = UserBriefSerializer(allow_null=True)
    detail = serializers.DictField()
    created_at = serializers.DateTimeField()


def _visible(request: Request, list_id: int, token: str = "") -> tuple[UserList, selectors.ListAccess]:
    visible = selectors.list_get_visible(list_id=list_id, viewer=request.user, token=token)
    if visible is None:
        raise Http404
    return visible


def _detail(user_list: UserList, access: selectors.ListAccess) -> dict[str, object]:
    user_list.entry_count = user_list.entries.count()  # type: ignore[attr-defined]
    user_list.can_edit = access.can_edit  # type: ignore[attr-defined]
    user_list.is_owner = access.is_owner  # type: ignore[attr-defined]
    user_list.liked = access.liked  # type: ignore[attr-defined]
    user_list.following = access.following  # type: ignore[attr-defined]
    if not access.can_edit:
        user_list.share_token = ""
    return UserListDetailOutputSerializer(user_list).data


# -----------------------------------------------------------------------------
# Lists
# -----------------------------------------------------------------------------
class ListListApi(APIView):
    """Lists the caller may see, most liked first; ``q`` finds them by name or description."""

    pagination_class = Pagination
    permission_classes = []

    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, max_length=200, allow_blank=True)
        owner = serializers.CharField(required=False, max_length=40, allow_blank=True)

    @extend_schema(parameters=[FilterSerializer], responses=UserListOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        query = filters.validated_data.get("q", "").strip()
        nickname = filters.validated_data.get("owner", "").strip()
        if nickname:
            # An unknown owner has no lists: an empty page, like any filter that matches nothing.
            owner = user_get_by_nickname(nickname=nickname)
            if owner is None:
                qs = UserList.objects.none()
            else:
                qs = selectors.lists_of_owner_visible(owner=owner, viewer=request.user)
            if query:
                qs = qs.filter(name__icontains=query)
        elif query:
            qs = selectors.lists_matching(query=query, viewer=request.user)
        else:
            qs = selectors.lists_popular(viewer=request.user)
        return paginated(request=request, view=self, queryset=qs, serializer_class=UserListOutputSerializer)


class ListMineApi(APIView):
    """The caller's lists: owned and co-edited."""

    pagination_class = Pagination
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UserListOutputSerializer(many=True))
    def get(self, request: AuthedRequest) -> Response:
        qs = selectors.lists_for_user(user=request.user)
        return paginated(request=request, view=self, queryset=qs, serializer_class=UserListOutputSerializer)


class ListCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=UserListInputSerializer, responses={201: UserListDetailOutputSerializer})
    def post(self, request: AuthedRequest) -> Response:
        data = UserListInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user_list = services.list_create(owner=request.user, **data.validated_data)
        access = selectors.list_access(user_list=user_list, viewer=request.user)
        return Response(_detail(user_list, access), status=status.HTTP_201_CREATED)


class ListDetailApi(APIView):
    permission_classes = []

    @extend_schema(responses=UserListDetailOutputSerializer)
    def get(self, request: Request, list_id: int) -> Response:
        user_list, access = _visible(request, list_id)
        return Response(_detail(user_list, access))


class ListSharedApi(APIView):
    """A list by its share link's token (a public or 일촌-only list, read-only)."""

    permission_classes = []

    @extend_schema(responses=UserListDetailOutputSerializer)
    def get(self, request: Request, token: str) -> Response:
        user_list = selectors.list_get_by_token(token=token)
        if user_list is None:
            raise Http404
        user_list, access = _visible(request, user_list.pk, token=token)
        return Response(_detail(user_list, access))


class ListUpdateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=UserListInputSerializer, responses=UserListDetailOutputSerializer)
    def put(self, request: AuthedRequest, list_id: int) -> Response:
        data = UserListInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user_list = services.list_update(user=request.user, list_id=list_id, **data.validated_data)
        return Response(_detail(user_list, selectors.list_access(user_list=user_list, viewer=request.user)))


class ListDeleteApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: AuthedRequest, list_id: int) -> Response:
        services.list_delete(user=request.user, list_id=list_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ListShareResetApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=UserListDetailOutputSerializer)
    def post(self, request: AuthedRequest, list_id: int) -> Response:
        user_list = services.list_share_token_reset(user=request.user, list_id=list_id)
        return Response(_detail(user_list, selectors.list_access(user_list=user_list, viewer=request.user)))


# -----------------------------------------------------------------------------
# Entries
# -----------------------------------------------------------------------------
class ListEntryListApi(APIView):
    pagination_class = Pagination
    permission_classes = []

    @extend_schema(responses=ListEntryOutputSerializer(many=True))
    def get(self, request: Request, list_id: int) -> Response:
        user_list, _access = _visible(request, list_id)
        qs = selectors.list_entries(user_list=user_list)
        return paginated(request=request, view=self, queryset=qs, serializer_class=ListEntryOutputSerializer)


class ListEntryAddApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        title_id = serializers.IntegerField(min_value=1, max_value=POSITION_MAX)
        note = serializers.CharField(max_length=NOTE_MAX, allow_blank=True, default="", trim_whitespace=False)

    @extend_schema(request=InputSerializer, responses={201: ListEntryOutputSerializer})
    def post(self, request: AuthedRequest, list_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.list_entry_add(user=request.user, list_id=list_id, **data.validated_data)
        return Response(ListEntryOutputSerializer(entry).data, status=status.HTTP_201_CREATED)


class ListEntryMoveApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        position = serializers.IntegerField(min_value=0, max_value=POSITION_MAX)
        # Where the caller last saw the entry: a move based on a stale view is refused (409).
        expected_position = serializers.IntegerField(min_value=0, max_value=POSITION_MAX)

    @extend_schema(request=InputSerializer, responses=ListEntryOutputSerializer)
    def post(self, request: AuthedRequest, entry_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.list_entry_move(user=request.user, entry_id=entry_id, **data.validated_data)
        return Response(ListEntryOutputSerializer(entry).data)


class ListEntryNoteApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        note = serializers.CharField(max_length=NOTE_MAX, allow_blank=True, trim_whitespace=False)

    @extend_schema(request=InputSerializer, responses=ListEntryOutputSerializer)
    def post(self, request: AuthedRequest, entry_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.list_entry_note_set(user=request.user, entry_id=entry_id, **data.validated_data)
        return Response(ListEntryOutputSerializer(entry).data)


class ListEntryRemoveApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: AuthedRequest, entry_id: int) -> Response:
        services.list_entry_remove(user=request.user, entry_id=entry_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# -----------------------------------------------------------------------------
# Activity, collaborators, likes, follows
# -----------------------------------------------------------------------------
class ListActivityListApi(APIView):
    pagination_class = Pagination
    permission_classes = []

    @extend_schema(responses=ListActivityOutputSerializer(many=True))
    def get(self, request: Request, list_id: int) -> Response:
        user_list, _access = _visible(request, list_id)
        qs = selectors.list_activity(user_list=user_list)
        return paginated(
            request=request, view=self, queryset=qs, serializer_class=ListActivityOutputSerializer
        )


class ListCollaboratorListApi(APIView):
    permission_classes = []

    @extend_schema(responses=UserBriefSerializer(many=True))
    def get(self, request: Request, list_id: int) -> Response:
        user_list, _access = _visible(request, list_id)
        return Response(
            UserBriefSerializer(selectors.list_collaborators(user_list=user_list), many=True).data
        )


class ListCollaboratorInviteApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        user_id = serializers.IntegerField(min_value=1, max_value=POSITION_MAX)

    @extend_schema(request=InputSerializer, responses={201: UserBriefSerializer})
    def post(self, request: AuthedRequest, list_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitee = User.objects.filter(pk=data.validated_data["user_id"], is_active=True).first()
        if invitee is None:
            raise Http404
        services.list_collaborator_invite(user=request.user, list_id=list_id, invitee=invitee)
        return Response(UserBriefSerializer(invitee).data, status=status.HTTP_201_CREATED)


class ListCollaboratorRemoveApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: AuthedRequest, list_id: int, user_id: int) -> Response:
        services.list_collaborator_remove(user=request.user, list_id=list_id, collaborator_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ListLikeApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        liked = serializers.BooleanField()

    class OutputSerializer(serializers.Serializer):
        liked = serializers.BooleanField()
        like_count = serializers.IntegerField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: AuthedRequest, list_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        count = services.list_like_set(user=request.user, list_id=list_id, **data.validated_data)
        return Response(
            self.OutputSerializer({"liked": data.validated_data["liked"], "like_count": count}).data
        )


class ListFollowApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        following = serializers.BooleanField()

    class OutputSerializer(serializers.Serializer):
        following = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: AuthedRequest, list_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        following = services.list_follow_set(user=request.user, list_id=list_id, **data.validated_data)
        return Response(self.OutputSerializer({"following": following}).data)


name_nested_serializers(globals())
