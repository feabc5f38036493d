"""/follow: members hear about new episodes of the shows they follow, once, by DM or in a channel."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings
from harness.faketvmaze import FakeTvmaze, episode
from tests.conftest import ROOT, BotRunner, Scene
from tests.test_catalog_tvmaze import ORBITAL, add, tvmaze  # noqa: F401 (the fixture)
from tests.test_polls import eventually

NEW_EPISODE = """
[[episodes]]
season = 4
number = 7
title = "Brazil"
synopsis = "A set-up nobody has read before."
recap = "The talks in Brazil go on, and a test reads every word of them."
ending = "It ends where the next episode begins."
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(ROOT / "data" / "for-all-mankind.toml", folder)
    return folder


@pytest.fixture
def own_settings(settings: Settings, data_dir: Path, tvmaze: FakeTvmaze) -> Settings:  # noqa: F811
    return dataclasses.replace(
        settings, data_dir=data_dir, tvmaze_api_base=tvmaze.base_url, tvmaze_refresh_hours=0
    )


def dm_texts(world: Scene, member: Any) -> list[str]:
    return [m.content for m in world.fd.dms(member)]


async def follow(world: Scene, member: Any, show: str) -> None:
    ix = await world.fd.slash(member, world.channel, "follow show", show=show)
    assert ix.ephemeral and "Following" in ix.reply.content, ix.text()


async def test_a_new_episode_in_a_data_file_is_one_dm_after_the_restart(
    runner: BotRunner, own_settings: Settings, world: Scene, data_dir: Path
) -> None:
    await runner.start(own_settings)
    await follow(world, world.alice, "for-all-mankind")
    again = await world.fd.slash(world.alice, world.channel, "follow show", show="for-all-mankind")
    assert "already follow" in again.reply.content
    listed = await world.fd.slash(world.alice, world.channel, "follow list")
    assert listed.reply.content == "• For All Mankind"
    await runner.stop()
    path = data_dir / "for-all-mankind.toml"
    path.write_text(path.read_text(encoding="utf-8") + NEW_EPISODE, encoding="utf-8")
    await runner.start(own_settings)
    assert await eventually(lambda: dm_texts(world, world.alice))
    [text] = dm_texts(world, world.alice)
    assert "A new episode of **For All Mankind** is in the catalog" in text
    assert "S4E7 · Brazil" in text and "S4E6" not in text
    assert "You follow this show in Watchers" in text
    await runner.stop()
    await runner.start(own_settings)  # a second start announces nothing again
    await eventually(lambda: len(dm_texts(world, world.alice)) > 1, within=1.5)
    assert len(dm_texts(world, world.alice)) == 1
    assert dm_texts(world, world.bob) == []
    gone = await world.fd.slash(world.alice, world.channel, "follow remove", show="for-all-mankind")
    assert "no longer follow" in gone.reply.content
    listed = await world.fd.slash(world.alice, world.channel, "follow list")
    assert "don't follow any show" in listed.reply.content


async def test_a_tvmaze_refresh_posts_once_in_the_follow_channel(
    runner: BotRunner,
    own_settings: Settings,
    world: Scene,
    tvmaze: FakeTvmaze,  # noqa: F811
) -> None:
    fd = world.fd
    alerts = fd.add_channel(world.guild, "new-episodes")
    await runner.start(own_settings)
    await add(world, str(ORBITAL))
    ix = await fd.slash(world.mod, world.channel, "config follow-channel", channel=alerts.id)
    assert "Saved" in ix.reply.content
    await follow(world, world.alice, "orbital-relay")
    await follow(world, world.bob, "orbital-relay")
    # Following a show announces nothing of what it already has.
    await add(world, str(ORBITAL))
    assert fd.messages(alerts) == []
    tvmaze.add_episode(ORBITAL, episode(440199, 2, 3, "Relay Race", summary="<p>Set-up.</p>"))
    refreshed = await fd.slash(world.mod, world.channel, "catalog refresh", show="orbital-relay")
    await refreshed.wait_for(lambda i: "⏳" not in i.reply.content and not i.thinking, timeout=15)
    assert await eventually(lambda: fd.messages(alerts))
    [post] = fd.messages(alerts)
    assert (
        "A new episode of **Orbital Relay**" in post.content and "S2E3 · Relay Race" in post.content
    )
    assert dm_texts(world, world.alice) == [] and dm_texts(world, world.bob) == []
    assert fd.pinged() == []
