"""Generated placeholder posters: an SVG with the title on a colour derived from its id."""

from __future__ import annotations

import hashlib
import textwrap
import unicodedata
from xml.sax.saxutils import escape

POSTER_WIDTH = 300
POSTER_HEIGHT = 450


def poster_hue(*, title_id: int) -> int:
    """A stable hue per title: the golden angle spreads neighbouring ids around the wheel."""
    return int(title_id * 137.508) % 360


def _wrap(text: str, *, width: int, max_lines: int) -> list[str]:
    # East Asian wide characters take two columns: wrap them at half the width.
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in text) > len(text) / 3
    lines = textwrap.wrap(text, width=width // 2 if wide else width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1].rstrip()[: width - 1] + "…"]
    return lines


def poster_svg(*, title_id: int, title: str, subtitle: str = "", year: int | None = None) -> str:
    """The SVG document of a title's placeholder poster."""
    hue = poster_hue(title_id=title_id)
    lines = _wrap(title, width=16, max_lines=4)
    line_height = 34
    top = 190 - (len(lines) - 1) * line_height // 2
    title_tspans = "".join(
        f'<tspan x="150" y="{top + index * line_height}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    sub = escape(_wrap(subtitle, width=28, max_lines=1)[0]) if subtitle else ""
    year_text = str(year) if year else ""
    label = escape(title, {'"': "&quot;"})
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{POSTER_WIDTH}" height="{POSTER_HEIGHT}" '
        f'viewBox="0 0 {POSTER_WIDTH} {POSTER_HEIGHT}" role="img" aria-label="{label}">'
        "<defs>"
        f'<linearGradient id="g" x1="0" y1="0" x2="0.6" y2="1">'
        f'<stop offset="0" stop-color="hsl({hue},62%,42%)"/>'
        f'<stop offset="1" stop-color="hsl({(hue + 40) % 360},55%,14%)"/>'
        "</linearGradient>"
        "</defs>"
        '<rect width="300" height="450" fill="url(#g)"/>'
        f'<circle cx="250" cy="70" r="120" fill="hsl({(hue + 180) % 360},70%,70%)" opacity=".10"/>'
        '<rect x="24" y="24" width="252" height="402" fill="none" stroke="#fff" stroke-opacity=".18"/>'
        "<g fill=\"#fff\" font-family=\"'Noto Sans KR','NanumGothic','Apple SD Gothic Neo',sans-serif\" "
        'text-anchor="middle">'
        f'<text font-size="28" font-weight="700">{title_tspans}</text>'
        f'<text x="150" y="{top + len(lines) * line_height + 8}" font-size="15" opacity=".8">{sub}</text>'
        f'<text x="150" y="392" font-size="18" letter-spacing="4" opacity=".7">{year_text}</text>'
        '<text x="150" y="60" font-size="13" letter-spacing="6" opacity=".55">MOOCHU</text>'
        "</g></svg>"
    )


def poster_etag(*, svg: str) -> str:
    return '"' + hashlib.sha256(svg.encode()).hexdigest()[:16] + '"'
