"""Several `python -m bot` processes on one store (SQLite's file, or PostgreSQL's database): each does its own servers' work, work
that belongs to no server runs once, and what another process (or the CLI) writes shows at once.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.catalog import datafiles
from bot.settings import Settings
from bot.sharding import shard_for
from bot.store import is_postgresql, migrations
from harness.fakediscord import FakeDiscord
from harness.fakediscord.driver import Server
from harness.process import ROOT, BotProcess
from tests.conftest import Scene, acked_in_time, everyone_caught_up
from tests.stores import empty, query, schema_version, store_env
from tests.test_polls import eventually, vote_ids

EDIT = "/channels/{channel_id}/messages/{message_id}"
EPISODES = len(datafiles.load(ROOT / "data" / "for-all-mankind.toml").episodes)

SHOW = """
[show]
slug = "{slug}"
title = "{title}"

[[episodes]]
season = 1
number = 1
title = "Dusk"
synopsis = "It gets dark."
recap = "{recap}"
"""


def write_show(folder: Path, slug: str, title: str, recap: str) -> Path:
    path = folder / f"{slug}.toml"
    path.write_text(SHOW.format(slug=slug, title=title, recap=recap), encoding="utf-8")
    return path


async def cli(folder: Path, database: Path | str, *args: str) -> str:
    """`python -m bot …` from the shell, beside the running bot; its output."""
    env = {**os.environ, **store_env(database), "DATA_DIR": str(folder)}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, out.decode()
    return out.decode()


async def within_a_second(check: Any) -> float:
    """Ask again and again until `check()` holds; how long it took (at most a second)."""
    started = time.monotonic()
    while not await check():
        assert time.monotonic() - started < 1.0, "another process's write is still not seen"
        await asyncio.sleep(0.05)
    return time.monotonic() - started


async def test_the_clis_writes_show_in_a_running_bot_within_a_second(
    fd: FakeDiscord, world: Scene, tmp_path: Path, settings: Settings
) -> None:
    folder, database = tmp_path / "data", settings.store_target
    folder.mkdir()
    path = write_show(folder, "long-night", "Long Night", "The lamps fail one by one.")
    bot = BotProcess(fd, database)
    bot.env["DATA_DIR"] = str(folder)
    await bot.start()
    try:
        await everyone_caught_up(world)

        async def recap() -> str:
            ix = await fd.slash(
                world.alice, world.channel, "recap", show="long-night", season=1, episode="1"
            )
            assert acked_in_time(ix), ix.text()
            return ix.text()

        async def shows(typed: str) -> list[str]:
            found = await fd.autocomplete(
                world.alice, world.channel, "recap", focused="show", show=typed
            )
            return [choice["name"] for choice in found]

        assert "The lamps fail" in await recap()  # read, and now cached in the bot
        assert await shows("long") == ["Long Night"]

        write_show(folder, "long-night", "Long Night", "The lamps come back at dawn.")
        await cli(folder, database, "import", str(path))

        async def edited() -> bool:
            return "The lamps come back" in await recap()

        await within_a_second(edited)

        write_show(folder, "short-day", "Short Day", "Noon lasts a minute.")
        await cli(folder, database, "import", str(folder / "short-day.toml"))

        async def added() -> bool:
            return await shows("short") == ["Short Day"]

        await within_a_second(added)

        await cli(folder, database, "remove", "long-night", "--force")

        async def removed() -> bool:
            return await shows("long") == []

        await within_a_second(removed)
        assert "The lamps" not in await recap()
    finally:
        await bot.stop()


# -- two processes, one shard each -----------------------------------------------------------


@pytest.fixture
async def processes(fd: FakeDiscord, settings: Settings) -> AsyncIterator[list[BotProcess]]:
    """Two `python -m bot` processes on the test's store, running shard 0 and shard 1 of two;
    not started yet (add the servers first), and stopped after the test whatever happened."""
    made = [BotProcess(fd, settings.store_target) for _ in range(2)]
    for shard, process in enumerate(made):
        process.env.update(SHARD_COUNT="2", SHARD_IDS=str(shard))
    try:
        yield made
    finally:
        for process in made:
            await process.stop()


async def start_both(processes: list[BotProcess]) -> None:
    """Shard 1's process, then shard 0's, each until its shard is ready."""
    await processes[1].start_shards([1], 2)
    await processes[0].start_shards([0], 2)


async def post_polls(fd: FakeDiscord, servers: list[Server], duration: str) -> list[Any]:
    async def one(server: Server) -> Any:
        ix = await fd.slash(
            server.members[0],
            server.channel,
            "poll create",
            question=f"Who wins in {server.guild.name}?",
            options="Danielle; Ed",
            duration=duration,
        )
        assert acked_in_time(ix), ix.text()
        return ix.reply

    return list(await asyncio.gather(*(one(s) for s in servers)))


def results_edits(fd: FakeDiscord, message: Any) -> int:
    """How many times the bot showed this poll's results (its closing edit)."""
    return sum(
        1
        for r in fd.requests_to("PATCH", EDIT)
        if r.path.endswith(f"/{message.id}") and "Poll results" in json.dumps(r.body)
    )


