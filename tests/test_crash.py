"""The bot as a real process: killed with SIGKILL mid-burst, restarted, nothing acknowledged lost."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings
from harness.fakediscord import FakeDiscord
from harness.process import BotProcess
from tests.conftest import Scene, acked_in_time
from tests.stores import query
from tests.test_polls import create, eventually, vote_ids


@pytest.fixture
async def process(fd: FakeDiscord, settings: Settings) -> AsyncIterator[BotProcess]:
    bot = BotProcess(fd, settings.store_target)
    try:
        yield bot
    finally:
        await bot.stop()


def stored_voters(database: str | Path) -> set[int]:
    return {row[0] for row in query(database, "SELECT user_id FROM votes")}


async def test_sigkill_mid_burst_loses_no_acknowledged_vote(
    process: BotProcess, world: Scene, settings: Settings
) -> None:
    fd = world.fd
    await process.start()
    message = await create(world, duration="12s")
    ids = vote_ids(message)
    voters = [fd.add_member(world.guild, f"fan{i}") for i in range(400)]
    started = asyncio.get_running_loop().time()

    async def click(i: int) -> Any:
        # Spread over about three seconds, so the kill below lands while clicks are still
        # coming even when a busy machine starts these tasks late.
        await asyncio.sleep(started + 3 * i / 400 - asyncio.get_running_loop().time())
        return await fd.click(voters[i], message, ids[i % 3], timeout=3)

    burst = [asyncio.create_task(click(i)) for i in range(len(voters))]
    await eventually(lambda: sum(t.done() for t in burst) >= 50, within=10)
    await process.kill()
    clicks = await asyncio.gather(*burst)
    acknowledged = {voters[i].id for i, c in enumerate(clicks) if acked_in_time(c)}
    assert 0 < len(acknowledged) < len(voters)
    assert acknowledged <= stored_voters(settings.store_target)

    await process.start()
    # Old buttons work on the new process; the vote counts with those from before.
    late = await fd.click(world.alice, message, ids[0])
    assert acked_in_time(late) and "Your vote" in late.reply.content
    stored = stored_voters(settings.store_target)
    # Votes committed but killed before their acknowledgement count too; none acked is missing.
    assert acknowledged | {world.alice.id} <= stored
    expected = len(stored)

    # The deadline still fires, and the final message counts every stored vote.
    def closed() -> bool:
        return all(b["disabled"] for b in fd.message(message.id).buttons())

    assert await eventually(closed, within=20)
    text = fd.message(message.id).embeds[0]["description"]
    assert f"{expected} votes" in text
