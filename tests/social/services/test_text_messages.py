"""Refusals of user text and rate limits read in the reader's language, naming the field."""

from __future__ import annotations

import pytest
from django.utils import translation

from apps.social.services.common import TEXT_FIELD_LABELS
from apps.social.services.common import clean_text
from apps.social.services.common import rate_limit_hit
from config.exceptions import ApplicationError


@pytest.mark.parametrize(
    ("language", "empty", "too_long"),
    [
        ("ko", "방명록 글을 입력해 주세요.", "방명록 글이 너무 길어요 (6자, 최대 5자)."),
        (
            "en",
            "Guestbook entry must not be empty.",
            "Guestbook entry is too long (6 characters, at most 5).",
        ),
    ],
)
def test_text_refusals_name_the_field_in_the_readers_language(language, empty, too_long):
    with translation.override(language):
        with pytest.raises(ApplicationError) as missing:
            clean_text("   ", field="entry", max_length=5)
        with pytest.raises(ApplicationError) as long:
            clean_text("가나다라마바", field="entry", max_length=5)
    assert missing.value.message == empty
    assert long.value.message == too_long
    assert missing.value.extra == {"field": "entry"}
    assert long.value.extra == {"field": "entry", "max_length": 5}


def test_every_field_label_has_a_korean_name():
    with translation.override("ko"):
        untranslated = [field for field, label in TEXT_FIELD_LABELS.items() if str(label).isascii()]
    assert untranslated == []


def test_an_optional_text_may_be_empty_and_is_stripped():
    assert clean_text("  ", field="note", max_length=5, required=False) == ""
    assert clean_text("  메모 ", field="note", max_length=5) == "메모"


def test_rate_limit_refusal_is_korean_in_the_korean_ui(settings):
    settings.SOCIAL_RATE_LIMITS = {"comment": (1, 60)}
    rate_limit_hit(action="comment", user_id=987_654)
    with translation.override("ko"), pytest.raises(ApplicationError) as refused:
        rate_limit_hit(action="comment", user_id=987_654)
    assert refused.value.message == "요청이 너무 많아요. 잠시 후 다시 시도해 주세요."
    assert refused.value.extra["retry_after_seconds"] == 60
