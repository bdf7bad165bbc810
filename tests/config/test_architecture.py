"""The code map (docs/architecture.md) matches the code: every import between apps follows
an allowed arrow, or is one of the listed upward imports, and every listed one still exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAP = ROOT / "docs" / "architecture.md"


def _map_arrows() -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(app arrows, file arrows) from the ```text arrows blocks of the map."""
    blocks = re.findall(r"```text arrows\n(.*?)```", MAP.read_text(encoding="utf-8"), flags=re.S)
    assert blocks, "docs/architecture.md has no ```text arrows block"
    apps: set[tuple[str, str]] = set()
    files: set[tuple[str, str]] = set()
    for line in "\n".join(blocks).splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        source, target = (part.strip() for part in line.split("->"))
        (files if "/" in source else apps).add((source, target))
    return apps, files


def _imports_between_apps() -> set[tuple[str, str]]:
    """(file, imported app) for every import of another app under apps/, migrations aside."""
    found: set[tuple[str, str]] = set()
    for path in sorted((ROOT / "apps").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        own_app = path.relative_to(ROOT / "apps").parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                parts = module.split(".")
                if parts[0] == "apps" and len(parts) > 1 and parts[1] != own_app:
                    found.add((path.relative_to(ROOT).as_posix(), parts[1]))
    return found


def _allowed(app_arrows: set[tuple[str, str]], source_app: str, target_app: str) -> bool:
    return (source_app, target_app) in app_arrows or ("*", target_app) in app_arrows


def test_every_import_between_apps_follows_the_map():
    app_arrows, file_arrows = _map_arrows()
    unmapped = sorted(
        (path, target)
        for path, target in _imports_between_apps()
        if not _allowed(app_arrows, path.split("/")[1], target) and (path, target) not in file_arrows
    )
    assert unmapped == [], (
        "These imports point up the stack (docs/architecture.md): call the app below, or move "
        f"the code, or list the file with its reason: {unmapped}"
    )


def test_every_listed_upward_import_still_exists():
    app_arrows, file_arrows = _map_arrows()
    imports = _imports_between_apps()
    stale = sorted(arrow for arrow in file_arrows if arrow not in imports)
    assert stale == [], f"docs/architecture.md lists upward imports the code no longer has: {stale}"
    # A listed upward import must really be upward, or the general arrows already allow it.
    redundant = sorted(
        arrow for arrow in file_arrows if _allowed(app_arrows, arrow[0].split("/")[1], arrow[1])
    )
    assert redundant == [], f"already allowed by an app arrow, delete the line: {redundant}"


def test_the_map_names_every_app():
    text = MAP.read_text(encoding="utf-8")
    apps = sorted(p.name for p in (ROOT / "apps").iterdir() if (p / "__init__.py").exists())
    missing = [app for app in apps if f"`apps/{app}`" not in text]
    assert missing == [], f"docs/architecture.md does not describe: {missing}"
