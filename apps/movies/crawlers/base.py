"""What every crawler shares: the common record, errors, and one polite HTTP client."""

from __future__ import annotations

import datetime
import email.utils
import html
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
    season_count: int | None = None
    episode_count: int | None = None
    # Admissions since opening, nationwide (KOBIS box office): a popularity input.
    box_office_audience: int | None = None
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


class HostBlocked(CrawlError):
    """The host refused us (401/403) or kept giving the same error: stop asking it.

    Never retried by the task: hammering a host that blocked us is how the original
    project got banned. The whole run fails, and nothing of it is written.
    """


class SourceDisabled(CrawlError):
    """The source is switched off (its adapter says why); asking it is a mistake."""


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
    """Decode a JSON answer; a body that is not JSON (an HTML error page sent with
    200, a truncated answer) is a changed format."""
    try:
        data = response.json()
    except ValueError as exc:
        head = response.content[:200].lstrip().lower()
        kind = "an HTML page" if head.startswith((b"<!doctype", b"<html")) else "not JSON"
        raise SourceFormatError(source, what, f"{kind} ({exc})") from exc
    _reject_replacement_chars(data, source=source, what=what)
    return data


def _reject_replacement_chars(data: Any, *, source: str, what: str) -> None:
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if "\ufffd" in value:
                raise SourceFormatError(source, what, "text holds U+FFFD (a wrong charset upstream)")
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def html_text(response: httpx.Response, *, source: str, what: str) -> str:
    """An HTML answer decoded with the charset its header names, else its ``<meta>``'s,
    else UTF-8. Text that still does not decode cleanly is refused: stored, it would be
    garbage (EUC-KR read as UTF-8) with no error anywhere."""
    charset = response.charset_encoding
    if not charset:
        found = _META_CHARSET.search(response.content[:4096])
        charset = found.group(1).decode("ascii") if found else "utf-8"
    try:
        text = response.content.decode(charset, errors="replace")
    except LookupError as exc:
        raise SourceFormatError(source, what, f"unknown charset {charset!r}") from exc
    if "\ufffd" in text:
        raise SourceFormatError(source, what, f"text does not decode as {charset} (U+FFFD)")
    return text


# Only real tags: Korean text uses <…> as title brackets (<오즈의 마법사>).
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_BREAK = re.compile(r"<\s*(br|/p|/div)\s*/?\s*>", re.IGNORECASE)
# Zero-width space/joiners and BOM: invisible, but they break matching and search.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def clean_text(text: str | None) -> str:
    """Plain text from a source's markup: line breaks kept, tags dropped, entities
    (``&quot;``, ``&#8203;``) decoded, invisible characters removed, spaces tidied."""
    if not text:
        return ""
    text = _BREAK.sub("\n", text)
    text = _TAG.sub("", text)
    text = html.unescape(text).translate(_INVISIBLE).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")


def has_hangul(text: str | None) -> bool:
    return bool(_HANGUL.search(text or ""))


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
        max_identical_errors: int | None = None,
    ) -> None:
        config = settings.CRAWLER
        # The same 4xx this many times in a row from one host: we are unwelcome or lost.
        self.max_identical_errors = max_identical_errors or config.get("MAX_IDENTICAL_ERRORS", 5)
        # Hosts that refused us this run, with why: no further request goes to them.
        self.blocked: dict[str, str] = {}
        self._error_streak: dict[str, tuple[int, int]] = {}
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
        if host in self.blocked:
            raise HostBlocked(f"{host}: not asked again this run ({self.blocked[host]})")
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
                self._client_error(host, method, url, response.status_code)
            self._error_streak.pop(host, None)
            return response

    def _client_error(self, host: str, method: str, url: str, status: int) -> None:
        """A 4xx: 401/403 blocks the host at once; the same status N times in a row too."""
        message = f"{method} {url}: HTTP {status}"
        if status in (401, 403):
            self.blocked[host] = f"HTTP {status} on {url}"
            raise HostBlocked(f"{message}: the host refused us; stopped asking it")
        last, count = self._error_streak.get(host, (status, 0))
        count = count + 1 if last == status else 1
        self._error_streak[host] = (status, count)
        if count >= self.max_identical_errors:
            self.blocked[host] = f"HTTP {status} {count} times in a row"
            raise HostBlocked(f"{message}: {count} identical errors in a row; stopped asking the host")
        raise CrawlError(message)

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
    """Turns a failed detail page into a per-record error, unless the page's layout
    changed: a few format errors (``max_format_errors``), or format errors and no record
    at all, fail the run (a redesign must alert, not end "partial" with 0 records).
    A blocked host or a transient error ends the run at once."""

    result: CrawlResult
    format_errors: list[SourceFormatError] = field(default_factory=list)
    max_format_errors: int = 3

    def run(self, external_id: str, fetch_and_parse: Callable[..., SourceTitle | None], *args: Any) -> None:
        try:
            record = fetch_and_parse(*args)
        except (TransientSourceError, HostBlocked):
            raise
        except SourceFormatError as exc:
            self.format_errors.append(exc)
            self.result.fail(external_id, str(exc))
            if len(self.format_errors) >= self.max_format_errors:
                raise SourceFormatError(
                    exc.source,
                    exc.field,
                    f"{len(self.format_errors)} detail pages in the changed format; run stopped",
                ) from exc
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
    # Off: not scheduled, and a run fails at once with ``status_note`` as the reason.
    enabled: bool = True
    # What an operator should know about the source, shown in the admin's source health.
    status_note: str = ""
    # Who must be credited wherever this source's data is shown (terms of use).
    attribution: str = ""

    def crawl(
        self, client: PoliteClient, *, progress: Callable[[int, int], None] | None = None
    ) -> CrawlResult:
        raise NotImplementedError

    @staticmethod
    def _tick(progress: Callable[[int, int], None] | None, done: int, total: int) -> None:
        if progress is not None:
            progress(done, total)
