"""Score the recommender on MovieLens 100K with the shared offline protocol."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.recs.ml.evaluation import METRIC_NAMES
from apps.recs.offline import REFERENCE_TEST_2020
from apps.recs.offline import evaluate_protocol


class Command(BaseCommand):
    help = "Evaluate on MovieLens 100K (RecBole 8:1:1 split, full ranking, metrics @10)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, action="append", help="split seed(s); default 2020")
        parser.add_argument("--ease-only", action="store_true", help="score time-local EASE alone")

    def handle(self, *args: Any, **options: Any) -> None:
        seeds = options["seed"] or [2020]
        tests = []
        for seed in seeds:
            result = evaluate_protocol(seed=seed, ease_only=options["ease_only"])
            tests.append(result.test)
            self.stdout.write(f"seed {seed}: {result.model}, trained in {result.train_s:.1f}s")
            for part, metrics in (
                ("valid", result.valid),
                ("test", result.test),
                ("test, serving form (runtime artifact)", result.serving_test),
                ("test, popularity", result.popularity_test),
            ):
                line = "  ".join(f"{name} {metrics[name]:.4f}" for name in METRIC_NAMES)
                self.stdout.write(f"  {part:38s} {line}")
            for segment, values in result.segments.items():
                model, pop = values["model"], values["popularity"]
                self.stdout.write(f"  {segment:38s} model NDCG@10 {model:.4f}  popularity {pop:.4f}")
        if len(seeds) > 1:
            mean = sum(t["ndcg10"] for t in tests) / len(tests)
            recall = sum(t["recall10"] for t in tests) / len(tests)
            self.stdout.write(f"mean test over seeds {seeds}: NDCG@10 {mean:.4f}  Recall@10 {recall:.4f}")
        self.stdout.write("reference (test, seed 2020):  Recall@10  NDCG@10")
        for name, (recall, ndcg) in REFERENCE_TEST_2020.items():
            self.stdout.write(f"  {name:36s} {recall:.4f}     {ndcg:.4f}")
