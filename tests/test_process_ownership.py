"""Two `python -m bot` processes on one store: a watch party and a new-episode announcement
belong to a server, so the process holding its shard does them, once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import discord

from cogs.follows import NEWS_CHECK
from harness.fakediscord import FakeDiscord
from harness.process import ROOT, BotProcess
from tests.conftest import Scene
from tests.test_follows import NEW_EPISODE
from tests.test_party_crash import the_party_happened_once
from tests.test_polls import eventually
from tests.test_processes import processes as processes  # the fixture
from tests.test_processes import start_both
from tests.test_watchparty import schedule


async def test_each_watch_party_runs_once_in_the_process_of_its_server(
    fd: FakeDiscord, processes: list[BotProcess]
) -> None:
    servers = fd.add_guilds(2, shard_count=2)
    moderator = discord.Permissions.general() | discord.Permissions.text()
    moderator.manage_messages = moderator.manage_guild = moderator.manage_events = True
    scenes = [
        Scene(
            fd=fd,
            guild=s.guild,
            channel=s.channel,
            alice=s.members[0],
            bob=s.members[1],
            mod=fd.add_member(s.guild, f"mod of {s.guild.name}", permissions=moderator.value),
        )
        for s in servers
    ]
    await start_both(processes)
    # Both processes see both parties' steps fall due; each runs only its own server's.
    for scene in scenes:
        await schedule(scene, scene.mod, "in 2s", "3s")
    await asyncio.gather(*(the_party_happened_once(scene) for scene in scenes))


async def test_new_episodes_reach_the_followers_of_both_processes_servers_once(
    fd: FakeDiscord, tmp_path: Path, processes: list[BotProcess]
) -> None:
    servers = fd.add_guilds(4, shard_count=2)
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "for-all-mankind.toml"
    path.write_text((ROOT / "data" / "for-all-mankind.toml").read_text(encoding="utf-8"))
    for process in processes:
        process.env["DATA_DIR"] = str(folder)
    await start_both(processes)
    for server in servers:
        ix = await fd.slash(
            server.members[0], server.channel, "follow show", show="for-all-mankind"
        )
        assert "Following" in ix.text(), ix.text()
    path.write_text(path.read_text(encoding="utf-8") + NEW_EPISODE, encoding="utf-8")
    await processes[0].stop()
    # Shard 0's process finds the new episode as it starts; shard 1's announces it to
    # its own servers' followers.
    await processes[0].start_shards([0], 2)

    def dms() -> list[list[str]]:
        return [[m.content for m in fd.dms(s.members[0])] for s in servers]

    assert await eventually(lambda: all(dms()), within=20)
    await asyncio.sleep(NEWS_CHECK + 1)  # a second announcement would be here by now
    for texts in dms():
        [text] = texts
        assert "S4E7 · Brazil" in text
