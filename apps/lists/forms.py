"""Forms of the list pages (shape only; the rules live in apps/lists/services.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.lists.models import DESCRIPTION_MAX
from apps.lists.models import NAME_MAX
from apps.social.models import Visibility


class ListForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "textarea"}),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        help_text=_(
            "Friends only: the people you are friends with. Collaborators you invite can always see it."
        ),
    )
