from apps.movies.services.catalog import mask_of
from apps.movies.services.catalog import title_masks_refresh

__all__ = ["mask_of", "title_masks_refresh"]
