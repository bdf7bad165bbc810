"""Confusable skeletons of nicknames (Unicode TS #39, section 4), from confusable_homoglyphs.

The library ships Unicode's confusables.txt as a table from each character to the characters
it can be confused with: a *source* (Cyrillic "а") lists its one prototype ("a"); a
prototype lists all its sources. The skeleton replaces every character by its prototype, so
two strings people cannot tell apart get one skeleton: ``rel_аlice`` and ``rel_alice`` alike.
The only module that imports the library.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from confusable_homoglyphs.confusables import confusables_data

_BIDI_MARKS = str.maketrans("", "", "\u200e\u200f")


def _others(char: str) -> list[str]:
    return [entry["c"].translate(_BIDI_MARKS) for entry in confusables_data.get(char, ())]


@lru_cache(maxsize=4096)
def _prototype(char: str) -> str:
    others = _others(char)
    if len(others) != 1:
        return char  # not confusable, or a prototype with several sources
    other = others[0]
    if len(other) > 1 or len(_others(other)) > 1:
        return other  # "m" → "rn"; "а" → "a" (whose list holds all its sources)
    # A class of two, each listing the other: either is the prototype; pick one stably.
    return min(char, other)


def _map(text: str) -> str:
    return "".join(_prototype(char) for char in text)


def skeleton(text: str) -> str:
    """TS #39 ``skeleton(X)`` = NFD(map(NFD(X))), made case-blind as nicknames are: the
    casefolded result is mapped once more, so "0" (→ "O" → "o") meets "о" and "o"."""
    mapped = unicodedata.normalize("NFD", _map(unicodedata.normalize("NFD", text)))
    return unicodedata.normalize("NFC", _map(mapped.casefold()))
