from django.contrib import admin

from apps.parties.models import Invitation
from apps.parties.models import Party
from apps.parties.models import Rsvp


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "host", "starts_at", "ended_at")
    raw_id_fields = ("host", "title", "room")


admin.site.register(Invitation)
admin.site.register(Rsvp)
