"""A user's query, checked and folded once into every form the backends match on."""

from __future__ import annotations

from dataclasses import dataclass

from apps.movies.search import text
from config.exceptions import ApplicationError

# The header search box allows 200 characters; a pasted page is a mistake, not a query.
MAX_QUERY_LENGTH = 200

# Words that say what kind of film is wanted, not its title: "좀비 영화" hints Horror.
# Values are English genre names or slugs as the catalog stores them (matched case-insensitively).
GENRE_HINTS: dict[str, tuple[str, ...]] = {
    "좀비": ("horror",),
    "공포": ("horror",),
    "호러": ("horror",),
    "귀신": ("horror",),
    "zombie": ("horror",),
    "horror": ("horror",),
    "scary": ("horror",),
    "액션": ("action",),
    "action": ("action",),
    "코미디": ("comedy",),
    "웃긴": ("comedy",),
    "comedy": ("comedy",),
    "funny": ("comedy",),
    "로맨스": ("romance",),
    "멜로": ("romance",),
    "사랑": ("romance",),
    "romance": ("romance",),
    "romantic": ("romance",),
    "애니": ("animation",),
    "애니메이션": ("animation",),
    "만화": ("animation",),
    "animation": ("animation",),
    "animated": ("animation",),
    "cartoon": ("animation",),
    "다큐": ("documentary",),
    "다큐멘터리": ("documentary",),
    "documentary": ("documentary",),
    "드라마": ("drama",),
    "drama": ("drama",),
    "스릴러": ("thriller",),
    "thriller": ("thriller",),
    "범죄": ("crime",),
    "crime": ("crime",),
    "sf": ("sci-fi", "science fiction"),
    "공상과학": ("sci-fi", "science fiction"),
    "우주": ("sci-fi", "science fiction"),
    "scifi": ("sci-fi", "science fiction"),
    "전쟁": ("war",),
    "war": ("war",),
    "가족": ("family", "children's", "children"),
    "family": ("family", "children's", "children"),
    "뮤지컬": ("musical", "music"),
    "musical": ("musical", "music"),
    "판타지": ("fantasy",),
    "fantasy": ("fantasy",),
    "미스터리": ("mystery",),
    "mystery": ("mystery",),
    "서부": ("western",),
    "western": ("western",),
    "단편": ("short",),
}


# English function words that nearly every title shares: left out of trigram matching
# (the whole phrase still counts through the spacing-free key and exact-title bonus).
# "the matrx" drew ~2,000 trigram candidates with "the", ~300 without.
TRIGRAM_STOP_WORDS = frozenset({"the", "a", "an", "of", "and", "in", "to"})


class SearchQueryError(ApplicationError):
    """The query cannot be searched (empty or too long)."""


class SearchQueryEmpty(SearchQueryError):
    """The query holds no letter or digit to search for ("!!", "　")."""


@dataclass(frozen=True)
class PreparedQuery:
    raw: str
    cleaned: str
    words: str
    trigram_words: str
    compact: str
    jamo: str
    choseong: str
    keyboard_jamo: str
    genre_hints: tuple[str, ...]
    # Spelling-insensitive key of a Latin query ("Bong Joon-ho" → "bongjunho"), matched
    # against the romanised names in search_compact; "" for Korean or very short queries.
    roman: str = ""

    @property
    def is_choseong(self) -> bool:
        return bool(self.choseong)

    @property
    def has_hangul(self) -> bool:
        return text.has_hangul(self.compact)


def _genre_hints(words: str, compact_key: str) -> tuple[str, ...]:
    hints: dict[str, None] = {}
    tokens = set(words.split())
    for keyword, genres in GENRE_HINTS.items():
        korean = text.has_hangul(keyword)
        if (korean and keyword in compact_key) or (not korean and keyword in tokens):
            hints.update(dict.fromkeys(genres))
    return tuple(hints)


def _keyboard_jamo(cleaned: str) -> str:
    # Shift types ㅆ ㄲ ㅃ ㅉ ㄸ ㅒ ㅖ ("dkrkTl" is 아가씨), but a capital first letter is
    # usually a phone's auto-capitalisation, so only a capital later on counts.
    letters = "".join(cleaned.split())
    source = cleaned if letters[1:] != letters[1:].lower() else cleaned.lower()
    return text.keyboard_to_jamo(source)


def search_query_prepare(*, raw: str) -> PreparedQuery:
    """Check and fold a query. Raises SearchQueryError for empty or overlong input."""
    if not isinstance(raw, str):
        raise SearchQueryError("The search query must be text.")
    # Checked before folding so a 10 MB paste costs nothing.
    if len(raw) > MAX_QUERY_LENGTH * 4:
        raise SearchQueryError(
            f"The search query is too long (at most {MAX_QUERY_LENGTH} characters).",
            {"max_length": MAX_QUERY_LENGTH},
        )
    cleaned = " ".join(text.strip_control(raw).split())
    if len(cleaned) > MAX_QUERY_LENGTH:
        raise SearchQueryError(
            f"The search query is too long (at most {MAX_QUERY_LENGTH} characters).",
            {"max_length": MAX_QUERY_LENGTH},
        )
    words = text.normalize_words(cleaned)
    if not words:
        raise SearchQueryEmpty("Type a title, a person or a few words to search for.", {"query": cleaned})
    compact_key = words.replace(" ", "")
    content_words = [word for word in words.split() if word not in TRIGRAM_STOP_WORDS]
    return PreparedQuery(
        raw=raw,
        cleaned=cleaned,
        words=words,
        trigram_words=" ".join(content_words) or words,
        compact=compact_key,
        jamo=text.jamo(compact_key) if text.has_hangul(compact_key) else "",
        choseong=compact_key if text.is_choseong_query(compact_key) else "",
        keyboard_jamo="" if text.has_hangul(compact_key) else _keyboard_jamo(cleaned),
        genre_hints=_genre_hints(words, compact_key),
        roman=_roman(compact_key),
    )


def _roman(compact_key: str) -> str:
    if text.has_hangul(compact_key) or not compact_key.isascii():
        return ""
    key = text.roman_key(compact_key)
    return key if len(key) >= 4 else ""
