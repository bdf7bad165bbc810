"""Production's static storage works each URL out once per process (config/static_storage.py)."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from config.static_storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    manifest = {"paths": {"css/moochu.css": "css/moochu.0123456789ab.css"}, "version": "1.1", "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_a_static_url_is_the_manifests_hashed_name_worked_out_once(storage):
    # when: the same file asked for twice
    with mock.patch.object(
        CompressedManifestStaticFilesStorage,
        "url",
        autospec=True,
        side_effect=CompressedManifestStaticFilesStorage.url,
    ) as parent:
        first = storage.url("css/moochu.css")
        second = storage.url("css/moochu.css")

    # then: the hashed name, from one lookup
    assert first == second == "/static/css/moochu.0123456789ab.css"
    assert parent.call_count == 1


def test_a_file_missing_from_the_manifest_still_fails_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/gone.css")


def test_debug_links_unhashed_names_as_django_does(storage, settings):
    settings.DEBUG = True

    assert storage.url("css/moochu.css") == "/static/css/moochu.css"
