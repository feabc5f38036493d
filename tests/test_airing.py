"""Air-time threads: a show a server follows opens each episode's thread when it airs, once,
across restarts, pinging only the chosen role; late ones are caught up once, marked late."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from bot.app import Watchparty
from bot.settings import Settings
from harness.faketvmaze import FakeTvmaze
from tests.conftest import ROOT, BotRunner, Scene
from tests.test_catalog_tvmaze import ORBITAL, add, tvmaze  # noqa: F401 (the fixture)
from tests.test_polls import eventually, eventually_rows

SEED = ROOT / "data" / "for-all-mankind.toml"
TITLE = "For All Mankind S4E6 · Leningrad — spoilers up to S4E6"


def stamp(at: float) -> str:
    return dt.datetime.fromtimestamp(round(at), dt.UTC).isoformat().replace("+00:00", "Z")


def air_at(folder: Path, at: float | None) -> None:
    """The show's file with S4E6 airing at `at` (its only episode)."""
    text = SEED.read_text(encoding="utf-8")
    if at is not None:
        text = text.replace("number = 6\n", f"number = 6\nairs_at = {stamp(at)}\n", 1)
    (folder / SEED.name).write_text(text, encoding="utf-8")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(SEED, folder)
    return folder


@pytest.fixture
def own(settings: Settings, data_dir: Path) -> Settings:
    return dataclasses.replace(settings, data_dir=data_dir)


async def configure(world: Scene, role: Any | None = None, show: str = "for-all-mankind") -> None:
    options: dict[str, Any] = {"show": show, "channel": world.channel.id}
    if role is not None:
        options["role"] = role.id
    ix = await world.fd.slash(world.mod, world.channel, "config airing", **options)
    assert ix.ephemeral and "Saved" in ix.reply.content, ix.text()


def announcements(world: Scene) -> list[Any]:
    return [m for m in world.fd.messages(world.channel) if m.content.startswith("📺 ")]


async def shift_since(bot: Watchparty, seconds: float) -> None:
    """The server started following the show `seconds` earlier than it did."""
    async with bot.store.transaction() as db:
        await db.execute("UPDATE airing SET since = since - ?", (seconds,))


async def record(bot: Watchparty) -> list[tuple[Any, ...]]:
    rows = await bot.store.fetchall("SELECT state, late, thread_id FROM airing_done")
    return [tuple(r) for r in rows]


async def settled(bot: Watchparty, within: float = 5.0) -> list[tuple[Any, ...]]:
    """The records once none is still being sent: one is marked done just after its
    announcement goes out, so a test that has seen the announcement may be a moment early."""
    deadline = time.monotonic() + within
    while True:
        rows = await record(bot)
        if all(row[0] != "sending" for row in rows) or time.monotonic() > deadline:
            return rows
        await asyncio.sleep(0.05)


async def test_an_episode_airing_opens_its_thread_once_and_pings_only_the_role(
    runner: BotRunner, own: Settings, world: Scene, data_dir: Path
) -> None:
    fd = world.fd
    role = fd.add_role(world.guild, "FAM watchers")
    elsewhere = fd.add_guild("Elsewhere")
    fd.add_channel(elsewhere, "talk")
    air_at(data_dir, time.time() + 6)
    bot = await runner.start(own)
    follow = await fd.slash(world.alice, world.channel, "follow show", show="for-all-mankind")
    assert follow.ephemeral
    await configure(world, role)
    shown = await fd.slash(world.mod, world.channel, "config show")
    field = {f["name"]: f["value"] for f in shown.reply.embeds[0]["fields"]}
    assert field["Threads opened at air time"] == (
        f"• For All Mankind in <#{world.channel.id}>, pinging <@&{role.id}>"
    )
    assert fd.threads(world.guild) == [] and announcements(world) == []  # not aired yet

    assert await eventually(lambda: announcements(world), within=15)
    [thread] = fd.threads(world.guild)
    assert thread.name == TITLE
    [post] = announcements(world)
    assert post.content.startswith("📺 **For All Mankind S4E6 · Leningrad** is airing now.")
    assert f"<#{thread.id}>" in post.content and "offline" not in post.content
    # Exactly one message notified anyone, and it notified the chosen role alone.
    assert [(m.id, ids) for m, ids in fd.pinged()] == [(post.id, [role.id])]
    posts = fd.messages(thread)
    assert posts[0].embeds[0]["title"] == "S4E6 · Leningrad"  # the spoiler-free card
    assert len([m for m in posts if m.buttons()]) == 1  # the episode's poll, once
    assert await settled(bot) == [("done", 0, thread.id)]
    # Alice follows the show: her DM links the open thread. Bob follows nothing.
    assert await eventually(
        lambda: [m for m in fd.dms(world.alice) if "thread is open" in m.content]
    )
    [dm] = [m for m in fd.dms(world.alice) if "thread is open" in m.content]
    assert str(thread.id) in dm.content and "You follow this show in Watchers" in dm.content
    assert fd.dms(world.bob) == []
    assert fd.threads(elsewhere) == []  # a server that does not follow the show: nothing

    # A restart just after the air time repeats nothing.
    await runner.stop()
    bot = await runner.start(own)
    await asyncio.sleep(2)
    assert len(announcements(world)) == 1 and len(fd.threads(world.guild)) == 1
    assert await settled(bot) == [("done", 0, thread.id)]


