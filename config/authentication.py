"""API token authentication that records each token's use for the inactive-rights batch."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework.authentication import TokenAuthentication


class TrackedTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        from apps.social.rights import token_use_record

        token_use_record(token=token, now=timezone.now())
        return user, token
