"""A poll whose message id was never stored: found again in its channel, and closed on time.

`/poll create` stores the poll, posts it as the answer to the interaction, then stores the
message's id. A kill between the last two used to leave a poll the deadline closer skipped for
ever; now the next process looks for the message in the channel's history.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import Watchparty
from bot.models import Mode
from harness.fakediscord import FakeDiscord
from harness.process import BotProcess
from tests.conftest import Scene, acked_in_time
from tests.test_polls import counts, eventually, vote_ids

CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"


@pytest.fixture
async def process(fd: FakeDiscord, tmp_path: Path) -> AsyncIterator[BotProcess]:
    bot = BotProcess(fd, tmp_path / "watchparty.db")
    try:
        yield bot
    finally:
        await bot.stop()


def has_vote_buttons(body: Any) -> bool:
    data = body.get("data") if isinstance(body, dict) else None
    return isinstance(data, dict) and any(
        str(button.get("custom_id", "")).startswith("wp:vote:")
        for row in data.get("components") or []
        for button in row.get("components") or []
    )


def poll_rows(database: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(database) as db:
        return list(db.execute("SELECT id, message_id, closed_at FROM polls ORDER BY id"))


async def killed_while_posting(
    world: Scene, process: BotProcess, posts: Any, **options: Any
) -> Any:
    """`/poll create` whose answer Discord holds while the bot is SIGKILLed; then Discord
    posts the poll and nobody hears its answer. The interaction, as the member saw it."""
    held = world.fd.hold("POST", CALLBACK, posts)
    creating = asyncio.create_task(
        world.fd.slash(world.alice, world.channel, "poll create", **options)
    )
    await asyncio.wait_for(held.reached.wait(), 15)
    await process.kill()
    held.release.set()
    return await creating


async def test_a_kill_before_the_message_id_is_stored_still_closes_the_poll(
    process: BotProcess, world: Scene
) -> None:
    fd = world.fd
    database = process.env["DATABASE_PATH"]
    await process.start()
    # Discord holds the answer that posts the poll; the bot is killed while it does.
    ix = await killed_while_posting(
        world,
        process,
        has_vote_buttons,
        question="Was the rescue worth the risk?",
        options="Yes; No; Too soon to say",
        duration="30s",
    )
    assert acked_in_time(ix), ix.text()
    message = ix.reply
    yes, no, _ = vote_ids(message)
    [(poll_id, stored_message, closed)] = poll_rows(database)
    assert stored_message is None and closed is None

    await process.start()
    # The old buttons work on the new process, and each vote is acknowledged.
    voters = [world.alice, world.bob, fd.add_member(world.guild, "carol")]
    for who, option in zip(voters, (yes, yes, no), strict=True):
        click = await fd.click(who, message, option)
        assert acked_in_time(click) and "Your vote" in click.reply.content, click.text()
    assert await eventually(lambda: poll_rows(database)[0][1] == message.id, within=15)

    # The deadline fires: the message shows the final, exact counts, buttons off.
    def closed_on_screen() -> bool:
        return all(b["disabled"] for b in fd.message(message.id).buttons())

    assert await eventually(closed_on_screen, within=45)
    assert counts(world, fd.message(message.id)) == [2, 1, 0]
    [(same_poll, _, closed)] = poll_rows(database)
    assert same_poll == poll_id and closed is not None


def has_native_poll(body: Any) -> bool:
    data = body.get("data") if isinstance(body, dict) else None
    return isinstance(data, dict) and data.get("poll") is not None


async def test_a_native_poll_killed_before_its_id_is_stored_is_found_by_its_question(
    process: BotProcess, world: Scene
) -> None:
    fd = world.fd
    database = process.env["DATABASE_PATH"]
    await process.start()
    # Another native poll with the same question, already posted: not the one to find.
    first = await fd.slash(
        world.alice,
        world.channel,
        "poll create",
        question="Rewatch?",
        options="Yes; No",
        mode="native",
    )
    assert acked_in_time(first), first.text()
    second = await killed_while_posting(
        world, process, has_native_poll, question="Rewatch?", options="Yes; No", mode="native"
    )
    assert acked_in_time(second) and second.reply.poll is not None, second.text()
    assert [row[1] for row in poll_rows(database)] == [first.reply.id, None]

    await process.start()
    found = await eventually(lambda: poll_rows(database)[1][1] == second.reply.id, within=15)
    assert found, poll_rows(database)
    assert [row[1] for row in poll_rows(database)] == [first.reply.id, second.reply.id]


async def test_a_poll_being_posted_is_left_alone_and_one_never_posted_is_discarded(
    bot: Watchparty, world: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    fd = world.fd
    # Discarded at once, rather than two minutes after its creation (another process might
    # still have been posting it until then).
    monkeypatch.setattr(sys.modules["cogs.polls._unposted"], "DISCARD_AFTER", 0.0)
    # The poll cog's keeper (cogs/polls/service.py): its deadline closer runs the search.
    deadlines = getattr(bot.polls, "deadlines", None)
    assert deadlines is not None
    # A poll the store holds but Discord never saw (a crash before the post): nothing to close.
    lost = await bot.store.polls.create(
        guild_id=world.guild.id,
        channel_id=world.channel.id,
        creator_id=world.alice.id,
        question="Posted by a process that died",
        options=("Yes", "No"),
        mode=Mode.LIVE,
        closes_at=time.time() + 3600,
    )
    # And one being posted right now: Discord is slow to answer.
    held = fd.hold("POST", CALLBACK, has_vote_buttons)
    creating = asyncio.create_task(
        fd.slash(world.alice, world.channel, "poll create", question="Slow?", options="Yes; No")
    )
    await asyncio.wait_for(held.reached.wait(), 10)
    deadlines.wake()

    async def ids() -> list[int]:
        rows = await bot.store.fetchall("SELECT id FROM polls ORDER BY id")
        return [row["id"] for row in rows]

    for _ in range(100):
        remaining = await ids()
        if lost.id not in remaining:
            break
        await asyncio.sleep(0.05)
    assert lost.id not in remaining and len(remaining) == 1
    held.release.set()
    ix = await creating
    assert acked_in_time(ix) and vote_ids(ix.reply), ix.text()
    for _ in range(100):
        posted = await bot.store.polls.get(remaining[0])
        if posted is not None and posted.message_id is not None:
            break
        await asyncio.sleep(0.05)
    assert posted is not None and posted.message_id == ix.reply.id
