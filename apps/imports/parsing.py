"""Reading Letterboxd and IMDb exports into plain rows. No ORM: bytes in, rows out.

Shapes (public column sets, as the sites write them in their exports):
- Letterboxd ZIP: ratings.csv (Date, Name, Year, Letterboxd URI, Rating 0.5–5), diary.csv
  (+ Rewatch, Tags, Watched Date), watchlist.csv (Date, Name, Year, Letterboxd URI), reviews.csv
  (diary columns + Review). Other files in the ZIP (profile, likes, lists…) are ignored.
- IMDb ratings.csv: Const (tt…), Your Rating (1–10), Date Rated, Title, Original Title, URL,
  Title Type, IMDb Rating, Runtime (mins), Year, Genres, Num Votes, Release Date, Directors.

A row with a problem (rating out of range, malformed date) is kept with its problems listed, so
nothing in the file is lost; only the file's shape as a whole can be refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_noop

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# A ZIP's CSVs uncompressed: Letterboxd's own exports are a few MB; this stops a ZIP bomb.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
EXPECTED_FILES = "ratings.csv, diary.csv, watchlist.csv, reviews.csv"


class Source:
    LETTERBOXD = "letterboxd"
    IMDB = "imdb"


class Kind:
    RATING = "rating"
    DIARY = "diary"
    WATCHLIST = "watchlist"
    REVIEW = "review"


# A message kept untranslated (its msgid and parameters) and translated when shown: the task
# that reads a file runs in no person's language, and the page may be opened in either.
Message = dict[str, Any]


def _msg(msgid: str, params: dict[str, Any] | None = None) -> Message:
    return {"msgid": msgid, "params": params or {}}


def message_text(message: Message | str) -> str:
    """A stored message in the active language (a plain string is shown as it is)."""
    if isinstance(message, str):
        return message
    params = dict(message.get("params") or {})
    if "label" in params:
        params["label"] = gettext(params["label"])
    text = gettext(message["msgid"])
    return text % params if params else text


class ImportFileError(Exception):
    """The upload as a whole is not an export this importer reads."""

    def __init__(self, message: Message) -> None:
        super().__init__(message["msgid"])
        self.detail = message

    @property
    def message(self) -> str:
        return message_text(self.detail)


@dataclass
class ParsedRow:
    source: str
    kind: str
    file: str
    line: int
    name: str
    year: int | None = None
    # IMDb "tt…" or the Letterboxd URI (a film's, or a diary entry's in diary/reviews): the key a
    # confirmed match is remembered by.
    external_id: str = ""
    media_type: str = ""
    half_stars: int | None = None
    day: dt.date | None = None
    rewatch: bool = False
    body: str = ""
    problems: list[Message] = field(default_factory=list)


_LETTERBOXD_BASE = {"Date", "Name", "Year", "Letterboxd URI"}
_IMDB_REQUIRED = {"Const", "Your Rating", "Title", "Year"}
_IMDB_TV = {"tvSeries", "tvMiniSeries", "TV Series", "TV Mini Series", "TV Mini-Series"}
_CONST = re.compile(r"^tt\d{5,10}$")


def parse_upload(*, name: str, data: bytes) -> tuple[str, list[ParsedRow]]:
    """The export's source and its rows, in file order. Raises ImportFileError for other shapes."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            _msg(gettext_noop("The file is larger than 50 MB; an export is a few MB at most."))
        )
    if data[:4] == b"PK\x03\x04":
        return Source.LETTERBOXD, _parse_zip(data)
    text = _decode(data, name)
    header = _header(text)
    if header >= _IMDB_REQUIRED:
        return Source.IMDB, list(_imdb_rows(text, name))
    kind = _letterboxd_kind(header)
    if kind is None:
        raise ImportFileError(_wrong_shape(name))
    return Source.LETTERBOXD, list(_letterboxd_rows(text, name, kind))


def _wrong_shape(name: str) -> Message:
    return _msg(
        gettext_noop(
            "“%(name)s” is not a Letterboxd or IMDb export. Upload Letterboxd's export ZIP (or one of "
            "its %(files)s) or IMDb's ratings.csv."
        ),
        {"name": name, "files": EXPECTED_FILES},
    )


def _parse_zip(data: bytes) -> list[ParsedRow]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ImportFileError(
            _msg(gettext_noop("The ZIP file is damaged; download the export again."))
        ) from exc
    wanted = {"ratings.csv": Kind.RATING, "diary.csv": Kind.DIARY, "watchlist.csv": Kind.WATCHLIST}
    wanted["reviews.csv"] = Kind.REVIEW
    members = [
        info
        for info in archive.infolist()
        # Only top-level files: deleted/ and orphaned/ folders hold entries the person removed.
        if "/" not in info.filename.strip("/") and info.filename.lower() in wanted
    ]
    if not members:
        raise ImportFileError(
            _msg(
                gettext_noop("The ZIP has none of Letterboxd's %(files)s; is it Letterboxd's data export?"),
                {"files": EXPECTED_FILES},
            )
        )
    if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _msg(gettext_noop("The ZIP unpacks to more than 100 MB; an export is a few MB at most."))
        )
    rows: list[ParsedRow] = []
    order = list(wanted)
    for info in sorted(members, key=lambda i: order.index(i.filename.lower())):
        with archive.open(info) as handle:
            raw = handle.read(MAX_UNPACKED_BYTES + 1)
        text = _decode(raw, info.filename)
        kind = wanted[info.filename.lower()]
        if _letterboxd_kind(_header(text)) is None:
            raise ImportFileError(_wrong_shape(info.filename))
        rows.extend(_letterboxd_rows(text, info.filename, kind))
    return rows


