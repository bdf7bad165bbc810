"""Keeps Title's folded search columns true to the title, its people and its genres."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from apps.movies.models import Credit
from apps.movies.models import Title
from apps.movies.search import text

SEARCH_FIELDS = ("search_titles", "search_compact", "search_jamo", "search_choseong", "search_document")


@dataclass(frozen=True)
class TitleSearchFields:
    search_titles: str
    search_compact: str
    search_jamo: str
    search_choseong: str
    search_document: str


def title_search_fields_build(
    *,
    names: Iterable[str],
    people: Iterable[str] = (),
    genres: Iterable[str] = (),
    overview: str = "",
) -> TitleSearchFields:
    """Fold a title's names (Korean, original, English) and context into its search keys."""
    word_forms: list[str] = []
    korean_names: list[str] = []
    # Korean titles and people typed in Latin letters ("Gisaengchung", "Bong Joon-ho"):
    # spelling-insensitive keys, matched against the query's own key (PreparedQuery.roman).
    roman_keys: list[str] = []
    people = list(people)
    for name in names:
        words = text.normalize_words(name)
        if not words:
            continue
        word_forms.append(words)
        if text.has_hangul(words):
            korean_names.append(words)
            word_forms.append(text.romanize(words))
            roman_keys.extend(text.roman_keys_for_name(words))
    for person in people:
        roman_keys.extend(text.roman_keys_for_name(person, person=True))
    return TitleSearchFields(
        search_titles=text.join_unique(word_forms),
        search_compact=text.join_unique([form.replace(" ", "") for form in word_forms] + roman_keys),
        search_jamo=text.join_unique(text.jamo(name.replace(" ", "")) for name in korean_names),
        search_choseong=text.join_unique(text.choseong(name) for name in korean_names),
        search_document=text.join_unique(
            [text.normalize_words(person) for person in people]
            + [text.normalize_words(genre) for genre in genres]
            + [text.normalize_words(overview)]
        ),
    )


def title_search_fields_refresh(*, title_ids: Iterable[int]) -> int:
    """Recompute the search columns of the given titles. Returns how many changed."""
    ids = sorted(set(title_ids))
    if not ids:
        return 0
    people: dict[int, list[str]] = defaultdict(list)
    for title_id, name, name_en in (
        Credit.objects.filter(title_id__in=ids)
        .order_by("title_id", "role", "order")
        .values_list("title_id", "person__name", "person__name_en")
    ):
        people[title_id].extend([name, name_en])
    genres: dict[int, list[str]] = defaultdict(list)
    for title_id, name_ko, name_en in Title.genres.through.objects.filter(title_id__in=ids).values_list(
        "title_id", "genre__name_ko", "genre__name_en"
    ):
        genres[title_id].extend([name_ko, name_en])

    changed: list[Title] = []
    with transaction.atomic():
        for title in Title.objects.filter(id__in=ids).only(
            "id", "title_ko", "title_original", "title_en", "overview", *SEARCH_FIELDS
        ):
            fields = title_search_fields_build(
                names=(title.title_ko, title.title_original, title.title_en),
                people=people[title.id],
                genres=genres[title.id],
                overview=title.overview,
            )
            if any(getattr(title, name) != getattr(fields, name) for name in SEARCH_FIELDS):
                for name in SEARCH_FIELDS:
                    setattr(title, name, getattr(fields, name))
                changed.append(title)
        Title.objects.bulk_update(changed, SEARCH_FIELDS, batch_size=1000)
    return len(changed)
