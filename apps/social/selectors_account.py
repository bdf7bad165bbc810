"""My account's data, read for the account page and the export (JSON, or a ZIP of CSVs)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import TYPE_CHECKING
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from apps.social.models import DiaryEntry
from apps.social.models import GuestbookEntry
from apps.social.models import Rating
from apps.social.models import Review
from apps.social.models import WatchlistItem

if TYPE_CHECKING:
    from apps.social.models import User

# Column order of each CSV file and JSON list; the same keys in both formats.
EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "ratings": ("title_id", "title", "title_en", "year", "stars", "rated_at"),
    "reviews": (
        "title_id",
        "title",
        "title_en",
        "year",
        "body",
        "has_spoilers",
        "likes",
        "comments",
        "written_at",
    ),
    "watchlist": ("title_id", "title", "title_en", "year", "added_at"),
    "diary": ("title_id", "title", "title_en", "year", "watched_on", "rewatch", "note"),
    "guestbook_written": ("on_page_of", "body", "secret", "reply", "written_at"),
}


def _title_fields(title: Any) -> dict[str, Any]:
    return {
        "title_id": title.pk,
        "title": title.display_title,
        "title_en": title.title_en,
        "year": title.year,
    }


def account_export_collect(*, user: User) -> dict[str, Any]:
    """Everything the user saved that the export promises, oldest first. Six queries."""
    ratings = [
        _title_fields(r.title) | {"stars": r.half_stars / 2, "rated_at": r.created_at}
        for r in Rating.objects.filter(user=user).select_related("title").order_by("created_at", "pk")
    ]
    reviews = [
        _title_fields(r.title)
        | {
            "body": r.body,
            "has_spoilers": r.has_spoilers,
            "likes": r.like_count,
            "comments": r.comment_count,
            "written_at": r.created_at,
        }
        for r in Review.objects.filter(user=user).select_related("title").order_by("created_at", "pk")
    ]
    watchlist = [
        _title_fields(w.title) | {"added_at": w.created_at}
        for w in WatchlistItem.objects.filter(user=user).select_related("title").order_by("created_at", "pk")
    ]
    diary = [
        _title_fields(d.title) | {"watched_on": d.watched_on, "rewatch": d.rewatch, "note": d.note}
        for d in DiaryEntry.objects.filter(user=user).select_related("title").order_by("watched_on", "pk")
    ]
    guestbook = [
        {
            "on_page_of": g.owner.display_name,
            "body": g.body,
            "secret": g.is_secret,
            "reply": g.reply,
            "written_at": g.created_at,
        }
        for g in GuestbookEntry.objects.filter(author=user)
        .select_related("owner")
        .order_by("created_at", "pk")
    ]
    return {
        "account": {
            "nickname": user.display_name,
            "email": user.email,
            "joined_at": user.date_joined,
            "exported_at": timezone.now(),
        },
        "ratings": ratings,
        "reviews": reviews,
        "watchlist": watchlist,
        "diary": diary,
        "guestbook_written": guestbook,
    }


def account_export_counts(*, user: User) -> dict[str, int]:
    """How much each export section holds (the account page shows these before download)."""
    return {
        "ratings": Rating.objects.filter(user=user).count(),
        "reviews": Review.objects.filter(user=user).count(),
        "watchlist": WatchlistItem.objects.filter(user=user).count(),
        "diary": DiaryEntry.objects.filter(user=user).count(),
        "guestbook_written": GuestbookEntry.objects.filter(author=user).count(),
    }


def account_export_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


def account_export_zip(data: dict[str, Any]) -> bytes:
    """One CSV per section (UTF-8 with BOM, so Excel opens Korean text correctly) and the JSON."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for section, columns in EXPORT_COLUMNS.items():
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            for row in data[section]:
                writer.writerow({key: _csv_value(row.get(key)) for key in columns})
            archive.writestr(f"{section}.csv", "\ufeff" + text.getvalue())
        archive.writestr("moochu-export.json", account_export_json(data))
    return buffer.getvalue()


def _csv_value(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
