"""Names the upstream that answered, for the routing tests behind nginx.

Active only when ``MOOCHU_UPSTREAM_NAME`` is set (the tests set it per server process);
production never sets it, so nothing about the topology leaks to clients.
"""

from __future__ import annotations

from typing import Any

from channels.routing import ProtocolTypeRouter

HEADER = b"x-moochu-upstream"

Scope = dict[str, Any]
Message = dict[str, Any]


class UpstreamNameMiddleware:
    def __init__(self, app: ProtocolTypeRouter, name: str) -> None:
        self.app = app
        self.name = name.encode()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        async def send_with_name(message: Message) -> None:
            if message["type"] in ("http.response.start", "websocket.accept"):
                message = {**message, "headers": [*message.get("headers", []), (HEADER, self.name)]}
            await send(message)

        await self.app(scope, receive, send_with_name)