def posted(database: Path | str) -> int:
    return int(query(database, "SELECT count(*) FROM polls WHERE message_id IS NOT NULL")[0][0])


def closed(fd: FakeDiscord, message: Any) -> bool:
    return bool(fd.message(message.id).buttons()[0]["disabled"])


async def test_two_processes_started_at_once_on_a_new_database_migrate_and_import_once(
    fd: FakeDiscord, settings: Settings, processes: list[BotProcess]
) -> None:
    servers = fd.add_guilds(4, shard_count=2)
    database = settings.store_target
    empty(database)
    await asyncio.gather(*(p.start_shards([n], 2) for n, p in enumerate(processes)))
    if is_postgresql(database):
        # The process that did not import waited for the one that did (store.turn): its
        # servers know the show from its first command. (SQLite's does not wait.)
        for server in servers:
            found = await fd.autocomplete(
                server.members[0], server.channel, "recap", focused="show", show="mank"
            )
            assert [c["value"] for c in found] == ["for-all-mankind"], server.guild.name
    messages = await post_polls(fd, servers, "1h")
    assert len(messages) == 4
    assert schema_version(database) == len(migrations())
    assert query(database, "SELECT slug FROM shows") == [("for-all-mankind",)]
    # Imported once: as many episodes as the data file has.
    assert query(database, "SELECT count(*) FROM episodes") == [(EPISODES,)]
    job = query(database, "SELECT until FROM jobs WHERE name = 'data-import'")
    assert job and job[0][0] <= time.time()  # claimed once, released


async def test_each_poll_closes_once_in_the_process_of_its_server(
    fd: FakeDiscord, settings: Settings, processes: list[BotProcess]
) -> None:
    servers = fd.add_guilds(4, shard_count=2)
    await start_both(processes)
    messages = await post_polls(fd, servers, "6s")
    for server, message in zip(servers, messages, strict=True):
        click = await fd.click(server.members[1], message, vote_ids(message)[0])
        assert acked_in_time(click), click.text()
    assert await eventually(lambda: all(closed(fd, m) for m in messages), within=15)
    await asyncio.sleep(1.0)  # a second closer, had there been one, would edit by now
    assert [results_edits(fd, m) for m in messages] == [1, 1, 1, 1]
    for message in messages:
        assert "🏆 **Danielle** wins" in fd.message(message.id).embeds[0]["description"]


async def test_a_killed_processs_deadlines_wait_for_it_and_fire_once_late(
    fd: FakeDiscord, settings: Settings, processes: list[BotProcess]
) -> None:
    servers = fd.add_guilds(4, shard_count=2)
    await start_both(processes)
    messages = await post_polls(fd, servers, "6s")
    # The bot notes a poll's message id just after answering: a kill before that leaves
    # a poll nobody closes (a crash window of its own, not this test's subject).
    assert await eventually(lambda: posted(settings.store_target) == 4)
    await processes[1].kill()
    mine = [shard_for(s.guild.id, 2) == 0 for s in servers]
    # Shard 0's polls close on time; shard 1's wait for their own process.
    assert await eventually(
        lambda: all(closed(fd, m) for m, own in zip(messages, mine, strict=True) if own),
        within=15,
    )
    await asyncio.sleep(1.0)
    assert [closed(fd, m) for m in messages] == mine
    # The emulator may not have noticed the dead session yet: the process's start-up (a
    # few seconds on a busy machine) is inside this wait, not before it.
    await processes[1].start_shards([1], 2)
    assert await eventually(lambda: all(closed(fd, m) for m in messages), within=30)
    await asyncio.sleep(1.0)
    assert [results_edits(fd, m) for m in messages] == [1, 1, 1, 1]


async def test_no_acknowledged_vote_is_lost_when_a_process_is_killed_mid_burst(
    fd: FakeDiscord, settings: Settings, processes: list[BotProcess]
) -> None:
    servers = fd.add_guilds(4, shard_count=2, members=25)
    database = settings.store_target
    await start_both(processes)
    messages = await post_polls(fd, servers, "1h")

    async def vote(server: Server, message: Any, member: Any) -> tuple[int, int, bool]:
        ix = await fd.click(member, message, vote_ids(message)[0], timeout=4)
        acked = acked_in_time(ix) and "Your vote" in ix.text()
        return message.id, member.id, acked

    burst = [
        asyncio.ensure_future(vote(server, message, member))
        for server, message in zip(servers, messages, strict=True)
        for member in server.members
    ]
    await asyncio.sleep(0.15)
    await processes[1].kill()  # SIGKILL in the middle of the burst
    outcomes = await asyncio.gather(*burst)
    acked = {(m, u) for m, u, ok in outcomes if ok}
    assert acked, "no vote was acknowledged at all"
    stored = set(
        query(
            database,
            "SELECT p.message_id, v.user_id FROM votes AS v JOIN polls AS p ON p.id = v.poll_id",
        )
    )
    assert acked <= stored
