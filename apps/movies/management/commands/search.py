"""``manage.py search "QUERY" [--json]``: ranked results from the configured backend.

``manage.py search --reindex`` rebuilds every title's search keys (and, with
Elasticsearch configured, a fresh index swapped in behind the alias).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.core.management.base import CommandParser

from apps.movies.search import SearchQueryError
from apps.movies.search import search_titles
from apps.movies.search.sync import search_index_rebuild


class Command(BaseCommand):
    help = "Search the catalog the way the site does and print ranked titles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="?", help="What a user would type, e.g. ㄱㅅㅊ or 'the matrx'.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object instead of a table.")
        parser.add_argument(
            "--limit", type=int, default=10, help="How many results (default 10, at most 50)."
        )
        parser.add_argument("--reindex", action="store_true", help="Rebuild the search index of all titles.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reindex"]:
            count = search_index_rebuild()
            self.stdout.write(self.style.SUCCESS(f"Reindexed {count} titles."))
            return
        if options["query"] is None:
            raise CommandError('Give a query, e.g. manage.py search "기생충", or --reindex.')
        try:
            results = search_titles(query=options["query"], limit=options["limit"])
        except SearchQueryError as error:
            raise CommandError(error.message) from error
        if options["json"]:
            payload = {
                "query": results.query,
                "backend": results.backend,
                "is_fallback": results.is_fallback,
                "genre_hints": list(results.genre_hints),
                "results": [
                    {
                        "rank": rank,
                        "id": hit.title.id,
                        "title": hit.title.display_title,
                        "secondary_title": hit.title.secondary_title,
                        "year": hit.title.year,
                        "score": round(hit.score, 4),
                    }
                    for rank, hit in enumerate(results.hits, start=1)
                ],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        if results.is_fallback:
            hint = ", ".join(results.genre_hints) or "any genre"
            self.stdout.write(f"No match for {results.query!r}; popular titles ({hint}):")
        else:
            self.stdout.write(f"{len(results.hits)} results for {results.query!r} ({results.backend}):")
        for rank, hit in enumerate(results.hits, start=1):
            title = hit.title
            secondary = f" / {title.secondary_title}" if title.secondary_title else ""
            year = f" ({title.year})" if title.year else ""
            self.stdout.write(
                f"{rank:>3}. {title.display_title}{secondary}{year}  [{hit.score:.3f}] #{title.id}"
            )
