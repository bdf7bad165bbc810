from __future__ import annotations

import pytest

from apps.movies.matching import main_title
from apps.movies.matching import name_keys
from apps.movies.matching import names_match
from apps.movies.matching import normalise_title
from apps.movies.matching import person_keys
from apps.movies.matching import years_compatible


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Matrix, The", "The Matrix"),
        ("어벤져스: 엔드게임", "어벤져스 엔드게임"),
        ("어벤져스엔드게임", "어벤져스 - 엔드게임"),
        ("범죄도시2", "범죄도시 II"),
        ("범죄도시 2편", "범죄도시 2"),
        ("Rocky IV", "Rocky 4"),
        ("Amélie (2001)", "Amelie"),
        ("Fast & Furious", "Fast and Furious"),
        ("ＡＢＣ 살인사건", "ABC 살인사건"),
        ("Schindler's List", "Schindlers List"),
        ("터미네이터 이", "터미네이터 2"),
    ],
)
def test_variants_of_one_name_normalise_alike(a, b):
    assert normalise_title(a) == normalise_title(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("록키", "록키 2"), ("Alien", "Aliens"), ("이", "삼"), ("Rocky", "Rocky V")],
)
def test_different_names_stay_different(a, b):
    assert normalise_title(a) != normalise_title(b)


def test_main_title_drops_the_subtitle():
    assert main_title("미션 임파서블: 폴아웃") == "미션임파서블"
    assert main_title("기생충") == normalise_title("기생충")


def test_one_side_without_subtitle_matches_but_two_subtitles_do_not():
    plain = name_keys(["해리 포터"])
    chamber = name_keys(["해리 포터: 비밀의 방"])
    goblet = name_keys(["해리 포터: 불의 잔"])

    assert names_match(plain, chamber)
    assert not names_match(chamber, goblet)


def test_any_language_of_the_title_can_match():
    assert names_match(name_keys(["기생충", "Parasite"]), name_keys(["PARASITE"]))


def test_years_within_one_are_compatible_and_unknown_is_too():
    assert years_compatible(2019, 2020)
    assert not years_compatible(2003, 2013)
    assert years_compatible(None, 2013)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Bong Joon-ho", "봉준호"),
        ("Bong Joon Ho", "Joon-ho Bong"),
        ("BONG Joon-ho", "Bong Jun-ho"),  # KOBIS English vs Revised Romanisation
        ("EOM Yuna", "엄유나"),
        ("Park Chan-wook", "박찬욱"),
        ("Lee Chang-dong", "이창동"),
        ("Ryoo Seung-wan", "류승완"),
        ("Hirokazu Kore-eda", "고레에다 히로카즈"),
        ("남궁선", "Namkoong Sun"),
    ],
)
def test_spellings_of_one_person_share_a_key(a, b):
    assert person_keys(a) & person_keys(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("봉준호", "박찬욱"),
        ("Bong Joon-ho", "Park Chan-wook"),
        ("김감독", "John Remake"),
        ("이창동", "이준익"),
    ],
)
def test_different_people_do_not_share_a_key(a, b):
    assert not person_keys(a) & person_keys(b)
