"""Recorded source responses for tests: replay clients and ad-hoc recordings."""

from __future__ import annotations

import json
from pathlib import Path

from apps.movies.crawlers.base import PoliteClient
from apps.movies.crawlers.base import ReplayTransport

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"


def replay_client(name: str | Path) -> tuple[PoliteClient, ReplayTransport]:
    """A polite client answering from a recording; never sleeps, never reaches the network."""
    index = Path(name) if isinstance(name, Path) else FIXTURES / name / "index.json"
    transport = ReplayTransport(index)
    client = PoliteClient(transport=transport, sleep=lambda seconds: None, min_interval=0.0)
    return client, transport


def recording_builder(tmp_path: Path):
    """Build a recording in tmp_path: entries whose ``file`` is a fixture path or raw bytes."""

    def build(entries: list[dict]) -> Path:
        index = []
        for number, entry in enumerate(entries):
            entry = dict(entry)
            if "body" in entry:
                body = entry.pop("body")
                path = tmp_path / f"body_{number}"
                path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
                entry["file"] = str(path)
            elif "fixture" in entry:
                entry["file"] = str(FIXTURES / entry.pop("fixture"))
            index.append(entry)
        path = tmp_path / "index.json"
        path.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
        return path

    return build
