"""CGV: switched off. Kept as an adapter only to say why, in the admin and on every run.

CGV moved to a new single-page site on 2025-07-14/15. The HTML pages the old crawler
read (``/movies/pre-movies.aspx``, ``/movies/detail-view/``) are gone, and the new
site's JSON API answers plain HTTP clients with 401/403: each request carries
``x-signature``/``x-timestamp`` headers computed by the site's own script in a browser
session (public scrapers of the new site launch a headless browser on
``cgv.co.kr/cnm/movieBook/cinema`` just to capture them). Moochu does not drive a
browser to impersonate visitors, so CGV stays off; KOBIS (every cinema, nationwide),
Megabox and Lotte Cinema cover cinemas.
"""

from __future__ import annotations

from collections.abc import Callable

from apps.movies.crawlers.base import Crawler
from apps.movies.crawlers.base import CrawlResult
from apps.movies.crawlers.base import PoliteClient
from apps.movies.crawlers.base import SourceDisabled

REASON = (
    "Switched off: since 2025-07-15 cgv.co.kr is a single-page app whose API answers plain HTTP "
    "clients with 401/403 (requests need signatures made by the site's script in a browser session). "
    "KOBIS, Megabox and Lotte Cinema cover cinemas."
)


class CgvCrawler(Crawler):
    source = "cgv"
    providers = ("cgv",)
    enabled = False
    status_note = REASON

    def crawl(
        self, client: PoliteClient, *, progress: Callable[[int, int], None] | None = None
    ) -> CrawlResult:
        raise SourceDisabled(f"cgv: {REASON}")
