"""A page with the recommendation rows and the event script, for the browser test only."""

from __future__ import annotations

from django.http import HttpRequest
from django.http import HttpResponse
from django.template import RequestContext
from django.template import Template
from django.urls import include
from django.urls import path

from apps.movies.models import Title

PAGE = Template(
    "{% load recs %}<html><body><h1>{{ title.display_title }}</h1>"
    "{% recs_similar_titles title %}{% recs_tracking title %}"
    '<a id="away" href="/away/">away</a></body></html>'
)


def title_page(request: HttpRequest, title_id: int) -> HttpResponse:
    title = Title.objects.get(id=title_id)
    return HttpResponse(PAGE.render(RequestContext(request, {"title": title})))


def away(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<html><body>away</body></html>")


urlpatterns = [
    path("api/", include("config.api")),
    path("t/<int:title_id>/", title_page),
    path("away/", away),
    # the cards link to real title pages
    path("", include("apps.movies.urls")),
]
