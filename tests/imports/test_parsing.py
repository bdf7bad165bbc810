"""Reading exports: shapes, encodings, and rows with problems kept with their reasons."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from apps.imports.parsing import MAX_UPLOAD_BYTES
from apps.imports.parsing import ImportFileError
from apps.imports.parsing import Kind
from apps.imports.parsing import Source
from apps.imports.parsing import message_text
from apps.imports.parsing import parse_upload
from tests.imports.conftest import imdb_csv
from tests.imports.conftest import letterboxd_zip


def test_letterboxd_zip_reads_all_four_files_and_ignores_the_rest():
    source, rows = parse_upload(name="letterboxd.zip", data=letterboxd_zip())

    assert source == Source.LETTERBOXD
    assert [r.kind for r in rows].count(Kind.RATING) == 4
    assert [r.kind for r in rows].count(Kind.DIARY) == 3
    assert [r.kind for r in rows].count(Kind.WATCHLIST) == 1
    assert [r.kind for r in rows].count(Kind.REVIEW) == 1
    parasite = rows[0]
    assert (parasite.name, parasite.year, parasite.half_stars) == ("Parasite", 2019, 10)
    assert parasite.external_id == "https://boxd.it/hTha"


def test_letterboxd_diary_keeps_watched_date_and_rewatch_and_quoted_newlines_in_reviews():
    _source, rows = parse_upload(name="letterboxd.zip", data=letterboxd_zip())

    diary = [r for r in rows if r.kind == Kind.DIARY]
    assert diary[1].day == dt.date(2024, 1, 31)
    assert diary[1].rewatch is True
    assert diary[1].half_stars == 9
    review = next(r for r in rows if r.kind == Kind.REVIEW)
    assert review.body == "Two families,\none house."
    assert review.line == 2


def test_out_of_range_rating_and_malformed_date_are_kept_with_their_problem():
    _source, rows = parse_upload(name="letterboxd.zip", data=letterboxd_zip())

    burning_rating = next(r for r in rows if r.kind == Kind.RATING and r.name == "Burning")
    assert burning_rating.half_stars is None
    assert "0.5–5" in message_text(burning_rating.problems[0])
    burning_diary = next(r for r in rows if r.kind == Kind.DIARY and r.name == "Burning")
    assert burning_diary.day is None
    assert "2024-13-45" in message_text(burning_diary.problems[0])


def test_bom_crlf_and_unknown_columns_read_like_the_plain_file():
    plain = b"Date,Name,Year,Letterboxd URI,Rating\n2024-01-05,Parasite,2019,https://boxd.it/hTha,4.5\n"
    messy = (
        b"\xef\xbb\xbfDate,Name,Year,Letterboxd URI,Rating,Mood\r\n"
        b"2024-01-05,Parasite,2019,https://boxd.it/hTha,4.5,happy\r\n\r\n"
    )

    _s, expected = parse_upload(name="ratings.csv", data=plain)
    _s, got = parse_upload(name="ratings.csv", data=messy)

    assert [(r.name, r.year, r.half_stars, r.day, r.problems) for r in got] == [
        (r.name, r.year, r.half_stars, r.day, r.problems) for r in expected
    ]


def test_imdb_ratings_map_ten_points_to_half_stars_and_flag_out_of_range():
    source, rows = parse_upload(name="ratings.csv", data=imdb_csv())

    assert source == Source.IMDB
    assert [(r.external_id, r.half_stars) for r in rows[:2]] == [("tt6751668", 9), ("tt7923710", 6)]
    assert rows[0].media_type == "movie"
    assert rows[2].half_stars is None
    assert "1–10" in message_text(rows[2].problems[0])


def test_a_file_of_another_shape_names_the_expected_files():
    with pytest.raises(ImportFileError) as excinfo:
        parse_upload(name="contacts.csv", data=b"email,phone\na@b.c,123\n")

    assert "ratings.csv, diary.csv, watchlist.csv, reviews.csv" in excinfo.value.message
    assert "contacts.csv" in excinfo.value.message


def test_a_zip_without_letterboxd_files_names_the_expected_files():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/cat.jpg", b"\xff\xd8")

    with pytest.raises(ImportFileError) as excinfo:
        parse_upload(name="photos.zip", data=buffer.getvalue())

    assert "ratings.csv, diary.csv, watchlist.csv, reviews.csv" in excinfo.value.message


def test_non_utf8_and_damaged_zip_are_refused_clearly():
    with pytest.raises(ImportFileError, match="UTF-8"):
        parse_upload(name="ratings.csv", data="Date,Name\n2024,기생충\n".encode("euc-kr"))
    with pytest.raises(ImportFileError, match="damaged"):
        parse_upload(name="x.zip", data=b"PK\x03\x04garbage")


def test_more_than_50_mb_is_refused():
    with pytest.raises(ImportFileError, match="50 MB"):
        parse_upload(name="big.csv", data=b"x" * (MAX_UPLOAD_BYTES + 1))


def test_problems_are_kept_untranslated_and_shown_in_the_language_of_the_page():
    from django.utils import translation

    _source, rows = parse_upload(name="ratings.csv", data=imdb_csv())
    problem = rows[2].problems[0]

    assert problem == {"msgid": "Rating “%(value)s” is not 1–10.", "params": {"value": "11"}}
    with translation.override("ko"):
        assert message_text(problem) == "평점 “11”은(는) 1–10 사이가 아니에요."
    with translation.override("en"):
        assert message_text(problem) == "Rating “11” is not 1–10."
