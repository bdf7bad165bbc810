"""Writes: taking an upload, reading and matching it, the person's choices, applying it.

Nothing reaches the person's ratings, diary, watchlist or reviews before
``import_batch_apply``, which the person starts after reviewing the rows.

Reading and applying run as tasks; services never import tasks, so the caller passes how to
queue them (``enqueue_read``, ``enqueue_apply``: the views pass the tasks' ``delay``).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.imports.models import BatchStatus
from apps.imports.models import ImportBatch
from apps.imports.models import ImportRow
from apps.imports.models import RowOutcome
from apps.imports.models import RowStatus
from apps.imports.models import TitleLink
from apps.imports.parsing import MAX_UPLOAD_BYTES
from apps.imports.parsing import ImportFileError
from apps.imports.parsing import Kind
from apps.imports.parsing import Message
from apps.imports.parsing import ParsedRow
from apps.imports.parsing import parse_upload
from apps.imports.selectors import Wanted
from apps.imports.selectors import titles_find
from apps.movies.models import Title
from apps.movies.services.bulk import bulk_insert
from apps.movies.services.ingestion import title_match_keys_backfill
from apps.social import services as social
from apps.social.services.history import DiaryItem
from apps.social.services.history import ItemResult
from apps.social.services.history import RatingItem
from apps.social.services.history import ReviewItem
from config.exceptions import ApplicationError
from config.exceptions import ConflictError
from config.exceptions import NotFoundError

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from apps.social.models import User

logger = logging.getLogger(__name__)

# Rows matched per step; the progress bar moves once per step (10,000 rows: 10 steps).
MATCH_STEP = 1000
MAX_FILENAME = 200


def import_batch_create(
    *, user: User, upload: UploadedFile, enqueue_read: Callable[[int], object]
) -> ImportBatch:
    """Keep the upload and queue its reading (``enqueue_read(batch_id)`` after commit); the
    batch page shows the progress."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ApplicationError(
            _("The file is larger than 50 MB; an export is a few MB at most."),
            {"field": "file", "max_bytes": MAX_UPLOAD_BYTES},
        )
    if not upload.size:
        raise ApplicationError(_("The file is empty."), {"field": "file"})
    name = (upload.name or "upload").rsplit("/", 1)[-1][:MAX_FILENAME]
    with transaction.atomic():
        batch = ImportBatch(user=user, filename=name)
        batch.full_clean(exclude=["upload"])
        batch.upload.save(f"{user.pk}-{timezone.now():%Y%m%d%H%M%S}.bin", upload, save=False)
        batch.save()
        transaction.on_commit(lambda: enqueue_read(batch.pk))
    return batch


def import_batch_read(*, batch_id: int, data: bytes | None = None) -> ImportBatch:
    """Parse the upload and match every row, recording progress as it goes.

    Runs outside one big transaction so the progress is visible; the status field guards it
    (only a queued batch is read), and a failure removes the partial rows and says why.
    """
    claimed = ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.QUEUED).update(
        status=BatchStatus.PARSING
    )
    batch = ImportBatch.objects.get(pk=batch_id)
    if not claimed:
        return batch
    try:
        if data is None:
            with batch.upload.open("rb") as handle:
                data = handle.read(MAX_UPLOAD_BYTES + 1)
        source, parsed = parse_upload(name=batch.filename, data=data)
        if not parsed:
            raise ImportFileError({"msgid": gettext_noop("The file has no rows to import."), "params": {}})
        ImportBatch.objects.filter(pk=batch_id).update(source=source, progress_total=len(parsed))
        # Titles added outside ingestion (the demo catalog, an admin add) have no match keys
        # until the next crawl; give them theirs, as a crawl run does first.
        title_match_keys_backfill()
        for start in range(0, len(parsed), MATCH_STEP):
            _rows_match_and_store(batch, parsed[start : start + MATCH_STEP])
            ImportBatch.objects.filter(pk=batch_id).update(progress_done=min(start + MATCH_STEP, len(parsed)))
    except ImportFileError as exc:
        _batch_fail(batch, exc.detail)
    except Exception:
        logger.exception("import batch %s could not be read", batch_id)
        _batch_fail(
            batch, {"msgid": gettext_noop("The file could not be read. Nothing was imported."), "params": {}}
        )
    else:
        ImportBatch.objects.filter(pk=batch_id).update(status=BatchStatus.REVIEW)
        _upload_discard(batch)
    batch.refresh_from_db()
    return batch


def _batch_fail(batch: ImportBatch, message: Message) -> None:
    batch.rows.all().delete()
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED, error=message, progress_done=0)
    _upload_discard(batch)


