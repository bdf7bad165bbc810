"""Korean particles follow the name's last sound; English names are left as they are."""

from __future__ import annotations

import pytest
from django.utils import translation

from apps.common.korean import with_particle


@pytest.mark.parametrize(
    ("name", "particle", "expected"),
    [
        ("기생충", "을/를", "기생충을"),
        ("마더", "을/를", "마더를"),
        ("Contact", "을/를", "Contact을(를)"),
        ("1987", "을/를", "1987을"),  # 칠
        ("82", "을/를", "82를"),  # 이
        ("내 리스트", "이/가", "내 리스트가"),
        ("닉네임", "이/가", "닉네임이"),
        ("부산행", "은/는", "부산행은"),
        ("올드보이", "은/는", "올드보이는"),
        ("넷플릭스", "으로/로", "넷플릭스로"),
        ("왓챠", "으로/로", "왓챠로"),
        ("티빙", "으로/로", "티빙으로"),
        ("서울", "으로/로", "서울로"),  # ㄹ takes 로
        ("Disney+", "으로/로", "Disney+(으)로"),
        ("", "을/를", ""),
    ],
)
def test_the_particle_follows_the_last_sound_in_korean_and_is_absent_in_english(name, particle, expected):
    with translation.override("ko"):
        assert with_particle(name, particle) == expected
    with translation.override("en"):
        assert with_particle(name, particle) == name
