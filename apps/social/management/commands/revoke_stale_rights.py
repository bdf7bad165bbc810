"""Run the inactive-rights batch by hand: ``manage.py revoke_stale_rights [--dry-run]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.core.management.base import CommandParser
from django.utils import timezone

from apps.social.rights import rights_batch_run


class Command(BaseCommand):
    help = "Record last use of elevated rights and revoke those unused for RIGHTS_INACTIVITY_DAYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be revoked; change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        result = rights_batch_run(now=timezone.now(), dry_run=dry_run)
        self.stdout.write(f"recorded {result.record.recorded} rights, {result.record.failed} failed")
        for error in result.record.errors:
            self.stderr.write(f"  skipped: {error}")
        verb = "would revoke" if dry_run else "revoked"
        for r in result.revoked:
            self.stdout.write(
                f"  {verb} {r.area}{':' + r.scope if r.scope else ''} of {r.username} "
                f"(last used {r.last_access_at:%Y-%m-%d})"
            )
        outcome = "would be revoked" if dry_run else "revoked"
        self.stdout.write(self.style.SUCCESS(f"{len(result.revoked)} right(s) {outcome}"))
