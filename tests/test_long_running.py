"""Months of running: per-poll state in memory has an owner that prunes it."""

from __future__ import annotations

from typing import Any

from bot.app import Watchparty
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
