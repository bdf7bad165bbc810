"""Ingestion: what crawlers found, normalised, matched to titles and written in bulk.

``pipeline`` is the entry point and its checks; ``merger`` matches and writes. Crawl runs,
posters and editors' merge/split are sibling modules (``crawl_runs``, ``posters``,
``curation``), the bulk writes ``bulk``.
"""

from apps.movies.services.ingestion.merger import SOURCE_PRIORITY
from apps.movies.services.ingestion.merger import IngestReport
from apps.movies.services.ingestion.merger import providers_ensure
from apps.movies.services.ingestion.pipeline import record_as_payload
from apps.movies.services.ingestion.pipeline import record_from_payload
from apps.movies.services.ingestion.pipeline import record_payload_hash
from apps.movies.services.ingestion.pipeline import source_records_ingest
from apps.movies.services.ingestion.pipeline import title_match_keys_backfill
from apps.movies.services.ingestion.pipeline import title_match_keys_refresh

__all__ = [
    "SOURCE_PRIORITY",
    "IngestReport",
    "providers_ensure",
    "record_as_payload",
    "record_from_payload",
    "record_payload_hash",
    "source_records_ingest",
    "title_match_keys_backfill",
    "title_match_keys_refresh",
]
