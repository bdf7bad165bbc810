"""Korean particles that a translated sentence cannot carry by itself.

A Korean sentence attaches a particle to the name before it, and its form follows the name's
last sound: 을 after a final consonant ("기생충을"), 를 after a vowel ("마더를"). A catalogue
entry cannot know which form a name will take, so a sentence that names a title, a list, a
service or a field receives the name with its particle already attached, and its Korean msgstr
carries none ("%(title)s 추가했어요"); in English the name comes unchanged.
"""

from __future__ import annotations

from typing import Literal
from typing import get_args

from django.utils.translation import get_language

Particle = Literal["을/를", "이/가", "은/는", "으로/로"]
PARTICLES: tuple[Particle, ...] = get_args(Particle)

# (after a final consonant, after a vowel, when the reading is not certain)
_FORMS: dict[Particle, tuple[str, str, str]] = {
    "을/를": ("을", "를", "을(를)"),
    "이/가": ("이", "가", "이(가)"),
    "은/는": ("은", "는", "은(는)"),
    "으로/로": ("으로", "로", "(으)로"),
}
_RIEUL = 8  # ㄹ as a final consonant: 로 follows it as it follows a vowel ("서울로")
# The final consonant of each digit read in Sino-Korean (영 일 이 삼 사 오 육 칠 팔 구):
# 0 none for a vowel, _RIEUL for ㄹ, 1 for any other.
_DIGIT_FINALS = {
    "0": 1,
    "1": _RIEUL,
    "2": 0,
    "3": 1,
    "4": 0,
    "5": 0,
    "6": 1,
    "7": _RIEUL,
    "8": _RIEUL,
    "9": 0,
}


def particle_for(name: str, particle: Particle) -> str:
    """The form of ``particle`` that Korean writing puts after ``name``; "" outside Korean.

    A name ending in Latin letters or symbols gets the double form ("Contact을(를)"), as Korean
    writing does when the reading is not certain."""
    if not (get_language() or "").startswith("ko"):
        return ""
    last = name.rstrip()[-1:]
    if not last:
        return ""
    if "가" <= last <= "힣":
        final = (ord(last) - 0xAC00) % 28
    elif last in _DIGIT_FINALS:
        final = _DIGIT_FINALS[last]
    else:
        return _FORMS[particle][2]
    after_consonant, after_vowel, _unsure = _FORMS[particle]
    if particle == "으로/로":
        return after_vowel if final in (0, _RIEUL) else after_consonant
    return after_consonant if final else after_vowel


def with_particle(name: str, particle: Particle) -> str:
    """``name`` followed by its particle in Korean ("살인의 추억을"); unchanged in English."""
    return name + particle_for(name, particle)


def with_object_particle(name: str) -> str:
    """``name`` with 을/를 in Korean: the object of the sentence it sits in."""
    return with_particle(name, "을/를")
