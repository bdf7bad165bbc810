"""The type checker's settings: no error code is switched off for any module (issue 18)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_mypy_override_switches_an_error_code_off():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    overrides = config["tool"]["mypy"].get("overrides", [])

    silenced = [o["module"] for o in overrides if o.get("disable_error_code") or o.get("ignore_errors")]

    assert silenced == [], f"fix the code instead of switching checks off for: {silenced}"
    assert config["tool"]["mypy"].get("disable_error_code") is None
