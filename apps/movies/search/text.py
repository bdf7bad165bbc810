"""Text folding for search: how Korean and English titles are typed versus stored.

Everything here is pure Python (no Django, no database) so every backend, the
indexer and the tests fold text the same way.

- ``normalize_words``: NFKC (full-width → ASCII), case folding, accents dropped on
  Latin letters, punctuation → spaces, and ``"Matrix, The"`` read as ``"the matrix"``.
- ``compact``: the same without spaces, so ``어벤져스엔드게임`` meets ``어벤져스: 엔드게임``.
- ``jamo``: Hangul spelled out key by key (기생충 → ㄱㅣㅅㅐㅇㅊㅜㅇ), which gives
  trigram typo tolerance inside Korean words and matches half-typed syllables
  (``기생ㅊ``) while a user is still composing.
- ``choseong``: initial consonants (기생충 → ㄱㅅㅊ), the Korean shorthand search.
- ``romanize``: Revised Romanization, syllable by syllable (기생충 → gisaengchung).
- ``keyboard_to_jamo``: Korean typed with the IME left in English (``rltodcnd`` → 기생충's keys).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

HANGUL_FIRST = 0xAC00
HANGUL_LAST = 0xD7A3
CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
JONGSEONG = (
    "",
    "ㄱ",
    "ㄲ",
    "ㄳ",
    "ㄴ",
    "ㄵ",
    "ㄶ",
    "ㄷ",
    "ㄹ",
    "ㄺ",
    "ㄻ",
    "ㄼ",
    "ㄽ",
    "ㄾ",
    "ㄿ",
    "ㅀ",
    "ㅁ",
    "ㅂ",
    "ㅄ",
    "ㅅ",
    "ㅆ",
    "ㅇ",
    "ㅈ",
    "ㅊ",
    "ㅋ",
    "ㅌ",
    "ㅍ",
    "ㅎ",
)
# Compatibility jamo block: what a Korean keyboard produces for a lone letter.
COMPAT_JAMO_FIRST = 0x3131
COMPAT_JAMO_LAST = 0x318E
COMPAT_CONSONANTS = frozenset("ㄱㄲㄳㄴㄵㄶㄷㄸㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅃㅄㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")

# Compound letters as the keys that type them: 의 is typed ㅇㅡㅣ, 없 is ㅇㅓㅂㅅ.
_KEYSTROKES = {
    "ㅘ": "ㅗㅏ",
    "ㅙ": "ㅗㅐ",
    "ㅚ": "ㅗㅣ",
    "ㅝ": "ㅜㅓ",
    "ㅞ": "ㅜㅔ",
    "ㅟ": "ㅜㅣ",
    "ㅢ": "ㅡㅣ",
    "ㄳ": "ㄱㅅ",
    "ㄵ": "ㄴㅈ",
    "ㄶ": "ㄴㅎ",
    "ㄺ": "ㄹㄱ",
    "ㄻ": "ㄹㅁ",
    "ㄼ": "ㄹㅂ",
    "ㄽ": "ㄹㅅ",
    "ㄾ": "ㄹㅌ",
    "ㄿ": "ㄹㅍ",
    "ㅀ": "ㄹㅎ",
    "ㅄ": "ㅂㅅ",
}

# Conjoining jamo (what NFKC turns lone letters into) back to the compatibility letters.
_CONJOINING_TO_COMPAT: dict[int, str] = {}
for _i, _c in enumerate(CHOSEONG):
    _CONJOINING_TO_COMPAT[0x1100 + _i] = _c
for _i, _c in enumerate(JUNGSEONG):
    _CONJOINING_TO_COMPAT[0x1161 + _i] = _c
for _i, _c in enumerate(JONGSEONG[1:]):
    _CONJOINING_TO_COMPAT[0x11A8 + _i] = _c

# Revised Romanization, per syllable (no sound-change rules: users type it this way too).
_ROMAN_INITIAL = (
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
)
_ROMAN_MEDIAL = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
    "yu", "eu", "ui", "i",
)  # fmt: skip
_ROMAN_FINAL = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t",
    "t", "ng", "t", "t", "k", "t", "p", "t",
)  # fmt: skip

# Dubeolsik (standard Korean) layout: the QWERTY key under each letter.
_DUBEOLSIK = {
    "q": "ㅂ", "w": "ㅈ", "e": "ㄷ", "r": "ㄱ", "t": "ㅅ", "y": "ㅛ", "u": "ㅕ", "i": "ㅑ", "o": "ㅐ",
    "p": "ㅔ", "a": "ㅁ", "s": "ㄴ", "d": "ㅇ", "f": "ㄹ", "g": "ㅎ", "h": "ㅗ", "j": "ㅓ", "k": "ㅏ",
    "l": "ㅣ", "z": "ㅋ", "x": "ㅌ", "c": "ㅊ", "v": "ㅍ", "b": "ㅠ", "n": "ㅜ", "m": "ㅡ",
    "Q": "ㅃ", "W": "ㅉ", "E": "ㄸ", "R": "ㄲ", "T": "ㅆ", "O": "ㅒ", "P": "ㅖ",
}  # fmt: skip

# Articles that catalogs move to the end: "Matrix, The", "Grande illusion, La".
_ARTICLES = ("the", "a", "an", "le", "la", "les", "l'", "il", "el", "los", "las", "der", "die", "das", "lo")
_TRAILING_ARTICLE = re.compile(
    r"^(?P<head>.+?),\s*(?P<article>"
    + "|".join(re.escape(a) for a in _ARTICLES)
    + r")(?P<tail>\s*(?:\(.*)?)$",
    re.IGNORECASE,
)
_NON_WORD = re.compile(r"[^\w]+|_+")


def is_hangul_syllable(char: str) -> bool:
    return HANGUL_FIRST <= ord(char) <= HANGUL_LAST


def is_compat_jamo(char: str) -> bool:
    return COMPAT_JAMO_FIRST <= ord(char) <= COMPAT_JAMO_LAST


def has_hangul(text: str) -> bool:
    return any(is_hangul_syllable(c) or is_compat_jamo(c) for c in text)


def strip_control(text: str) -> str:
    """Drop control, format and unassigned code points; keep ordinary whitespace as spaces."""
    out = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\t\n\r\f\v":
            out.append(" ")
        elif not category.startswith("C"):
            out.append(char)
    return "".join(out)


def _fold_chunk(chunk: str) -> str:
    # NFKD then drop combining marks (é → e), then NFC to rebuild Hangul syllables.
    decomposed = unicodedata.normalize("NFKD", chunk)
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    composed = unicodedata.normalize("NFC", kept)
    return "".join(_CONJOINING_TO_COMPAT.get(ord(c), c) for c in composed)


def fold(text: str) -> str:
    """NFKC-style folding that leaves lone Hangul letters alone, then case folding.

    Plain NFKC would turn a typed ``ㄱㅏ`` into ``가`` and ``ㄱㅅㅊ`` into conjoining
    jamo, so compatibility jamo are kept verbatim and only the text around them is folded.
    """
    text = strip_control(unicodedata.normalize("NFC", text))
    parts: list[str] = []
    chunk: list[str] = []
    for char in text:
        if is_compat_jamo(char):
            if chunk:
                parts.append(_fold_chunk("".join(chunk)))
                chunk = []
            parts.append(char)
        else:
            chunk.append(char)
    if chunk:
        parts.append(_fold_chunk("".join(chunk)))
    return "".join(parts).casefold()


def move_trailing_article(text: str) -> str:
    """``"Matrix, The"`` → ``"The Matrix"``; ``"Matrix, The (1999)"`` → ``"The Matrix (1999)"``."""
    match = _TRAILING_ARTICLE.match(text.strip())
    if not match:
        return text
    article = match.group("article")
    joiner = "" if article.endswith("'") else " "
    return f"{article}{joiner}{match.group('head')}{match.group('tail')}"


def normalize_words(text: str) -> str:
    """Folded, article-fronted words separated by single spaces."""
    folded = fold(move_trailing_article(strip_control(text)))
    return " ".join(_NON_WORD.sub(" ", folded).split())


def compact(text: str) -> str:
    """Folded text without spaces or punctuation (spacing-insensitive key)."""
    return normalize_words(text).replace(" ", "")


def jamo(text: str) -> str:
    """Hangul spelled as keystrokes; other characters pass through unchanged."""
    out: list[str] = []
    for char in text:
        code = ord(char)
        if HANGUL_FIRST <= code <= HANGUL_LAST:
            index = code - HANGUL_FIRST
            initial, rest = divmod(index, 588)
            medial, final = divmod(rest, 28)
            for letter in (CHOSEONG[initial], JUNGSEONG[medial], JONGSEONG[final]):
                out.append(_KEYSTROKES.get(letter, letter))
        else:
            out.append(_KEYSTROKES.get(char, char))
    return "".join(out)


def choseong(text: str) -> str:
    """Initial consonants of Hangul syllables; lone consonants and digits kept, the rest dropped."""
    out: list[str] = []
    for char in compact(text):
        if is_hangul_syllable(char):
            out.append(CHOSEONG[(ord(char) - HANGUL_FIRST) // 588])
        elif char in COMPAT_CONSONANTS or char.isdigit():
            out.append(char)
    return "".join(out)


def is_choseong_query(text: str) -> bool:
    """True for shorthand like ``ㄱㅅㅊ``: only lone consonants (and digits), at least two consonants."""
    key = compact(text)
    consonants = sum(1 for c in key if c in COMPAT_CONSONANTS)
    return consonants >= 2 and all(c in COMPAT_CONSONANTS or c.isdigit() for c in key)


def romanize(text: str) -> str:
    """Revised Romanization of the Hangul in ``text``, syllable by syllable; other text kept."""
    out: list[str] = []
    for char in text:
        code = ord(char)
        if HANGUL_FIRST <= code <= HANGUL_LAST:
            initial, rest = divmod(code - HANGUL_FIRST, 588)
            medial, final = divmod(rest, 28)
            out.append(_ROMAN_INITIAL[initial] + _ROMAN_MEDIAL[medial] + _ROMAN_FINAL[final])
        else:
            out.append(char)
    return "".join(out)


_COMPOUND_VOWELS = frozenset({"ㅗㅏ", "ㅗㅐ", "ㅗㅣ", "ㅜㅓ", "ㅜㅔ", "ㅜㅣ", "ㅡㅣ"})
_FINAL_CLUSTERS = frozenset(
    {"ㄱㅅ", "ㄴㅈ", "ㄴㅎ", "ㄹㄱ", "ㄹㅁ", "ㄹㅂ", "ㄹㅅ", "ㄹㅌ", "ㄹㅍ", "ㄹㅎ", "ㅂㅅ"}
)


def _spells_hangul(keys: str) -> bool:
    """True if the keystrokes compose into Hangul syllables (consonant, vowel, optional finals)."""
    vowels = set(JUNGSEONG)
    runs = re.findall(r"[ㄱ-ㅎ]+|[ㅏ-ㅣ]+", keys)
    if not runs or runs[0][0] in vowels:
        return False
    for index, run in enumerate(runs):
        if run[0] in vowels:
            if len(run) > 2 or (len(run) == 2 and run not in _COMPOUND_VOWELS):
                return False
        else:
            last = index == len(runs) - 1
            # Between vowels: final (or final cluster) + next initial; at the end: finals only.
            limit = 2 if last else 3
            cluster = run if last else run[:-1]
            if len(run) > limit or (len(cluster) == 2 and cluster not in _FINAL_CLUSTERS):
                return False
            if index == 0 and len(run) > 1:
                return False
    return True


def keyboard_to_jamo(text: str) -> str:
    """Latin letters read as keys on a Korean keyboard (``rltodcnd`` → ``ㄱㅣㅅㅐㅇㅊㅜㅇ``).

    Returns "" unless every letter maps and each word spells valid Hangul syllables,
    so ordinary English queries ("titanic", "the matrix") are left alone.
    """
    words = text.split()
    if not words or not all(c in _DUBEOLSIK or c.lower() in _DUBEOLSIK for word in words for c in word):
        return ""
    keyed = ["".join(_DUBEOLSIK.get(c, _DUBEOLSIK.get(c.lower(), "")) for c in word) for word in words]
    if not all(_spells_hangul(word) for word in keyed):
        return ""
    return "".join(keyed)


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces in front and one behind."""
    grams: set[str] = set()
    for word in text.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def word_similarity(query: str, document: str) -> float:
    """Share of the query's trigrams found in the document (an upper bound of pg_trgm's)."""
    query_grams = trigrams(query)
    if not query_grams:
        return 0.0
    return len(query_grams & trigrams(document)) / len(query_grams)


