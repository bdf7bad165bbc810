"""`make run` serves the demo on embedded SQLite: every page of the tour answers there too,
signed out and signed in (the suite's other page tests run on PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.servers import run_on_embedded_sqlite

SCRIPT = """
import json
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from tests.browser.tour import ANON, PERSONAS, world_build, visits

settings.ALLOWED_HOSTS = ["testserver"]
call_command("migrate", verbosity=0)
world = world_build()
clients = {}
for persona in PERSONAS:
    clients[persona] = Client()
    if persona != ANON:
        clients[persona].force_login(world.users[persona])
answers = {}
for page, persona in visits():
    url = page.url(world)
    answers[f"{persona} {url}"] = clients[persona].get(url, follow=True).status_code
print(json.dumps(answers, ensure_ascii=False))
"""


@pytest.mark.slow
def test_every_toured_page_answers_on_embedded_sqlite(tmp_path):
    answers = run_on_embedded_sqlite(SCRIPT, database=tmp_path / "moochu.sqlite3")

    assert len(answers) > 50
    failed = {visit: status for visit, status in answers.items() if status != 200}
    assert not failed, failed
