"""Moochu's URL map: pages, the REST API (with its schema and docs), accounts, admin."""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from config import health
from config.views import ApiDocsView

# The admin signs in through allauth's login, which rate-limits failed attempts per IP
# and per account, and answers non-staff users with 403.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("accounts/", include("allauth.urls")),
    # The language switch takes no CSRF token: a forged switch only changes a language, while a
    # token in every page's header made every anonymous page set a cookie, and a page that sets
    # a cookie is one no shared cache (the edge's page cache) may keep.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("api/", include("config.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("chat/", include("apps.chat.urls")),
    path("", include("apps.imports.urls")),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("apps.movies.search.urls")),
    # Before social: its "@<nickname>/<action>/" would take "@<nickname>/year/".
    path("", include("apps.yearly.urls")),
    path("", include("apps.planner.urls")),
    path("", include("apps.social.urls")),
    path("", include("apps.lists.urls")),
    path("", include("apps.parties.urls")),
    path("", include("apps.movies.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler429 = "config.views.rate_limited"
handler404 = "config.views.not_found"