def _upload_discard(batch: ImportBatch) -> None:
    if batch.upload:
        batch.upload.delete(save=False)
        ImportBatch.objects.filter(pk=batch.pk).update(upload="")


def _wanted(row: ParsedRow) -> Wanted:
    return Wanted(
        source=row.source,
        external_id=row.external_id,
        name=row.name,
        year=row.year,
        media_type=row.media_type,
    )


def _rows_match_and_store(batch: ImportBatch, parsed: Sequence[ParsedRow]) -> None:
    valid = [row for row in parsed if not row.problems]
    found = titles_find(wanted=[_wanted(row) for row in valid], user=batch.user)
    rows: list[ImportRow] = []
    for row in parsed:
        item = ImportRow(
            batch=batch,
            kind=row.kind,
            file=row.file[:100],
            line=row.line,
            name=row.name[:500],
            year=row.year,
            external_id=row.external_id[:300],
            media_type=row.media_type,
            half_stars=row.half_stars,
            day=row.day,
            rewatch=row.rewatch,
            body=row.body,
            problems=row.problems,
        )
        if row.problems:
            item.status = RowStatus.INVALID
        else:
            match = found[_wanted(row)]
            ids = match.title_ids
            if len(ids) == 1:
                item.status, item.title_id, item.by_link = RowStatus.MATCHED, ids[0], match.by_link
            elif ids:
                item.status, item.candidate_ids = RowStatus.AMBIGUOUS, list(ids)
            else:
                item.status = RowStatus.UNMATCHED
        rows.append(item)
    # COPY on PostgreSQL: bulk_create's 10,000-row INSERTs took ~10 s (profiled) of a 16 s read.
    bulk_insert(ImportRow, rows)


def _reviewable(*, user: User, row_id: int, batch_id: int | None) -> ImportRow:
    rows = ImportRow.objects.select_related("batch").filter(pk=row_id, batch__user=user)
    if batch_id is not None:
        # A row reached through another of the person's batches' URLs is not that batch's.
        rows = rows.filter(batch_id=batch_id)
    row = rows.first()
    if row is None:
        raise NotFoundError(_("No such import row."), {"row_id": row_id})
    if row.batch.status != BatchStatus.REVIEW:
        raise ConflictError(_("This import is not waiting for review any more."), {"row_id": row_id})
    return row


@transaction.atomic
def import_row_choose(*, user: User, row_id: int, title_id: int | None, batch_id: int | None = None) -> int:
    """Choose the title of an ambiguous or unmatched row (None leaves it out).

    Every row of the batch with the same name and year (the film's ratings, diary and review
    lines: Letterboxd gives diary entries URIs of their own) takes the same choice.
    Returns how many rows changed.
    """
    row = _reviewable(user=user, row_id=row_id, batch_id=batch_id)
    if row.status not in (RowStatus.AMBIGUOUS, RowStatus.UNMATCHED):
        raise ConflictError(_("Only a row without a sure match takes a choice."), {"row_id": row_id})
    if title_id is not None:
        if row.status == RowStatus.AMBIGUOUS and title_id not in row.candidate_ids:
            raise ConflictError(_("Choose one of the offered titles."), {"title_id": title_id})
        if not Title.objects.filter(pk=title_id).exists():
            raise NotFoundError(_("No such title."), {"title_id": title_id})
    same_film = ImportRow.objects.filter(
        batch=row.batch,
        status=row.status,
        name=row.name,
        year=row.year,
    )
    return same_film.update(title_id=title_id, skip=title_id is None)


@transaction.atomic
def import_row_skip_set(*, user: User, row_id: int, skip: bool, batch_id: int | None = None) -> ImportRow:
    """Leave a matched row out of the import, or take it back in."""
    row = _reviewable(user=user, row_id=row_id, batch_id=batch_id)
    if row.status != RowStatus.MATCHED:
        raise ConflictError(_("Only a matched row can be skipped this way."), {"row_id": row_id})
    row.skip = skip
    row.save(update_fields=["skip"])
    return row


@transaction.atomic
def import_batch_apply_request(
    *, user: User, batch_id: int, enqueue_apply: Callable[[int], object]
) -> ImportBatch:
    """The person has reviewed the rows: queue the writing (``enqueue_apply(batch_id)`` after
    commit)."""
    batch = ImportBatch.objects.select_for_update().filter(pk=batch_id, user=user).first()
    if batch is None:
        raise NotFoundError(_("No such import."), {"batch_id": batch_id})
    if batch.status == BatchStatus.APPLIED:
        raise ConflictError(_("This import has already been applied."), {"batch_id": batch_id})
    if batch.status != BatchStatus.REVIEW:
        raise ConflictError(_("This import is not ready to apply."), {"batch_id": batch_id})
    batch.status = BatchStatus.APPLYING
    batch.language = translation.get_language() or settings.LANGUAGE_CODE
    batch.save(update_fields=["status", "language"])
    transaction.on_commit(lambda: enqueue_apply(batch.pk))
    return batch


