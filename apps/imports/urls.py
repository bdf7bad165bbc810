from __future__ import annotations

from django.urls import path

from apps.imports import views

app_name = "imports"
urlpatterns = [
    path("import/", views.import_home, name="home"),
    path("import/<int:batch_id>/", views.import_detail, name="detail"),
    path("import/<int:batch_id>/rows/<int:row_id>/choose/", views.import_row_choose, name="row-choose"),
    path("import/<int:batch_id>/rows/<int:row_id>/skip/", views.import_row_skip, name="row-skip"),
    path("import/<int:batch_id>/apply/", views.import_apply, name="apply"),
]