def join_unique(values: Iterable[str]) -> str:
    """Space-join non-empty values once each, keeping first-seen order."""
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return " ".join(seen)


# -----------------------------------------------------------------------------
# Romanised names: "Bong Joon-ho" finds 봉준호, "Gisaengchung" finds 기생충
# -----------------------------------------------------------------------------
_LATIN_ONLY = re.compile(r"[^a-z]+")
_R_NOT_BEFORE_VOWEL = re.compile(r"r(?![aeiouwy])")
# Spellings that name the same Korean sound. Revised Romanization writes ㅓ "eo", ㅡ "eu",
# ㅜ "u"; names in the wild use "u"/"oo"/"ou" for them ("Joon-ho", "Hyun", "Sung"), k/p/t/ch
# where RR has g/b/d/j at a word start ("Kim", "Park"), "r" for ㄹ, and a silent "r" after a
# vowel ("Park" = 박). Both the index and the query pass through these, so only the sounds
# are compared, not one spelling convention.
_SOUND_FOLDS = (
    ("ch", "j"),
    ("sh", "s"),
    ("eo", "u"),
    ("eu", "u"),
    ("oo", "u"),
    ("ou", "u"),
    ("ee", "i"),
    ("wu", "u"),
    ("k", "g"),
    ("p", "b"),
    ("t", "d"),
    ("r", "l"),
)
_DOUBLED = re.compile(r"([a-z])\1+")


