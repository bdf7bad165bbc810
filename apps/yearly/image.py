"""The shareable card of a year in review: a 1200×630 PNG (the size link previews use), drawn on
the server with Pillow in a real Korean font, showing only what the viewer may see."""

from __future__ import annotations

import functools
import io
import logging
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image
from PIL import ImageDraw
from PIL import ImageFont

from apps.movies.cards import is_korean
from apps.movies.models import Title
from apps.yearly.selectors import YearInReview

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
# The dark theme's tokens (static/css/moochu.css): background, raised panel, text, muted, accent.
BACKGROUND = "#0e0f13"
PANEL = "#171920"
TEXT = "#eceef3"
MUTED = "#a2a8b5"
ACCENT = "#e50914"
GOLD = "#f5c518"

# Debian's fonts-nanum (installed by scripts/bootstrap.sh and scripts/services.sh), then Noto CJK.
FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
        "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf",
    ),
    (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    ),
)


class KoreanFontMissing(RuntimeError):
    """No font with Hangul is installed: the card would show boxes instead of Korean text."""


@functools.cache
def korean_font_paths() -> tuple[Path, Path]:
    """(regular, bold) font files with Hangul; ``MOOCHU_KOREAN_FONT`` overrides both."""
    configured = getattr(settings, "MOOCHU_KOREAN_FONT", "")
    if configured:
        path = Path(configured)
        if path.is_file():
            return path, path
        logger.warning("MOOCHU_KOREAN_FONT=%s is not a file; looking for an installed Korean font", path)
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file():
            return Path(regular), Path(bold) if Path(bold).is_file() else Path(regular)
    raise KoreanFontMissing(
        "No Korean font found: install Debian's fonts-nanum or set MOOCHU_KOREAN_FONT to a .ttf/.ttc file."
    )


@functools.cache
def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    regular, heavy = korean_font_paths()
    return ImageFont.truetype(str(heavy if bold else regular), size)


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """``text`` cut with an ellipsis to fit ``width`` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def year_card_png(review: YearInReview) -> bytes:
    """The PNG bytes of ``review``'s card. Raises ``KoreanFontMissing`` without a Korean font."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN
    draw.rectangle((0, 0, WIDTH, 10), fill=ACCENT)
    draw.text((MARGIN, 44), "MOOCHU", font=_font(26, bold=True), fill=ACCENT)
    heading = _("%(name)s's %(year)s in review") % {"name": review.owner.display_name, "year": review.year}
    title_font = _font(54, bold=True)
    draw.text((MARGIN, 84), _fit(draw, heading, title_font, inner), font=title_font, fill=TEXT)

    stats = _stats(review)
    if stats:
        box_width = (inner - 24 * (len(stats) - 1)) // len(stats)
        for index, (value, label) in enumerate(stats):
            left = MARGIN + index * (box_width + 24)
            draw.rounded_rectangle((left, 178, left + box_width, 318), radius=18, fill=PANEL)
            draw.text((left + 28, 196), value, font=_font(58, bold=True), fill=TEXT)
            label = _fit(draw, label, _font(26), box_width - 56)
            draw.text((left + 28, 272), label, font=_font(26), fill=MUTED)

    y = 356
    for label, value in _lines(review):
        draw.text((MARGIN, y), label, font=_font(26, bold=True), fill=GOLD)
        offset = int(draw.textlength(label, font=_font(26, bold=True))) + 18
        value = _fit(draw, value, _font(26), inner - offset)
        draw.text((MARGIN + offset, y), value, font=_font(26), fill=TEXT)
        y += 50
        if y > HEIGHT - 90:
            break
    footer = _("Find what to watch, and watch it together — Moochu")
    draw.text((MARGIN, HEIGHT - 58), footer, font=_font(22), fill=MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _stats(review: YearInReview) -> list[tuple[str, str]]:
    stats = []
    if review.diary_visible:
        stats.append((f"{review.titles_watched:,}", _("titles watched")))
        if review.runtime_known:
            stats.append((f"{review.hours:,}", _("hours")))
    if review.ratings_visible:
        stats.append((f"{review.ratings_given:,}", _("ratings given")))
        if review.average is not None:
            stats.append((f"★{review.average:.1f}", _("average rating")))
    return stats


def _lines(review: YearInReview) -> list[tuple[str, str]]:
    lines = []
    if review.best:
        best = review.best[0]
        lines.append((_("Best of the year"), f"{_title_name(best.title)} ★{best.stars:g}"))
    if review.genres:
        lines.append((_("Top genres"), " · ".join(share.label for share in review.genres[:3])))
    if review.directors:
        lines.append((_("Directors"), " · ".join(share.label for share in review.directors[:3])))
    if review.busiest_month:
        n = review.busiest_month_viewings
        viewings = ngettext("%(n)s viewing", "%(n)s viewings", n) % {"n": n}
        lines.append((_("Busiest month"), f"{review.busiest_month_name} ({viewings})"))
    if review.mates:
        mates = " · ".join(f"{mate.user.display_name} {mate.match}%" for mate in review.mates)
        lines.append((_("Taste mates"), mates))
    return lines


def _title_name(title: Title) -> str:
    names = (title.title_ko, title.title_en) if is_korean() else (title.title_en, title.title_ko)
    return next((name for name in names if name), title.title_original)
