"""My account's data: trust for operator accounts, export and deletion."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.db import transaction

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
