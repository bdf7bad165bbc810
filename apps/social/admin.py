from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

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

    @admin.action(description="Hide selected posts")
    def hide(self, request, queryset):
        queryset.update(is_hidden=True)

    @admin.action(description="Unhide selected posts")
    def unhide(self, request, queryset):
        queryset.update(is_hidden=False)


for model in (models.Profile, models.Block, models.FriendRequest, models.Recommendation, models.Notification):
    admin.site.register(model, raw_id_fields=[f.name for f in model._meta.fields if f.is_relation])
