from django.apps import AppConfig


class SocialConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.social"
    label = "social"

    def ready(self) -> None:
        # The catalog calls back after a crawl opens offers; it never imports social.
        from apps.movies.hooks import offers_opened_listen
        from apps.movies.hooks import popularity_signals_register
        from apps.social.popularity_signals import title_popularity_signals
        from apps.social.services.watch_alerts import watch_alerts_for_offers_enqueue

        offers_opened_listen(watch_alerts_for_offers_enqueue)
        # Ratings, watchlist adds and views feed the catalog's one popularity service.
        popularity_signals_register(title_popularity_signals)
