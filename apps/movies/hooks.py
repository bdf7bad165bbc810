"""Hooks other apps register with the catalog, so the catalog never imports them.

The catalog app sits below the social app in the layering: social may call movies'
services, never the other way round. When the catalog has news another app acts on
(a crawl opened offers: watchlist alerts), that app registers a listener here from
its ``AppConfig.ready``; the catalog calls whoever registered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class OffersOpenedListener(Protocol):
    def __call__(self, *, availability_ids: list[int], run_id: int | None) -> None: ...


_OFFERS_OPENED: list[OffersOpenedListener] = []


def offers_opened_listen(listener: OffersOpenedListener) -> None:
    """Call ``listener(availability_ids=…, run_id=…)`` after each run that opened offers."""
    if listener not in _OFFERS_OPENED:
        _OFFERS_OPENED.append(listener)


def offers_opened_listeners() -> list[OffersOpenedListener]:
    return list(_OFFERS_OPENED)


# Title popularity inputs that live outside the catalog (watchlist adds, views):
# registered by the app that owns them, read by apps.movies.services.popularity.
PopularitySignals = Callable[[list[int]], dict[int, dict[str, float]]]
_POPULARITY_SIGNALS: list[PopularitySignals] = []


def popularity_signals_register(provider: PopularitySignals) -> None:
    if provider not in _POPULARITY_SIGNALS:
        _POPULARITY_SIGNALS.append(provider)


def popularity_signals() -> list[PopularitySignals]:
    return list(_POPULARITY_SIGNALS)
