"""Our names for what sources call providers and genres.

Slugs match the demo data loader's, so a crawl and the demo catalog share rows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from apps.movies.models import ProviderKind


@dataclass(frozen=True)
class ProviderInfo:
    slug: str
    name: str
    name_ko: str
    kind: str
    color: str
    homepage: str
    tmdb_provider_id: int | None
    aliases: tuple[str, ...]


PROVIDERS: tuple[ProviderInfo, ...] = (
    ProviderInfo(
        "netflix",
        "Netflix",
        "넷플릭스",
        ProviderKind.OTT,
        "#E50914",
        "https://www.netflix.com/kr/",
        8,
        ("netflix", "넷플릭스", "netflix basic with ads", "netflix standard with ads"),
    ),
    ProviderInfo(
        "watcha", "Watcha", "왓챠", ProviderKind.OTT, "#FF0558", "https://watcha.com/", 97, ("watcha", "왓챠")
    ),
    ProviderInfo(
        "tving",
        "TVING",
        "티빙",
        ProviderKind.OTT,
        "#FF153C",
        "https://www.tving.com/",
        1883,
        ("tving", "티빙"),
    ),
    ProviderInfo(
        "wavve",
        "wavve",
        "웨이브",
        ProviderKind.OTT,
        "#1F4EF5",
        "https://www.wavve.com/",
        356,
        ("wavve", "웨이브"),
    ),
    ProviderInfo(
        "disney-plus",
        "Disney+",
        "디즈니+",
        ProviderKind.OTT,
        "#113CCF",
        "https://www.disneyplus.com/ko-kr",
        337,
        ("disney plus", "disney+", "disneyplus", "디즈니+", "디즈니플러스", "디즈니 플러스"),
    ),
    ProviderInfo(
        "coupang-play",
        "Coupang Play",
        "쿠팡플레이",
        ProviderKind.OTT,
        "#1A73E8",
        "https://www.coupangplay.com/",
        1881,
        ("coupang play", "coupangplay", "쿠팡플레이", "쿠팡 플레이"),
    ),
    # Rent and buy stores TMDB lists for Korea (data by JustWatch).
    ProviderInfo(
        "google-play",
        "Google Play Movies",
        "구글 플레이 무비",
        ProviderKind.OTT,
        "#01875F",
        "https://play.google.com/store/movies",
        3,
        ("google play movies", "google play", "구글 플레이", "구글 플레이 무비"),
    ),
    ProviderInfo(
        "apple-tv",
        "Apple TV",
        "Apple TV",
        ProviderKind.OTT,
        "#111111",
        "https://tv.apple.com/kr",
        2,
        ("apple tv", "apple itunes", "itunes"),
    ),
    ProviderInfo(
        "apple-tv-plus",
        "Apple TV+",
        "Apple TV+",
        ProviderKind.OTT,
        "#000000",
        "https://tv.apple.com/kr",
        350,
        ("apple tv plus", "apple tv+"),
    ),
    ProviderInfo(
        "naver-series-on",
        "Naver Series On",
        "네이버 시리즈온",
        ProviderKind.OTT,
        "#03C75A",
        "https://serieson.naver.com/",
        None,
        ("naver series on", "naver store", "naver series", "네이버 시리즈온", "시리즈온"),
    ),
    # KOBIS reports films in Korean cinemas without naming the chain.
    ProviderInfo(
        "kr-cinemas",
        "Cinemas nationwide",
        "전국 극장",
        ProviderKind.CINEMA,
        "#5B4B8A",
        "https://www.kobis.or.kr/",
        None,
        ("cinemas nationwide", "전국 극장"),
    ),
    ProviderInfo(
        "cgv", "CGV", "CGV", ProviderKind.CINEMA, "#E71A0F", "http://www.cgv.co.kr/", None, ("cgv",)
    ),
    ProviderInfo(
        "lotte-cinema",
        "Lotte Cinema",
        "롯데시네마",
        ProviderKind.CINEMA,
        "#ED1C24",
        "https://www.lottecinema.co.kr/",
        None,
        ("lotte cinema", "lottecinema", "롯데시네마"),
    ),
    ProviderInfo(
        "megabox",
        "Megabox",
        "메가박스",
        ProviderKind.CINEMA,
        "#352263",
        "https://www.megabox.co.kr/",
        None,
        ("megabox", "메가박스"),
    ),
)
PROVIDERS_BY_SLUG = {info.slug: info for info in PROVIDERS}
_PROVIDER_ALIASES = {alias: info.slug for info in PROVIDERS for alias in info.aliases}
_PROVIDER_BY_TMDB_ID = {info.tmdb_provider_id: info.slug for info in PROVIDERS if info.tmdb_provider_id}


def _clean(name: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name or "").casefold()).strip()


def provider_slug(name: str, *, tmdb_provider_id: int | None = None) -> str | None:
    """Our slug for a provider as a source names it, or None if Moochu does not list it."""
    if tmdb_provider_id is not None and tmdb_provider_id in _PROVIDER_BY_TMDB_ID:
        return _PROVIDER_BY_TMDB_ID[tmdb_provider_id]
    return _PROVIDER_ALIASES.get(_clean(name))


@dataclass(frozen=True)
class GenreInfo:
    slug: str
    name_ko: str
    name_en: str
    aliases: tuple[str, ...]


GENRES: tuple[GenreInfo, ...] = (
    GenreInfo("action", "액션", "Action", ("action", "액션", "무협")),
    GenreInfo("adventure", "모험", "Adventure", ("adventure", "모험", "어드벤처", "어드벤쳐")),
    GenreInfo("animation", "애니메이션", "Animation", ("animation", "애니메이션", "애니")),
    GenreInfo("comedy", "코미디", "Comedy", ("comedy", "코미디", "코메디")),
    GenreInfo("crime", "범죄", "Crime", ("crime", "범죄", "film-noir", "느와르")),
    GenreInfo("documentary", "다큐멘터리", "Documentary", ("documentary", "다큐멘터리", "다큐")),
    GenreInfo("drama", "드라마", "Drama", ("drama", "드라마")),
    GenreInfo("family", "가족", "Family", ("family", "가족", "children's", "children", "어린이")),
    GenreInfo("fantasy", "판타지", "Fantasy", ("fantasy", "판타지")),
    GenreInfo("history", "역사", "History", ("history", "역사", "사극")),
    GenreInfo("horror", "공포", "Horror", ("horror", "공포", "공포(호러)", "호러")),
    GenreInfo("music", "음악", "Music", ("music", "음악", "musical", "뮤지컬", "공연")),
    GenreInfo("mystery", "미스터리", "Mystery", ("mystery", "미스터리", "미스테리")),
    GenreInfo("romance", "로맨스", "Romance", ("romance", "로맨스", "멜로/로맨스", "멜로", "로맨틱코미디")),
    GenreInfo("science-fiction", "SF", "Science Fiction", ("sci-fi", "science fiction", "sf", "공상과학")),
    GenreInfo("thriller", "스릴러", "Thriller", ("thriller", "스릴러")),
    GenreInfo("war", "전쟁", "War", ("war", "전쟁")),
    GenreInfo("western", "서부", "Western", ("western", "서부", "서부극(웨스턴)", "서부극")),
    GenreInfo("short", "단편", "Short", ("short", "단편")),
)
GENRES_BY_SLUG = {info.slug: info for info in GENRES}
_GENRE_ALIASES = {alias: info.slug for info in GENRES for alias in info.aliases}


def genre_slug(name: str) -> str | None:
    """Our slug for a genre name in Korean or English, or None for ones we do not file (기타)."""
    return _GENRE_ALIASES.get(_clean(name).replace(" / ", "/"))