async def test_a_restart_across_the_air_time_neither_loses_nor_repeats_it(
    runner: BotRunner, own: Settings, world: Scene, data_dir: Path
) -> None:
    fd = world.fd
    air_at(data_dir, time.time() + 5)
    await runner.start(own)
    await configure(world)
    await runner.stop()  # down when the episode airs
    await asyncio.sleep(6)
    assert announcements(world) == []
    bot = await runner.start(own)
    assert await eventually(lambda: announcements(world), within=10)
    [post] = announcements(world)
    # Down for seconds, not hours: not "late".
    assert "is airing now" in post.content and fd.pinged() == []  # no role chosen: no ping
    [thread] = fd.threads(world.guild)
    assert await settled(bot) == [("done", 0, thread.id)]


async def test_an_episode_that_aired_while_offline_is_caught_up_once_as_late(
    runner: BotRunner, own: Settings, world: Scene, data_dir: Path
) -> None:
    fd = world.fd
    role = fd.add_role(world.guild, "FAM watchers")
    bot = await runner.start(own)
    await configure(world, role)
    # The server followed the show three hours ago; the bot was down when the episode aired.
    await shift_since(bot, 3 * 3600)
    await runner.stop()
    air_at(data_dir, time.time() - 2 * 3600)
    bot = await runner.start(own)
    assert await eventually(lambda: announcements(world), within=10)
    [post] = announcements(world)
    assert "aired while I was offline" in post.content and "airing now" not in post.content
    assert [(m.id, ids) for m, ids in fd.pinged()] == [(post.id, [role.id])]
    await runner.stop()
    await runner.start(own)
    await asyncio.sleep(2)
    assert len(announcements(world)) == 1 and len(fd.threads(world.guild)) == 1


async def test_too_old_or_before_following_is_not_announced(
    runner: BotRunner, own: Settings, world: Scene, data_dir: Path
) -> None:
    air_at(data_dir, time.time() - 60)  # aired a minute before the server followed the show
    bot = await runner.start(own)
    await configure(world)
    await asyncio.sleep(2)
    assert announcements(world) == [] and world.fd.threads(world.guild) == []
    await shift_since(bot, 30 * 24 * 3600)
    await runner.stop()
    air_at(data_dir, time.time() - 8 * 24 * 3600)  # followed long ago, aired 8 days ago
    await runner.start(own)
    await asyncio.sleep(2)
    assert announcements(world) == [] and world.fd.threads(world.guild) == []


async def test_airing_stop_and_its_private_errors(
    runner: BotRunner, own: Settings, world: Scene, data_dir: Path
) -> None:
    air_at(data_dir, time.time() + 4)
    await runner.start(own)
    await configure(world)
    stopped = await world.fd.slash(
        world.mod, world.channel, "config airing-stop", show="for-all-mankind"
    )
    assert stopped.ephemeral and "Saved" in stopped.reply.content
    again = await world.fd.slash(
        world.mod, world.channel, "config airing-stop", show="for-all-mankind"
    )
    assert again.ephemeral
    assert "does not open threads at air time for For All Mankind" in again.reply.content
    denied = await world.fd.slash(world.alice, world.channel, "config airing-stop", show="x")
    assert denied.ephemeral
    await asyncio.sleep(5)
    assert announcements(world) == []


async def test_a_refresh_that_moves_the_air_time_moves_the_alarm(
    runner: BotRunner,
    own: Settings,
    world: Scene,
    tvmaze: FakeTvmaze,  # noqa: F811
) -> None:
    fake_episode = tvmaze.episode(440202)  # Orbital Relay S2E2, no air time yet
    fake_episode["airstamp"] = stamp(time.time() + 3 * 3600)
    bot = await runner.start(dataclasses.replace(own, tvmaze_api_base=tvmaze.base_url))
    await add(world, str(ORBITAL))
    await configure(world, show="orbital-relay")
    # TVmaze moves the episode up to a few seconds from now; the refresh wakes the alarm,
    # which had gone to sleep for its longest nap (a minute).
    soon = round(time.time() + 4)
    fake_episode["airstamp"] = stamp(soon)
    refresh = await world.fd.slash(
        world.mod, world.channel, "catalog refresh", show="orbital-relay"
    )
    await refresh.wait_for(lambda i: not i.thinking and "⏳" not in i.reply.content, timeout=15)
    row = await bot.store.fetchone("SELECT airs_at FROM episodes WHERE tvmaze_id = 440202")
    assert row is not None and row[0] == soon
    assert await eventually(lambda: announcements(world), within=12)
    [post] = announcements(world)
    assert "Orbital Relay S2E2" in post.content and "is airing now" in post.content
    [thread] = world.fd.threads(world.guild)
    assert thread.name.startswith("Orbital Relay S2E2")


async def test_a_send_whose_answer_was_lost_is_found_not_repeated(
    runner: BotRunner, own: Settings, world: Scene, data_dir: Path
) -> None:
    air_at(data_dir, time.time() + 4)
    bot = await runner.start(own)
    await configure(world)
    assert await eventually(lambda: announcements(world), within=12)
    # As if the bot died after Discord posted it but before the store heard back, and came
    # back after Discord forgot the nonce: the record still says 'sending'.
    async with bot.store.transaction() as db:
        await db.execute("UPDATE airing_done SET state = 'sending', at = at - 600")
    await runner.stop()
    world.fd.forget_nonces()
    bot = await runner.start(own)
    settled = "SELECT state FROM airing_done"
    assert await eventually_rows(bot, settled, "done") == "done"
    assert len(announcements(world)) == 1 and len(world.fd.threads(world.guild)) == 1
