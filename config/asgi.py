"""ASGI entry point: WebSockets to Channels consumers, HTTP to Django's request handler.

In production nginx sends ``/ws/`` here and all other HTTP to the WSGI tier (config/wsgi.py).
HTTP still reaches this application from the development server and from health checks of
the WebSocket processes. Every HTTP view is synchronous, and Django's ASGI handler runs sync
code in a fresh thread per request, hopping threads around each middleware (7.7 ms of server
CPU per catalog request against 4.0 ms this way): so HTTP goes to Django's WSGI handler on a
fixed pool of threads (a2wsgi), each keeping its database connection.

Wired like the Channels tutorial: the Django application is built first (it sets up the
app registry), then the routing that imports consumers and models.
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import cast

from a2wsgi import WSGIMiddleware
from a2wsgi.wsgi_typing import WSGIApp
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
# The cast: django-stubs types the handler's result as HttpResponseBase, which declares no
# __iter__; every response it returns is an iterable of bytes, as WSGI wants.
django_http_app = WSGIMiddleware(
    cast(WSGIApp, get_wsgi_application()), workers=int(os.environ.get("MOOCHU_HTTP_THREADS", "8"))
)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter  # noqa: E402
from channels.routing import URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from apps.chat.routing import websocket_urlpatterns  # noqa: E402
from apps.social.routing import websocket_urlpatterns as social_websocket_urlpatterns  # noqa: E402
from config.upstream import UpstreamNameMiddleware  # noqa: E402

# Import every view now, while the server boots, not during some visitor's first request.
import_module(settings.ROOT_URLCONF)

application: ProtocolTypeRouter | UpstreamNameMiddleware = ProtocolTypeRouter(
    {
        "http": django_http_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns + social_websocket_urlpatterns))
        ),
    }
)

if upstream_name := os.environ.get("MOOCHU_UPSTREAM_NAME"):
    application = UpstreamNameMiddleware(application, upstream_name)
