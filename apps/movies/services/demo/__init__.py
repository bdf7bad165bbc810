"""The demo catalog: registries, MovieLens 100K's films and the curated Korean sample.

``catalog`` is the entry (read every file, then import in the caller's transaction); ``base``
what the parts share; ``registries``, ``movielens`` and ``korean_sample`` one source each.
MovieLens's people and ratings load in the social app's demo services, above the catalog.
"""

from apps.movies.services.demo.base import GENRES_PATH
from apps.movies.services.demo.base import KOREAN_SAMPLE_PATH
from apps.movies.services.demo.base import PROVIDERS_PATH
from apps.movies.services.demo.base import DemoDataError
from apps.movies.services.demo.base import DemoLoadResult
from apps.movies.services.demo.base import MovieLensSource
from apps.movies.services.demo.catalog import DemoCatalogFiles
from apps.movies.services.demo.catalog import DemoCatalogImport
from apps.movies.services.demo.catalog import demo_catalog_import
from apps.movies.services.demo.catalog import demo_catalog_read
from apps.movies.services.demo.korean_sample import korean_sample_read
from apps.movies.services.demo.movielens import movielens_title_parse

__all__ = [
    "GENRES_PATH",
    "KOREAN_SAMPLE_PATH",
    "PROVIDERS_PATH",
    "DemoCatalogFiles",
    "DemoCatalogImport",
    "DemoDataError",
    "DemoLoadResult",
    "MovieLensSource",
    "demo_catalog_import",
    "demo_catalog_read",
    "korean_sample_read",
    "movielens_title_parse",
]
