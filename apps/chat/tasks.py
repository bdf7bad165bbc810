"""Chat background work. Thin: each task calls one service."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)

# Moderators who have not used their rights for this long lose them (owners keep theirs).
MODERATOR_IDLE_DAYS = 90


@shared_task(name="chat.moderators_revoke_stale")
def moderators_revoke_stale_task() -> int:
    from apps.chat.services import moderators_revoke_stale

    revoked = moderators_revoke_stale(idle_days=MODERATOR_IDLE_DAYS)
    logger.info("revoked %d stale chat moderators", revoked)
    return revoked
