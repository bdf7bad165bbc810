from __future__ import annotations

import pytest

from apps.movies.search import text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Matrix, The", "the matrix"),
        ("Matrix, The (1999)", "the matrix 1999"),
        ("Grande illusion, La", "la grande illusion"),
        ("ＡＢＣ　Ｄ", "abc d"),
        ("Amélie", "amelie"),
        ("어벤져스: 엔드게임", "어벤져스 엔드게임"),
        ("Spider-Man:  No Way\tHome!", "spider man no way home"),
        ("a\x00b\u200bc", "abc"),
    ],
)
def test_normalize_words_folds_width_case_accents_punctuation_and_articles(raw, expected):
    assert text.normalize_words(raw) == expected


def test_compact_ignores_spacing_and_punctuation():
    assert text.compact("어벤져스: 엔드게임") == text.compact("어벤져스엔드게임") == "어벤져스엔드게임"


def test_fold_keeps_lone_jamo_instead_of_composing_them():
    # Plain NFKC would turn ㄱㅏ into 가 and ㄱ into a conjoining jamo.
    assert text.fold("ㄱㅅㅊ") == "ㄱㅅㅊ"
    assert text.fold("ㄱㅏ") == "ㄱㅏ"


def test_halfwidth_jamo_fold_to_compatibility_jamo():
    assert text.fold("\uffa1\uffb5") == "ㄱㅅ"


def test_choseong_extracts_initial_consonants():
    assert text.choseong("기생충") == "ㄱㅅㅊ"
    assert text.choseong("어벤져스: 엔드게임") == "ㅇㅂㅈㅅㅇㄷㄱㅇ"
    assert text.choseong("Parasite") == ""


@pytest.mark.parametrize(
    ("query", "expected"),
    [("ㄱㅅㅊ", True), ("ㄱ ㅅ ㅊ", True), ("ㄱ", False), ("ㅏㅓ", False), ("기생ㅊ", False), ("abc", False)],
)
def test_is_choseong_query(query, expected):
    assert text.is_choseong_query(query) is expected


def test_jamo_spells_syllables_as_keystrokes():
    assert text.jamo("기생충") == "ㄱㅣㅅㅐㅇㅊㅜㅇ"
    # Compound vowels and final clusters are typed as two keys.
    assert text.jamo("의") == "ㅇㅡㅣ"
    assert text.jamo("없") == "ㅇㅓㅂㅅ"
    # A half-typed syllable is a prefix of the full spelling.
    assert text.jamo("기생충").startswith(text.jamo("기생ㅊ"))


def test_romanize_uses_revised_romanization():
    assert text.romanize("기생충") == "gisaengchung"
    assert text.romanize("부산행") == "busanhaeng"
    assert text.romanize("괴물 2") == "goemul 2"


def test_keyboard_to_jamo_reads_english_keys_as_korean():
    assert text.keyboard_to_jamo("rltodcnd") == text.jamo("기생충")
    assert text.keyboard_to_jamo("thematrx") == ""
    assert text.keyboard_to_jamo("123") == ""


def test_word_similarity_scores_typos_below_exact():
    exact = text.word_similarity("matrix", "the matrix")
    typo = text.word_similarity("matrx", "the matrix")
    assert exact == 1.0
    assert 0.5 <= typo < exact
    assert text.word_similarity("", "anything") == 0.0


def test_prepared_query_reads_shifted_keys_for_double_consonants():
    from apps.movies.search.query import search_query_prepare

    assert search_query_prepare(raw="dkrkTl").keyboard_jamo == text.jamo("아가씨")
    assert search_query_prepare(raw="Rltodcnd").keyboard_jamo == text.jamo("기생충")


@pytest.mark.parametrize(
    "query", ["titanic", "the matrix", "thematrix", "parasite", "oldboy", "amelie", "jaws"]
)
def test_keyboard_to_jamo_leaves_english_words_alone(query):
    assert text.keyboard_to_jamo(query) == ""


@pytest.mark.parametrize(
    ("keys", "korean"), [("dhwlddj rpdla", "오징어게임"), ("dkswdk", "앉아"), ("dmlwk", "의자")]
)
def test_keyboard_to_jamo_accepts_compound_vowels_and_final_clusters(keys, korean):
    assert text.keyboard_to_jamo(keys) == text.jamo(korean)
