"""One lookup of the serving recommender per web request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http import HttpResponse

from apps.recs.services.serving import artifact_memo_per_request


class ArtifactPerRequestMiddleware:
    """Sections of a page that predict or recommend share one lookup of the active artifact
    (``apps.recs.services.serving._artifact_load``); the next request sees a retrain."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with artifact_memo_per_request():
            return self.get_response(request)
