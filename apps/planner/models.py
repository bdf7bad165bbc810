"""The dated price table of Korean streaming plans the subscription planner costs months with."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PlanPrice(models.Model):
    """One plan of one service at a published monthly price, with where and when it was read."""

    provider = models.ForeignKey("movies.Provider", on_delete=models.CASCADE, related_name="plan_prices")
    name = models.CharField(_("plan"), max_length=80)
    name_en = models.CharField(_("plan (English)"), max_length=80, blank=True)
    monthly_price_krw = models.PositiveIntegerField(_("monthly price (KRW)"))
    with_ads = models.BooleanField(_("with ads"), default=False)
    source_url = models.URLField(_("source"), max_length=300)
    as_of = models.DateField(_("price as of"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan price")
        verbose_name_plural = _("plan prices")
        ordering = ["provider__display_priority", "monthly_price_krw"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="planner_plan_price_unique"),
            models.CheckConstraint(condition=Q(monthly_price_krw__gt=0), name="planner_plan_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.name} ₩{self.monthly_price_krw:,}"

    def clean(self) -> None:
        # A price "as of" a day that has not come is a typo or a guess: refuse it.
        if self.as_of and self.as_of > timezone.localdate():
            raise ValidationError({"as_of": _("A price cannot be dated in the future.")})
