from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from apps.chat.models import MemberRole
from apps.chat.models import Membership
from apps.chat.models import Room
from apps.chat.models import RoomKind
from apps.social import rights
from apps.social.models import PrivilegeAccess
from apps.social.models import PrivilegeArea
from apps.social.models import RightRevocation
from tests.factories import MembershipFactory
from tests.factories import RoomFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 18, 0))
LONG_AGO = NOW - datetime.timedelta(days=120)
RECENTLY = NOW - datetime.timedelta(days=10)


def _room_role(*, role: str, last_used: datetime.datetime | None, created: datetime.datetime = LONG_AGO):
    user = UserFactory()
    room = RoomFactory(
        kind=RoomKind.USER, name=f"watch night {user.pk}", owner=user if role == "owner" else None
    )
    membership = MembershipFactory(room=room, user=user, role=role, rights_last_used_at=last_used)
    Membership.objects.filter(pk=membership.pk).update(created_at=created)
    return user, room, membership


def _run(**kwargs):
    with_callbacks = kwargs.pop("callbacks")
    with with_callbacks(execute=True):
        return rights.rights_batch_run(now=NOW, **kwargs)


def test_idle_moderator_is_demoted_audited_and_told(django_capture_on_commit_callbacks):
    # given
    user, room, membership = _room_role(role=MemberRole.MODERATOR, last_used=LONG_AGO)

    # when
    result = _run(callbacks=django_capture_on_commit_callbacks)

    # then
    membership.refresh_from_db()
    assert membership.role == MemberRole.MEMBER
    assert [(r.area, r.scope) for r in result.revoked] == [(PrivilegeArea.CHAT_MODERATOR, str(room.pk))]
    audit = RightRevocation.objects.get()
    assert (audit.user, audit.area, audit.last_access_at) == (user, PrivilegeArea.CHAT_MODERATOR, LONG_AGO)
    assert mail.outbox[0].to == [user.email]
    assert "Chat room moderator" in mail.outbox[0].body
    assert not PrivilegeAccess.objects.exists()


def test_moderator_who_used_the_rights_recently_keeps_them(django_capture_on_commit_callbacks):
    _user, _room, membership = _room_role(role=MemberRole.MODERATOR, last_used=RECENTLY)

    result = _run(callbacks=django_capture_on_commit_callbacks)

    membership.refresh_from_db()
    assert membership.role == MemberRole.MODERATOR
    assert result.revoked == []
    assert PrivilegeAccess.objects.get().last_access_at == RECENTLY


def test_never_used_rights_count_from_when_they_were_granted(django_capture_on_commit_callbacks):
    _fresh_user, _room, fresh = _room_role(role=MemberRole.MODERATOR, last_used=None, created=RECENTLY)
    _old_user, _room2, old = _room_role(role=MemberRole.MODERATOR, last_used=None, created=LONG_AGO)

    _run(callbacks=django_capture_on_commit_callbacks)

    fresh.refresh_from_db()
    old.refresh_from_db()
    assert (fresh.role, old.role) == (MemberRole.MODERATOR, MemberRole.MEMBER)


def test_idle_room_owner_loses_ownership_but_the_room_stays(django_capture_on_commit_callbacks):
    _user, room, membership = _room_role(role=MemberRole.OWNER, last_used=LONG_AGO)

    _run(callbacks=django_capture_on_commit_callbacks)

    room.refresh_from_db()
    membership.refresh_from_db()
    assert room.owner is None
    assert membership.role == MemberRole.MEMBER
    assert RightRevocation.objects.get().area == PrivilegeArea.ROOM_OWNER


def test_idle_staff_lose_staff_and_superuser_flags(django_capture_on_commit_callbacks):
    idle = UserFactory(is_staff=True, is_superuser=True, last_login=LONG_AGO, date_joined=LONG_AGO)
    active_in_admin = UserFactory(is_staff=True, last_login=LONG_AGO, date_joined=LONG_AGO)
    entry = LogEntry.objects.create(
        user=active_in_admin,
        content_type=ContentType.objects.get_for_model(Room),
        object_repr="room",
        action_flag=CHANGE,
    )
    LogEntry.objects.filter(pk=entry.pk).update(action_time=RECENTLY)

    _run(callbacks=django_capture_on_commit_callbacks)

    idle.refresh_from_db()
    active_in_admin.refresh_from_db()
    assert (idle.is_staff, idle.is_superuser) == (False, False)
    assert active_in_admin.is_staff is True


