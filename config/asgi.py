"""ASGI entry point: HTTP to Django, WebSocket to Channels consumers.

Wired like the Channels tutorial: the Django ASGI app is built first (it sets up the
app registry), then the routing that imports consumers and models.
"""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter  # noqa: E402
from channels.routing import URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from apps.chat.routing import websocket_urlpatterns  # noqa: E402
from apps.social.routing import websocket_urlpatterns as social_websocket_urlpatterns  # noqa: E402
from config.upstream import UpstreamNameMiddleware  # noqa: E402

application: ProtocolTypeRouter | UpstreamNameMiddleware = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns + social_websocket_urlpatterns))
        ),
    }
)

if upstream_name := os.environ.get("MOOCHU_UPSTREAM_NAME"):
    application = UpstreamNameMiddleware(application, upstream_name)
