"""Admin for the catalog: crawl runs to watch, titles to merge and split by hand."""

from __future__ import annotations

import json

from django.contrib import admin
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http import HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.movies.models import Availability
from apps.movies.models import CrawlRun
from apps.movies.models import Genre
from apps.movies.models import Provider
from apps.movies.models import SourceRecord
from apps.movies.models import Title
from apps.movies.services.curation import title_merge
from apps.movies.services.curation import title_split
from apps.movies.services.ingestion import title_match_keys_refresh
from apps.movies.source_health import source_health_list
from config.exceptions import ApplicationError


@admin.register(CrawlRun)
class CrawlRunAdmin(admin.ModelAdmin):
    """Crawl runs, with each source's health above the list (last run, alert, freshness)."""

    change_list_template = "admin/movies/crawlrun/change_list.html"
    list_display = (
        "source",
        "status",
        "started_at",
        "finished_at",
        "new_count",
        "updated_count",
        "unchanged_count",
        "failed_count",
        "closed_count",
        "opened_count",
        "complete",
        "alert",
    )
    list_filter = ("source", "status", "complete")
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in CrawlRun._meta.fields if f.name != "errors"] + ["errors_pretty"]
    exclude = ("errors",)

    @admin.display(description=_("Errors"))
    def errors_pretty(self, run: CrawlRun) -> str:
        return format_html("<pre>{}</pre>", json.dumps(run.errors, ensure_ascii=False, indent=2))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CrawlRun | None = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        extra_context = {**(extra_context or {}), "source_health": source_health_list()}
        return super().changelist_view(request, extra_context=extra_context)


class SourceRecordInline(admin.TabularInline):
    model = SourceRecord
    fields = ("source", "external_id", "payload_hash", "fetched_at", "first_seen_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


class AvailabilityInline(admin.TabularInline):
    model = Availability
    fields = ("provider", "offer_type", "region", "link", "starts_on", "ends_on", "observed_on")
    extra = 0


@admin.register(Title)
class TitleAdmin(admin.ModelAdmin):
    list_display = ("display_title", "title_en", "year", "media_type", "tmdb_id", "kobis_code", "popularity")
    list_filter = ("media_type", "age_rating")
    search_fields = ("title_ko", "title_en", "title_original", "=tmdb_id", "=kobis_code")
    readonly_fields = ("genre_mask", "provider_mask", "offer_mask", "created_at", "updated_at")
    filter_horizontal = ("genres",)
    inlines = (AvailabilityInline, SourceRecordInline)
    actions = ("merge_into_oldest",)

    @admin.action(description=_("Merge selected titles into the oldest of them"))
    def merge_into_oldest(self, request: HttpRequest, queryset: QuerySet[Title]) -> None:
        ids = sorted(queryset.values_list("id", flat=True))
        if len(ids) < 2:
            self.message_user(request, _("Select at least two titles to merge."), messages.WARNING)
            return
        target = title_merge(target_id=ids[0], other_ids=ids[1:])
        self.message_user(
            request,
            _("Merged %(count)d titles into “%(title)s”.")
            % {
                "count": len(ids) - 1,
                "title": target,
            },
        )

    def save_model(self, request: HttpRequest, obj: Title, form: object, change: bool) -> None:
        obj.search_index_dirty = True
        super().save_model(request, obj, form, change)
        # Renamed by hand: the matcher must find the title under its new names.
        title_match_keys_refresh(title_ids=[obj.pk])


@admin.register(SourceRecord)
class SourceRecordAdmin(admin.ModelAdmin):
    list_display = ("__str__", "source", "external_id", "title", "fetched_at")
    list_filter = ("source",)
    search_fields = ("external_id", "title__title_ko", "title__title_en")
    raw_id_fields = ("title",)
    readonly_fields = ("source", "external_id", "payload_hash", "fetched_at", "first_seen_at")
    actions = ("split_off",)

    @admin.action(description=_("Split selected records off into a new title"))
    def split_off(self, request: HttpRequest, queryset: QuerySet[SourceRecord]) -> None:
        try:
            title = title_split(source_record_ids=list(queryset.values_list("id", flat=True)))
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(request, _("Split off into the new title “%(title)s”.") % {"title": title})


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("name", "name_ko", "slug", "kind", "bit", "tmdb_provider_id", "display_priority")
    list_filter = ("kind",)

    def get_readonly_fields(self, request: HttpRequest, obj: Provider | None = None) -> tuple[str, ...]:
        # The bit is a position in every title's mask: chosen once, never edited.
        return ("bit",) if obj is not None else ()


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_ko", "slug", "bit")

    def get_readonly_fields(self, request: HttpRequest, obj: Genre | None = None) -> tuple[str, ...]:
        return ("bit",) if obj is not None else ()
