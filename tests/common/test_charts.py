"""bars_ranked: the largest groups, their shares and bar geometry, ties broken as asked."""

from __future__ import annotations

from apps.common.charts import ROW_HEIGHT
from apps.common.charts import RankedBar
from apps.common.charts import bars_ranked


def test_the_largest_groups_come_first_with_shares_and_bars_scaled_to_the_largest():
    bars = bars_ranked({"drama": 6, "comedy": 3, "horror": 1}, 10, top=2, max_width=160)

    assert bars == [
        RankedBar(label="drama", n=6, share=60, width=160, y=0),
        RankedBar(label="comedy", n=3, share=30, width=80, y=ROW_HEIGHT),
    ]


def test_ties_go_by_the_tie_break_then_by_label_and_small_groups_are_left_out():
    counts = {"b": 2, "a": 2, "c": 2, "rare": 1}

    by_label = [bar.label for bar in bars_ranked(counts, 7, top=5, max_width=100, min_n=2)]
    by_average = [
        bar.label
        for bar in bars_ranked(
            counts, 7, top=5, max_width=100, min_n=2, tie_break=lambda label: -{"c": 9, "a": 5}.get(label, 0)
        )
    ]

    assert by_label == ["a", "b", "c"]
    assert by_average == ["c", "a", "b"]


def test_nothing_to_chart_is_an_empty_chart():
    assert bars_ranked({}, 0, top=5, max_width=100) == []
    assert bars_ranked({"a": 1}, 0, top=5, max_width=100)[0].share == 0  # no division by zero
