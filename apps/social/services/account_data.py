"""My account's data: trust for operator accounts, export and deletion."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.db import transaction

from config.exceptions import ApplicationError

if TYPE_CHECKING:
    from apps.social.models import User


@transaction.atomic
def superuser_email_trust(*, user: User) -> EmailAddress | None:
    """Mark a superuser's own address verified and primary (created by `createsuperuser`).

    Only superusers: anyone else proves their address by mail. Idempotent.
    """
    if not user.is_superuser or not user.email:
        return None
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
        return EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=not has_primary
        )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    return address


@transaction.atomic
def account_delete(*, user: User, password: str = "", confirm: str = "") -> dict[str, int]:
    """Delete the account for good, after the password (or, for social-only accounts, the
    nickname typed back) proves it is the owner. Returns what was removed, by kind.

    Ratings, reviews (and their comments and likes), watchlist, diary, life movies, guestbook
    entries (written by or for the user), friends, recommendations and notifications go with
    the account (their foreign keys cascade). Chat messages are erased but keep their place.
    """
    from apps.chat.services import messages_erase_for_author
    from apps.social.models import User as UserModel
    from apps.social.selectors_account import account_export_counts

    current = UserModel.objects.select_for_update().filter(pk=user.pk).first()
    if current is None:
        raise ApplicationError("This account was already deleted.", {"code": "already_deleted"})
    if current.has_usable_password():
        if not current.check_password(password or ""):
            raise ApplicationError(
                "The password is not right.", {"field": "password", "code": "wrong_password"}
            )
    elif (confirm or "").strip() != current.display_name:
        raise ApplicationError(
            "Type your nickname exactly to confirm.", {"field": "confirm", "code": "wrong_confirm"}
        )
    removed = account_export_counts(user=current)
    removed["chat_messages_erased"] = messages_erase_for_author(user=current)
    current.delete()
    return removed
