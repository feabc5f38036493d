"""A poll takes votes until its deadline, not until the closer gets round to it."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from bot.app import Watchparty
from bot.models import Mode, VoteOutcome
from bot.settings import Settings
from bot.store import Store
from tests.conftest import BotRunner, Databases, Scene, acked_in_time
from tests.test_polls import counts, create, eventually, vote_ids

EDIT = "/channels/{channel_id}/messages/{message_id}"


def _closing_edit(body: object) -> bool:
    return "Poll results" in json.dumps(body)


async def _closes_at(bot: Watchparty, message_id: int) -> float:
    row = await bot.store.fetchone(
        "SELECT closes_at FROM polls WHERE message_id = ?", (message_id,)
    )
    assert row is not None
    return float(row[0])


async def _until(moment: float) -> None:
    await asyncio.sleep(max(0.0, moment - time.time()))


async def test_a_vote_after_the_deadline_is_refused_while_the_closer_is_held(
    bot: Watchparty, world: Scene
) -> None:
    fd = world.fd
    # The closer shows poll A's results first; Discord holds that edit, so the closer has
    # not reached poll B when B's deadline passes.
    held = fd.hold("PATCH", EDIT, _closing_edit)
    first = await create(world, question="Who lands first?", options="Danielle; Ed", duration="5s")
    second = await create(world, question="Who stays?", options="Kelly; Aleida", duration="6s")
    on_time = await fd.click(world.bob, second, vote_ids(second)[0])
    assert acked_in_time(on_time) and "Your vote: **Kelly**" in on_time.reply.content
    await asyncio.wait_for(held.reached.wait(), 10)
    assert fd.message(first.id).embeds[0]["title"] == "Poll"  # its results not shown yet
    await _until(await _closes_at(bot, second.id) + 0.1)
    still_open = await bot.store.fetchone(
        "SELECT closed_at FROM polls WHERE message_id = ?", (second.id,)
    )
    assert still_open is not None and still_open[0] is None, "the closer was not held up"

    late = await fd.click(world.alice, second, vote_ids(second)[1])
    assert acked_in_time(late) and late.ephemeral, late.text()
    assert "Too late" in late.reply.content and "not counted" in late.reply.content
    changed = await fd.click(world.bob, second, vote_ids(second)[1])
    assert "Too late" in changed.reply.content  # a change of vote is refused as well
    rows = await bot.store.fetchall(
        "SELECT v.user_id, v.position FROM votes AS v JOIN polls AS p ON p.id = v.poll_id"
        " WHERE p.message_id = ?",
        (second.id,),
    )
    assert [(r["user_id"], r["position"]) for r in rows] == [(world.bob.id, 0)]

    held.release.set()
    assert await eventually(lambda: fd.message(first.id).buttons()[0]["disabled"], within=10)
    assert await eventually(lambda: fd.message(second.id).buttons()[0]["disabled"], within=10)
    assert counts(world, fd.message(second.id)) == [1, 0]
    assert "🏆 **Kelly** wins" in fd.message(second.id).embeds[0]["description"]


async def test_a_vote_after_the_deadline_is_refused_right_after_a_restart(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    bot = await runner.start(settings)
    message = await create(world, duration="5s")
    await fd.click(world.bob, message, vote_ids(message)[0])
    deadline = await _closes_at(bot, message.id)
    await runner.stop()
    # Back after the deadline; the closer is held on its first edit, as a slow Discord would.
    held = fd.hold("PATCH", EDIT, _closing_edit)
    await _until(deadline + 0.1)
    bot = await runner.start(settings)
    late = await fd.click(world.alice, message, vote_ids(message)[1])
    assert acked_in_time(late) and late.ephemeral, late.text()
    assert "Too late" in late.reply.content or "has closed" in late.reply.content
    rows = await bot.store.fetchall("SELECT user_id FROM votes")
    assert [r["user_id"] for r in rows] == [world.bob.id]
    held.release.set()
    assert await eventually(lambda: fd.message(message.id).buttons()[0]["disabled"], within=10)


async def test_the_store_refuses_a_click_at_or_after_closes_at(
    tmp_path: Path, databases: Databases
) -> None:
    store = await Store.open(await databases())
    try:
        poll = await store.polls.create(
            guild_id=1,
            channel_id=2,
            creator_id=3,
            question="Ready?",
            options=("Yes", "No"),
            mode=Mode.LIVE,
            closes_at=time.time() + 60,
        )
        deadline = poll.closes_at
        outcomes = await store.polls.votes(
            [(poll.id, 10, 0), (poll.id, 11, 1), (poll.id, 12, 1)],
            clicked_at=[deadline - 0.001, deadline, deadline + 5],
        )
        assert outcomes == [VoteOutcome.RECORDED, VoteOutcome.LATE, VoteOutcome.LATE]
        rows = await store.fetchall("SELECT user_id FROM votes")
        assert [r["user_id"] for r in rows] == [10]
        tally = await store.polls.tally(poll.id)
        assert tally is not None and tally.poll.version == 1  # refused clicks change nothing
    finally:
        await store.close()
