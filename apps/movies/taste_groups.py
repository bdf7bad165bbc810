"""The groups a title counts towards in taste charts: its genres (named in the active
language), its origin (Korean or other, by the script of its original title) and its leading
people. Read by recs' taste page and the year in review, which count them differently."""

from __future__ import annotations

import re
from collections.abc import Collection

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.movies.models import Credit
from apps.movies.models import CreditRole
from apps.movies.selectors import catalog_vocabulary

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Billing order below this counts as leading (the first six names of the cast list).
LEADING_ORDER = 6


def genre_names_by_bit() -> dict[int, str]:
    """Each genre's name in the active language, by its bit in ``Title.genre_mask``."""
    korean = (get_language() or "ko").startswith("ko")
    return {g.bit: (g.name_ko if korean else g.name_en) for g in catalog_vocabulary().genres}


def origin_label(*, title_ko: str, title_en: str, title_original: str) -> str:
    """ "Korean" when the original title is in Hangul, else "Other". A title known only by its
    English name is taken for foreign; one with only a Korean name, for Korean."""
    original = title_original or ("" if title_en and not title_ko else title_ko)
    return pgettext("title origin", "Korean") if original and _HANGUL.search(original) else _("Other")


def leading_credits(*, title_ids: Collection[int]) -> list[tuple[int, str, str]]:
    """(title id, person's name, role) of the directors and leading cast of these titles."""
    return list(
        Credit.objects.filter(
            title_id__in=title_ids, role__in=[CreditRole.DIRECTOR, CreditRole.CAST], order__lt=LEADING_ORDER
        ).values_list("title_id", "person__name", "role")
    )
