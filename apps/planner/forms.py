from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.planner.selectors import MONTHS_DEFAULT
from apps.planner.selectors import MONTHS_MAX
from apps.planner.selectors import MONTHS_MIN
from apps.planner.selectors import PER_MONTH_DEFAULT
from apps.planner.selectors import PER_MONTH_MAX
from apps.planner.selectors import PER_MONTH_MIN


class PlanForm(forms.Form):
    """The planner's knobs, read from the query string (a plan is a page one can bookmark)."""

    months = forms.IntegerField(
        label=_("Months to plan"), min_value=MONTHS_MIN, max_value=MONTHS_MAX, initial=MONTHS_DEFAULT
    )
    per_month = forms.IntegerField(
        label=_("Titles I watch a month"),
        min_value=PER_MONTH_MIN,
        max_value=PER_MONTH_MAX,
        initial=PER_MONTH_DEFAULT,
    )
    ads = forms.BooleanField(label=_("Plans with ads are fine"), required=False, initial=True)

    @classmethod
    def from_query(cls, query: dict[str, str]) -> PlanForm:
        """Bound to the query; an empty query means the defaults."""
        if not any(key in query for key in ("months", "per_month", "ads")):
            return cls({"months": MONTHS_DEFAULT, "per_month": PER_MONTH_DEFAULT, "ads": "on"})
        return cls(query)