def import_batch_apply(*, batch_id: int) -> ImportBatch:
    """Write the chosen rows through the social app's import services, all or nothing.

    A re-import of the same file finds everything already there: every row is "unchanged".
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().select_related("user").get(pk=batch_id)
        if batch.status != BatchStatus.APPLYING:
            return batch
        rows = list(batch.rows.order_by("id"))
        ImportBatch.objects.filter(pk=batch_id).update(progress_done=0, progress_total=len(rows))
        to_write: dict[str, list[ImportRow]] = defaultdict(list)
        for row in rows:
            if row.title_id is None or row.skip or row.status == RowStatus.INVALID:
                row.outcome = RowOutcome.SKIPPED
            else:
                to_write[row.kind].append(row)
        user = batch.user
        # A worker has no request: refusals (a review too long…) read in the person's language.
        with translation.override(batch.language or settings.LANGUAGE_CODE):
            _write(
                to_write[Kind.RATING],
                lambda rs: social.ratings_import(user=user, items=[_rating(r) for r in rs]),
            )
            _write(
                to_write[Kind.DIARY],
                lambda rs: social.diary_entries_import(user=user, items=[_diary(r) for r in rs]),
            )
            _write(
                to_write[Kind.WATCHLIST],
                lambda rs: social.watchlist_import(user=user, title_ids=[_id(r) for r in rs]),
            )
            _write(
                to_write[Kind.REVIEW],
                lambda rs: social.reviews_import(user=user, items=[_review(r) for r in rs]),
            )
        _outcomes_save(rows)
        _links_remember(batch, [row for kind_rows in to_write.values() for row in kind_rows])
        batch.status = BatchStatus.APPLIED
        batch.applied_at = timezone.now()
        batch.progress_done = len(rows)
        batch.save(update_fields=["status", "applied_at", "progress_done"])
    return batch


def _id(row: ImportRow) -> int:
    assert row.title_id is not None  # only rows with a title are written
    return row.title_id


def _rating(row: ImportRow) -> RatingItem:
    assert row.half_stars is not None  # a rating row without one is invalid
    return RatingItem(title_id=_id(row), half_stars=row.half_stars, rated_on=row.day)


def _diary(row: ImportRow) -> DiaryItem:
    assert row.day is not None  # a diary row without a date is invalid
    return DiaryItem(title_id=_id(row), watched_on=row.day, rewatch=row.rewatch, half_stars=row.half_stars)


def _review(row: ImportRow) -> ReviewItem:
    return ReviewItem(title_id=_id(row), body=row.body)


def _write(rows: list[ImportRow], service: Callable[[list[ImportRow]], list[ItemResult]]) -> None:
    if not rows:
        return
    for row, result in zip(rows, service(rows), strict=True):
        row.outcome = result.outcome.value
        row.outcome_note = result.error[:300]


def _outcomes_save(rows: Sequence[ImportRow]) -> None:
    # One UPDATE per distinct outcome (a handful), not bulk_update's CASE per row: that took
    # ~1 s per 500 rows on a loaded machine.
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in rows:
        groups[(row.outcome, row.outcome_note)].append(row.pk)
    for (outcome, note), ids in groups.items():
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            ImportRow.objects.filter(id__in=chunk).update(outcome=outcome, outcome_note=note)


def _links_remember(batch: ImportBatch, rows: Sequence[ImportRow]) -> None:
    """A written row's external id now names its title for later imports: for everyone when
    the name match was sure, for this person alone when they chose the title themselves."""
    links: dict[tuple[str, int | None], int] = {}
    for row in rows:
        # A row found by its link already has one: a re-import inserts nothing.
        if not row.external_id or not row.title_id or row.by_link or row.outcome == RowOutcome.FAILED:
            continue
        owner = None if row.status == RowStatus.MATCHED else batch.user_id
        links[(row.external_id, owner)] = row.title_id
    # COPY, then INSERT … ON CONFLICT DO NOTHING: bulk_create's 500-row INSERTs were 2.4 s of a
    # 10,000-row apply (profiled); a link someone else made meanwhile is kept.
    bulk_insert(
        TitleLink,
        [
            TitleLink(source=batch.source, external_id=ext, user_id=owner, title_id=title_id)
            for (ext, owner), title_id in links.items()
        ],
        ignore_conflicts=True,
    )
