from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YearlyConfig(AppConfig):
    """연말결산: a person's year at Moochu, read from the other apps (it owns no tables)."""

    name = "apps.yearly"
    verbose_name = _("Year in review")
