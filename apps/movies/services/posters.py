"""Posters: copied once into our storage; a failure never blocks the title."""

from __future__ import annotations

import hashlib
import io
import logging
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image
from PIL import UnidentifiedImageError

from apps.movies.crawlers.base import CrawlError
from apps.movies.crawlers.base import PoliteClient
from apps.movies.crawlers.base import RecordParseError
from apps.movies.crawlers.base import TransientSourceError
from apps.movies.models import Title

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)


_IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def title_poster_copy(*, title_id: int, client: PoliteClient | None = None) -> bool:
    """Copy a title's poster from its source URL into default storage, once.

    Returns True when a poster was stored. Bad answers (4xx, not an image, too large)
    are logged and skipped; TransientSourceError propagates so the task can retry.
    """
    title = Title.objects.filter(id=title_id).only("id", "poster", "poster_source_url").first()
    if title is None or title.poster or not title.poster_source_url:
        return False
    owns_client = client is None
    client = client or PoliteClient()
    try:
        content = client.get(title.poster_source_url).content
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            extension = _IMAGE_EXTENSIONS.get(image.format or "")
        if extension is None:
            raise RecordParseError("poster is not a JPEG, PNG, WebP or GIF image")
    except TransientSourceError:
        raise
    except (CrawlError, RecordParseError, UnidentifiedImageError, OSError) as exc:
        logger.warning("poster of title %s not copied from %s: %s", title_id, title.poster_source_url, exc)
        return False
    finally:
        if owns_client:
            client.close()
    digest = hashlib.sha256(title.poster_source_url.encode()).hexdigest()[:12]
    name = default_storage.save(f"posters/{title_id}-{digest}.{extension}", ContentFile(content))
    # Guarded on an empty poster: a concurrent copy that won keeps its file.
    updated = Title.objects.filter(id=title_id, poster="").update(poster=name, search_index_dirty=True)
    if not updated:
        default_storage.delete(name)
    return bool(updated)
