"""Title normalisation and match keys: how one film, named differently by each source, is found.

A title gets *full* keys (its whole name normalised) and *main* keys (the name without a
subtitle). Two names match when their full keys are equal, or when one of them has no
subtitle and equals the other's main key ("미션 임파서블" ≈ "미션 임파서블: 폴아웃"); two
different subtitles never match. Keys only propose candidates: the year (± 1), media type
and directors decide (see apps.movies.services.ingestion).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# "Matrix, The" (MovieLens, ggplot2) → "The Matrix"; articles then drop out entirely.
_TRAILING_ARTICLE = re.compile(
    r"^(?P<name>.+?),\s*(?P<article>the|a|an|les|la|le|l'|die|der|das|el|il)$", re.I
)
_LEADING_ARTICLES = {"the", "a", "an"}
# Subtitles: after a colon, a spaced dash, or in a trailing bracket ("(2019)", "(Re-release)").
_SUBTITLE = re.compile(r"\s*(?::|：|\s[-–—]\s|\s~)\s*")
_YEAR_SUFFIX = re.compile(r"\s*[(\[]\s*(?:19|20)\d{2}\s*[)\]]\s*$")
_WORD = re.compile(r"[0-9a-z]+|[\uac00-\ud7a3\u3131-\u318e]+|[^\W_]+", re.I)

_ROMAN = {
    "ii": "2",
    "iii": "3",
    "iv": "4",
    "v": "5",
    "vi": "6",
    "vii": "7",
    "viii": "8",
    "ix": "9",
    "x": "10",
    "xi": "11",
    "xii": "12",
}
# Sino-Korean numerals, only as a separate final word ("범죄도시 이" is rare, "터미네이터 2" is not,
# but some posters spell it out) and the "2편" sequel suffix.
_HANGUL_NUMERALS = {
    "일": "1",
    "이": "2",
    "삼": "3",
    "사": "4",
    "오": "5",
    "육": "6",
    "칠": "7",
    "팔": "8",
    "구": "9",
}
_SEQUEL_SUFFIX = re.compile(r"^(\d+)(?:편|부|탄)$")
_SEQUEL_WORDS = {"편", "부", "탄"}
_ANDS = re.compile(r"\s*&\s*|\s+and\s+|\s+그리고\s+", re.I)
_HANGUL_DIGIT = re.compile(r"(?<=[\uac00-\ud7a3])(?=\d)|(?<=\d)(?=[\uac00-\ud7a3])")
# Cheap substring tests that tell when a pattern cannot match: most names have no
# subtitle, year, article or ampersand, and skipping the regex halves a name's cost.
_SUBTITLE_MARKS = frozenset(":：-–—~")


def _fold(text: str) -> str:
    if text.isascii():  # most catalog names: nothing to decompose
        return text.lower()
    # Drop accents (Amélie = Amelie); NFKC recomposes the Hangul that NFKD split into jamo.
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFKC", stripped).casefold()


def _words(text: str) -> list[str]:
    text = _fold(text)
    text = text.replace("’", "'").replace("`", "'")
    if "&" in text or "and" in text or "그리고" in text:
        text = _ANDS.sub(" and ", text)
    if not text.isascii():
        # Split digits from Hangul so "범죄도시2" and "범죄도시 2" give the same words.
        text = _HANGUL_DIGIT.sub(" ", text)
    text = text.replace("'", "")
    words = _WORD.findall(text)
    if words and words[0] in _LEADING_ARTICLES and len(words) > 1:
        words = words[1:]
    out: list[str] = []
    for index, word in enumerate(words):
        sequel = _SEQUEL_SUFFIX.match(word) if word[-1] in _SEQUEL_WORDS else None
        if sequel:
            word = sequel.group(1)
        elif word in _SEQUEL_WORDS and out and out[-1].isdigit():
            continue
        elif word in _ROMAN and index > 0:
            word = _ROMAN[word]
        elif word in _HANGUL_NUMERALS and index == len(words) - 1 and index > 0:
            word = _HANGUL_NUMERALS[word]
        out.append(word)
    return out


def _unarticle(text: str) -> str:
    if "," not in text:
        return text
    match = _TRAILING_ARTICLE.match(text.strip())
    if match:
        return f"{match.group('article')} {match.group('name')}"
    return text


def _without_year(text: str) -> str:
    """NFKC, and no trailing "(2019)"."""
    text = unicodedata.normalize("NFKC", text or "")
    if text.rstrip()[-1:] in (")", "]"):
        text = _YEAR_SUFFIX.sub("", text)
    return text


def _split_subtitle(text: str) -> list[str]:
    if not _SUBTITLE_MARKS.isdisjoint(text):
        return _SUBTITLE.split(text, maxsplit=1)
    return [text]


def normalise_title(text: str) -> str:
    """The spacing-, punctuation-, article- and numeral-insensitive form of a name."""
    text = _without_year(text)
    key = "".join(_words(_unarticle(text)))
    # A name of symbols only ("$", "+1") is its own key rather than none.
    return key or re.sub(r"\s+", "", _fold(text))


def main_title(text: str) -> str:
    """The name without its subtitle, normalised; equal to the full key when there is none."""
    text = _without_year(text)
    head = _split_subtitle(text)[0]
    # "Matrix Reloaded, The: …" → strip the article of the head.
    return "".join(_words(_unarticle(head)))


@dataclass(frozen=True)
class NameKeys:
    full: frozenset[str]  # every name, normalised
    plain: frozenset[str]  # full keys of names without a subtitle
    main: frozenset[str]  # names with a subtitle, cut before it

    @property
    def all(self) -> frozenset[str]:
        return self.full | self.main


def name_keys(names: Iterable[str]) -> NameKeys:
    full: set[str] = set()
    plain: set[str] = set()
    main: set[str] = set()
    for name in names:
        text = _without_year(name)
        key = "".join(_words(_unarticle(text))) or re.sub(r"\s+", "", _fold(text))
        if not key:
            continue
        full.add(key)
        # Same as main_title(), without normalising a name twice when it has no subtitle.
        parts = _split_subtitle(text)
        head = "".join(_words(_unarticle(parts[0]))) if len(parts) > 1 else key
        if head and head != key:
            main.add(head)
        else:
            plain.add(key)
    return NameKeys(full=frozenset(full), plain=frozenset(plain), main=frozenset(main))


def names_match(a: NameKeys, b: NameKeys) -> bool:
    """Same full name, or one side has no subtitle and equals the other's main name.

    Two different subtitles of one series ("해리 포터: 비밀의 방" / "해리 포터: 불의 잔") never match.
    """
    return bool((a.full & b.full) or (a.plain & b.main) or (b.plain & a.main))


def normalise_person(name: str) -> str:
    return "".join(_WORD.findall(_fold(name or "")))


def years_compatible(a: int | None, b: int | None) -> bool:
    """Within a year of each other (festival vs release, KR vs world); unknown is compatible."""
    return a is None or b is None or abs(a - b) <= 1
