"""One clock: Discord's timestamps judged on the host's, whichever way the two disagree."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from email.utils import formatdate

import discord
import pytest

from bot.clock import DiscordClock
from bot.settings import Settings
from harness.fakediscord import FakeDiscord
from tests.conftest import BotRunner, Scene, acked_in_time
from tests.test_polls import counts, create, eventually, vote_ids

# Discord's clock this many seconds ahead of the host's, and behind it.
SKEWS = pytest.mark.parametrize(
    "fd", [5.0, -5.0], ids=["discord-ahead", "discord-behind"], indirect=True
)


@pytest.fixture
async def fd(request: pytest.FixtureRequest) -> AsyncIterator[FakeDiscord]:
    """The conftest's emulator, with its clock `request.param` seconds off the host's."""
    emulator = FakeDiscord(clock_skew=getattr(request, "param", 0.0))
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.close()
    assert emulator.violations == [], emulator.violations


def test_offset_is_the_smallest_sample() -> None:
    clock = DiscordClock()
    assert clock.offset is None and clock.to_host(1000.0) == 1000.0
    # Discord's clock 5 s behind the host; deliveries took 0.3 s, 0.05 s and 1.2 s.
    clock.observe(100.0, received_at=105.3)
    clock.observe(200.0, received_at=205.05)
    clock.observe(300.0, received_at=306.2)
    assert clock.offset == pytest.approx(5.05)
    assert clock.to_host(400.0) == pytest.approx(405.05)


def test_an_interaction_is_dated_from_its_snowflake() -> None:
    clock = DiscordClock()
    discord_now = time.time() + 5  # Discord's clock 5 s ahead of the host
    snowflake = discord.utils.time_snowflake(datetime.fromtimestamp(discord_now, UTC))
    clock.received(snowflake)
    # Received now: its time on the host clock is now, not 5 s ahead.
    assert abs(clock.created(snowflake) - time.time()) < 0.1


def test_a_date_header_bounds_the_offset_both_ways() -> None:
    clock = DiscordClock()
    # An estimate from before the host clock was stepped 10 s forward...
    clock.observe(100.0, received_at=100.2)
    assert clock.offset == pytest.approx(0.2)
    # ...is dropped by the first exchange that proves the offset is larger now.
    sent = time.time()
    clock.exchanged(sent, formatdate(sent - 10, usegmt=True))
    assert clock.offset is not None and 9 <= clock.offset <= 11.5
    # A malformed header changes nothing.
    before = clock.offset
    clock.exchanged(time.time(), "not a date")
    assert clock.offset == before


@SKEWS
async def test_votes_count_whichever_way_the_clocks_disagree(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    skew = fd.world.clock.skew
    bot = await runner.start(settings)
    message = await create(world, duration="1h")
    a, b, _ = vote_ids(message)
    replies = [
        await fd.click(world.alice, message, a),
        await fd.click(world.bob, message, b),
        await fd.click(world.mod, message, a),
        await fd.click(world.bob, message, a),  # changes bob's vote
    ]
    assert all(acked_in_time(r) and r.ephemeral for r in replies), [r.text() for r in replies]
    assert [r.reply.content.split("**")[0] for r in replies] == [
        "Your vote: ",
        "Your vote: ",
        "Your vote: ",
        "Vote changed to ",
    ]
    rows = await bot.store.fetchall("SELECT position, count(*) AS n FROM votes GROUP BY position")
    assert [(r["position"], r["n"]) for r in rows] == [(0, 3)]
    assert await eventually(lambda: counts(world, message) == [3, 0, 0])
    # The bot measured Discord's clock: host minus Discord is minus the skew, plus a delay.
    assert bot.clock.offset is not None and -skew <= bot.clock.offset < -skew + 1.0


@SKEWS
async def test_a_click_delivered_too_late_is_not_stored(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    bot = await runner.start(settings)
    message = await create(world, duration="1h")
    a, b, _ = vote_ids(message)
    on_time = await fd.click(world.alice, message, a)
    assert acked_in_time(on_time) and "Your vote" in on_time.reply.content
    # Clicked now, delivered 2.7 s later: too late to answer within Discord's 3 seconds,
    # so the member saw "This interaction failed" and the store must not hold the vote.
    late = await fd.click(world.bob, message, b, lag=2.7, timeout=1.0)
    assert late.response_type is None and not late.callback_errors
    rows = await bot.store.fetchall("SELECT user_id FROM votes")
    assert [r["user_id"] for r in rows] == [world.alice.id]
    # The same member clicking again, promptly, is counted.
    again = await fd.click(world.bob, message, b)
    assert acked_in_time(again) and "Your vote: **No**" in again.reply.content
