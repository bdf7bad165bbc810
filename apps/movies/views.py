from __future__ import annotations

from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render

from apps.movies.models import Title


def home(request: HttpRequest) -> HttpResponse:
    titles = Title.objects.order_by("-popularity", "id")[:24]
    return render(request, "movies/home.html", {"titles": titles})
