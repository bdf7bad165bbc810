"""Run the test OpenID Connect provider: migrate, seed one user and one client, serve.

Prints "PORT <n>" once listening on 127.0.0.1 (port 0: the OS picks a free one).
Environment: OIDC_DB_PATH, OIDC_RSA_PRIVATE_KEY, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
OIDC_REDIRECT_URIS (space separated), OIDC_USER_EMAIL, OIDC_USER_PASSWORD.
"""

from __future__ import annotations

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler
from wsgiref.simple_server import WSGIServer
from wsgiref.simple_server import make_server

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.social.oidc_provider.settings"


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user(
        username="idp-user",
        email=os.environ["OIDC_USER_EMAIL"],
        password=os.environ["OIDC_USER_PASSWORD"],
        first_name="IdP Friend",
    )
    Application.objects.create(
        name="Moochu",
        user=user,
        client_id=os.environ["OIDC_CLIENT_ID"],
        client_secret=os.environ["OIDC_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["OIDC_REDIRECT_URIS"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
        hash_client_secret=False,
    )
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=_Server, handler_class=_QuietHandler
    )
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
