from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from apps.social import models


@admin.register(models.User)
class MoochuUserAdmin(UserAdmin):
    list_display = ("username", "email", "nickname", "is_staff", "date_joined")
    search_fields = ("username", "email", "nickname")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Moochu", {"fields": ("nickname", "avatar", "movielens_id")}))


@admin.register(models.Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("user", "title", "half_stars", "created_at")
    raw_id_fields = ("user", "title")


@admin.register(models.Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("user", "title", "has_spoilers", "like_count", "created_at")
    raw_id_fields = ("user", "title")


def _review_link(review: models.Review) -> str:
    """The review's own page, where staff read the thread and delete what breaks the rules."""
    return format_html(
        '<a href="{}">{}</a>', reverse("social:review-detail", args=[review.pk]), review.title.display_title
    )


@admin.register(models.ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ("written_at", "written_by", "excerpt", "on_review")
    list_select_related = ("user", "review__title")
    search_fields = ("body", "user__nickname")
    raw_id_fields = ("review", "user", "parent")

    # Columns by hand, so their headings are translated without verbose names on the fields.
    @admin.display(description=_("written"), ordering="created_at")
    def written_at(self, comment: models.ReviewComment) -> object:
        return comment.created_at

    @admin.display(description=_("by"))
    def written_by(self, comment: models.ReviewComment) -> str:
        return comment.user.display_name

    @admin.display(description=_("comment"))
    def excerpt(self, comment: models.ReviewComment) -> str:
        return Truncator(comment.body).chars(80)

    @admin.display(description=_("review"))
    def on_review(self, comment: models.ReviewComment) -> str:
        return _review_link(comment.review)


@admin.register(models.ReviewReport)
class ReviewReportAdmin(admin.ModelAdmin):
    """Reports people send from a review page ("신고"): staff read them here."""

    list_display = ("reported_at", "reported_by", "on_review", "reported_comment", "why")
    list_select_related = ("reporter", "review__title", "comment")
    search_fields = ("reason", "comment__body", "review__body")
    raw_id_fields = ("review", "comment", "reporter")

    @admin.display(description=_("reported"), ordering="created_at")
    def reported_at(self, report: models.ReviewReport) -> object:
        return report.created_at

    @admin.display(description=_("by"))
    def reported_by(self, report: models.ReviewReport) -> str:
        return report.reporter.display_name

    @admin.display(description=_("reason"))
    def why(self, report: models.ReviewReport) -> str:
        return report.reason or "—"

    @admin.display(description=_("review"))
    def on_review(self, report: models.ReviewReport) -> str:
        return _review_link(report.review)

    @admin.display(description=_("comment"))
    def reported_comment(self, report: models.ReviewReport) -> str:
        return Truncator(report.comment.body).chars(80) if report.comment else "—"


@admin.register(models.GuestbookEntry)
class GuestbookEntryAdmin(admin.ModelAdmin):
    list_display = ("owner", "author", "is_secret", "created_at")
    raw_id_fields = ("owner", "author")


@admin.register(models.BoardPost)
class BoardPostAdmin(admin.ModelAdmin):
    list_display = ("heading", "author", "is_hidden", "like_count", "view_count", "created_at")
    list_filter = ("is_hidden",)
    raw_id_fields = ("author",)
    actions = ["hide", "unhide"]

    @admin.action(description=_("Hide selected posts"))
    def hide(self, request, queryset):
        queryset.update(is_hidden=True)

    @admin.action(description=_("Unhide selected posts"))
    def unhide(self, request, queryset):
        queryset.update(is_hidden=False)


for model in (models.Profile, models.Block, models.FriendRequest, models.Recommendation, models.Notification):
    admin.site.register(model, raw_id_fields=[f.name for f in model._meta.fields if f.is_relation])
