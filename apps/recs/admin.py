from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib import messages
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import HttpResponseRedirect
from django.urls import path
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.recs.ml.runtime import ARTIFACT_FORMAT_VERSION
from apps.recs.models import Event
from apps.recs.models import ModelArtifact
from apps.recs.services.ops import TrainingAlreadyRunning
from apps.recs.services.ops import recs_training_running
from apps.recs.tasks import recs_model_retrain_request


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
    """Model operations: which version serves, when and on what it was trained, its offline
    figures, and a staff-only button to retrain now (one training at a time)."""

    change_list_template = "admin/recs/modelartifact/change_list.html"
    list_display = [
        "as_of",
        "is_active",
        "format_version",
        "trained_at",
        "events",
        "ratings",
        "train_seconds",
        "rating_rmse",
    ]
    exclude = ["payload", "rating_payload"]
    readonly_fields = ["as_of", "format_version", "params", "stats", "trained_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:  # artifacts come from training
        return False

    @admin.display(description=gettext_lazy("Interactions"))
    def events(self, obj: ModelArtifact) -> int | None:
        return obj.stats.get("interactions")

    @admin.display(description=gettext_lazy("Ratings"))
    def ratings(self, obj: ModelArtifact) -> int | None:
        return obj.stats.get("ratings")

    @admin.display(description=gettext_lazy("Training seconds"))
    def train_seconds(self, obj: ModelArtifact) -> float | None:
        return obj.stats.get("train_s")

    @admin.display(description=gettext_lazy("Rating RMSE (inner validation)"))
    def rating_rmse(self, obj: ModelArtifact) -> float | None:
        return (obj.stats.get("rating_validation") or {}).get("rmse")

    def get_queryset(self, request: HttpRequest) -> Any:
        # The payloads are megabytes each; the list never shows them.
        return super().get_queryset(request).defer("payload", "rating_payload")

    def get_urls(self) -> list[Any]:
        retrain = self.admin_site.admin_view(require_POST(self.retrain_view))
        return [path("retrain/", retrain, name="recs_modelartifact_retrain"), *super().get_urls()]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        active = ModelArtifact.objects.defer("payload", "rating_payload").filter(is_active=True).first()
        context = {
            "active_artifact": active,
            "current_format": ARTIFACT_FORMAT_VERSION,
            "training_running": recs_training_running(),
            "can_retrain": request.user.is_staff and self.has_change_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    def retrain_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_change_permission(request):
            messages.error(request, _("You may not retrain the recommender."))
        else:
            try:
                recs_model_retrain_request()
            except TrainingAlreadyRunning:
                messages.warning(request, _("A retrain is already running; try again when it has finished."))
            else:
                messages.success(
                    request, _("Retraining started. The new version serves as soon as it is stored.")
                )
        return HttpResponseRedirect(reverse("admin:recs_modelartifact_changelist"))
