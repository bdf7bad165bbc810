"""The sign-up form allauth extends: adds the nickname."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from apps.social.models import User
from apps.social.services.accounts import nickname_validate
from apps.social.services.accounts import user_nickname_set
from config.exceptions import ApplicationError


class SignupForm(forms.Form):
    nickname = forms.CharField(
        label=_("Nickname"),
        max_length=40,
        help_text=_("2–20 letters (Korean welcome), digits, '_' or '.'"),
    )

    def clean_nickname(self) -> str:
        try:
            display, _key = nickname_validate(self.cleaned_data["nickname"])
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from exc
        return display

    def signup(self, request: HttpRequest, user: User) -> None:
        user_nickname_set(user=user, nickname=self.cleaned_data["nickname"])
