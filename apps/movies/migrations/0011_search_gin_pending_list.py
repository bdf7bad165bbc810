"""Keep the search indexes' GIN pending lists small (64 kB instead of 4 MB).

With ``fastupdate`` on, new index entries wait in an unsorted pending list that every search
reads from end to end until VACUUM (or a full 4 MB list) merges it into the index. Every rating
rewrites its title's row (``rating_avg`` and ``popularity`` are indexed, so the update is never
HOT), adding its trigrams to the lists, and a bulk load leaves the whole catalog there. Measured
on the demo catalog (1,955 titles, PostgreSQL 15) right after the demo load: 8,117 pending
tuples on 200 pages of ``title_search_titles_trgm``, and the page search "굿뉴" took 8.0 ms in
PostgreSQL (2.4 ms for one bitmap index scan) against 0.9 ms once merged. At 64 kB (the
minimum) a search reads at most 8 pending pages per index; 200 single-title updates took the
same time as with 4 MB (turning ``fastupdate`` off cost 1.3 ms more per update).
https://www.postgresql.org/docs/15/gin-tips.html

The lists are merged now, so the setting starts from an empty list.
"""

from django.db import migrations

INDEXES = (
    "title_search_titles_trgm",
    "title_search_compact_trgm",
    "title_search_jamo_trgm",
    "title_search_choseong_trgm",
    "title_search_document_fts",
)
PENDING_LIST_LIMIT_KB = 64


def _limit(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(
            f"ALTER INDEX IF EXISTS {name} SET (gin_pending_list_limit = {PENDING_LIST_LIMIT_KB})"
        )
        schema_editor.execute(f"SELECT gin_clean_pending_list(to_regclass('{name}'))")


def _reset(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {name} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("movies", "0010_verbose_names")]

    operations = [migrations.RunPython(_limit, _reset)]
