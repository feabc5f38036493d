"""/catalog against the Discord emulator and the fake TVmaze: adding, refreshing, listing."""

from __future__ import annotations

import dataclasses
import shutil
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import tomlkit

from bot.settings import Settings
from harness.fakediscord import Interaction
from harness.faketvmaze import FakeTvmaze, episode, long_haul, orbital_relay
from tests.conftest import ROOT, BotRunner, Scene, acked_in_time, everyone_caught_up

ORBITAL = 4401


@pytest.fixture
async def tvmaze() -> AsyncIterator[FakeTvmaze]:
    async with FakeTvmaze([orbital_relay(), long_haul()]) as server:
        yield server


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder of the test's own: /catalog writes files into it."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(ROOT / "data" / "for-all-mankind.toml", folder)
    return folder


@pytest.fixture
async def catalog_bot(
    runner: BotRunner, settings: Settings, world: Scene, tvmaze: FakeTvmaze, data_dir: Path
) -> BotRunner:
    chosen = dataclasses.replace(
        settings, data_dir=data_dir, tvmaze_api_base=tvmaze.base_url, tvmaze_refresh_hours=0
    )
    await runner.start(chosen)
    return runner


async def add(world: Scene, show: str) -> str:
    ix = await world.fd.slash(world.mod, world.channel, "catalog add", show=show)
    assert acked_in_time(ix) and ix.ephemeral
    await ix.wait_for(lambda i: not i.thinking and "⏳" not in i.reply.content, timeout=15)
    return ix.reply.content


async def test_add_autocomplete_searches_tvmaze(catalog_bot: BotRunner, world: Scene) -> None:
    choices = await world.fd.autocomplete(
        world.mod, world.channel, "catalog add", focused="show", show="orbit"
    )
    assert choices and choices[0]["value"] == str(ORBITAL)
    assert choices[0]["name"].startswith("Orbital Relay")


async def test_adding_a_show_gives_every_episode_with_attribution(
    catalog_bot: BotRunner, world: Scene, data_dir: Path
) -> None:
    reply = await add(world, str(ORBITAL))
    assert "**Orbital Relay**" in reply and "TVmaze (CC BY-SA)" in reply
    written = tomllib.loads((data_dir / "orbital-relay.toml").read_text(encoding="utf-8"))
    assert written["show"]["tvmaze_id"] == ORBITAL
    fd = world.fd
    codes = await fd.autocomplete(
        world.alice, world.channel, "recap", focused="episode", show="orbital-relay", episode=""
    )
    assert [c["value"] for c in codes] == [
        f"S{s}E{e}" for s, e in [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2)]
    ]
    await everyone_caught_up(world)
    ix = await fd.slash(
        world.alice, world.channel, "recap", show="orbital-relay", season=1, episode="S1E1"
    )
    assert acked_in_time(ix) and not ix.ephemeral
    embed = ix.reply.embeds[0]
    assert "No recap has been written" in embed["description"]
    assert "TVmaze (CC BY-SA)" in embed["footer"]["text"]


async def test_a_refresh_adds_exactly_the_new_episode_and_keeps_what_people_wrote(
    catalog_bot: BotRunner, world: Scene, tvmaze: FakeTvmaze, data_dir: Path
) -> None:
    await add(world, str(ORBITAL))
    path = data_dir / "orbital-relay.toml"
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    first = doc["episodes"][0]
    first["recap"] = "Written by a member of the server."
    first["spoiler_terms"] = ["relay tower"]
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    tvmaze.add_episode(ORBITAL, episode(440199, 2, 3, "Relay Race", summary="<p>Set-up.</p>"))

    reply = await world.fd.slash(world.mod, world.channel, "catalog refresh", show="orbital-relay")
    await reply.wait_for(lambda i: not i.thinking and "⏳" not in i.reply.content, timeout=15)
    assert "6 episodes (1 new" in reply.reply.content, reply.text()
    after = tomllib.loads(path.read_text(encoding="utf-8"))["episodes"]
    assert after[0]["recap"] == "Written by a member of the server."
    assert after[0]["spoiler_terms"] == ["relay tower"]
    assert [(e["season"], e["number"]) for e in after][-1] == (2, 3)
    stored = await catalog_bot.bot.store.catalog.find_show("orbital-relay")  # type: ignore[union-attr]
    assert stored is not None
    episode_one = await catalog_bot.bot.store.catalog.episode(stored.id, 1, 1)  # type: ignore[union-attr]
    assert episode_one is not None and episode_one.recap == "Written by a member of the server."


