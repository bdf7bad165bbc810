"""Production settings pass Django's deployment checklist and fail fast without secrets."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "k9$Vq2!rT7wZ1pLx8mN4bC6dF0gH3jK5sA7eR2tY9uI1oP4lQ6zX8cV0bN3mM5",
    "DJANGO_ALLOWED_HOSTS": "moochu.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ELASTICSEARCH_URL": "http://127.0.0.1:9200",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_pools_database_connections_across_asgi_threads():
    # ASGI runs each request's sync code in a fresh thread: without a pool, persistent
    # per-thread connections pile up until PostgreSQL refuses more.
    probe = (
        "from django.conf import settings; db = settings.DATABASES['default']; "
        "print(db['CONN_MAX_AGE'], sorted(db['OPTIONS']['pool']))"
    )

    result = _manage("shell", "-c", probe, env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0 ['max_size', 'min_size', 'timeout']"


def test_collectstatic_writes_hashed_precompressed_files_with_production_settings(tmp_path):
    # given: production settings collecting into an empty directory
    env = {**PRODUCTION_ENV, "DJANGO_STATIC_ROOT": str(tmp_path)}

    # when
    result = _manage("collectstatic", "--noinput", "-v", "0", env=env)

    # then: every file has a content-hashed twin with a gzip copy, listed in the manifest
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    hashed_css = manifest["css/moochu.css"]
    assert re.fullmatch(r"css/moochu\.[0-9a-f]{12}\.css", hashed_css)
    assert (tmp_path / f"{hashed_css}.gz").exists()
    # the API docs' Swagger UI is served from our own static files (drf-spectacular-sidecar)
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in manifest


def test_production_pages_link_hashed_static_files_and_send_the_strict_csp(tmp_path):
    # given: collected static files, as the release step leaves them
    env = {**PRODUCTION_ENV, "DJANGO_STATIC_ROOT": str(tmp_path)}
    assert _manage("collectstatic", "--noinput", "-v", "0", env=env).returncode == 0
    probe = (
        "from django.template.loader import render_to_string; from django.conf import settings; "
        "from csp.middleware import CSPMiddleware; from django.test import RequestFactory; "
        "from django.http import HttpResponse; import json; "
        "html = render_to_string('429.html'); "
        "request = RequestFactory().get('/'); middleware = CSPMiddleware(lambda r: HttpResponse()); "
        "middleware.process_request(request); "
        "response = middleware.process_response(request, HttpResponse()); "
        "print(json.dumps({'html': html, 'csp': response['Content-Security-Policy']}))"
    )

    # when
    result = _manage("shell", "-c", probe, env=env)

    # then
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert re.search(r'/static/css/moochu\.[0-9a-f]{12}\.css"', out["html"])
    directives = dict(part.strip().split(" ", 1) for part in out["csp"].split(";"))
    assert directives["style-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in out["csp"]
