from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlannerConfig(AppConfig):
    """구독 돌려보기: which streaming service to subscribe to each month for one's watchlist."""

    name = "apps.planner"
    verbose_name = _("Subscription planner")
