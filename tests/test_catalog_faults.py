"""/catalog when TVmaze's data or timing is unkind, through the Discord emulator and the fake
TVmaze: every case ends in one clear private line, a valid data file, and nothing lost."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import shutil
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import tomlkit

from bot.app import Watchparty
from bot.catalog import datafiles
from bot.settings import Settings
from harness.fakediscord import Interaction
from harness.faketvmaze import FakeTvmaze, episode, orbital_relay
from tests.conftest import ROOT, BotRunner, Scene, acked_in_time, everyone_caught_up
from tests.stores import hold_writes
from tests.test_polls import eventually

ORBITAL = 4401


@pytest.fixture
async def tvmaze() -> AsyncIterator[FakeTvmaze]:
    async with FakeTvmaze([orbital_relay()]) as server:
        yield server


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(ROOT / "data" / "for-all-mankind.toml", folder)
    return folder


@pytest.fixture
def chosen(settings: Settings, tvmaze: FakeTvmaze, data_dir: Path) -> Settings:
    return dataclasses.replace(
        settings, data_dir=data_dir, tvmaze_api_base=tvmaze.base_url, tvmaze_refresh_hours=0
    )


@pytest.fixture
async def app(runner: BotRunner, chosen: Settings, world: Scene) -> Watchparty:
    await runner.start(chosen)
    assert runner.bot is not None
    return runner.bot


async def finished(ix: Interaction) -> str:
    await ix.wait_for(lambda i: not i.thinking and "⏳" not in i.reply.content, timeout=20)
    return ix.reply.content


async def catalog(world: Scene, command: str, show: str) -> str:
    ix = await world.fd.slash(world.mod, world.channel, f"catalog {command}", show=show)
    assert acked_in_time(ix) and ix.ephemeral
    return await finished(ix)


async def codes(world: Scene) -> list[str]:
    choices = await world.fd.autocomplete(
        world.alice, world.channel, "recap", focused="episode", show="orbital-relay", episode=""
    )
    return [c["value"] for c in choices]


async def test_an_overlong_network_is_clipped_and_the_file_still_checks(
    app: Watchparty, world: Scene, tvmaze: FakeTvmaze, data_dir: Path
) -> None:
    await catalog(world, "add", str(ORBITAL))
    tvmaze.shows[ORBITAL].show["network"]["name"] = "Skyline One Broadcasting Network " * 5
    reply = await catalog(world, "refresh", "orbital-relay")
    assert "1 updated from TVmaze" in reply, reply
    parsed = datafiles.load(data_dir / "orbital-relay.toml")  # what `bot check` reads
    assert parsed.show.network is not None and len(parsed.show.network) <= 100
    stored = await app.store.catalog.find_show("orbital-relay")
    assert stored is not None and stored.network == parsed.show.network


async def test_a_busy_database_during_add_leaves_no_file_and_says_so(
    app: Watchparty, world: Scene, data_dir: Path, tmp_path: Path
) -> None:
    held = app.settings.store_target
    locker = asyncio.create_task(asyncio.to_thread(hold_writes, held, 4.0))
    await asyncio.sleep(0.3)
    reply = await catalog(world, "add", str(ORBITAL))
    await locker
    assert "the database is busy" in reply and "Nothing was changed" in reply, reply
    assert not (data_dir / "orbital-relay.toml").exists()  # the next start meets nothing


async def test_a_doubly_numbered_episode_is_reported_reachable_and_retired_once_fixed(
    app: Watchparty, world: Scene, tvmaze: FakeTvmaze
) -> None:
    tvmaze.add_episode(ORBITAL, episode(440109, 1, 2, "Dead Air (Extended)"))
    reply = await catalog(world, "add", str(ORBITAL))
    assert "1 numbered twice on TVmaze" in reply, reply
    # (Markdown-active characters come escaped; Discord shows them as typed.)
    assert "⚠️ Numbered twice on TVmaze: TVmaze numbers both “Dead Air” and" in reply
    assert "“Dead Air \\(Extended\\)” is S1E4 here until TVmaze fixes it" in reply
    assert "S1E4" in await codes(world)
    await everyone_caught_up(world)
    ix = await world.fd.slash(
        world.alice, world.channel, "recap", show="orbital-relay", season=1, episode="S1E4"
    )
    assert "Dead Air (Extended)" in ix.reply.embeds[0]["title"]

    tvmaze.remove_episode(440109)  # TVmaze fixes its data
    reply = await catalog(world, "refresh", "orbital-relay")
    assert "Retired, no longer on TVmaze: S1E4 · Dead Air \\(Extended\\)" in reply, reply
    assert "numbered twice" not in reply
    assert "S1E4" not in await codes(world)
    row = await app.store.fetchone("SELECT retired_at FROM episodes WHERE tvmaze_id = 440109")
    assert row is not None and row[0] is not None  # kept for what may refer to it


async def test_a_dropped_episode_is_retired_unless_people_wrote_for_it(
    app: Watchparty, world: Scene, tvmaze: FakeTvmaze, data_dir: Path
) -> None:
    await catalog(world, "add", str(ORBITAL))
    path = data_dir / "orbital-relay.toml"
    doc = tomlkit.parse(path.read_text("utf-8"))
    doc["episodes"][1]["recap"] = "Written by a member of the server."  # S1E2
    path.write_text(tomlkit.dumps(doc), "utf-8")
    tvmaze.remove_episode(440101)
    tvmaze.remove_episode(440102)

    reply = await catalog(world, "refresh", "orbital-relay")

    assert "1 retired (no longer on TVmaze); 1 no longer on TVmaze (kept)" in reply, reply
    assert "Retired, no longer on TVmaze: S1E1 · First Light" in reply
    assert "No longer on TVmaze, kept: people wrote for it: S1E2 · Dead Air" in reply
    assert await codes(world) == ["S1E2", "S1E3", "S2E1", "S2E2"]


async def test_remove_during_a_refresh_wins_and_the_refresh_says_so(
    app: Watchparty, world: Scene, tvmaze: FakeTvmaze, data_dir: Path
) -> None:
    await catalog(world, "add", str(ORBITAL))
    path = data_dir / "orbital-relay.toml"
    doc = tomlkit.parse(path.read_text("utf-8"))
    doc["episodes"][0]["recap"] = "Written by a member of the server."
    path.write_text(tomlkit.dumps(doc), "utf-8")
    fd = world.fd
    # TVmaze holds its answer while the show is removed.
    tvmaze.script(f"/shows/{ORBITAL}/episodes", delay=3.0)
    refresh = await fd.slash(world.mod, world.channel, "catalog refresh", show="orbital-relay")
    assert acked_in_time(refresh)
    ask = await fd.slash(world.mod, world.channel, "catalog remove", show="orbital-relay")
    button = next(b for b in ask.reply.buttons() if b["custom_id"].startswith("wp:catalog:rm:"))
    done = await fd.click(world.mod, ask.reply, button["custom_id"])
    assert acked_in_time(done)
    await done.wait_for(lambda i: "**Orbital Relay**: removed;" in i.text(), timeout=5)

    reply = await finished(refresh)

    assert "was removed from the catalog while TVmaze was answering" in reply, reply
    assert not path.exists()
    kept = tomllib.loads((data_dir / "removed" / "orbital-relay.toml").read_text("utf-8"))
    assert kept["episodes"][0]["recap"] == "Written by a member of the server."
    assert await app.store.catalog.find_show("orbital-relay") is None


async def test_a_removed_shows_cast_leaves_the_search_suggestions(
    app: Watchparty, world: Scene
) -> None:
    await catalog(world, "add", str(ORBITAL))
    fd = world.fd

    async def suggested() -> list[str]:
        choices = await fd.autocomplete(
            world.alice, world.channel, "search", focused="text", text="okaf"
        )
        return [c["name"] for c in choices]

    assert await suggested() == ["Maren Okafor"]
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
    assert acked_in_time(poll)  # so the show is hidden, not deleted
    ask = await fd.slash(world.mod, world.channel, "catalog remove", show="orbital-relay")
    button = next(b for b in ask.reply.buttons() if b["custom_id"].startswith("wp:catalog:rm:"))
    done = await fd.click(world.mod, ask.reply, button["custom_id"])
    await done.wait_for(lambda i: "hidden" in i.text(), timeout=5)
    assert await suggested() == []


async def test_an_overlong_typed_show_is_offered_within_discords_limits(
    app: Watchparty, world: Scene, tvmaze: FakeTvmaze
) -> None:
    tvmaze.script("/search/shows", delay=4.0)  # slower than the search's budget
    typed = "A show whose title someone pasted in whole, " * 4
    choices = await world.fd.autocomplete(
        world.mod, world.channel, "catalog add", focused="show", show=typed
    )
    # The emulator refuses (and the fixture fails on) a choice name or value over 100.
    assert len(choices) == 1
    assert 0 < len(choices[0]["value"]) <= 100 and len(choices[0]["name"]) <= 100


async def test_a_cast_page_from_tvmaze_credits_it_with_a_link(
    app: Watchparty, world: Scene
) -> None:
    await catalog(world, "add", str(ORBITAL))
    ix = await world.fd.slash(world.alice, world.channel, "cast", show="orbital-relay")
    assert acked_in_time(ix)
    text = ix.reply.embeds[0]["description"]
    assert "Maren Okafor" in text
    assert text.endswith(f"Show data: [TVmaze](https://www.tvmaze.com/shows/{ORBITAL}) (CC BY-SA)")


async def test_the_daily_refresh_survives_a_busy_database_and_carries_on(
    runner: BotRunner,
    chosen: Settings,
    world: Scene,
    tvmaze: FakeTvmaze,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="cogs.catalog")
    # A refresh every 2 s (the first one 2 s after start-up).
    await runner.start(dataclasses.replace(chosen, tvmaze_refresh_hours=2 / 3600))
    assert runner.bot is not None
    await catalog(world, "add", str(ORBITAL))
    tvmaze.add_episode(ORBITAL, episode(440203, 2, 3, "Relay Race"))
    held = chosen.store_target
    locker = asyncio.create_task(asyncio.to_thread(hold_writes, held, 4.0))
    # The locked store fails the round where it first writes: claiming the round (several
    # processes share the store) or refreshing the show. Either way it is logged, not fatal.
    failed = ("Daily TVmaze refresh of orbital-relay failed", "the store could not be read")
    assert await eventually(lambda: any(f in caplog.text for f in failed), within=10), caplog.text
    await locker
    # The loop is still running: the next round adds the episode.
    assert await eventually(lambda: "new episode(s) of orbital-relay" in caplog.text, within=10)
    assert "S2E3" in await codes(world)


async def test_remove_waits_for_a_write_in_progress_and_answers_in_time(
    app: Watchparty, world: Scene, data_dir: Path
) -> None:
    await catalog(world, "add", str(ORBITAL))
    fd = world.fd
    ask = await fd.slash(world.mod, world.channel, "catalog remove", show="orbital-relay")
    button = next(b for b in ask.reply.buttons() if b["custom_id"].startswith("wp:catalog:rm:"))

    async def writing() -> None:
        async with app.catalog_writing:  # as a data file being written and imported holds it
            await asyncio.sleep(4.0)

    writer = asyncio.create_task(writing())
    await asyncio.sleep(0.1)
    done = await fd.click(world.mod, ask.reply, button["custom_id"])
    assert acked_in_time(done)  # deferred, though the removal waits 4 s
    assert (data_dir / "orbital-relay.toml").exists()
    await writer
    said = "**Orbital Relay**: removed; its data file is now removed/orbital"
    await done.wait_for(lambda i: said in i.text(), timeout=5)
    assert said in done.text() and not done.reply.buttons()
    assert not (data_dir / "orbital-relay.toml").exists()


async def test_a_dropped_episode_with_a_recap_written_in_discord_is_kept(
    app: Watchparty, world: Scene, tvmaze: FakeTvmaze
) -> None:
    await catalog(world, "add", str(ORBITAL))
    fd = world.fd
    ix = await fd.slash(
        world.mod,
        world.channel,
        "episode edit",
        show="orbital-relay",
        episode="S1E1",
        field="recap",
    )
    assert ix.response_type == 9 and ix.response is not None, ix.text()
    first_input = ix.response["components"][0]["components"][0]["custom_id"]
    saved = await fd.submit_modal(
        world.mod, world.channel, ix.response["custom_id"], {first_input: "Ines finds the log."}
    )
    assert "Saved the recap" in saved.reply.content, saved.text()
    tvmaze.remove_episode(440101)

    reply = await catalog(world, "refresh", "orbital-relay")

    assert "No longer on TVmaze, kept: people wrote for it: S1E1 · First Light" in reply, reply
    assert "S1E1" in await codes(world)
