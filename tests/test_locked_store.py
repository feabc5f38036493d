"""When the database is locked by another process, or a click arrives too late: every
member is answered in time, and what each was told agrees with what the store holds."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.app import Watchparty
from bot.models import Mode, Poll, VoteOutcome
from bot.store import Store
from cogs.polls._votes import VoteQueue
from tests.conftest import Databases, Scene, acked_in_time, everyone_caught_up
from tests.stores import hold_writes
from tests.test_polls import create, vote_ids

BUSY = "the database is busy"


async def test_a_locked_database_answers_everyone_and_hides_no_write(
    bot: Watchparty, world: Scene, tmp_path: Path
) -> None:
    fd = world.fd
    await everyone_caught_up(world)
    message = await create(world, duration="1h")
    yes = vote_ids(message)[0]
    voters = [fd.add_member(world.guild, f"fan{i}") for i in range(6)]
    held = bot.settings.store_target
    locker = asyncio.create_task(asyncio.to_thread(hold_writes, held, 4.0))
    await asyncio.sleep(0.3)
    clicks = [fd.click(v, message, yes) for v in voters]
    progress = fd.slash(
        world.bob, world.channel, "progress set", show="for-all-mankind", episode="S4E6"
    )
    recap = fd.slash(
        world.alice, world.channel, "recap", show="for-all-mankind", season=4, episode="S4E6"
    )
    answered = await asyncio.gather(*clicks, progress, recap)
    await locker
    assert all(acked_in_time(ix) for ix in answered), [ix.acked_after for ix in answered]
    *votes, progressed, recapped = answered
    assert not recapped.ephemeral and "Leningrad" in recapped.reply.embeds[0]["title"]
    # Each member was told either "busy, nothing changed", or what was stored.
    stored = {row[0] for row in await bot.store.fetchall("SELECT user_id FROM votes")}
    for voter, ix in zip(voters, votes, strict=True):
        told_busy = BUSY in ix.reply.content
        assert told_busy or "Your vote" in ix.reply.content, ix.reply.content
        assert (voter.user.id in stored) != told_busy
    saved = await bot.store.fetchone("SELECT count(*) FROM progress")
    assert saved is not None
    assert (BUSY in progressed.reply.content) == (saved[0] == 0)
    # Once the lock is gone, the same click goes through.
    again = await fd.click(voters[0], message, yes)
    assert (acked_in_time(again) and "Your vote" in again.reply.content) or "withdrawn" in (
        again.reply.content
    )


async def new_poll(store: Store) -> Poll:
    return await store.polls.create(
        guild_id=1,
        channel_id=2,
        creator_id=3,
        question="Ready?",
        options=("Yes", "No"),
        mode=Mode.LIVE,
        closes_at=time.time() + 60,
    )


async def test_a_click_too_late_to_answer_is_not_stored(
    tmp_path: Path, databases: Databases
) -> None:
    store = await Store.open(await databases())
    try:
        poll = await new_poll(store)
        queue = VoteQueue(store, redraw=lambda poll_id: None)
        late = await queue.vote(poll.id, 10, 0, clicked_at=time.time() - 3)
        on_time = await queue.vote(poll.id, 11, 1, clicked_at=time.time())
        assert late is None and on_time is not None and on_time.outcome is VoteOutcome.RECORDED
        rows = await store.fetchall("SELECT user_id, position FROM votes")
        assert [tuple(r) for r in rows] == [(11, 1)]
    finally:
        await store.close()


async def test_clicks_that_arrive_together_commit_together(
    tmp_path: Path, databases: Databases
) -> None:
    store = await Store.open(await databases())
    try:
        poll = await new_poll(store)
        queue = VoteQueue(store, redraw=lambda poll_id: None)
        now = time.time()
        casts = await asyncio.gather(
            *(queue.vote(poll.id, user, user % 2, now) for user in range(200)),
            queue.vote(poll.id, 0, 0, now),  # the same option again: withdrawn
        )
        outcomes = [cast.outcome if cast else None for cast in casts]
        assert outcomes[:200] == [VoteOutcome.RECORDED] * 200
        assert outcomes[200] is VoteOutcome.WITHDRAWN
        assert queue.batches <= 3  # one commit for the first click, one for all the rest
        tally = await store.polls.tally(poll.id)
        assert tally is not None and tally.counts == (99, 100)
    finally:
        await store.close()
