"""Title search: one interface, three backends (PostgreSQL, SQLite, Elasticsearch).

Only ``apps/movies/search/elastic.py`` imports the Elasticsearch client.
"""

from apps.movies.search.base import SearchBackendUnavailable
from apps.movies.search.indexing import title_search_fields_refresh
from apps.movies.search.query import SearchQueryEmpty
from apps.movies.search.query import SearchQueryError
from apps.movies.search.service import SearchHit
from apps.movies.search.service import SearchResults
from apps.movies.search.service import get_search_backend
from apps.movies.search.service import search_titles
from apps.movies.search.service import suggest_titles

__all__ = [
    "SearchBackendUnavailable",
    "SearchHit",
    "SearchQueryEmpty",
    "SearchQueryError",
    "SearchResults",
    "get_search_backend",
    "search_titles",
    "suggest_titles",
    "title_search_fields_refresh",
]
