"""/recap, /cast and /ending driven the way Discord drives them, against the emulator."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

from bot.settings import Settings
from tests.conftest import ROOT, BotRunner, Scene, acked_in_time, everyone_caught_up, watched


def seed_cast() -> list[str]:
    """The cast the data file credits for S4E6, in billing order."""
    show = tomllib.loads((ROOT / "data" / "for-all-mankind.toml").read_text())
    episode = next(e for e in show["episodes"] if (e["season"], e["number"]) == (4, 6))
    return [credit["actor"] for credit in episode["cast"]]


LONG_SHOW = """
[show]
slug = "long-night"
title = "Long Night"

[[episodes]]
season = 1
number = 1
title = "Dusk"
synopsis = "It gets dark."
recap = '''{recap}'''
ending = '''{ending}'''
"""


def long_recap(paragraphs: int = 30) -> str:
    sentence = (
        "The crew argues about the treaty while the station hums and the asteroid drifts closer. "
    )
    return "\n\n".join(f"Part {i}. " + sentence * 6 for i in range(paragraphs))


def data_dir(tmp_path: Path, **texts: str) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "for-all-mankind.toml").write_text(
        (ROOT / "data" / "for-all-mankind.toml").read_text()
    )
    recap, ending = texts.get("recap", long_recap()), texts.get("ending", "Dawn comes.")
    (folder / "long-night.toml").write_text(LONG_SHOW.format(recap=recap, ending=ending))
    return folder


async def test_commands_registered_with_valid_shapes(bot, world: Scene) -> None:
    names = {c["name"] for c in world.fd.commands()}
    assert {"recap", "cast", "ending", "poll"} <= names
    recap = next(c for c in world.fd.commands() if c["name"] == "recap")
    assert [o["name"] for o in recap["options"]] == ["show", "season", "episode"]
    assert all(o.get("autocomplete") for o in recap["options"])


async def test_recap_of_leningrad(bot, world: Scene) -> None:
    await watched(world, world.alice)
    ix = await world.fd.slash(
        world.alice, world.channel, "recap", show="for-all-mankind", season=4, episode="6"
    )
    assert acked_in_time(ix) and not ix.ephemeral
    message = ix.reply
    embed = message.embeds[0]
    assert embed["title"] == "S4E6 · Leningrad — Recap"
    assert embed["author"]["name"] == "For All Mankind"
    assert "Leningrad" in embed["description"] and "Eli Hobson" in embed["description"]
    assert {"name": "Runtime", "value": "46–82 min", "inline": True} in embed["fields"]
    labels = [b["label"] for b in message.buttons()]
    assert labels == ["IMDb", "Rotten Tomatoes", "Wikipedia"]
    assert all(b["url"].startswith("https://") for b in message.buttons())


async def test_autocomplete_show_season_episode(bot, world: Scene) -> None:
    fd = world.fd
    shows = await fd.autocomplete(world.alice, world.channel, "recap", focused="show", show="mank")
    assert shows == [{"name": "For All Mankind", "value": "for-all-mankind"}]
    seasons = await fd.autocomplete(
        world.alice, world.channel, "recap", focused="season", show="for-all-mankind", season=""
    )
    assert seasons == [{"name": "Season 4", "value": 4}]
    for typed in ("len", "6", "S4E6", ""):
        episodes = await fd.autocomplete(
            world.alice,
            world.channel,
            "recap",
            focused="episode",
            show="for-all-mankind",
            season=4,
            episode=typed,
        )
        assert episodes == [{"name": "S4E6 · Leningrad", "value": "S4E6"}], typed


async def test_cast_lists_all_sixteen_in_billing_order(bot, world: Scene) -> None:
    ix = await world.fd.slash(
        world.alice, world.channel, "cast", show="For All Mankind", season=4, episode="S4E6"
    )
    lines = ix.reply.embeds[0]["description"].splitlines()
    assert [line.split("**")[1] for line in lines] == seed_cast()
    assert len(lines) == 16
    assert "S4E6 · Leningrad" in ix.reply.embeds[0]["footer"]["text"]


async def test_ending_is_spoiler_tagged_under_a_visible_warning(bot, world: Scene) -> None:
    await watched(world, world.alice)
    ix = await world.fd.slash(
        world.alice, world.channel, "ending", show="for-all-mankind", season=4, episode="Leningrad"
    )
    embed = ix.reply.embeds[0]
    warning, hidden = embed["description"].split("\n\n", 1)
    assert warning.startswith("⚠️ **Spoilers")
    assert all(
        line.startswith("||") and line.endswith("||") for line in hidden.splitlines() if line
    )
    assert "Aleida" in hidden and "Aleida" not in embed["title"] + embed["footer"]["text"]


async def test_unknown_show_and_episode_answer_privately_with_closest(bot, world: Scene) -> None:
    ix = await world.fd.slash(
        world.alice, world.channel, "recap", show="For All Mankid", season=4, episode="6"
    )
    assert ix.ephemeral and "Did you mean **For All Mankind**" in ix.reply.content
    ix = await world.fd.slash(
        world.alice, world.channel, "ending", show="for-all-mankind", season=4, episode="9"
    )
    assert ix.ephemeral and "Closest: **S4E6 · Leningrad**" in ix.reply.content
    ix = await world.fd.slash(
        world.alice, world.channel, "recap", show="@everyone", season=1, episode="1"
    )
    assert ix.ephemeral and "\\@everyone" in ix.reply.content


async def test_long_recap_pages_and_buttons_survive_restart(
    runner: BotRunner, settings: Settings, world: Scene, tmp_path: Path
) -> None:
    settings = Settings(**{**settings.__dict__, "data_dir": data_dir(tmp_path)})
    await runner.start(settings)
    await everyone_caught_up(world)
    fd = world.fd
    ix = await fd.slash(
        world.alice, world.channel, "recap", show="Long Night", season=1, episode="1"
    )
    message = ix.reply
    first = message.embeds[0]
    assert "Page 1 of" in first["footer"]["text"]
    total = int(first["footer"]["text"].rsplit(" ", 1)[1])
    assert total >= 2
    next_id = next(b["custom_id"] for b in message.buttons() if b["label"] == "Next ▶")
    await runner.stop()
    await runner.start(settings)
    click = await fd.click(world.bob, message, next_id)
    assert acked_in_time(click)
    page_two = fd.message(message.id).embeds[0]
    assert f"Page 2 of {total}" in page_two["footer"]["text"]
    words = " ".join(first["description"].split()) + " " + " ".join(page_two["description"].split())
    assert "Part 0." in words and "Part 1" in words
    assert all(len(e["description"]) <= 4096 for e in (first, page_two))


async def test_hostile_data_file_never_pings_or_breaks_spoilers(
    runner: BotRunner, settings: Settings, world: Scene, tmp_path: Path
) -> None:
    hostile = "@everyone <@&1> the twist || escapes? `code` and a trailing backslash \\\\"
    settings = Settings(
        **{**settings.__dict__, "data_dir": data_dir(tmp_path, ending=hostile, recap=hostile)}
    )
    await runner.start(settings)
    await everyone_caught_up(world)
    ix = await world.fd.slash(
        world.alice, world.channel, "ending", show="long-night", season=1, episode="1"
    )
    hidden = ix.reply.embeds[0]["description"].split("\n\n", 1)[1]
    assert hidden.startswith("||") and hidden.endswith("||") and hidden.count("||") == 2
    ix = await world.fd.slash(
        world.alice, world.channel, "recap", show="long-night", season=1, episode="1"
    )
    assert "@everyone" in ix.reply.embeds[0]["description"]
    # The fixture asserts the emulator saw no message that could ping.


async def test_malformed_file_is_reported_and_the_rest_still_serves(
    runner: BotRunner, settings: Settings, world: Scene, tmp_path: Path, caplog
) -> None:
    folder = data_dir(tmp_path)
    (folder / "broken.toml").write_text(
        '[show]\nslug = "broken"\ntitle = "Broken"\n[[episodes]]\nseason = "x"\n'
    )
    caplog.set_level(logging.ERROR)
    await runner.start(Settings(**{**settings.__dict__, "data_dir": folder}))
    await everyone_caught_up(world)
    assert "broken.toml: episodes[0].season: must be a whole number" in caplog.text
    ix = await world.fd.slash(
        world.alice, world.channel, "recap", show="Broken", season=1, episode="1"
    )
    assert ix.ephemeral and "I don't know a show called “Broken”" in ix.reply.content
    ix = await world.fd.slash(
        world.alice, world.channel, "recap", show="Long Night", season=1, episode="1"
    )
    assert not ix.ephemeral


async def test_a_real_bug_gets_a_reference_code(bot, world: Scene, caplog) -> None:
    async with bot.store.transaction() as db:  # the same on both stores
        await db.execute("DROP TABLE credits")
    ix = await world.fd.slash(world.alice, world.channel, "cast", show="for-all-mankind")
    assert ix.ephemeral and "Something went wrong on my side" in ix.reply.content
    code = ix.reply.content.rsplit("`", 2)[1]
    assert f"ref {code}" in caplog.text


async def test_commands_sync_only_when_the_tree_changes(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    await runner.start(settings)
    assert fd.sync_count() == 1
    await runner.stop()
    await runner.start(settings)
    assert fd.sync_count() == 1  # same tree: no sync
    await runner.stop()
    await runner.start(settings, force_sync=True)
    assert fd.sync_count() == 2  # asked for
    await runner.stop()
    await runner.start(settings, extensions=("cogs.episodes",))
    assert fd.sync_count() == 3  # the tree lost /poll
    assert "poll" not in {c["name"] for c in fd.commands()}
    await runner.stop()
    guild_settings = Settings(**{**settings.__dict__, "dev_guild_id": world.guild.id})
    await runner.start(guild_settings)
    assert fd.sync_count(world.guild) == 1
    assert {c["name"] for c in fd.commands(world.guild)} >= {"recap", "poll"}
