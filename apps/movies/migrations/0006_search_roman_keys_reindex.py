"""Romanised name keys joined the search columns: every title is re-indexed by the sync task."""

from django.db import migrations


def mark_titles_dirty(apps, schema_editor):
    apps.get_model("movies", "Title").objects.update(search_index_dirty=True)


class Migration(migrations.Migration):
    dependencies = [("movies", "0005_availability_plural_name")]

    operations = [migrations.RunPython(mark_titles_dirty, migrations.RunPython.noop)]
