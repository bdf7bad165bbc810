"""Selectors of the taste analysis page (취향분석): what a person rates, how, and what they love.

Everything is drawn from their ratings in a few queries and laid out for server-drawn SVG
(no chart script). Visibility follows the owner's mini-homepage settings: the page needs the
"taste" section; the figures read straight off the ratings (distribution, average, count,
hours) also need the "ratings" section.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.common.charts import bars_ranked
from apps.movies.models import CreditRole
from apps.movies.models import Title
from apps.movies.taste_groups import genre_names_by_bit
from apps.movies.taste_groups import leading_credits
from apps.movies.taste_groups import origin_label
from apps.social.models import Rating
from apps.social.selectors import relationship_between
from apps.social.selectors import visible_sections
from apps.social.services.homepage import profile_get_or_create

if TYPE_CHECKING:
    from apps.social.models import User

TOP_N = 6
# Chart geometry (SVG user units): the distribution's 10 columns and the share bars.
DIST_WIDTH, DIST_HEIGHT, DIST_BAR = 400, 120, 30
SHARE_WIDTH = 170


@dataclass(frozen=True)
class Column:
    label: str  # "4.5"
    n: int
    x: int
    y: int
    height: int


@dataclass(frozen=True)
class Share:
    label: str
    n: int
    share: int  # percent of the person's ratings
    average: float  # their mean stars for it
    width: int  # bar length in SVG units
    y: int


@dataclass
class TasteAnalysis:
    owner: User
    visible: bool  # the taste section may be seen
    ratings_visible: bool  # the rating figures may be seen
    count: int = 0
    average: float | None = None
    hours: int = 0
    runtime_known: int = 0
    distribution: list[Column] = field(default_factory=list)
    genres: list[Share] = field(default_factory=list)
    origins: list[Share] = field(default_factory=list)
    directors: list[Share] = field(default_factory=list)
    actors: list[Share] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    chart_height: int = DIST_HEIGHT


def _shares(rows: dict[str, list[int]], total: int, *, min_n: int = 1) -> list[Share]:
    """The most rated groups (ties: higher average first), with share and average stars."""
    averages = {label: sum(stars) / len(stars) for label, stars in rows.items() if stars}
    bars = bars_ranked(
        {label: len(stars) for label, stars in rows.items()},
        total,
        top=TOP_N,
        max_width=SHARE_WIDTH,
        min_n=min_n,
        tie_break=lambda label: -averages.get(label, 0.0),
    )
    return [
        Share(
            label=bar.label,
            n=bar.n,
            share=bar.share,
            average=round(averages[bar.label] / 2, 1),
            width=bar.width,
            y=bar.y,
        )
        for bar in bars
    ]


def _distribution(half_stars: list[int]) -> list[Column]:
    counts = [0] * 10
    for h in half_stars:
        counts[h - 1] += 1
    top = max(counts) or 1
    columns = []
    for k, n in enumerate(counts):
        height = round((DIST_HEIGHT - 20) * n / top)
        columns.append(
            Column(
                label=f"{(k + 1) / 2:g}",
                n=n,
                x=k * (DIST_WIDTH // 10) + 5,
                y=DIST_HEIGHT - 20 - height,
                height=height,
            )
        )
    return columns


def _words(analysis: TasteAnalysis, years: list[int], korean_share: float) -> list[str]:
    """A few taste words, each read off a figure on the page (never a guess)."""
    words = []
    if analysis.average is not None and analysis.count >= 5:
        if analysis.average >= 4.0:
            words.append(_("Generous with stars"))
        elif analysis.average <= 2.75:
            words.append(_("Hard to please"))
        else:
            words.append(_("Balanced rater"))
    if analysis.genres:
        words.append(_("%(genre)s lover") % {"genre": analysis.genres[0].label})
    if analysis.count >= 5 and korean_share >= 0.5:
        words.append(_("Korean film fan"))
    if years:
        years = sorted(years)
        median = years[len(years) // 2]
        if median < 1990:
            words.append(_("Classics first"))
        elif median >= 2015:
            words.append(_("Up to date"))
    if analysis.directors and analysis.directors[0].n >= 3:
        words.append(_("Follows %(name)s") % {"name": analysis.directors[0].label})
    return words


def taste_analysis_get(*, owner: User, viewer: User | None) -> TasteAnalysis:
    """The taste page of ``owner`` as ``viewer`` may see it; hidden parts are not queried."""
    viewer = viewer if viewer is not None and viewer.is_authenticated else None
    profile = profile_get_or_create(user=owner)
    sections = visible_sections(
        owner=owner, profile=profile, rel=relationship_between(viewer=viewer, owner=owner)
    )
    analysis = TasteAnalysis(owner=owner, visible=sections["taste"], ratings_visible=sections["ratings"])
    if not analysis.visible:
        return analysis
    rated = dict(Rating.objects.filter(user=owner).values_list("title_id", "half_stars"))
    if not rated:
        return analysis
    titles = Title.objects.filter(id__in=rated).values_list(
        "id", "runtime_minutes", "genre_mask", "year", "title_ko", "title_en", "title_original"
    )
    genre_names = genre_names_by_bit()
    genres: dict[str, list[int]] = {}
    origins: dict[str, list[int]] = {}
    years: list[int] = []
    minutes = 0
    for title_id, runtime, mask, year, title_ko, title_en, title_original in titles:
        stars = rated[title_id]
        if runtime:
            minutes += runtime
            analysis.runtime_known += 1
        for bit, name in genre_names.items():
            if mask >> bit & 1:
                genres.setdefault(name, []).append(stars)
        origin = origin_label(title_ko=title_ko, title_en=title_en, title_original=title_original)
        origins.setdefault(origin, []).append(stars)
        if year:
            years.append(year)
    directors: dict[str, list[int]] = {}
    actors: dict[str, list[int]] = {}
    for title_id, name, role in leading_credits(title_ids=rated):
        (directors if role == CreditRole.DIRECTOR else actors).setdefault(name, []).append(rated[title_id])
    total = len(rated)
    analysis.genres = _shares(genres, total)
    analysis.origins = _shares(origins, total)
    analysis.directors = _shares(directors, total)
    analysis.actors = _shares(actors, total, min_n=2 if total >= 20 else 1)
    if analysis.ratings_visible:
        analysis.count = total
        analysis.average = round(sum(rated.values()) / total / 2, 2)
        analysis.hours = round(minutes / 60)
        analysis.distribution = _distribution(list(rated.values()))
    korean_share = len(origins.get(pgettext("title origin", "Korean"), [])) / total
    analysis.words = _words(analysis, years, korean_share)
    return analysis