def test_api_token_use_is_recorded_and_keeps_the_token(django_capture_on_commit_callbacks, client: Client):
    # given: two tokens made long ago, recorded by an earlier batch
    used, unused = UserFactory(), UserFactory()
    for user in (used, unused):
        token = Token.objects.create(user=user)
        Token.objects.filter(pk=token.pk).update(created=LONG_AGO)
    rights.privileges_record(now=NOW - datetime.timedelta(days=1))

    # when: one is used through the API, then the batch runs
    response = client.get("/api/schema/", headers={"Authorization": f"Token {used.auth_token.key}"})
    rights.rights_batch_run(now=NOW)

    # then
    assert response.status_code == 200
    assert Token.objects.filter(user=used).exists()
    assert not Token.objects.filter(user=unused).exists()


def test_dry_run_lists_what_would_go_and_changes_nothing():
    _user, _room, membership = _room_role(role=MemberRole.MODERATOR, last_used=LONG_AGO)

    result = rights.rights_batch_run(now=NOW, dry_run=True)

    membership.refresh_from_db()
    assert len(result.revoked) == 1
    assert membership.role == MemberRole.MODERATOR
    assert not RightRevocation.objects.exists()


def test_running_twice_revokes_nothing_more(django_capture_on_commit_callbacks):
    _room_role(role=MemberRole.MODERATOR, last_used=LONG_AGO)
    _room_role(role=MemberRole.MODERATOR, last_used=RECENTLY)
    _run(callbacks=django_capture_on_commit_callbacks)

    second = _run(callbacks=django_capture_on_commit_callbacks)

    assert second.revoked == []
    assert RightRevocation.objects.count() == 1
    assert PrivilegeAccess.objects.count() == 1


def test_one_bad_row_is_skipped_without_undoing_its_chunk(monkeypatch: pytest.MonkeyPatch):
    # given: three idle moderators, one of whose rows cannot be recorded
    memberships = [_room_role(role=MemberRole.MODERATOR, last_used=LONG_AGO)[2] for _ in range(3)]
    bad = memberships[1]
    real = rights._room_rights

    def failing_for_bad_row(rows):
        if any(row.pk == bad.pk for row in rows):
            raise ValueError("corrupt row")
        return real(rows)

    monkeypatch.setattr(
        rights, "_sources", lambda: [("room roles", Membership.objects.all(), failing_for_bad_row)]
    )

    # when
    report = rights.privileges_record(now=NOW, chunk_size=10)

    # then: the two good rows of the same chunk are recorded
    assert (report.recorded, report.failed) == (2, 1)
    assert f"Membership {bad.pk}: corrupt row" in report.errors[0]
    assert set(PrivilegeAccess.objects.values_list("scope", flat=True)) == {
        str(m.room_id) for m in memberships if m.pk != bad.pk
    }


def test_revocation_is_all_or_nothing(monkeypatch: pytest.MonkeyPatch):
    # given: an idle moderator and an idle staff member whose revocation fails
    _user, _room, membership = _room_role(role=MemberRole.MODERATOR, last_used=LONG_AGO)
    UserFactory(is_staff=True, last_login=LONG_AGO, date_joined=LONG_AGO)
    rights.privileges_record(now=NOW)

    def broken(record):
        raise RuntimeError("database went away")

    monkeypatch.setitem(rights._REVOKERS, PrivilegeArea.STAFF, broken)

    # when
    with pytest.raises(RuntimeError):
        rights.privileges_revoke_stale(now=NOW)

    # then: the moderator's demotion was rolled back with it
    membership.refresh_from_db()
    assert membership.role == MemberRole.MODERATOR
    assert not RightRevocation.objects.exists()
    assert PrivilegeAccess.objects.count() == 2


def test_exempt_break_glass_accounts_are_never_revoked(settings, django_capture_on_commit_callbacks):
    keeper = UserFactory(username="breakglass", is_staff=True, last_login=LONG_AGO, date_joined=LONG_AGO)
    settings.RIGHTS_EXEMPT_USERNAMES = ["breakglass"]

    _run(callbacks=django_capture_on_commit_callbacks)

    keeper.refresh_from_db()
    assert keeper.is_staff is True


def test_batch_is_scheduled_daily_at_18_seoul_time():
    entry = settings.CELERY_BEAT_SCHEDULE["social-rights-batch"]

    assert entry["task"] == "apps.social.tasks.rights_batch_run_task"
    assert entry["schedule"].hour == {18}
    assert entry["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Seoul"


def test_command_dry_run_prints_the_plan():
    user, room, _membership = _room_role(role=MemberRole.MODERATOR, last_used=LONG_AGO)
    out = StringIO()

    call_command("revoke_stale_rights", "--dry-run", stdout=out)

    assert f"would revoke chat_moderator:{room.pk} of {user.username}" in out.getvalue()
    assert out.getvalue().rstrip().endswith("1 right(s) would be revoked")
    assert Membership.objects.get(room=room).role == MemberRole.MODERATOR
