from django.contrib import admin

from apps.lists.models import ListActivity
from apps.lists.models import UserList


@admin.register(UserList)
class UserListAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "visibility", "like_count", "updated_at")
    list_filter = ("visibility",)
    search_fields = ("name", "owner__nickname")
    raw_id_fields = ("owner",)
    readonly_fields = ("share_token", "like_count")


@admin.register(ListActivity)
class ListActivityAdmin(admin.ModelAdmin):
    list_display = ("list", "actor", "verb", "title", "created_at")
    list_filter = ("verb",)
    raw_id_fields = ("list", "actor", "title", "target_user")
