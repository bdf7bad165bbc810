"""The committed .mo files must say what their .po files say (setup no longer compiles them)."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_FILES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))


def _catalog(entries) -> dict[tuple[str | None, str], tuple[str, ...]]:
    result = {}
    for entry in entries:
        if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
            continue
        if entry.msgid_plural:
            translation = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        else:
            translation = (entry.msgstr,)
        if any(translation):
            result[(entry.msgctxt, entry.msgid)] = translation
    return result


def test_there_are_korean_and_english_catalogs():
    assert {path.parts[-3] for path in PO_FILES} >= {"ko", "en"}


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: p.parts[-3])
def test_compiled_mo_matches_po(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages` and commit it"

    po = _catalog(polib.pofile(str(po_path)))
    mo = _catalog(polib.mofile(str(mo_path)))

    stale = {key for key in po.keys() | mo.keys() if po.get(key) != mo.get(key)}
    assert not stale, (
        f"{mo_path} is older than {po_path} for {sorted(k[1] for k in stale)[:5]}: run `make messages`"
    )


def test_korean_catalog_translates_every_string():
    po = polib.pofile(str(LOCALE_DIR / "ko" / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries() if not entry.obsolete]
    assert untranslated == []
