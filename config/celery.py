"""Celery application for Moochu.

Follows cookiecutter-django's ``config/celery_app.py``: settings come from Django
with the ``CELERY_`` namespace and tasks are discovered in every installed app.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("moochu")
app.config_from_object("django.conf:settings", namespace="CELERY")


@setup_logging.connect
def _configure_logging(*args: object, **kwargs: object) -> None:
    # Let Django's LOGGING setting drive Celery's loggers too.
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


app.autodiscover_tasks()
