"""Presence in Redis: distinct users, tabs, refreshes and crashed clients."""

from __future__ import annotations

from unittest import mock

import pytest

from apps.chat import presence

pytestmark = pytest.mark.asyncio

ROOM = 424242


async def at(t: float, coro_fn, **kwargs):
    with mock.patch("apps.chat.presence.time.time", return_value=t):
        return await coro_fn(**kwargs)


async def test_two_tabs_of_one_user_count_once_and_leave_only_with_the_last():
    first = await at(1000, presence.presence_touch, room_id=ROOM, conn_id="p1:a", user_id=1)
    second = await at(1000, presence.presence_touch, room_id=ROOM, conn_id="p2:b", user_id=1)
    assert (first.changed, first.count) == (True, 1)
    assert (second.changed, second.count) == (False, 1)
    gone_one = await at(1001, presence.presence_leave, room_id=ROOM, conn_id="p1:a")
    assert (gone_one.changed, gone_one.count) == (False, 1)
    gone_all = await at(1001, presence.presence_leave, room_id=ROOM, conn_id="p2:b")
    assert (gone_all.changed, gone_all.count) == (True, 0)


async def test_a_crashed_client_drops_out_within_75_seconds():
    # given two users; user 2's client crashes (no leave, no more heartbeats) at t=1000
    await at(1000, presence.presence_touch, room_id=ROOM, conn_id="p1:a", user_id=1)
    await at(1000, presence.presence_touch, room_id=ROOM, conn_id="p1:b", user_id=2)
    # user 1 keeps heartbeating every 15 s
    t = 1000.0
    dropped_at = None
    while t < 1000 + 75:
        t += presence.HEARTBEAT_INTERVAL
        change = await at(t, presence.presence_touch, room_id=ROOM, conn_id="p1:a", user_id=1)
        if change.changed:
            dropped_at = t
            assert change.count == 1
            break
    assert dropped_at is not None
    assert dropped_at - 1000 <= 75
    users, _ = await at(t, presence.presence_users, room_id=ROOM)
    assert users == [1]


async def test_presence_rebuilds_from_heartbeats_after_redis_loses_it():
    await at(1000, presence.presence_touch, room_id=ROOM, conn_id="p1:a", user_id=1)
    await at(1000, presence.presence_touch, room_id=ROOM, conn_id="p2:b", user_id=2)
    # a Redis restart without persistence: every presence key is gone
    from django.conf import settings

    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        client.delete(*presence._keys(ROOM))
        client.close()
    else:
        presence._memory.conns.clear()
    # the next heartbeat of each live connection puts it back
    await at(1010, presence.presence_touch, room_id=ROOM, conn_id="p1:a", user_id=1)
    change = await at(1010, presence.presence_touch, room_id=ROOM, conn_id="p2:b", user_id=2)
    assert change.count == 2


async def test_token_bucket_allows_a_burst_of_five_then_one_per_second():
    decisions = [await at(1000, presence.rate_limit_take, user_id=77) for _ in range(6)]
    assert [d.allowed for d in decisions] == [True] * 5 + [False]
    assert decisions[-1].retry_after == pytest.approx(1.0, abs=0.01)
    assert (await at(1001.01, presence.rate_limit_take, user_id=77)).allowed
    assert not (await at(1001.02, presence.rate_limit_take, user_id=77)).allowed
