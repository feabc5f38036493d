"""Months of running: per-poll state in memory has an owner that prunes it."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.app import Watchparty
from cogs.utils.locks import KeyedLocks
from tests.conftest import Scene, acked_in_time
from tests.test_polls import create, eventually, vote_ids


async def test_many_polls_opened_and_closed_leave_no_state_behind(
    bot: Watchparty, world: Scene
) -> None:
    fd = world.fd
    # Not isinstance: unloading the extension at a restart (an earlier test) re-imports it.
    keeper: Any = bot.polls
    assert type(keeper).__name__ == "PollKeeper"
    sizes = []
    for n in range(12):
        message = await create(world, question=f"Question {n}?", options="Yes; No", duration="1h")
        click = await fd.click(world.bob, message, vote_ids(message)[n % 2])
        assert acked_in_time(click) and "Your vote" in click.reply.content
        poll_id = vote_ids(message)[0].split(":")[2]
        closing = await fd.slash(world.alice, world.channel, "poll close", poll=poll_id)
        await closing.wait_for_messages()
        assert "Closed poll" in closing.text()
        sizes.append(keeper.tracked)
    # While polls come and go, only the few touched in the last seconds are held...
    assert max(sizes) <= 3, sizes
    # ...and once they are all closed and their last edits are over, nothing is.
    assert await eventually(lambda: keeper.tracked == 0, within=6), keeper.tracked
    closed = await bot.store.fetchone("SELECT count(*) FROM polls WHERE closed_at IS NOT NULL")
    assert closed is not None and closed[0] == 12


async def test_a_lock_lives_only_while_held_or_awaited() -> None:
    locks: KeyedLocks[int] = KeyedLocks()
    for key in range(1000):
        async with locks.hold(key):
            assert len(locks) == 1
    assert len(locks) == 0

    order: list[str] = []
    release = asyncio.Event()

    async def holder() -> None:
        async with locks.hold(7):
            order.append("first in")
            await release.wait()
        order.append("first out")

    async def waiter() -> None:
        async with locks.hold(7):
            order.append("second in")

    first = asyncio.create_task(holder())
    await asyncio.sleep(0)
    second = asyncio.create_task(waiter())
    gave_up = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    assert len(locks) == 1 and order == ["first in"]
    gave_up.cancel()  # a waiter that leaves is no longer counted
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(first, second, return_exceptions=True)
    assert order == ["first in", "first out", "second in"]
    assert gave_up.cancelled() and len(locks) == 0
