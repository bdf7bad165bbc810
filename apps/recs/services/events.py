"""Behaviour events: validate a batch, buffer it in Redis, flush it to PostgreSQL in batches."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.movies.models import Title
from apps.recs import buffer
from apps.recs.models import Event
from apps.recs.models import EventKind
from config.bad_input import MAX_QUERY_INT

logger = logging.getLogger(__name__)

# Clocks drift: accept events up to this far ahead of the server before calling them future.
CLOCK_SKEW = dt.timedelta(minutes=2)
MAX_DWELL_MS = 24 * 3600 * 1000
# Refusals of well-formed events (the API answers them 409, not 400).
UNKNOWN_TITLE = "unknown title"
FUTURE_TIMESTAMP = "timestamp is in the future"


@dataclass
class IngestResult:
    accepted: int = 0
    rate_limited: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


# Every key an event may carry; any other is reported rather than dropped unread.
EVENT_KEYS = frozenset(
    {"kind", "title_id", "occurred_at", "dwell_ms", "position", "value", "list_name", "query", "event_id"}
)


def _validate(raw: dict[str, Any], now: dt.datetime) -> tuple[dict[str, Any] | None, dict[str, str]]:
    errors: dict[str, str] = {str(key)[:40]: "unknown field" for key in list(raw.keys() - EVENT_KEYS)[:10]}
    kind = raw.get("kind")
    if kind not in EventKind.values:
        errors["kind"] = f"unknown kind {kind!r}"
    title_id = raw.get("title_id")
    if not isinstance(title_id, int) or isinstance(title_id, bool) or not 0 < title_id <= MAX_QUERY_INT:
        errors["title_id"] = "a positive integer title id is required"
    occurred = raw.get("occurred_at")
    try:
        occurred_at = parse_datetime(occurred) if isinstance(occurred, str) else None
    except ValueError:  # well formed but impossible ("12:99"): parse_datetime raises
        occurred_at = None
    if occurred_at is None:
        errors["occurred_at"] = "an ISO 8601 timestamp is required"
    else:
        if timezone.is_naive(occurred_at):
            occurred_at = timezone.make_aware(occurred_at, dt.UTC)
        if occurred_at > now + CLOCK_SKEW:
            errors["occurred_at"] = FUTURE_TIMESTAMP
    dwell = raw.get("dwell_ms")
    if dwell is not None and (not isinstance(dwell, int) or isinstance(dwell, bool) or dwell < 0):
        errors["dwell_ms"] = "dwell time must be a non-negative integer of milliseconds"
    elif isinstance(dwell, int) and dwell > MAX_DWELL_MS:
        errors["dwell_ms"] = "dwell time longer than a day"
    position = raw.get("position")
    if position is not None and (not isinstance(position, int) or not 0 <= position < 10_000):
        errors["position"] = "position must be an integer from 0"
    value = raw.get("value")
    value_ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 10
    if (kind == EventKind.RATE or value is not None) and not value_ok:
        errors["value"] = "a rating needs a value of 1–10 half stars"
    for name in ("list_name", "query"):
        if raw.get(name) is not None and not isinstance(raw[name], str):
            errors[name] = f"{name} must be text"
    event_id = raw.get("event_id")
    try:
        event_uuid = uuid.UUID(str(event_id)) if event_id is not None else uuid.uuid4()
    except ValueError:
        errors["event_id"] = "event_id must be a UUID"
        event_uuid = None
    if errors:
        return None, errors
    return (
        {
            "event_id": str(event_uuid),
            "kind": kind,
            "title_id": title_id,
            "occurred_at": occurred_at.isoformat(),  # type: ignore[union-attr]
            "dwell_ms": dwell,
            "list_name": str(raw.get("list_name") or "")[:40],
            "position": position,
            "query": str(raw.get("query") or "")[:200],
            "value": value if kind == EventKind.RATE else None,
        },
        {},
    )


def event_batch_ingest(
    *, events: list[dict[str, Any]], user_id: int | None, session_key: str, client_ip: str = ""
) -> IngestResult:
    """Validate each event on its own, rate-limit the actor, then buffer the good ones.

    A bad event is reported by its index and never stops the others. Events past the
    actor's budget are counted as rate limited and dropped, not stored.
    """
    now = timezone.now()
    result = IngestResult()
    valid: list[tuple[int, dict[str, Any]]] = []
    for index, raw in enumerate(events):
        if not isinstance(raw, dict):
            result.errors.append({"index": index, "errors": {"event": "must be an object"}})
            continue
        clean, errors = _validate(raw, now)
        if errors:
            result.errors.append({"index": index, "errors": errors})
        else:
            valid.append((index, clean))  # type: ignore[arg-type]

    known = set(Title.objects.filter(id__in={e["title_id"] for _, e in valid}).values_list("id", flat=True))
    checked: list[dict[str, Any]] = []
    for index, clean in valid:
        if clean["title_id"] not in known:
            result.errors.append({"index": index, "errors": {"title_id": UNKNOWN_TITLE}})
        else:
            checked.append(clean)

    client = buffer.redis_client()
    actor = f"u{user_id}" if user_id else f"s{session_key}"
    if client is not None and checked:
        window = settings.RECS_EVENTS_RATE_WINDOW_S
        granted = buffer.rate_limit_take(client, actor, len(checked), settings.RECS_EVENTS_RATE_LIMIT, window)
        if client_ip and not user_id:
            # A client that drops its session cookie gets a new session per request: cap its
            # address too (generously, for many people behind one NAT).
            granted = min(
                granted,
                buffer.rate_limit_take(
                    client, f"ip{client_ip}", granted, settings.RECS_EVENTS_IP_RATE_LIMIT, window
                ),
            )
        result.rate_limited = len(checked) - granted
        checked = checked[:granted]
    for clean in checked:
        clean["user_id"] = user_id
        clean["session_key"] = "" if user_id else session_key
        clean["received_at"] = now.isoformat()
    if client is None:
        events_write(events=checked)
    else:
        buffer.buffer_push(client, checked)
    result.accepted = len(checked)
    return result


def events_write(*, events: list[dict[str, Any]]) -> int:
    """Insert buffered events; duplicates of an event_id are skipped (idempotent retries).

    Users deleted since the event was buffered lose their events.
    """
    if not events:
        return 0
    user_ids = {e["user_id"] for e in events if e.get("user_id")}
    live_users = set(get_user_model().objects.filter(id__in=user_ids).values_list("id", flat=True))
    live_titles = set(
        Title.objects.filter(id__in={e["title_id"] for e in events}).values_list("id", flat=True)
    )
    rows = [
        Event(
            event_id=uuid.UUID(e["event_id"]),
            kind=e["kind"],
            user_id=e["user_id"] if e.get("user_id") in live_users else None,
            session_key=e.get("session_key") or "",
            title_id=e["title_id"],
            occurred_at=_buffered_time(e["occurred_at"]),
            received_at=_buffered_time(e["received_at"]),
            dwell_ms=e.get("dwell_ms"),
            list_name=e.get("list_name", ""),
            position=e.get("position"),
            query=e.get("query", ""),
            value=e.get("value"),
        )
        for e in events
        if e["title_id"] in live_titles and (e.get("user_id") in live_users or e.get("session_key"))
    ]
    with transaction.atomic():
        Event.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def _buffered_time(value: str) -> dt.datetime:
    """A timestamp from the buffer: checked on the way in (``_validate``), so it parses."""
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"not an ISO 8601 timestamp: {value!r}")
    return parsed


def dismissals_undo(*, user_id: int, title_id: int) -> int:
    """Take back "관심 없음": the person's dismissals of the title go, so it may be picked again.

    Dismissals are the only events a person takes back; the others describe what happened.
    The person's cached picks are recomputed after commit (they were scored without it), in
    this process: services never queue tasks, and an undo is one person's one click.
    """
    from apps.recs.services.serving import recs_user_refresh

    with transaction.atomic():
        deleted, _ = Event.objects.filter(
            user_id=user_id, title_id=title_id, kind=EventKind.REC_DISMISS
        ).delete()
    if deleted:
        transaction.on_commit(lambda: recs_user_refresh(user_id=user_id))
    return deleted


def events_flush(*, batch_size: int | None = None, archive: Any = None) -> int:
    """Move one batch from the Redis buffer to PostgreSQL (and the archive, if configured).

    The batch stays on the processing list until the database commit has happened, so a
    crash anywhere before ``buffer_ack`` replays it on the next run.
    """
    client = buffer.redis_client()
    if client is None:
        return 0
    raw = buffer.buffer_claim(client, batch_size or settings.RECS_EVENTS_FLUSH_BATCH)
    if not raw:
        return 0
    events = [json.loads(r) for r in raw]
    written = events_write(events=events)
    if archive is None:
        from apps.recs.archive import event_archive

        archive = event_archive()
    if archive is not None:
        archive.write(events)
    buffer.buffer_ack(client)
    logger.info("flushed %s events (%s written)", len(events), written)
    return len(events)
