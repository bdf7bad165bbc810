from __future__ import annotations

from django.contrib import admin

from apps.chat.models import BlockedWord
from apps.chat.models import Membership
from apps.chat.models import Message
from apps.chat.models import Report
from apps.chat.models import Room
from apps.chat.models import Sanction


class BlockedWordInline(admin.TabularInline):
    model = BlockedWord
    extra = 1


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["rights_last_used_at"]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "visibility", "slow_mode_seconds", "last_seq", "last_activity_at"]
    list_filter = ["kind", "visibility"]
    search_fields = ["name"]
    raw_id_fields = ["title", "owner"]
    readonly_fields = ["last_seq"]
    inlines = [MembershipInline, BlockedWordInline]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["room", "seq", "author", "is_spoiler", "created_at", "deleted_at"]
    list_filter = ["is_spoiler"]
    raw_id_fields = ["room", "author", "reply_to", "deleted_by", "mentions"]
    search_fields = ["body"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Staff work the report queue here."""

    list_display = ["message", "reporter", "reason", "status", "created_at"]
    list_filter = ["status"]
    list_editable = ["status"]
    raw_id_fields = ["message", "reporter"]


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    list_display = ["room", "user", "kind", "expires_at", "issued_by", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["room", "user", "issued_by"]
