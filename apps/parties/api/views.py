"""The watch party API: one APIView per operation, the one error shape, the paged envelope.

Errors follow the contract: a party the caller was not invited to is 404, a guest doing the
host's job 403, a party that is over (or a non-일촌 invitee) 409, a bad value 400.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.chat.progress import MAX_UNKNOWN_RUNTIME_S
from apps.parties import selectors
from apps.parties import services
from apps.parties.models import NAME_MAX
from apps.parties.models import Party
from apps.parties.models import RsvpAnswer
from apps.social.api.common import Pagination
from apps.social.api.common import TitleBriefSerializer
from apps.social.api.common import UserBriefSerializer
from apps.social.api.common import name_nested_serializers
from apps.social.api.common import paginated
from apps.social.http import AuthedRequest
from apps.social.models import User
from config.serializers import StrictInputSerializer

# Larger than any runtime: the service says "past the end" in words; this only bounds the JSON.
POSITION_MAX = 10 * MAX_UNKNOWN_RUNTIME_S


class PartyOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    title = TitleBriefSerializer()
    episode = serializers.IntegerField(allow_null=True)
    host = UserBriefSerializer()
    starts_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    room_id = serializers.IntegerField()


class PartyDetailOutputSerializer(PartyOutputSerializer):
    is_host = serializers.BooleanField()
    started = serializers.BooleanField()
    over = serializers.BooleanField()
    clock_s = serializers.IntegerField(help_text="Seconds into the title on the party clock, now.")
    clock_running = serializers.BooleanField()
    rsvp_counts = serializers.DictField(child=serializers.IntegerField())
    my_rsvp = serializers.ChoiceField(RsvpAnswer.choices, allow_null=True)
    server_time = serializers.DateTimeField()


class PartyInputSerializer(StrictInputSerializer):
    title_id = serializers.IntegerField(min_value=1)
    starts_at = serializers.DateTimeField()
    name = serializers.CharField(max_length=NAME_MAX, allow_blank=True, default="")
    episode = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


def _guest_party(request: AuthedRequest, party_id: int) -> tuple[Party, selectors.PartyAccess]:
    party = selectors.party_get(party_id=party_id)
    if party is None:
        raise Http404
    access = selectors.party_access(party=party, user=request.user)
    if not access.is_guest:
        raise Http404
    return party, access


def _detail(party: Party, access: selectors.PartyAccess, user: User) -> dict[str, object]:
    now = timezone.now()
    rsvps = selectors.party_rsvps(party=party, user=user)
    data = PartyDetailOutputSerializer(
        {
            "id": party.pk,
            "name": party.name,
            "title": party.title,
            "episode": party.episode,
            "host": party.host,
            "starts_at": party.starts_at,
            "ended_at": party.ended_at,
            "room_id": party.room_id,
            "is_host": access.is_host,
            "started": party.has_started(now),
            "over": party.is_over(now),
            "clock_s": party.clock_at(now),
            "clock_running": party.clock_running_since is not None,
            "rsvp_counts": rsvps.counts,
            "my_rsvp": rsvps.mine,
            "server_time": now,
        }
    )
    return data.data


class PartyMineApi(APIView):
    """Parties the caller hosts or was invited to, latest start first."""

    pagination_class = Pagination
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PartyOutputSerializer(many=True))
    def get(self, request: AuthedRequest) -> Response:
        qs = selectors.parties_for_user(user=request.user)
        return paginated(request=request, view=self, queryset=qs, serializer_class=PartyOutputSerializer)


class PartyCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=PartyInputSerializer, responses={201: PartyDetailOutputSerializer})
    def post(self, request: AuthedRequest) -> Response:
        data = PartyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        party = services.party_create(host=request.user, **data.validated_data)
        party = selectors.party_get(party_id=party.pk) or party
        access = selectors.party_access(party=party, user=request.user)
        return Response(_detail(party, access, request.user), status=status.HTTP_201_CREATED)


class PartyDetailApi(APIView):
    """One party, with the clock as it reads now (pages that follow the clock re-read this)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PartyDetailOutputSerializer)
    def get(self, request: AuthedRequest, party_id: int) -> Response:
        party, access = _guest_party(request, party_id)
        return Response(_detail(party, access, request.user))


class PartyRsvpApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        answer = serializers.ChoiceField(RsvpAnswer.choices)

    @extend_schema(request=InputSerializer, responses=PartyDetailOutputSerializer)
    def post(self, request: AuthedRequest, party_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.party_rsvp(user=request.user, party_id=party_id, answer=data.validated_data["answer"])
        party, access = _guest_party(request, party_id)
        return Response(_detail(party, access, request.user))


class PartyInviteApi(APIView):
    """The host invites one of their 일촌 (409 for anyone else)."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        user_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)

    class OutputSerializer(serializers.Serializer):
        user = UserBriefSerializer()
        created_at = serializers.DateTimeField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: AuthedRequest, party_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _guest_party(request, party_id)  # a party the caller cannot see is missing, whoever they name
        invitee = User.objects.filter(pk=data.validated_data["user_id"]).first()
        if invitee is None:
            raise Http404
        invitation = services.party_invite(user=request.user, party_id=party_id, invitee=invitee)
        return Response(self.OutputSerializer(invitation).data, status=status.HTTP_201_CREATED)


class PartyPositionApi(APIView):
    """Where the caller is in the party's title; their open chat sockets release what they
    have now reached."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        position_s = serializers.IntegerField(min_value=-POSITION_MAX, max_value=POSITION_MAX)
        episode = serializers.IntegerField(
            min_value=-POSITION_MAX, max_value=POSITION_MAX, required=False, allow_null=True, default=None
        )

    class OutputSerializer(serializers.Serializer):
        episode = serializers.IntegerField()
        position_s = serializers.IntegerField()
        horizon_episode = serializers.IntegerField()
        horizon_s = serializers.IntegerField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: AuthedRequest, party_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        stored = services.party_position_set(user=request.user, party_id=party_id, **data.validated_data)
        return Response(self.OutputSerializer(stored).data)


class PartyClockApi(APIView):
    """The host starts, pauses or moves the party clock."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(StrictInputSerializer):
        action = serializers.ChoiceField(["start", "pause", "seek"])
        at_s = serializers.IntegerField(
            min_value=-POSITION_MAX, max_value=POSITION_MAX, required=False, allow_null=True, default=None
        )

    @extend_schema(request=InputSerializer, responses=PartyDetailOutputSerializer)
    def post(self, request: AuthedRequest, party_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.party_clock_set(user=request.user, party_id=party_id, **data.validated_data)
        party, access = _guest_party(request, party_id)
        return Response(_detail(party, access, request.user))


class PartyEndApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=PartyDetailOutputSerializer)
    def post(self, request: AuthedRequest, party_id: int) -> Response:
        services.party_end(user=request.user, party_id=party_id)
        party, access = _guest_party(request, party_id)
        return Response(_detail(party, access, request.user))


name_nested_serializers(globals())
