"""The daily inactive-rights batch: elevated rights unused for N days are taken away.

Two steps, as the access-revocation batch this grows out of did them:

1. ``privileges_record`` walks every held right (chat moderators and room owners, staff,
   API tokens) in chunks and records when each was last used. Each chunk commits on its
   own, so one bad row costs only itself (it is retried row by row and skipped).
2. ``privileges_revoke_stale`` takes away, all-or-nothing in one transaction, every right
   recorded in step 1 whose last use is older than the threshold; each revocation gets an
   audit row and its user an email. A second run finds nothing left to do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta
from typing import TYPE_CHECKING
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.db.models import Q
from django.db.models import QuerySet
from django.utils import translation
from rest_framework.authtoken.models import Token

from apps.chat.models import MemberRole
from apps.chat.models import Membership
from apps.chat.selectors import membership_list_privileged
from apps.chat.services import room_role_revoke
from apps.social.models import PrivilegeAccess
from apps.social.models import PrivilegeArea
from apps.social.models import RightRevocation

if TYPE_CHECKING:
    from apps.social.models import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HeldRight:
    user_id: int
    area: str
    scope: str
    last_access_at: datetime


@dataclass
class RecordReport:
    recorded: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Revocation:
    user_id: int
    username: str
    area: str
    scope: str
    last_access_at: datetime


# -----------------------------------------------------------------------------
# Step 1: record last access, chunk by chunk
# -----------------------------------------------------------------------------
def _chunks(queryset: QuerySet[Any], size: int) -> Iterator[list[Any]]:
    """Primary-key ordered chunks, stable while rows are added or removed meanwhile."""
    last_pk = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last_pk).order_by("pk")[:size])
        if not chunk:
            return
        yield chunk
        last_pk = chunk[-1].pk


def _room_rights(memberships: list[Membership]) -> list[HeldRight]:
    area_of_role: dict[str, PrivilegeArea] = {
        MemberRole.MODERATOR: PrivilegeArea.CHAT_MODERATOR,
        MemberRole.OWNER: PrivilegeArea.ROOM_OWNER,
    }
    return [
        HeldRight(
            user_id=membership.user_id,
            area=area_of_role[membership.role],
            scope=str(membership.room_id),
            last_access_at=membership.rights_last_used_at or membership.created_at,
        )
        for membership in memberships
    ]


def _staff_rights(users: list[User]) -> list[HeldRight]:
    last_admin_action = dict(
        LogEntry.objects.filter(user_id__in=[u.pk for u in users])
        .values("user_id")
        .annotate(last=Max("action_time"))
        .values_list("user_id", "last")
    )
    rights = []
    for user in users:
        uses = [user.date_joined, user.last_login, last_admin_action.get(user.pk)]
        rights.append(
            HeldRight(
                user_id=user.pk, area=PrivilegeArea.STAFF, scope="", last_access_at=max(u for u in uses if u)
            )
        )
    return rights


def _token_rights(tokens: list[Token]) -> list[HeldRight]:
    # Token use is stamped on PrivilegeAccess by TrackedTokenAuthentication; creation
    # counts as a use so a new token is not revoked before its first day is out.
    return [
        HeldRight(user_id=token.user_id, area=PrivilegeArea.API_TOKEN, scope="", last_access_at=token.created)
        for token in tokens
    ]


def _sources() -> list[tuple[str, QuerySet[Any], Callable[[list[Any]], list[HeldRight]]]]:
    room_roles = membership_list_privileged()
    staff = get_user_model().objects.filter(Q(is_staff=True) | Q(is_superuser=True))
    return [
        ("room roles", room_roles, _room_rights),
        ("staff", staff, _staff_rights),
        ("api tokens", Token.objects.all(), _token_rights),
    ]


def _store(rights: list[HeldRight], *, seen_at: datetime) -> None:
    """Upsert the rights' records; a record's last access never moves backwards."""
    existing = {
        (record.user_id, record.area, record.scope): record
        for record in PrivilegeAccess.objects.filter(
            user_id__in={r.user_id for r in rights}, area__in={r.area for r in rights}
        )
    }
    rows = []
    for right in rights:
        known = existing.get((right.user_id, right.area, right.scope))
        last = max(right.last_access_at, known.last_access_at) if known else right.last_access_at
        rows.append(
            PrivilegeAccess(
                user_id=right.user_id,
                area=right.area,
                scope=right.scope,
                last_access_at=last,
                recorded_at=seen_at,
            )
        )
    PrivilegeAccess.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["user", "area", "scope"],
        update_fields=["last_access_at", "recorded_at"],
    )


def privileges_record(*, now: datetime, chunk_size: int | None = None) -> RecordReport:
    """Record the last access of every held right; forget records of rights no longer held."""
    size = chunk_size or settings.RIGHTS_RECORD_CHUNK_SIZE
    report = RecordReport()
    for source_name, queryset, to_rights in _sources():
        for chunk in _chunks(queryset, size):
            try:
                with transaction.atomic():
                    _store(to_rights(chunk), seen_at=now)
                report.recorded += len(chunk)
            except Exception:
                logger.warning("rights batch: a %s chunk failed; retrying row by row", source_name)
                for row in chunk:
                    try:
                        with transaction.atomic():
                            _store(to_rights([row]), seen_at=now)
                        report.recorded += 1
                    except Exception as error:
                        report.failed += 1
                        report.errors.append(f"{source_name} {type(row).__name__} {row.pk}: {error}")
                        logger.exception("rights batch: skipped %s row %s", source_name, row.pk)
    # Records not seen in this run belong to rights that are gone (or rows that failed:
    # those are not revoked today, erring on the side of keeping access).
    PrivilegeAccess.objects.filter(recorded_at__lt=now).delete()
    return report


# -----------------------------------------------------------------------------
# Step 2: revoke stale rights, all or nothing
# -----------------------------------------------------------------------------
def _revoke_room_role(record: PrivilegeAccess) -> None:
    # Chat owns its rows: the chat service demotes (and unowns the room of an owner).
    role = MemberRole.MODERATOR if record.area == PrivilegeArea.CHAT_MODERATOR else MemberRole.OWNER
    room_role_revoke(room_id=int(record.scope), user_id=record.user_id, role=role)


def _revoke_staff(record: PrivilegeAccess) -> None:
    get_user_model().objects.filter(pk=record.user_id).update(is_staff=False, is_superuser=False)


def _revoke_token(record: PrivilegeAccess) -> None:
    Token.objects.filter(user_id=record.user_id).delete()


_REVOKERS: dict[str, Callable[[PrivilegeAccess], None]] = {
    PrivilegeArea.CHAT_MODERATOR: _revoke_room_role,
    PrivilegeArea.ROOM_OWNER: _revoke_room_role,
    PrivilegeArea.STAFF: _revoke_staff,
    PrivilegeArea.API_TOKEN: _revoke_token,
}


def _notify(revocations: list[Revocation]) -> None:
    by_user: dict[int, list[Revocation]] = {}
    for revocation in revocations:
        by_user.setdefault(revocation.user_id, []).append(revocation)
    emails = dict(get_user_model().objects.filter(pk__in=by_user).values_list("pk", "email"))
    for user_id, lost in by_user.items():
        if not emails.get(user_id):
            continue
        with translation.override("en"):  # the message below is English
            lines = [f"- {PrivilegeArea(r.area).label} {r.scope}".rstrip() for r in lost]
        send_mail(
            subject="Moochu: unused rights were removed from your account",
            message=(
                "These rights went unused for a long time and were removed to keep accounts safe:\n"
                + "\n".join(lines)
                + "\n\nAsk a moderator or staff member if you need them again."
            ),
            from_email=None,
            recipient_list=[emails[user_id]],
            fail_silently=True,
        )


def privileges_revoke_stale(
    *, now: datetime, idle_days: int | None = None, dry_run: bool = False
) -> list[Revocation]:
    """Revoke every recorded right unused for ``idle_days``; returns what was (or would be) revoked."""
    days = settings.RIGHTS_INACTIVITY_DAYS if idle_days is None else idle_days
    cutoff = now - timedelta(days=days)
    exempt = set(settings.RIGHTS_EXEMPT_USERNAMES)
    stale = (
        PrivilegeAccess.objects.filter(last_access_at__lt=cutoff)
        .exclude(user__username__in=exempt)
        .select_related("user")
        .order_by("user_id", "area", "scope")
    )
    with transaction.atomic():
        records = list(stale.select_for_update(of=("self",)) if not dry_run else stale)
        revocations = [
            Revocation(r.user_id, r.user.username, r.area, r.scope, r.last_access_at) for r in records
        ]
        if dry_run:
            return revocations
        for record in records:
            _REVOKERS[record.area](record)
        RightRevocation.objects.bulk_create(
            RightRevocation(
                user_id=r.user_id,
                area=r.area,
                scope=r.scope,
                last_access_at=r.last_access_at,
                revoked_at=now,
                reason=f"unused for more than {days} days",
            )
            for r in revocations
        )
        PrivilegeAccess.objects.filter(pk__in=[r.pk for r in records]).delete()
        transaction.on_commit(lambda: _notify(revocations))
    return revocations


@dataclass(frozen=True)
class BatchResult:
    record: RecordReport
    revoked: list[Revocation]


def rights_batch_run(*, now: datetime, dry_run: bool = False) -> BatchResult:
    """Both steps; safe to run twice (the second run revokes nothing new)."""
    report = privileges_record(now=now)
    revoked = privileges_revoke_stale(now=now, dry_run=dry_run)
    logger.info(
        "rights batch: %d rights recorded, %d failed, %d %s",
        report.recorded,
        report.failed,
        len(revoked),
        "would be revoked" if dry_run else "revoked",
    )
    return BatchResult(record=report, revoked=revoked)


def token_use_record(*, token: Token, now: datetime) -> None:
    """Stamp an API token's use, at most once per ``RIGHTS_TOKEN_STAMP_MINUTES``."""
    stale_before = now - timedelta(minutes=settings.RIGHTS_TOKEN_STAMP_MINUTES)
    PrivilegeAccess.objects.filter(
        user_id=token.user_id, area=PrivilegeArea.API_TOKEN, scope="", last_access_at__lt=stale_before
    ).update(last_access_at=now)