def romanize_pronounced(text: str) -> str:
    """Revised Romanization with its sound-change rules (korean-romanizer: 신라 → silla-style
    liaison, 살인 → sarin), for the Hangul words in ``text``; other words are kept."""
    from korean_romanizer.romanizer import Romanizer

    return " ".join(Romanizer(word).romanize() if has_hangul(word) else word for word in text.split())


def roman_key(text: str) -> str:
    """A spelling-insensitive key of Latin text: "Bong Joon-ho" and "bongjunho" → "bongjunho".

    Only letters count (spaces, hyphens and apostrophes go), then the sound folds above, then
    runs of one letter collapse ("kk", "ss", "nn" → one).
    """
    key = _LATIN_ONLY.sub("", fold(text))
    key = _R_NOT_BEFORE_VOWEL.sub("", key)
    for spelling, sound in _SOUND_FOLDS:
        key = key.replace(spelling, sound)
    return _DOUBLED.sub(r"\1", key)


def roman_keys_for_name(name: str, *, person: bool = False) -> list[str]:
    """Keys a Korean name is found by when typed in Latin letters ("" for non-Korean names).

    People are written family name first or last ("Bong Joon-ho", "Joon-ho Bong"): a
    2–4 syllable Hangul name gives both orders, the family name being its first syllable.
    """
    words = normalize_words(name)
    if not words or not has_hangul(words):
        return []
    keys = [roman_key(romanize_pronounced(words)), roman_key(romanize(words))]
    compact_name = words.replace(" ", "")
    if person and 2 <= len(compact_name) <= 4 and all(is_hangul_syllable(c) for c in compact_name):
        family, given = compact_name[0], compact_name[1:]
        keys.append(roman_key(romanize_pronounced(given) + romanize_pronounced(family)))
    return list(dict.fromkeys(key for key in keys if len(key) >= 3))
