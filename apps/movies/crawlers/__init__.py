"""Source adapters: each fetches one source and parses it into SourceTitle records.

Crawlers never touch the database; apps.movies.services.ingestion persists what they return.
"""

from __future__ import annotations

from apps.movies.crawlers.base import Crawler
from apps.movies.crawlers.base import CrawlResult
from apps.movies.crawlers.base import SourceFormatError
from apps.movies.crawlers.base import SourceTitle
from apps.movies.crawlers.registry import crawler_for
from apps.movies.crawlers.registry import source_names

__all__ = ["CrawlResult", "Crawler", "SourceFormatError", "SourceTitle", "crawler_for", "source_names"]
