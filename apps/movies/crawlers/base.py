"""What every crawler shares: the common record, errors, and one polite HTTP client."""

from __future__ import annotations

import datetime
import email.utils
import json
import logging
import re
import threading
import time
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from apps.movies.models import AgeRating
from apps.movies.models import MediaType

logger = logging.getLogger(__name__)


# -----------------------------------------------------------------------------
# Records
# -----------------------------------------------------------------------------
@dataclass(frozen=True)
class SourceOfferRecord:
    provider: str  # one of our Provider slugs, e.g. "netflix", "cgv"
    offer_type: str  # apps.movies.models.OfferType value
    link: str = ""
    starts_on: datetime.date | None = None
    region: str = "KR"


@dataclass(frozen=True)
class SourcePerson:
    name: str
    role: str  # apps.movies.models.CreditRole value
    order: int = 0


@dataclass
class SourceTitle:
    """One film as one source reports it, before it is matched to a Title."""

    source: str
    external_id: str
    title_ko: str = ""
    title_en: str = ""
    title_original: str = ""
    media_type: str = MediaType.MOVIE
    year: int | None = None
    release_date: datetime.date | None = None
    runtime_minutes: int | None = None
    age_rating: str = AgeRating.UNKNOWN
    overview: str = ""
    # Genre names as the source writes them (Korean or English); mapped by the service.
    genres: tuple[str, ...] = ()
    people: tuple[SourcePerson, ...] = ()
    poster_url: str = ""
    offers: tuple[SourceOfferRecord, ...] = ()
    tmdb_id: int | None = None
    kobis_code: str | None = None
    # What the source sent for this record, kept by the raw payload store.
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def has_name(self) -> bool:
        return bool(self.title_ko.strip() or self.title_en.strip() or self.title_original.strip())


@dataclass(frozen=True)
class RecordError:
    """A record the source sent that could not be used; the rest of the run goes on.

    A ``warning`` keeps the record (e.g. a release date known only to the month).
    """

    external_id: str | None
    message: str
    level: str = "error"

    def as_dict(self) -> dict[str, str | None]:
        return {"external_id": self.external_id, "message": self.message, "level": self.level}


@dataclass
class CrawlResult:
    source: str
    records: list[SourceTitle] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    # Ids the source listed this run, including records that failed to parse: their
    # offers must not be closed just because this run could not read them.
    seen_ids: set[str] = field(default_factory=set)
    # False when the run listed only part of what the source offers (a page limit).
    complete: bool = True

    def add(self, record: SourceTitle) -> None:
        self.records.append(record)
        self.seen_ids.add(record.external_id)

    def fail(self, external_id: str | None, message: str) -> None:
        self.errors.append(RecordError(external_id, message))
        if external_id:
            self.seen_ids.add(external_id)
        logger.warning("%s record %s: %s", self.source, external_id or "?", message)

    def warn(self, external_id: str | None, message: str) -> None:
        self.errors.append(RecordError(external_id, message, level="warning"))
        logger.info("%s record %s: %s", self.source, external_id or "?", message)

    @property
    def failed(self) -> int:
        return sum(1 for error in self.errors if error.level == "error")


class CrawlError(Exception):
    """A whole run cannot go on; nothing of it is written."""


class SourceFormatError(CrawlError):
    """The source answered in a shape we do not understand any more."""

    def __init__(self, source: str, field_name: str, detail: str = "") -> None:
        self.source = source
        self.field = field_name
        message = f"{source}: response format changed: field '{field_name}'"
        super().__init__(f"{message}: {detail}" if detail else message)


class TransientSourceError(CrawlError):
    """Network trouble or a 5xx/429 that outlived our retries: worth retrying later."""


class RecordParseError(ValueError):
    """One record is unusable; the message says which field and why."""


# -----------------------------------------------------------------------------
# Parsing helpers shared by the crawlers
# -----------------------------------------------------------------------------
_AGE_RATINGS = {
    "전체관람가": AgeRating.ALL,
    "전체": AgeRating.ALL,
    "12세이상관람가": AgeRating.AGE_12,
    "12세관람가": AgeRating.AGE_12,
    "15세이상관람가": AgeRating.AGE_15,
    "15세관람가": AgeRating.AGE_15,
    "청소년관람불가": AgeRating.AGE_18,
    "18세이상관람가": AgeRating.AGE_18,
    "18세관람가": AgeRating.AGE_18,
}


def age_rating_from_korean(text: str | None) -> str:
    """Map a Korean rating text to our vocabulary (sources.md, "Normalising")."""
    if not text:
        return AgeRating.UNKNOWN
    return _AGE_RATINGS.get(re.sub(r"\s+", "", text), AgeRating.UNKNOWN)


