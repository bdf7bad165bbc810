"""A tiny local HTTP server that answers like Elasticsearch and records what it was sent."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any

Reply = tuple[int, Any]


@dataclass
class RecordedRequest:
    method: str
    path: str
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def ndjson(self) -> list[Any]:
        return [json.loads(line) for line in self.body.decode().splitlines() if line.strip()]


@dataclass
class EsResponder:
    """Routes (method, path prefix) to a reply function; unknown paths answer 404."""

    routes: dict[tuple[str, str], Callable[[RecordedRequest], Reply]] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    url: str = ""

    def on(self, method: str, path: str, reply: Callable[[RecordedRequest], Reply]) -> None:
        self.routes[(method, path)] = reply

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method and r.path.split("?")[0].endswith(path)]

    def handle(self, request: RecordedRequest) -> Reply:
        self.requests.append(request)
        path = request.path.split("?")[0]
        for (method, suffix), reply in self.routes.items():
            if method == request.method and path.endswith(suffix):
                return reply(request)
        return 404, {"error": {"type": "index_not_found_exception", "reason": path}, "status": 404}


def bulk_ok(request: RecordedRequest) -> Reply:
    lines = request.ndjson()
    items = [
        {"index": {"_id": action["index"]["_id"], "status": 201, "result": "created"}}
        for action in lines[::2]
    ]
    return 200, {"took": 1, "errors": False, "items": items}


def start_responder() -> tuple[EsResponder, Callable[[], None]]:
    responder = EsResponder()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, payload = responder.handle(RecordedRequest(self.command, self.path, body))
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            # The client refuses servers that do not say they are Elasticsearch.
            self.send_header("X-Elastic-Product", "Elasticsearch")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    responder.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return responder, stop
