"""Refresh a person's picks soon after they rate something.

A receiver (not a call in the social app's rating service) keeps the two apps
independent; it only queues the task after commit.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction


def rating_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from apps.recs.tasks import recs_user_refresh_task

    user_id = instance.user_id
    transaction.on_commit(lambda: recs_user_refresh_task.delay(user_id))
