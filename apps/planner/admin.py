from __future__ import annotations

from django.contrib import admin

from apps.planner.models import PlanPrice


@admin.register(PlanPrice)
class PlanPriceAdmin(admin.ModelAdmin):
    list_display = ("provider", "name", "monthly_price_krw", "with_ads", "as_of", "source_url")
    list_filter = ("provider", "with_ads")
    list_editable = ("monthly_price_krw", "as_of")
    search_fields = ("name", "name_en", "provider__name", "provider__name_ko")
