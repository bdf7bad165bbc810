"""Progress-synced delivery over real sockets: two served processes, the Redis layer, and a
WebSocket client reading the raw text frames — what a browser would be sent."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets

from apps.chat.models import RoomVisibility
from apps.chat.services import room_create
from apps.chat.services import room_invite
from apps.chat.services import viewer_position_set
from tests.chat.test_scale_out import session_cookie
from tests.factories import TitleFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


class RawSocket:
    """Keeps every text frame the server sent, as sent."""

    def __init__(self, url: str, cookie: str) -> None:
        self.url = url
        self.cookie = cookie
        self.raw: list[str] = []
        self.ws: Any = None

    async def connect(self) -> dict[str, Any]:
        self.ws = await websockets.connect(
            self.url, additional_headers={"Cookie": f"sessionid={self.cookie}"}, origin="http://127.0.0.1"
        )
        return await self.until("hello")

    async def until(self, kind: str, timeout: float = 5) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            while True:
                text = await self.ws.recv()
                self.raw.append(text)
                frame = json.loads(text)
                if frame["type"] == kind:
                    return frame

    async def quiet(self, seconds: float) -> None:
        """Read whatever comes for ``seconds``."""
        try:
            async with asyncio.timeout(seconds):
                while True:
                    self.raw.append(await self.ws.recv())
        except TimeoutError:
            return

    async def send(self, **frame: Any) -> None:
        await self.ws.send(json.dumps(frame))


def test_the_viewer_behind_is_never_sent_the_later_message_until_they_pass_it(chat_servers, alice, bob):
    p1, p2 = chat_servers
    film = TitleFactory(title_ko="올드보이", media_type="movie", runtime_minutes=120)
    room = room_create(
        owner=alice, name="파티", visibility=RoomVisibility.INVITE_ONLY, title=film, progress_sync=True
    )
    room_invite(room=room, by=alice, user=bob)
    viewer_position_set(room_id=room.pk, user=alice, episode=None, position_s=95 * 60)
    viewer_position_set(room_id=room.pk, user=bob, episode=None, position_s=20 * 60)
    path = f"/ws/chat/rooms/{room.pk}/"

    async def scenario() -> None:
        # alice on one process, bob (behind) on the other
        a = RawSocket(p1.ws + path, session_cookie(alice))
        b = RawSocket(p2.ws + path, session_cookie(bob))
        await a.connect()
        await b.connect()
        await a.send(type="message.send", body="SPOILER-95 the hammer scene", client_id="x1")
        await a.until("message.created")
        await b.send(type="message.send", body="EARLY-20 nice opening", client_id="x2")
        await a.until("message.created")  # alice (ahead) gets bob's earlier message at once
        await b.quiet(1.5)
        assert not [text for text in b.raw if "SPOILER-95" in text]
        assert [text for text in b.raw if "EARLY-20" in text]
        # bob advances past it on the wire: the frame comes, once
        await b.send(type="position.set", position_s=95 * 60)
        released = await b.until("message.created")
        assert released["message"]["body"] == "SPOILER-95 the hammer scene"
        await b.send(type="position.set", position_s=100 * 60)
        await b.quiet(0.8)
        assert len([text for text in b.raw if "SPOILER-95" in text]) == 1
        await a.ws.close()
        await b.ws.close()

    asyncio.run(scenario())
