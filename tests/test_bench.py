"""The benchmark's floor stays comparable: the bare bot offers /recap in the real bot's shape
and answers like it does, and the load driver counts what members got."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bench.load import drive
from bench.proc import BenchBot
from harness.fakediscord import FakeDiscord
from tests.conftest import BotRunner, Scene


@pytest.fixture
async def bare(fd: FakeDiscord, tmp_path: Path) -> AsyncIterator[BenchBot]:
    bot = BenchBot(fd, tmp_path, "bare", env={"BARE_CHOICES": "7"})
    try:
        await bot.start()
        yield bot
    finally:
        await bot.stop()


def shape(command: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (o["name"], o["type"], o.get("required", False), o.get("autocomplete", False))
        for o in command["options"]
    ]


def recap_command(fd: FakeDiscord) -> dict[str, Any]:
    return next(c for c in fd.commands() if c["name"] == "recap")


async def test_bare_recap_has_the_real_options(
    world: Scene, runner: BotRunner, settings: Any, tmp_path: Path
) -> None:
    await runner.start(settings)
    real = shape(recap_command(world.fd))
    async with FakeDiscord() as other:
        bot = BenchBot(other, tmp_path, "bare")
        try:
            await bot.start()
            bare = shape(recap_command(other))
        finally:
            await bot.stop()
    # The real bot also completes the season; the floor needs only show and episode.
    assert [o[:3] for o in bare] == [o[:3] for o in real]
    assert [o[3] for o in bare] == [True, False, True]


async def test_bare_bot_answers_like_the_real_one_and_the_driver_counts_it(
    bare: BenchBot, world: Scene
) -> None:
    fd = world.fd
    choices = await fd.autocomplete(world.alice, world.channel, "recap", focused="episode")
    assert len(choices) == 7
    ix = await fd.slash(world.alice, world.channel, "recap", show="x", season=1, episode="S1E1")
    assert not ix.ephemeral and len(ix.reply.embeds[0]["description"]) > 3000

    async def send(member: Any, i: int) -> Any:
        return await fd.slash(member, world.channel, "ping")

    members = [fd.add_member(world.guild, f"fan{i}") for i in range(12)]
    batch = await drive(bare, members, send, concurrency=4)
    assert batch.sent == batch.within_3s == 12
    assert 0 < batch.p50_ms <= batch.p99_ms < 3000
    # /proc counts in ticks (10 ms), too coarse for 12 pings; the start-up alone is more.
    assert bare.cpu_seconds() > 0.1 and batch.bot_cpu >= 0
    pong = fd.messages(world.channel)[-1]
    assert pong.content == "Pong." and len(pong.buttons()) == 4


async def test_bare_search_answers_in_the_real_shape(bare: BenchBot, world: Scene) -> None:
    fd = world.fd
    ix = await fd.slash(world.alice, world.channel, "search", text="harbour")
    assert not ix.ephemeral and len(ix.reply.embeds) == 10, ix.text()
    await ix.wait_for(lambda i: bool(i.followups), timeout=5)
    assert ix.followups[0].ephemeral and "past your progress" in ix.followups[0].content
