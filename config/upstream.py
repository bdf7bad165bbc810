"""Names the upstream that answered, for the routing tests behind nginx.

Active only when ``MOOCHU_UPSTREAM_NAME`` is set (the tests set it per server process);
production never sets it, so nothing about the topology leaks to clients.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from typing import Any

HEADER = b"x-moochu-upstream"

Scope = dict[str, Any]
Message = dict[str, Any]


class UpstreamNameMiddleware:
    """ASGI: adds the header to HTTP responses and WebSocket accepts."""

    def __init__(self, app: Any, name: str) -> None:
        self.app = app
        self.name = name.encode()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        async def send_with_name(message: Message) -> None:
            if message["type"] in ("http.response.start", "websocket.accept"):
                message = {**message, "headers": [*message.get("headers", []), (HEADER, self.name)]}
            await send(message)

        await self.app(scope, receive, send_with_name)


class UpstreamNameWSGIMiddleware:
    """WSGI: adds the header to every response."""

    def __init__(self, app: Callable[..., Iterable[bytes]], name: str) -> None:
        self.app = app
        self.name = name

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def start_response_with_name(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            return start_response(status, [*headers, (HEADER.decode(), self.name)], *args)

        return self.app(environ, start_response_with_name)
