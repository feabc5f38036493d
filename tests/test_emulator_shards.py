"""The emulator's shards: each session is sent only its servers, Discord's refusals (4010,
4011) and what `GET /gateway/bot` recommends, seen by a raw gateway client."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest

from bot.sharding import shard_for
from harness.fakediscord import FakeDiscord


async def identify(fd: FakeDiscord, shard: Any, events: int) -> tuple[list[dict[str, Any]], int]:
    """A raw gateway client: IDENTIFY with `shard` (left out when None); the first `events`
    dispatches, or fewer if the emulator closes the connection, and the close code (0: open)."""
    received: list[dict[str, Any]] = []
    async with aiohttp.ClientSession() as http, http.ws_connect(fd.gateway_url) as ws:
        assert json.loads(await ws.receive_str())["op"] == 10
        data: dict[str, Any] = {"token": fd.token, "intents": 1}
        if shard is not None:
            data["shard"] = shard
        await ws.send_json({"op": 2, "d": data})
        while len(received) < events:
            msg = await ws.receive(timeout=5)
            if msg.type != aiohttp.WSMsgType.TEXT:
                return received, ws.close_code or 0
            received.append(json.loads(msg.data))
        return received, 0


async def gateway_bot(fd: FakeDiscord) -> dict[str, Any]:
    headers = {"Authorization": f"Bot {fd.token}"}
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{fd.api_base}/gateway/bot", headers=headers) as response,
    ):
        assert response.status == 200
        body: dict[str, Any] = await response.json()
        return body


async def test_each_shard_is_sent_only_the_servers_it_holds(fd: FakeDiscord) -> None:
    servers = fd.add_guilds(5, shard_count=2)
    mine = {str(s.guild.id) for s in servers[1::2]}
    assert all(shard_for(int(g), 2) == 1 for g in mine)
    events, closed = await identify(fd, [1, 2], 1 + len(mine))
    assert closed == 0
    ready, *creates = events
    assert ready["t"] == "READY" and ready["d"]["shard"] == [1, 2]
    assert {g["id"] for g in ready["d"]["guilds"]} == mine
    assert [e["t"] for e in creates] == ["GUILD_CREATE"] * len(mine)
    assert {e["d"]["id"] for e in creates} == mine


@pytest.mark.parametrize("shard", [[2, 2], [0, 0], [-1, 2], [0], ["0", "2"], [True, 2], "0,2"])
async def test_an_invalid_shard_is_closed_with_4010(fd: FakeDiscord, shard: Any) -> None:
    fd.add_guild("Watchers")
    events, closed = await identify(fd, shard, 1)
    assert (events, closed) == ([], 4010)


async def test_too_many_servers_on_one_session_is_closed_with_4011(fd: FakeDiscord) -> None:
    fd.gateway.shard_guild_limit = 2
    fd.add_guilds(3, shard_count=2)
    assert await identify(fd, None, 1) == ([], 4011)
    assert await identify(fd, [0, 1], 1) == ([], 4011)
    # Split over two shards, neither holds more than two.
    events, closed = await identify(fd, [0, 2], 3)
    assert closed == 0 and [e["t"] for e in events] == ["READY", "GUILD_CREATE", "GUILD_CREATE"]


async def test_gateway_bot_recommends_shards_and_counts_session_starts(fd: FakeDiscord) -> None:
    before = await gateway_bot(fd)
    assert before["shards"] == 1 and before["url"] == fd.gateway_url
    assert before["session_start_limit"]["max_concurrency"] == 1
    fd.gateway.guilds_per_shard = 2
    fd.add_guilds(5)
    await identify(fd, None, 1)
    after = await gateway_bot(fd)
    assert after["shards"] == 3
    assert (
        after["session_start_limit"]["remaining"] == before["session_start_limit"]["remaining"] - 1
    )
