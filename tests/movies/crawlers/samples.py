"""Where the shared real answers of Moochu's sources live (never copied into the repo).

``../shared/source-samples`` beside the checkout (CI has it), or MOOCHU_SOURCE_SAMPLES.
Tests using them skip with a clear message when the folder is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SAMPLES = Path(os.environ.get("MOOCHU_SOURCE_SAMPLES", REPO.parent / "shared" / "source-samples"))


def sample(relative: str) -> Path:
    """The path of one shared sample, or a skip naming the folder that is missing."""
    path = SAMPLES / relative
    if not path.is_file():
        pytest.skip(f"shared source samples not found at {SAMPLES} (set MOOCHU_SOURCE_SAMPLES)")
    return path


def all_samples() -> list[str]:
    if not SAMPLES.is_dir():
        return []
    return sorted(
        str(path.relative_to(SAMPLES))
        for path in SAMPLES.rglob("*")
        if path.is_file() and path.name != "README.md"
    )
