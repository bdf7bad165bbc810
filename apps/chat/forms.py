"""Form for opening a user room from the room list page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.chat.models import RoomVisibility


class RoomCreateForm(forms.Form):
    name = forms.CharField(label=_("Room name"), max_length=100)
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)
    visibility = forms.ChoiceField(label=_("Who can join"), choices=RoomVisibility.choices)
    scheduled_at = forms.DateTimeField(
        label=_("Watch night at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
