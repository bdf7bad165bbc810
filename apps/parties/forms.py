"""Forms of the party pages (shape only; the rules live in apps/parties/services.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.parties.models import NAME_MAX


class PartyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX,
        required=False,
        help_text=_("Leave empty to call it after the title."),
        widget=forms.TextInput(attrs={"class": "input"}),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "input"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    episode = forms.IntegerField(
        label=_("Episode"),
        required=False,
        min_value=1,
        help_text=_("Series only: the episode you will watch together. Empty: each guest says which."),
        widget=forms.NumberInput(attrs={"class": "input", "inputmode": "numeric"}),
    )
