"""A MovieLens-shaped source and Korean sample files small enough for fast tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

from apps.movies.datasets import MovieLensMovie
from apps.movies.datasets import MovieLensRating
from apps.movies.datasets import MovieLensUser

# 1997-12-04 15:55:49 UTC, the first rating of MovieLens 100K.
T0 = 881250949


@dataclass
class FakeMovieLens:
    movie_rows: list[MovieLensMovie] = field(
        default_factory=lambda: [
            MovieLensMovie(1, "Usual Suspects, The", 1995, ("Crime", "Thriller")),
            MovieLensMovie(2, "Seventh Seal, The (Sjunde inseglet, Det)", 1957, ("Drama",)),
            MovieLensMovie(3, "Toy Story", 1995, ("Animation", "Children's", "Comedy")),
            MovieLensMovie(4, "unkonwn", None, ("unknown",)),
        ]
    )
    user_rows: list[MovieLensUser] = field(
        default_factory=lambda: [
            MovieLensUser(1, 24, "M", "technician"),
            MovieLensUser(2, 53, "F", "other"),
            MovieLensUser(3, 23, "M", "writer"),
        ]
    )
    rating_rows: list[MovieLensRating] = field(
        default_factory=lambda: [
            MovieLensRating(1, 1, 5, T0),
            MovieLensRating(2, 1, 4, T0 + 60),
            MovieLensRating(3, 1, 3, T0 + 120),
            MovieLensRating(1, 2, 4, T0 + 180),
            MovieLensRating(2, 3, 2, T0 + 240),
            MovieLensRating(3, 4, 1, T0 + 300),
        ]
    )

    def movies(self) -> list[MovieLensMovie]:
        return list(self.movie_rows)

    def users(self) -> list[MovieLensUser]:
        return list(self.user_rows)

    def ratings(self) -> list[MovieLensRating]:
        return list(self.rating_rows)


def sample_record(**overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "key": "parasite-2019",
        "media_type": "movie",
        "title_ko": "기생충",
        "title_en": "Parasite",
        "year": 2019,
        "release_date": "2019-05-30",
        "runtime_minutes": 132,
        "age_rating": "15",
        "genres": ["drama", "comedy", "thriller"],
        "directors": ["봉준호"],
        "cast": ["송강호", {"name": "이선균", "name_en": "Lee Sun-kyun"}],
        "availability": [
            {
                "provider": "cgv",
                "offer": "coming_soon",
                "starts_on": "2019-05-30",
                "observed_on": "2019-05-01",
            },
        ],
        "overview": "두 가족의 이야기.",
    }
    record.update(overrides)
    return record


def series_record(**overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "key": "squid-game-2021",
        "media_type": "tv",
        "title_ko": "오징어 게임",
        "title_en": "Squid Game",
        "year": 2021,
        "genres": ["thriller", "drama"],
        "directors": ["황동혁"],
        "cast": ["이정재"],
        "availability": [{"provider": "netflix", "offer": "stream"}],
    }
    record.update(overrides)
    return record


def write_sample(path: Path, records: list[Any]) -> Path:
    path.write_text(json.dumps({"titles": records}, ensure_ascii=False), encoding="utf-8")
    return path
