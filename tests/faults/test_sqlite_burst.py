"""On the embedded SQLite default (`make run`), a burst of chat messages from many threads at
once is stored whole: WAL, a busy timeout and IMMEDIATE transactions make writers queue instead
of failing with "database is locked"."""

from __future__ import annotations

import pytest

from tests.servers import run_on_embedded_sqlite

BURST_SCRIPT = """
import json
import threading
import django
django.setup()
from django.core.management import call_command
from django.db import connection, connections
from apps.chat.services import message_create, room_get_or_create_for_title
from apps.movies.models import Title
from apps.social.models import User

call_command("migrate", verbosity=0)
title = Title.objects.create(title_en="Parasite")
room = room_get_or_create_for_title(title=title)
users = [User.objects.create(username=f"u{i}", nickname=f"u{i}", email=f"u{i}@x.kr") for i in range(8)]
errors = []

def burst(user):
    try:
        for n in range(15):
            try:
                message_create(room_id=room.pk, author=user, body=f"{user.username} {n}")
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        connections.close_all()

threads = [threading.Thread(target=burst, args=(user,)) for user in users]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
room.refresh_from_db()
seqs = sorted(room.messages.values_list("seq", flat=True))
seqs_ok = seqs == list(range(1, len(seqs) + 1))
print(json.dumps({"mode": mode, "errors": errors[:5], "count": len(seqs), "seqs_ok": seqs_ok}))
"""


@pytest.mark.slow
def test_a_chat_burst_on_the_embedded_sqlite_default_loses_nothing(tmp_path):
    answer = run_on_embedded_sqlite(BURST_SCRIPT, database=tmp_path / "burst.sqlite3")
    assert answer["mode"] == "wal"
    assert answer["errors"] == []
    assert answer["count"] == 8 * 15
    assert answer["seqs_ok"]
