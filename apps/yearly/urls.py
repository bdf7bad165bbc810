from __future__ import annotations

from django.urls import path

from apps.yearly import views

app_name = "yearly"

urlpatterns = [
    path("@<str:nickname>/year/", views.year_latest, name="year-latest"),
    path("@<str:nickname>/year/<int:year>/", views.year_page, name="year"),
    path("@<str:nickname>/year/<int:year>/card.png", views.year_card, name="year-card"),
]
