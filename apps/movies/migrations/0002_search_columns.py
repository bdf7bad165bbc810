"""Search keys on Title, and on PostgreSQL the trigram and full-text indexes over them."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db import models

# GIN trigram indexes answer `q <% column` (word_similarity) and LIKE '%...%';
# the full-text one answers to_tsvector('simple', search_document) @@ tsquery.
POSTGRES_INDEXES = {
    "title_search_titles_trgm": "USING gin (search_titles gin_trgm_ops)",
    "title_search_compact_trgm": "USING gin (search_compact gin_trgm_ops)",
    "title_search_jamo_trgm": "USING gin (search_jamo gin_trgm_ops)",
    "title_search_choseong_trgm": "USING gin (search_choseong gin_trgm_ops)",
    "title_search_document_fts": "USING gin (to_tsvector('simple'::regconfig, search_document))",
}


def create_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in POSTGRES_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON movies_title {definition}")


def drop_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in POSTGRES_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("movies", "0001_initial"),
    ]

    operations = [
        # A no-op on every database but PostgreSQL.
        TrigramExtension(),
        migrations.AddField(
            model_name="title",
            name="search_titles",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="title",
            name="search_compact",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="title",
            name="search_jamo",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="title",
            name="search_choseong",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="title",
            name="search_document",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(create_postgres_indexes, drop_postgres_indexes, elidable=False),
    ]
