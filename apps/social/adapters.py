"""allauth adapters: profiles and nicknames for new accounts, social sign-up without a form."""

from __future__ import annotations

import secrets
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest

from apps.social.models import User
from apps.social.services.account_data import superuser_email_trust
from apps.social.services.accounts import nickname_taken
from apps.social.services.accounts import user_nickname_set
from apps.social.services.homepage import profile_get_or_create
from config.exceptions import ApplicationError


def _nickname_from(candidates: list[str]) -> str:
    """First free nickname among the provider's names, else one with a short suffix."""

    for raw in candidates:
        base = "".join(ch for ch in (raw or "") if ch.isalnum() or ch in "._")[:16]
        if len(base) < 2:
            continue
        for attempt in range(6):
            nickname = base if attempt == 0 else f"{base}{secrets.randbelow(9000) + 1000}"
            if not nickname_taken(display=nickname):
                return nickname
    return f"무비{secrets.randbelow(900000) + 100000}"


def user_display(user: Any) -> str:
    """ACCOUNT_USER_DISPLAY: mails and allauth pages greet the nickname."""
    return getattr(user, "display_name", "") or str(user)


class AccountAdapter(DefaultAccountAdapter):
    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        user = super().authenticate(request, **credentials)
        if user is not None and user.is_superuser:
            # `createsuperuser` writes no EmailAddress row, and mandatory verification would
            # send the operator to a link printed on the server console before /admin/ opens.
            # Whoever can run manage.py already controls the mailbox question.
            superuser_email_trust(user=user)
        return user

    def save_user(self, request: HttpRequest, user: User, form: Any, commit: bool = True) -> User:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            profile_get_or_create(user=user)
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Social sign-up gets a nickname from the provider's profile (made unique).

    allauth's default auto-signup rules stay: when the provider gives no e-mail or one
    that is already taken, the user sees the sign-up form (with the nickname field).
    """

    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> User:
        user = super().save_user(request, sociallogin, form)
        data = sociallogin.account.extra_data or {}
        kakao_profile = (data.get("kakao_account") or {}).get("profile") or {}
        properties = data.get("properties") or {}
        candidates = [
            kakao_profile.get("nickname", ""),
            properties.get("nickname", ""),
            data.get("nickname", ""),
            (data.get("response") or {}).get("nickname", "")
            if isinstance(data.get("response"), dict)
            else "",
            data.get("name", ""),
            data.get("preferred_username", ""),
            (user.email or "").split("@")[0],
        ]
        try:
            user_nickname_set(user=user, nickname=_nickname_from(candidates))
        except ApplicationError:
            user_nickname_set(user=user, nickname=_nickname_from([]))
        return user
