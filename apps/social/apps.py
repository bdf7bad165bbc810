from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _site_name_moochu(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Django's sites app recreates "example.com" after every flush (post_migrate); mail
    subjects carry the site's name, so the default site is renamed Moochu each time too.
    A site an operator renamed is left alone. (Migration social 0005 does it once for
    existing databases.)"""
    from django.conf import settings
    from django.contrib.sites.models import Site

    renamed = (
        Site.objects.using(using)
        .filter(pk=settings.SITE_ID, domain="example.com")
        .update(name="Moochu", domain="moochu.local")
    )
    if renamed:
        Site.objects.clear_cache()  # update() skips the model signals that clear it


class SocialConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.social"
    label = "social"
    verbose_name = _("People")  # the admin's section heading, in the reader's language

    def ready(self) -> None:
        # The catalog calls back after a crawl opens offers; it never imports social.
        from apps.movies.hooks import offers_opened_listen
        from apps.movies.hooks import popularity_signals_register
        from apps.social.popularity_signals import title_popularity_signals
        from apps.social.tasks import watch_alerts_for_offers_enqueue

        offers_opened_listen(watch_alerts_for_offers_enqueue)
        # Connected after django.contrib.sites (earlier in INSTALLED_APPS), so this runs after
        # its create_default_site.
        post_migrate.connect(_site_name_moochu, dispatch_uid="social_site_name_moochu")
        # Ratings, watchlist adds and views feed the catalog's one popularity service.
        popularity_signals_register(title_popularity_signals)
