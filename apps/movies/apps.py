from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoviesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.movies"
    label = "movies"
    verbose_name = _("Catalog")  # the admin's section heading, in the reader's language
