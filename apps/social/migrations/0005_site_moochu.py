"""The sites framework names the site "Moochu" (allauth puts site.name in mail subjects)."""

from django.conf import settings
from django.db import migrations

SITE_NAME = "Moochu"
SITE_DOMAIN = "moochu.local"


def site_name_moochu(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"name": SITE_NAME, "domain": SITE_DOMAIN}
    )


def site_name_example(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    Site.objects.filter(pk=settings.SITE_ID, name=SITE_NAME).update(name="example.com", domain="example.com")


class Migration(migrations.Migration):
    dependencies = [
        ("sites", "0002_alter_domain_unique"),
        ("social", "0004_merge_ops_social"),
    ]

    operations = [migrations.RunPython(site_name_moochu, site_name_example)]
