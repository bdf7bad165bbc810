"""The light theme: the OS asking for light gets the same tokens as a .theme-light surface."""

from __future__ import annotations

import re
from pathlib import Path

CSS = (Path(__file__).resolve().parent.parent / "static" / "css" / "moochu.css").read_text()


def _declarations(block: str) -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+|color-scheme):\s*([^;]+);", block))


def _rule(selector_pattern: str) -> str:
    match = re.search(selector_pattern + r"\s*\{(?P<body>[^{}]*)\}", CSS)
    assert match, f"no rule matching {selector_pattern!r} in moochu.css"
    return match.group("body")


def test_the_light_media_query_repeats_every_theme_light_token():
    surface = _declarations(_rule(r"\n\.theme-light"))
    page = _declarations(_rule(r"@media \(prefers-color-scheme: light\)\s*\{\s*:root"))

    assert surface, "no tokens found in .theme-light"
    drifted = {name: (value, page.get(name)) for name, value in surface.items() if page.get(name) != value}
    assert drifted == {}


def test_dark_stays_the_default_and_every_light_token_exists_in_the_dark_root():
    root = _declarations(_rule(r"\n:root"))
    page = _declarations(_rule(r"@media \(prefers-color-scheme: light\)\s*\{\s*:root"))

    assert root["color-scheme"] == "dark"
    assert page["color-scheme"] == "light"
    assert set(page) - set(root) == set()
