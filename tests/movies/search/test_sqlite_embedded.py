"""The embedded default (SQLite, no env vars) searches for real: a fresh process, a fresh database."""

from __future__ import annotations

import pytest

from tests.servers import run_on_embedded_sqlite

SCRIPT = """
import json
import django
django.setup()
from django.core.management import call_command
from apps.movies.search import search_titles, suggest_titles
from apps.movies.search.tasks import movies_search_index_sync_task
from apps.movies.models import Title

call_command("migrate", verbosity=0)
for ko, en, year, popularity in [
    ("기생충", "Parasite", 2019, 950.0),
    ("어벤져스: 엔드게임", "Avengers: Endgame", 2019, 900.0),
    ("", "Matrix, The", 1999, 850.0),
    ("", "Matrix Reloaded, The", 2003, 500.0),
    ("부산행", "Train to Busan", 2016, 800.0),
]:
    Title.objects.create(title_ko=ko, title_en=en, year=year, popularity=popularity)
movies_search_index_sync_task()
answers = {}
for query in ["ㄱㅅㅊ", "어벤져스엔드게임", "the matrx", "기생ㅊ", "parasyte", "rltodcnd", "zzqxv"]:
    results = search_titles(query=query)
    answers[query] = [results.backend, results.is_fallback, [str(t) for t in results.titles[:2]]]
answers["suggest"] = [str(t) for t in suggest_titles(query="부산").titles]
print(json.dumps(answers, ensure_ascii=False))
"""


@pytest.mark.slow
def test_embedded_sqlite_default_finds_what_users_type(tmp_path):
    answers = run_on_embedded_sqlite(SCRIPT, database=tmp_path / "moochu.sqlite3")
    assert answers["ㄱㅅㅊ"][:2] == ["sqlite", False]
    assert answers["ㄱㅅㅊ"][2][0] == "기생충"
    assert answers["어벤져스엔드게임"][2][0] == "어벤져스: 엔드게임"
    assert answers["the matrx"][2] == ["Matrix, The", "Matrix Reloaded, The"]
    assert answers["기생ㅊ"][2][0] == "기생충"
    assert answers["parasyte"][2][0] == "기생충"
    assert answers["rltodcnd"][2][0] == "기생충"
    assert answers["zzqxv"][1] is True
    assert answers["suggest"][0] == "부산행"