async def test_members_cannot_touch_the_catalog(catalog_bot: BotRunner, world: Scene) -> None:
    ix = await world.fd.slash(world.alice, world.channel, "catalog add", show=str(ORBITAL))
    assert acked_in_time(ix) and ix.ephemeral
    assert "Manage Server" in ix.reply.content


async def test_tvmaze_trouble_is_one_private_sentence(
    catalog_bot: BotRunner, world: Scene, tvmaze: FakeTvmaze, data_dir: Path
) -> None:
    reply = await add(world, "A show nobody ever made")
    assert "TVmaze has no show called" in reply
    tvmaze.script("/shows/4401", status=500, times=5)
    reply = await add(world, str(ORBITAL))
    assert "TVmaze" in reply and "Something went wrong" not in reply
    assert not (data_dir / "orbital-relay.toml").exists()


async def test_refreshing_a_hand_written_show_is_refused(
    catalog_bot: BotRunner, world: Scene
) -> None:
    ix = await world.fd.slash(world.mod, world.channel, "catalog refresh", show="for-all-mankind")
    assert acked_in_time(ix) and ix.ephemeral
    assert "written by hand" in ix.reply.content


async def test_list_names_every_show_and_its_file(catalog_bot: BotRunner, world: Scene) -> None:
    await add(world, str(ORBITAL))
    ix = await world.fd.slash(world.mod, world.channel, "catalog list")
    assert acked_in_time(ix) and ix.ephemeral
    text = ix.reply.embeds[0]["description"]
    # Markdown-active characters come escaped; Discord shows them as typed.
    assert "**For All Mankind** · for\\-all\\-mankind · 1 episode · file" in text
    assert "**Orbital Relay** · orbital\\-relay · 5 episodes · file orbital\\-relay.toml" in text


async def test_remove_asks_first_lists_what_stays_and_keeps_it(
    catalog_bot: BotRunner, world: Scene, data_dir: Path
) -> None:
    await add(world, str(ORBITAL))
    fd = world.fd
    await everyone_caught_up(world)
    poll = await fd.slash(
        world.alice,
        world.channel,
        "poll create",
        question="Best relay?",
        options="Yes; No",
        show="orbital-relay",
        episode="S1E1",
    )
    assert acked_in_time(poll)
    ask = await fd.slash(world.mod, world.channel, "catalog remove", show="orbital-relay")
    assert acked_in_time(ask) and ask.ephemeral
    assert "1 poll" in ask.reply.content and "kept" in ask.reply.content
    keep = await fd.click(world.mod, ask.reply, f"wp:catalog:keep:{_show_id(ask)}")
    assert "Nothing was removed" in keep.text()
    ask = await fd.slash(world.mod, world.channel, "catalog remove", show="orbital-relay")
    done = await fd.click(world.mod, ask.reply, f"wp:catalog:rm:{_show_id(ask)}")
    assert acked_in_time(done) and "hidden from every command" in done.text()
    assert not (data_dir / "orbital-relay.toml").exists()
    assert (data_dir / "removed" / "orbital-relay.toml").exists()
    gone = await fd.slash(
        world.alice, world.channel, "recap", show="orbital-relay", season=1, episode="S1E1"
    )
    assert gone.ephemeral and "I don't know a show called" in gone.reply.content
    stored = await catalog_bot.bot.store.fetchone("SELECT count(*) FROM polls")  # type: ignore[union-attr]
    assert stored is not None and stored[0] == 1


def _show_id(ix: Interaction) -> str:
    button = next(b for b in ix.reply.buttons() if b["custom_id"].startswith("wp:catalog:rm:"))
    return str(button["custom_id"].rsplit(":", 1)[1])
