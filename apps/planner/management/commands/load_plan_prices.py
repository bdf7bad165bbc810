from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.planner.services import plan_prices_load


class Command(BaseCommand):
    help = "Load the bundled, dated price table of Korean streaming plans (never overwrites admin edits)."

    def handle(self, *args: Any, **options: Any) -> None:
        created, skipped = plan_prices_load()
        for reason in skipped:
            self.stderr.write(f"skipped {reason}")
        self.stdout.write(f"plan prices: {created} added, {len(skipped)} skipped")