_DATE_PARTS = re.compile(r"^\s*(\d{4}|\d{2})[.\-/]?(\d{1,2})(?:[.\-/]?(\d{1,2}))?\s*$")


@dataclass(frozen=True)
class ParsedDate:
    year: int
    date: datetime.date | None  # None when the source only knows the month


def parse_source_date(text: str, *, field_name: str) -> ParsedDate | None:
    """Parse ``YYYYMMDD``, ``YYYY.MM.DD``, ``YY.MM.DD`` or a partial ``YYYY.MM``.

    Empty text is "not known" (None). Impossible dates (``2024.13.45``) raise
    RecordParseError naming the field.
    """
    text = (text or "").strip()
    if not text:
        return None
    match = _DATE_PARTS.match(text)
    if not match:
        raise RecordParseError(f"{field_name}: unreadable date {text!r}")
    year_text, month_text, day_text = match.groups()
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    month = int(month_text)
    if not 1 <= month <= 12:
        raise RecordParseError(f"{field_name}: impossible date {text!r}")
    if day_text is None:
        return ParsedDate(year=year, date=None)
    try:
        return ParsedDate(year=year, date=datetime.date(year, month, int(day_text)))
    except ValueError:
        raise RecordParseError(f"{field_name}: impossible date {text!r}") from None


def split_names(text: str) -> list[str]:
    return [name.strip() for name in re.split(r"[,/|·]", text or "") if name.strip()]


def people_of(directors: list[str], cast: list[str]) -> tuple[SourcePerson, ...]:
    directors = [name.strip() for name in directors if name and name.strip()]
    cast = [name.strip() for name in cast if name and name.strip()]
    people = [SourcePerson(name=name, role="director", order=i) for i, name in enumerate(directors)]
    people += [SourcePerson(name=name, role="cast", order=i) for i, name in enumerate(cast)]
    return tuple(people)


def json_of(response: httpx.Response, *, source: str, what: str) -> Any:
    """Decode a JSON answer; a body that is not JSON is a changed format."""
    try:
        return response.json()
    except ValueError as exc:
        raise SourceFormatError(source, what, f"not JSON ({exc})") from exc


def require(container: Any, key: str, kind: type | tuple[type, ...], *, source: str, path: str) -> Any:
    """``container[key]`` of the given type, or a SourceFormatError naming the field."""
    if not isinstance(container, dict) or key not in container:
        raise SourceFormatError(source, path, "missing")
    value = container[key]
    if not isinstance(value, kind):
        raise SourceFormatError(source, path, f"expected {getattr(kind, '__name__', kind)}")
    return value


# -----------------------------------------------------------------------------
# Polite HTTP client
# -----------------------------------------------------------------------------
class ResponseTooLarge(CrawlError):
    """An answer over CRAWLER["MAX_RESPONSE_BYTES"]: a runaway page, not a film."""


class _HostThrottle:
    """At most one request per ``interval`` seconds per host (process-wide)."""

    def __init__(self, interval: float, sleep: Callable[[float], None]) -> None:
        self.interval = interval
        self.sleep = sleep
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            ready_at = self._last.get(host, 0.0) + self.interval
            delay = max(0.0, ready_at - now)
            self._last[host] = max(now, ready_at)
        if delay:
            self.sleep(delay)


def _retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.datetime.now(datetime.UTC)).total_seconds())


