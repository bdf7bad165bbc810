"""Ranked bar charts: the largest groups of a set, each with its share of the set and its bar's
length and row in an SVG (the taste page's genres and people, the year in review's)."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass

ROW_HEIGHT = 28  # SVG units per bar: the bar and its label


@dataclass(frozen=True)
class RankedBar:
    label: str
    n: int
    share: int  # percent of the whole set
    width: int  # bar length in SVG units; the largest group's is ``max_width``
    y: int  # the row's offset in SVG units


def bars_ranked(
    counts: Mapping[str, int],
    total: int,
    *,
    top: int,
    max_width: int,
    min_n: int = 1,
    tie_break: Callable[[str], float] | None = None,
) -> list[RankedBar]:
    """The ``top`` largest groups of at least ``min_n``: ties by ``tie_break(label)`` (lowest
    first), then by label."""
    kept = sorted(
        ((label, n) for label, n in counts.items() if n >= min_n),
        key=lambda kv: (-kv[1], tie_break(kv[0]) if tie_break else 0.0, kv[0]),
    )[:top]
    widest = kept[0][1] if kept else 0
    return [
        RankedBar(
            label=label,
            n=n,
            share=round(100 * n / total) if total else 0,
            width=round(max_width * n / widest),
            y=index * ROW_HEIGHT,
        )
        for index, (label, n) in enumerate(kept)
    ]
