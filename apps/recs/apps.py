from django.apps import AppConfig


class RecsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.recs"
    label = "recs"
