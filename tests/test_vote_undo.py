"""A vote is stored only if its member was told it counted.

Discord holds a vote's answer until its 3 seconds are over (`fd.hold` on the callback), then
refuses it with 10062 Unknown interaction, as it refuses an answer the bot sent too late: the
member saw "This interaction failed", so the vote is undone. Answers that were slow but in
time shrink the budget, and a click that could not be answered in time is not written at all.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import aiohttp

from bot.app import Watchparty
from bot.settings import Settings
from cogs.polls._votes import refused_answer
from harness.fakediscord import FakeDiscord, Interaction
from harness.fakediscord.base import Hold
from tests.conftest import BotRunner, Scene, acked_in_time
from tests.stores import hold_writes
from tests.test_metrics import free_port, interactions, scrape
from tests.test_polls import counts, create, eventually, vote_ids

CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"
# Longer than Discord's 3 s to answer, counted from the click.
TOO_LATE = 3.2


def vote_answer(body: Any) -> bool:
    content = str(((body or {}).get("data") or {}).get("content", ""))
    return content.startswith(("Your vote", "Vote changed"))


async def refused_click(fd: FakeDiscord, member: Any, message: Any, custom_id: str) -> Interaction:
    """A click whose answer Discord holds past its window and then refuses (10062)."""
    held = fd.hold("POST", CALLBACK, vote_answer)
    return await late(fd, held, fd.click(member, message, custom_id, timeout=8))


async def late(fd: FakeDiscord, held: Hold, clicking: Any) -> Interaction:
    task = asyncio.ensure_future(clicking)
    await asyncio.wait_for(held.reached.wait(), 5)
    await asyncio.sleep(TOO_LATE)
    held.release.set()
    ix: Interaction = await task
    assert ix.callback_errors == [(404, 10062)] and ix.response_type is None, ix.text()
    return ix


def forgive_late_answers(fd: FakeDiscord, expected: int) -> None:
    """The emulator flags every answer after 3 s; these were provoked on purpose."""
    late_acks = fd.violations_of("late_ack")
    assert len(late_acks) == expected, late_acks
    for violation in late_acks:
        fd.violations.remove(violation)


async def stored(bot: Watchparty) -> dict[int, int]:
    rows = await bot.store.fetchall("SELECT user_id, position FROM votes")
    return {r["user_id"]: r["position"] for r in rows}


async def drawn_from_the_store(bot: Watchparty) -> bool:
    """The poll's message shows the store's latest votes (no tally edit still owed)."""
    row = await bot.store.fetchone("SELECT version, shown FROM polls")
    return row is not None and row["shown"] >= row["version"]


async def eventually_stored(bot: Watchparty, expected: dict[int, int]) -> dict[int, int]:
    for _ in range(100):
        found = await stored(bot)
        if found == expected:
            break
        await asyncio.sleep(0.05)
    return found


async def settled(bot: Watchparty) -> bool:
    for _ in range(100):
        if await drawn_from_the_store(bot):
            return True
        await asyncio.sleep(0.05)
    return False


async def test_a_vote_whose_answer_discord_refused_is_not_stored(
    bot: Watchparty, world: Scene
) -> None:
    fd = world.fd
    message = await create(world, duration="1h")
    yes, no, _ = vote_ids(message)
    counted = await fd.click(world.alice, message, yes)
    assert acked_in_time(counted) and "Your vote" in counted.reply.content, counted.text()

    await refused_click(fd, world.bob, message, no)
    assert await eventually_stored(bot, {world.alice.id: 0}) == {world.alice.id: 0}
    # The message is redrawn after the undo: it shows bob's vote not counted.
    assert await settled(bot)
    assert await eventually(lambda: counts(world, message) == [1, 0, 0])
    forgive_late_answers(fd, 1)


async def test_an_undone_vote_is_counted_in_the_metrics(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd, port = world.fd, free_port()
    bot = await runner.start(dataclasses.replace(settings, metrics_addr=("127.0.0.1", port)))
    message = await create(world, duration="1h")
    await refused_click(fd, world.bob, message, vote_ids(message)[0])
    assert await eventually_stored(bot, {}) == {}
    samples: dict[Any, float] = {}
    for _ in range(50):
        samples = await scrape(port)
        if samples.get(("watchparty_votes_undone_total", ())):
            break
        await asyncio.sleep(0.1)
    assert samples[("watchparty_votes_undone_total", ())] == 1
    assert samples[("watchparty_votes_committed_total", ())] == 1
    assert interactions(samples)[("button:vote", "expired")] == 1
    forgive_late_answers(fd, 1)


async def test_a_refused_change_puts_the_previous_vote_back(bot: Watchparty, world: Scene) -> None:
    fd = world.fd
    message = await create(world, duration="1h")
    yes, no, both = vote_ids(message)
    first = await fd.click(world.alice, message, yes)
    assert acked_in_time(first), first.text()
    [(voted_at,)] = [tuple(r) for r in await bot.store.fetchall("SELECT voted_at FROM votes")]

    await refused_click(fd, world.alice, message, no)
    assert await eventually_stored(bot, {world.alice.id: 0}) == {world.alice.id: 0}
    # Exactly what was there: the same row, with the time of the vote the member was told of.
    [(again,)] = [tuple(r) for r in await bot.store.fetchall("SELECT voted_at FROM votes")]
    assert again == voted_at
    assert await settled(bot)
    assert await eventually(lambda: counts(world, message) == [1, 0, 0])
    # Withdrawing, refused, leaves the vote too.
    await refused_click(fd, world.alice, message, yes)
    assert await eventually_stored(bot, {world.alice.id: 0}) == {world.alice.id: 0}
    # Two changes in a row, both refused: the first vote is back.
    holds = [fd.hold("POST", CALLBACK, vote_answer) for _ in range(2)]
    to_no = asyncio.ensure_future(fd.click(world.alice, message, no, timeout=8))
    await asyncio.wait_for(holds[0].reached.wait(), 5)
    to_both = asyncio.ensure_future(fd.click(world.alice, message, both, timeout=8))
    await asyncio.wait_for(holds[1].reached.wait(), 5)
    await asyncio.sleep(TOO_LATE)
    for held in holds:
        held.release.set()
    for refused in await asyncio.gather(to_no, to_both):
        assert refused.callback_errors == [(404, 10062)], refused.text()
    assert await eventually_stored(bot, {world.alice.id: 0}) == {world.alice.id: 0}
    assert await settled(bot)
    assert await eventually(lambda: counts(world, message) == [1, 0, 0])
    forgive_late_answers(fd, 4)


async def test_an_undo_waits_out_a_busy_store(bot: Watchparty, world: Scene) -> None:
    fd = world.fd
    message = await create(world, duration="1h")
    held = fd.hold("POST", CALLBACK, vote_answer)
    clicking = asyncio.ensure_future(fd.click(world.bob, message, vote_ids(message)[0], timeout=8))
    await asyncio.wait_for(held.reached.wait(), 5)
    await asyncio.sleep(TOO_LATE)
    # Another process holds the write lock for longer than a write waits for it (1 s) when
    # Discord refuses the answer: the undo's batch fails, and the undo goes again.
    locker = asyncio.create_task(asyncio.to_thread(hold_writes, bot.settings.store_target, 2.5))
    await asyncio.sleep(0.3)
    held.release.set()
    refused = await clicking
    assert refused.callback_errors == [(404, 10062)], refused.text()
    await locker
    assert await eventually_stored(bot, {}) == {}
    assert await settled(bot)
    assert await eventually(lambda: counts(world, message) == [0, 0, 0])
    forgive_late_answers(fd, 1)


async def test_a_new_click_after_a_refused_one_keeps_the_new_vote(
    bot: Watchparty, world: Scene
) -> None:
    fd = world.fd
    message = await create(world, duration="1h")
    yes, no, _ = vote_ids(message)
    # Bob's first answer is held; he clicks again meanwhile, and that one is answered.
    held = fd.hold("POST", CALLBACK, vote_answer)
    slow = asyncio.ensure_future(fd.click(world.bob, message, yes, timeout=8))
    await asyncio.wait_for(held.reached.wait(), 5)
    changed = await fd.click(world.bob, message, no)
    assert acked_in_time(changed) and "Vote changed to **No**" in changed.reply.content
    await late(fd, held, slow)
    await asyncio.sleep(0.5)
    assert await stored(bot) == {world.bob.id: 1}

    # Alice's click is refused and undone; she clicks the same option again: counted.
    await refused_click(fd, world.alice, message, yes)
    assert await eventually_stored(bot, {world.bob.id: 1}) == {world.bob.id: 1}
    again = await fd.click(world.alice, message, yes)
    assert acked_in_time(again) and "Your vote: **Yes**" in again.reply.content, again.text()
    assert await stored(bot) == {world.alice.id: 0, world.bob.id: 1}
    assert await settled(bot)
    assert await eventually(lambda: counts(world, message) == [1, 1, 0])
    forgive_late_answers(fd, 2)


async def test_every_acknowledged_vote_is_stored_and_no_other(
    bot: Watchparty, world: Scene
) -> None:
    fd = world.fd
    message = await create(world, duration="1h")
    ids = vote_ids(message)
    voters = [fd.add_member(world.guild, f"viewer{i}") for i in range(40)]
    # The first five answers are held past their window; the rest go through.
    holds = [fd.hold("POST", CALLBACK, vote_answer) for _ in range(5)]
    clicking = asyncio.gather(
        *(fd.click(v, message, ids[i % 3], timeout=8) for i, v in enumerate(voters))
    )
    await asyncio.wait_for(asyncio.gather(*(h.reached.wait() for h in holds)), 5)
    await asyncio.sleep(TOO_LATE)
    for held in holds:
        held.release.set()
    clicks = await clicking
    told = {c.user.id for c in clicks if acked_in_time(c) and "Your vote" in c.reply.content}
    refused = [c for c in clicks if c.callback_errors == [(404, 10062)]]
    # On a busy machine a click may also be refused before it is written; never stored.
    assert len(refused) == 5 and len(told) >= 30, [c.text() for c in clicks]
    for _ in range(100):
        found = await stored(bot)
        if set(found) == told:
            break
        await asyncio.sleep(0.05)
    assert set(found) == told
    assert await settled(bot)
    expected = [sum(1 for u in told if found[u] == n) for n in range(3)]
    assert await eventually(lambda: counts(world, message) == expected)
    forgive_late_answers(fd, 5)


async def test_slow_answers_shrink_the_budget_so_late_clicks_are_not_written(
    bot: Watchparty, world: Scene
) -> None:
    fd = world.fd
    message = await create(world, duration="1h")
    yes, no, _ = vote_ids(message)
    # Three answers that reach Discord 1.7 s after their votes were written: in time.
    slow_voters = [fd.add_member(world.guild, f"slow{i}") for i in range(3)]
    for member in slow_voters:
        held = fd.hold("POST", CALLBACK, vote_answer)
        clicking = asyncio.ensure_future(fd.click(member, message, yes, timeout=8))
        await asyncio.wait_for(held.reached.wait(), 5)
        await asyncio.sleep(1.7)
        held.release.set()
        slow = await clicking
        assert acked_in_time(slow) and "Your vote" in slow.reply.content, slow.text()
    # Answers take about 1.7 s now: a click already 1.5 s old when it arrives could not be
    # answered within 3 s, so it is refused before it is written (it was within the old,
    # fixed 2.5 s), and nothing is sent for it.
    late = await fd.click(world.bob, message, no, lag=1.5, timeout=1.5)
    assert late.response_type is None and not late.callback_errors, late.text()
    assert world.bob.id not in await stored(bot)
    # A prompt click still counts.
    prompt = await fd.click(world.alice, message, no)
    assert acked_in_time(prompt) and "Your vote" in prompt.reply.content, prompt.text()
    assert await stored(bot) == {**{m.id: 0 for m in slow_voters}, world.alice.id: 1}
    assert fd.violations_of("late_ack") == []


def test_only_an_answer_the_member_cannot_have_seen_undoes_the_vote() -> None:
    # The connection to Discord was never made (as under overload): the answer never left.
    assert refused_answer(aiohttp.ConnectionTimeoutError("connect timed out"))
    # Sent, then the connection failed or the reply was slow: Discord may have shown it.
    assert not refused_answer(ConnectionResetError(104, "Connection reset by peer"))
    assert not refused_answer(aiohttp.SocketTimeoutError("read timed out"))
    assert not refused_answer(aiohttp.ServerDisconnectedError())
