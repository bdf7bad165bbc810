"""Forms of the social pages and sign-up (validation of shape only; rules live in the services)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from apps.social.models import User
from apps.social.models import Visibility
from apps.social.services.accounts import nickname_validate
from apps.social.services.accounts import user_nickname_set
from config.exceptions import ApplicationError


class ProfileForm(forms.Form):
    nickname = forms.CharField(label=_("Nickname"), max_length=40)
    mood = forms.CharField(label=_("Mood"), max_length=30, required=False)
    intro = forms.CharField(label=_("One-line intro"), max_length=120, required=False)
    visibility_ratings = forms.ChoiceField(label=_("Ratings and reviews"), choices=Visibility.choices)
    visibility_shelf = forms.ChoiceField(label=_("Life movies"), choices=Visibility.choices)
    visibility_taste = forms.ChoiceField(label=_("Taste chart"), choices=Visibility.choices)
    visibility_guestbook = forms.ChoiceField(label=_("Guestbook"), choices=Visibility.choices)
    visibility_friends = forms.ChoiceField(label=_("Friends"), choices=Visibility.choices)
    visibility_watchlist = forms.ChoiceField(label=_("Watchlist"), choices=Visibility.choices)
    visibility_diary = forms.ChoiceField(label=_("Diary"), choices=Visibility.choices)


class AvatarForm(forms.Form):
    # Any file: the service verifies it is an image, so the error message is ours.
    avatar = forms.FileField(label=_("Profile photo"))


class GuestbookForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    is_secret = forms.BooleanField(label=_("Secret (only the owner sees it)"), required=False)


class BoardPostForm(forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=1000)
    body = forms.CharField(
        label=_("Why watch it"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000
    )
    # Titles come from the search-as-you-type picker (views.common.picked_titles), not from this form.


# allauth extends its sign-up form with this one (ACCOUNT_SIGNUP_FORM_CLASS).
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