def _decode(data: bytes, name: str) -> str:
    try:
        # utf-8-sig drops the byte-order mark Excel and some exports put first.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _msg(gettext_noop("“%(name)s” is not a UTF-8 text file."), {"name": name})
        ) from exc


def _header(text: str) -> set[str]:
    first = next(csv.reader(io.StringIO(text, newline="")), [])
    return {column.strip() for column in first}


def _letterboxd_kind(header: set[str]) -> str | None:
    if not header >= _LETTERBOXD_BASE:
        return None
    if "Review" in header:
        return Kind.REVIEW
    if "Watched Date" in header:
        return Kind.DIARY
    if "Rating" in header:
        return Kind.RATING
    return Kind.WATCHLIST


def _records(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Each record with the line it starts on; quoted newlines and CRLF are the csv module's."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [column.strip() for column in next(reader, [])]
    line = reader.line_num + 1
    for values in reader:
        start, line = line, reader.line_num + 1
        if not any(value.strip() for value in values):
            continue
        # Unknown columns are ignored; a short row reads its missing cells as empty.
        yield start, {key: (values[i] if i < len(values) else "") for i, key in enumerate(header)}


def _letterboxd_rows(text: str, file: str, kind: str) -> Iterator[ParsedRow]:
    base = file.rsplit("/", 1)[-1]
    for line, record in _records(text):
        row = ParsedRow(
            source=Source.LETTERBOXD,
            kind=kind,
            file=base,
            line=line,
            name=record.get("Name", "").strip(),
            external_id=record.get("Letterboxd URI", "").strip(),
        )
        row.year = _year(record.get("Year", ""), row.problems)
        if kind != Kind.WATCHLIST:
            row.half_stars = _letterboxd_stars(
                record.get("Rating", ""), row.problems, required=kind == Kind.RATING
            )
        if kind in (Kind.DIARY, Kind.REVIEW):
            watched = record.get("Watched Date", "").strip() or record.get("Date", "").strip()
            row.day = _date(watched, gettext_noop("watched date"), row.problems)
            row.rewatch = record.get("Rewatch", "").strip().lower() == "yes"
        else:
            row.day = _date(
                record.get("Date", "").strip(), gettext_noop("date"), row.problems, required=False
            )
        if kind == Kind.REVIEW:
            row.body = record.get("Review", "").strip()
            if not row.body:
                row.problems.append(_msg(gettext_noop("The review is empty.")))
        if not row.name:
            row.problems.append(_msg(gettext_noop("The row has no film name.")))
        yield row


def _imdb_rows(text: str, file: str) -> Iterator[ParsedRow]:
    for line, record in _records(text):
        const = record.get("Const", "").strip()
        row = ParsedRow(
            source=Source.IMDB,
            kind=Kind.RATING,
            file=file.rsplit("/", 1)[-1],
            line=line,
            name=record.get("Title", "").strip() or record.get("Original Title", "").strip(),
            external_id=const,
            media_type="tv" if record.get("Title Type", "").strip() in _IMDB_TV else "movie",
        )
        if not _CONST.match(const):
            row.problems.append(_msg(gettext_noop("“%(value)s” is not an IMDb id (tt…)."), {"value": const}))
        row.year = _year(record.get("Year", ""), row.problems)
        row.half_stars = _imdb_stars(record.get("Your Rating", ""), row.problems)
        row.day = _date(
            record.get("Date Rated", "").strip(), gettext_noop("date rated"), row.problems, required=False
        )
        if not row.name:
            row.problems.append(_msg(gettext_noop("The row has no title.")))
        yield row


def _year(value: str, problems: list[Message]) -> int | None:
    value = value.strip()
    if not value:
        return None
    if value.isdigit() and 1870 <= int(value) <= 2100:
        return int(value)
    problems.append(_msg(gettext_noop("“%(value)s” is not a year."), {"value": value}))
    return None


def _letterboxd_stars(value: str, problems: list[Message], *, required: bool) -> int | None:
    value = value.strip()
    if not value:
        if required:
            problems.append(_msg(gettext_noop("The rating is empty.")))
        return None
    try:
        doubled = Decimal(value) * 2
    except InvalidOperation:
        doubled = Decimal("NaN")
    if not doubled.is_finite() or doubled != doubled.to_integral_value() or not 1 <= doubled <= 10:
        problems.append(
            _msg(gettext_noop("Rating “%(value)s” is not 0.5–5 stars in half steps."), {"value": value})
        )
        return None
    return int(doubled)


def _imdb_stars(value: str, problems: list[Message]) -> int | None:
    value = value.strip()
    # IMDb's 1–10 maps onto Moochu's ten half-stars: 7/10 is ★3.5.
    if value.isdigit() and 1 <= int(value) <= 10:
        return int(value)
    problems.append(_msg(gettext_noop("Rating “%(value)s” is not 1–10."), {"value": value}))
    return None


def _date(value: str, label: str, problems: list[Message], *, required: bool = True) -> dt.date | None:
    if not value:
        if required:
            problems.append(_msg(gettext_noop("The %(label)s is empty."), {"label": label}))
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        problems.append(
            _msg(
                gettext_noop("The %(label)s “%(value)s” is not a date (YYYY-MM-DD)."),
                {"label": label, "value": value},
            )
        )
        return None
    if day.year < 1870 or day > dt.date.today() + dt.timedelta(days=1):
        problems.append(
            _msg(gettext_noop("The %(label)s %(value)s is out of range."), {"label": label, "value": value})
        )
        return None
    return day
