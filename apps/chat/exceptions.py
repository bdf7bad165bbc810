"""Errors a chat client sees as an error frame ``{"type": "error", "code", "message"}``."""

from __future__ import annotations

from typing import Any

from config.exceptions import ApplicationError

_STATUS_BY_CODE = {"not_found": 404, "forbidden": 403, "sanction_protected": 403, "not_synced": 409}


class ChatError(ApplicationError):
    """A business rule said no; ``code`` is stable and documented in docs/chat-protocol.md."""

    def __init__(self, code: str, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message, extra)
        self.code = code
        # Over the REST API a missing or off-limits object is not "bad input" (docs/chat-protocol.md).
        self.status_code = _STATUS_BY_CODE.get(code, 400)


class RateLimited(ChatError):
    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__("rate_limited", message, {"retry_after": round(retry_after, 2)})
        self.retry_after = retry_after
