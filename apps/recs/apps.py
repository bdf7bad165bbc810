from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.recs"
    label = "recs"
    verbose_name = _("Recommendations")  # the admin's section heading, in the reader's language

    def ready(self) -> None:
        from django.db.models.signals import post_delete
        from django.db.models.signals import post_save

        from apps.recs.signals import rating_saved
        from apps.social.models import Rating

        post_save.connect(rating_saved, sender=Rating, dispatch_uid="recs_rating_saved")
        post_delete.connect(rating_saved, sender=Rating, dispatch_uid="recs_rating_deleted")
