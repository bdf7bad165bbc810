"""A small catalog the import fixtures (tests/fixtures/imports) match against, and upload builders."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from apps.movies.services.ingestion import title_match_keys_refresh
from tests.factories import TitleFactory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def letterboxd_zip(files: dict[str, bytes] | None = None) -> bytes:
    """The fixture export as Letterboxd zips it (flat), with ``files`` replacing or adding members."""
    members = {p.name: p.read_bytes() for p in sorted((FIXTURES / "letterboxd").glob("*.csv"))}
    members.update(files or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("profile.csv", "Date Joined,Username\n2020-01-01,someone\n")
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def imdb_csv() -> bytes:
    return (FIXTURES / "imdb_ratings.csv").read_bytes()


@pytest.fixture
def catalog(db) -> dict[str, object]:
    titles = {
        "parasite": TitleFactory(title_ko="기생충", title_en="Parasite", year=2019),
        "burning": TitleFactory(title_ko="버닝", title_en="Burning", year=2018),
        "alone_a": TitleFactory(title_ko="얼론", title_en="Alone", year=2020),
        "alone_b": TitleFactory(title_ko="얼론: 생존", title_en="Alone", year=2020),
        "decision": TitleFactory(title_ko="헤어질 결심", title_en="Decision to Leave", year=2022),
    }
    title_match_keys_refresh(title_ids=[t.pk for t in titles.values()])
    return titles


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (pages pick their language per request anyway)."""
    from django.utils import translation

    with translation.override("en"):
        yield
