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


# -----------------------------------------------------------------------------
# People: one director, spelled by each source its own way
# -----------------------------------------------------------------------------
# KOBIS writes "봉준호" (and "BONG Joon-ho" in English), TMDB "Bong Joon Ho", a cinema
# "Joon-ho Bong"; Revised Romanisation gives "Bong Jun-ho". Vowels carry most of that
# variation (oo/u, eo/u/o, ae/e), consonants little, so a person's key is the consonant
# skeleton of the name, the same for Hangul (romanised by its jamo) and Latin spellings.
# The key only vetoes a merge (another director means a remake), so a loose key is safe.
_INITIAL_CONSONANTS = (
    "g",
    "g",
    "n",
    "d",
    "d",
    "l",
    "m",
    "b",
    "b",
    "s",
    "s",
    "",
    "j",
    "j",
    "j",
    "g",
    "d",
    "b",
    "",
)
_FINAL_CONSONANTS = (
    *("", "g", "g", "g", "n", "n", "n", "d", "l", "g", "m", "b", "l", "l", "l", "l"),
    *("m", "b", "b", "d", "d", "ng", "d", "d", "g", "d", "b", "d"),
)
# Surnames whose usual spellings differ from Revised Romanisation in a consonant
# (박 Park, 이 Lee/Rhee, 류 Ryu/Yoo): every usual spelling is a key.
_SURNAME_SPELLINGS = {
    "박": ("park", "bak", "pak"),
    "이": ("lee", "yi", "rhee", "i"),
    "리": ("lee", "ri", "li"),
    "임": ("lim", "im", "rim"),
    "림": ("lim", "rim", "im"),
    "류": ("ryu", "yoo", "yu", "ryoo"),
    "유": ("yoo", "yu", "ryu"),
    "노": ("noh", "roh", "no"),
    "나": ("na", "ra", "rah"),
    "허": ("heo", "hur", "huh"),
    "우": ("woo", "u"),
}
# Two-syllable surnames: the rest of the name is the given name.
_COMPOUND_SURNAMES = frozenset({"남궁", "제갈", "선우", "황보", "독고", "사공", "서문"})
_LATIN_FOLDS = (("tch", "j"), ("ch", "j"), ("sh", "s"), ("ph", "b"))
_LATIN_CONSONANTS = str.maketrans(
    {"k": "g", "q": "g", "c": "g", "p": "b", "f": "b", "v": "b", "t": "d", "r": "l", "z": "j", "x": "s"}
)
_DROPPED = frozenset("aeiouwyh")
_HANGUL_SYLLABLE = re.compile(r"[\uac00-\ud7a3]")


def _skeleton_of_latin(word: str) -> str:
    text = "".join(ch for ch in _fold(word) if "a" <= ch <= "z")
    for old, new in _LATIN_FOLDS:
        text = text.replace(old, new)
    return _squeeze(text.translate(_LATIN_CONSONANTS))


def _skeleton_of_hangul(word: str) -> str:
    out: list[str] = []
    for ch in word:
        if not _HANGUL_SYLLABLE.match(ch):
            continue
        index = ord(ch) - 0xAC00
        out.append(_INITIAL_CONSONANTS[index // 588] + _FINAL_CONSONANTS[index % 28])
    return _squeeze("".join(out))


def _squeeze(text: str) -> str:
    """Drop vowels, w/y glides and h; fold doubled consonants ("Kyeong", "Gyung" → "gng")."""
    out: list[str] = []
    for ch in text:
        if ch in _DROPPED or (out and out[-1] == ch):
            continue
        out.append(ch)
    return "".join(out)


def _rotations(parts: list[str]) -> set[str]:
    """Family name first or last: "Bong Joon-ho" = "Joon-ho Bong"."""
    if len(parts) < 2:
        return {"".join(parts)}
    return {"".join(parts), "".join(parts[1:] + parts[:1]), "".join(parts[-1:] + parts[:-1])}


def person_keys(name: str) -> frozenset[str]:
    """Keys under which spellings of one person's name meet, in Hangul or Latin letters.

    A Korean name without spaces is read as surname (one syllable, or two for 남궁, 제갈 …)
    then given name. A name in other letters (Japanese, Chinese) keys on its folded form.
    """
    name = (name or "").strip()
    words = [w for w in re.split(r"[\s·・]+", name) if w]
    if not words:
        return frozenset()
    if _HANGUL_SYLLABLE.search(name):
        if len(words) == 1 and len(name) >= 2:
            cut = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
            given = _skeleton_of_hangul(name[cut:])
            spellings = _SURNAME_SPELLINGS.get(name[:cut])
            surnames = (
                {_skeleton_of_latin(s) for s in spellings} if spellings else {_skeleton_of_hangul(name[:cut])}
            )
            keys = {key for surname in surnames for key in _rotations([surname, given])}
        else:
            keys = _rotations([_skeleton_of_hangul(w) for w in words])
    elif name.isascii() or all(_fold(w).isascii() for w in words):
        keys = _rotations([_skeleton_of_latin(w) for w in words])
    else:
        keys = set()
    keys.discard("")
    # Too few consonants to tell people apart ("Oh Yeo"): the folded name itself.
    if not keys or max(map(len, keys)) < 2:
        return frozenset({normalise_person(name)})
    return frozenset(keys)
