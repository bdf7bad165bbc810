from __future__ import annotations

from django.contrib import admin

from apps.recs.models import Event
from apps.recs.models import ModelArtifact


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "kind",
        "user",
        "session_key",
        "title",
        "dwell_ms",
        "list_name",
        "position",
    ]
    list_filter = ["kind"]
    raw_id_fields = ["user", "title"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request) -> bool:  # events come from people, not the admin
        return False


@admin.register(ModelArtifact)
class ModelArtifactAdmin(admin.ModelAdmin):
    list_display = ["as_of", "is_active", "trained_at", "stats"]
    exclude = ["payload"]
    readonly_fields = ["as_of", "params", "stats", "trained_at"]
