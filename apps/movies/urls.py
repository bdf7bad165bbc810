from __future__ import annotations

from django.urls import path

from apps.movies import views

app_name = "movies"
urlpatterns = [
    path("", views.catalog, name="catalog"),
    # Older name of the front page, kept for LOGIN_REDIRECT_URL and other apps' links.
    path("", views.catalog, name="home"),
    path("titles/<int:title_id>/", views.title_detail, name="title-detail"),
    path("coming-soon/", views.coming_soon, name="coming-soon"),
    path("my-services/", views.my_services_save, name="my-services"),
    path("posters/<int:title_id>.svg", views.poster, name="poster"),
]
