"""The benchmark's floor stays comparable: the bare bot offers /recap in the real bot's shape
and answers like it does, and the load driver counts what members got."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bench import postgres as bench_postgres
from bench import soak
from bench.load import drive
from bench.proc import BenchBot, cpu_seconds, tree_cpu_seconds
from bench.shard_stores import SqliteVotes
from bench.shards import TWO, Run, measure
from bench.soak import Plan
from bench.soak_actions import Deadlines
from harness.fakediscord import FakeDiscord
from harness.postgres import skip_reason as postgres_skip
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


@pytest.mark.emulator
async def test_a_small_soak_fires_every_deadline_and_samples_memory() -> None:
    """The soak benchmark, scaled down: the real bot as its own process, every interaction
    answered in time, every poll and party deadline fired, and RSS sampled throughout."""
    quick = Deadlines(poll=(5, 6), party_start=(3, 4), party_length=(2, 3))
    plan = dataclasses.replace(Plan.scaled(0.002), deadlines=quick, concurrency=8)
    report = await soak.run(plan)
    assert (plan.interactions, plan.polls, plan.parties) == (200, 4, 1)
    assert report.done == plan.interactions and report.late == report.failed == 0, report.lines()
    assert report.kinds["poll"] == plan.polls and report.kinds["party"] == plan.parties
    assert report.missed == (0, 0), report.lines()
    memory = report.memory
    assert len(memory.samples) >= 3 and all(s.rss_kib > 10_000 for s in memory.samples)
    assert memory.baseline().done >= 0.1 * plan.interactions
    assert any(line.startswith("Verdict: RSS") for line in report.lines())


def test_a_servers_cpu_includes_its_children() -> None:
    """The PostgreSQL server's CPU is the postmaster's and its connection processes': a child
    that burned CPU and still runs counts, and so does one that exited and was waited for."""
    burn = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    before = tree_cpu_seconds(os.getpid())
    subprocess.run([sys.executable, "-c", burn], check=True)
    alive = subprocess.Popen([sys.executable, "-c", burn + "\ntime.sleep(30)"])
    try:
        deadline = time.monotonic() + 30  # 0.3 s of CPU may take a while on a busy machine
        while cpu_seconds(alive.pid) < 0.3 and time.monotonic() < deadline:
            time.sleep(0.05)
        # The exited child's 0.3 s (now in our cutime) and the live one's 0.3 s.
        assert tree_cpu_seconds(os.getpid()) - before >= 0.55
    finally:
        alive.kill()
        alive.wait()


@pytest.mark.emulator
async def test_a_tiny_shard_burst_counts_every_vote_on_sqlite(tmp_path: Path) -> None:
    """bench/shards.py at a tiny size: the bare floor and the real bot as two shard processes
    on one SQLite file; every click answered, every count exact, nothing lost."""
    runs = [
        Run("bare", TWO),
        Run("SQLite", TWO, SqliteVotes(tmp_path / "votes.db")),
    ]
    bare, real = [await measure(run, 3, 1.0, tmp_path) for run in runs]
    for result in (bare, real):
        assert result["clicks"] == 24 and result["votes acknowledged within 3 s"] == 24, result
        assert result["invalid requests"] == 0 and result["bot CPU ms per vote"] > 0
    assert real["every count exact (message = store)"] is True
    assert real["acknowledged votes not stored"] == real["stored votes not acknowledged"] == 0
    assert real["tally edits per second"] > 0
    assert "every count exact (message = store)" not in bare


@pytest.mark.emulator
@pytest.mark.skipif(postgres_skip() is not None, reason=postgres_skip() or "")
async def test_the_postgresql_benchmark_runs_at_a_tiny_size() -> None:
    """bench/postgres.py end to end at a tiny size: the five shard runs (both stores and the
    floor), /recap on the three bots, and the PostgreSQL server's CPU read from /proc."""
    report = await bench_postgres.everything(voters=2, seconds=1.0, recaps=10, repeats=1)
    runs = dict(report.shards)
    assert list(runs) == [
        "bare, 1 process × 4 shards",
        "SQLite, 1 process × 4 shards",
        "bare, 2 processes × 2 shards",
        "SQLite, 2 processes × 2 shards",
        "PostgreSQL, 2 processes × 2 shards",
    ]
    for label, result in runs.items():
        assert result["votes acknowledged within 3 s"] == result["clicks"] == 16, (label, result)
        assert result["invalid requests"] == 0, label
    pg = runs["PostgreSQL, 2 processes × 2 shards"]
    assert pg["every count exact (message = store)"] is True
    assert pg["acknowledged votes not stored"] == 0
    # The server did the votes' writes: its CPU is counted apart from the bots', and summed.
    server = pg["PostgreSQL server CPU ms per vote"]
    assert server >= 0 and pg["bot + store CPU ms per vote"] >= server
    assert list(report.recap) == ["bare", "real, SQLite", "real, PostgreSQL"]
    assert all(s.within_3s == s.sent == 10 for s in report.recap.values())
    assert report.recap_server_ms >= 0
