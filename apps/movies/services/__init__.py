from apps.movies.services.catalog import mask_of
from apps.movies.services.catalog import title_masks_refresh
from apps.movies.services.preferences import my_services_set

__all__ = ["mask_of", "my_services_set", "title_masks_refresh"]