class PoliteClient:
    """One HTTP client for every crawler: timeouts, retries, rate limit, size cap, clear UA.

    Retries 429 and 5xx (and connection errors) with exponential backoff, honouring
    ``Retry-After``; a 4xx is the caller's problem and is never retried. ``transport``
    lets tests replay recorded responses; ``sleep`` lets them skip the waiting.
    """

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_retries: int | None = None,
        backoff: float | None = None,
        min_interval: float | None = None,
        max_bytes: int | None = None,
        timeout: float | None = None,
    ) -> None:
        config = settings.CRAWLER
        self.max_retries = config["MAX_RETRIES"] if max_retries is None else max_retries
        self.backoff = config["BACKOFF_SECONDS"] if backoff is None else backoff
        self.max_bytes = config["MAX_RESPONSE_BYTES"] if max_bytes is None else max_bytes
        self.sleep = sleep
        self._throttle = _HostThrottle(
            config["MIN_INTERVAL_SECONDS"] if min_interval is None else min_interval, sleep
        )
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(config["TIMEOUT_SECONDS"] if timeout is None else timeout),
            headers={"User-Agent": config["USER_AGENT"], "Accept-Language": "ko-KR,ko;q=0.9"},
            follow_redirects=True,
        )

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        host = urlsplit(url).hostname or ""
        attempt = 0
        while True:
            self._throttle.wait(host)
            try:
                response = self._send(method, url, **kwargs)
            except httpx.TransportError as exc:
                if attempt >= self.max_retries:
                    raise TransientSourceError(f"{method} {url}: {exc}") from exc
                self.sleep(self.backoff * 2**attempt)
                attempt += 1
                continue
            if response.status_code == 429 or response.status_code >= 500:
                if attempt >= self.max_retries:
                    raise TransientSourceError(f"{method} {url}: HTTP {response.status_code}")
                wait = _retry_after_seconds(response)
                self.sleep(wait if wait is not None else self.backoff * 2**attempt)
                attempt += 1
                continue
            if response.status_code >= 400:
                raise CrawlError(f"{method} {url}: HTTP {response.status_code}")
            return response

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        # Stream so an oversized answer is cut off instead of filling memory.
        with self._client.stream(method, url, **kwargs) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise ResponseTooLarge(f"{url}: response of {declared} bytes exceeds {self.max_bytes}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.max_bytes:
                    raise ResponseTooLarge(f"{url}: response larger than {self.max_bytes} bytes")
            return httpx.Response(
                response.status_code, headers=response.headers, content=bytes(body), request=response.request
            )


# -----------------------------------------------------------------------------
# Recorded responses (tests and `manage.py crawl --from-file`)
# -----------------------------------------------------------------------------
class ReplayTransport(httpx.MockTransport):
    """Answers requests from a recording: an ``index.json`` listing responses by request.

    Each entry: ``{"method", "url", "form"?: {…}, "status"?: 200, "headers"?: {…}, "file"}``;
    ``url`` matches scheme, host, path and the given query items; ``form`` items must
    all be in the request's form body, and ``form_contains`` strings in its values
    (for JSON sent inside a form field). Unknown requests get a 404, so a crawler that
    asks for something not recorded fails loudly instead of reaching the network.
    """

    def __init__(self, index_path: Path) -> None:
        self.index_path = Path(index_path)
        self.entries: list[dict[str, Any]] = json.loads(self.index_path.read_text(encoding="utf-8"))
        self.requests: list[httpx.Request] = []
        super().__init__(self._answer)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        for entry in self._matching(request):
            body = (self.index_path.parent / entry["file"]).read_bytes() if entry.get("file") else b""
            return httpx.Response(entry.get("status", 200), headers=entry.get("headers", {}), content=body)
        return httpx.Response(404, text=f"not recorded: {request.method} {request.url}")

    def _matching(self, request: httpx.Request) -> Iterator[dict[str, Any]]:
        form = dict(parse_qsl(request.content.decode("utf-8"))) if request.method == "POST" else {}
        query = dict(request.url.params)
        for entry in self.entries:
            wanted = urlsplit(entry["url"])
            if entry.get("method", "GET") != request.method:
                continue
            if (wanted.scheme, wanted.hostname, wanted.path) != (
                request.url.scheme,
                request.url.host,
                request.url.path,
            ):
                continue
            if any(query.get(k) != v for k, v in parse_qsl(wanted.query)):
                continue
            if any(form.get(k) != v for k, v in entry.get("form", {}).items()):
                continue
            decoded = " ".join(form.values())
            if any(part not in decoded for part in entry.get("form_contains", [])):
                continue
            yield entry


@dataclass
class DetailGuard:
    """Turns a failed detail page into a per-record error, unless the source's format
    changed for every record (then the first format error fails the run)."""

    result: CrawlResult
    format_errors: list[SourceFormatError] = field(default_factory=list)

    def run(self, external_id: str, fetch_and_parse: Callable[..., SourceTitle | None], *args: Any) -> None:
        try:
            record = fetch_and_parse(*args)
        except TransientSourceError:
            raise
        except SourceFormatError as exc:
            self.format_errors.append(exc)
            self.result.fail(external_id, str(exc))
        except (CrawlError, RecordParseError) as exc:
            self.result.fail(external_id, str(exc))
        else:
            if record is not None:
                self.result.add(record)

    def finish(self) -> CrawlResult:
        if self.format_errors and not self.result.records:
            raise self.format_errors[0]
        return self.result


class Crawler:
    """Base of every source adapter: ``crawl(client)`` fetches and parses one run."""

    source: str = ""
    # Provider slugs whose offers this source reports (documentation and admin).
    providers: tuple[str, ...] = ()

    def crawl(
        self, client: PoliteClient, *, progress: Callable[[int, int], None] | None = None
    ) -> CrawlResult:
        raise NotImplementedError

    @staticmethod
    def _tick(progress: Callable[[int, int], None] | None, done: int, total: int) -> None:
        if progress is not None:
            progress(done, total)
