"""/search through the emulator: safe cards in public, passages only within a member's progress."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings
from bot.store.search_index import BULK
from tests.conftest import ROOT, BotRunner, Scene, acked_in_time, everyone_caught_up, watched
from tests.stores import TEST_STORE, query

TIDE_LINE = """
[show]
slug = "tide-line"
title = "Tide Line"
{episodes}
"""

EPISODE = """
[[episodes]]
season = 1
number = {n}
title = "{title}"
synopsis = "{synopsis}"
recap = "{recap}"
ending = "{ending}"
"""

EPISODES = [
    (
        "Low Water",
        "The harbor town waits for the ferry.",
        "Wren finds the lighthouse dark.",
        "The keeper was never there.",
    ),
    (
        "Spring Tide",
        "A storm closes the harbor road.",
        "Wren climbs the lighthouse stairs.",
        "Osgood is the keeper all along.",
    ),
    (
        "Ebb",
        "The town counts what the storm took.",
        "Wren burns the lighthouse logbook.",
        "The keeper drowns at the bar.",
    ),
]


def tide_line(episodes: list[tuple[str, str, str, str]] = EPISODES) -> str:
    body = "".join(
        EPISODE.format(n=n, title=t, synopsis=s, recap=r, ending=e)
        for n, (t, s, r, e) in enumerate(episodes, start=1)
    )
    return TIDE_LINE.format(episodes=body)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "for-all-mankind.toml").write_text(
        (ROOT / "data" / "for-all-mankind.toml").read_text()
    )
    (folder / "tide-line.toml").write_text(tide_line())
    return folder


@pytest.fixture
async def tide(runner: BotRunner, settings: Settings, world: Scene, data: Path) -> Any:
    settings = dataclasses.replace(settings, data_dir=data)
    return await runner.start(settings)


def everything(ix: Any) -> str:
    """Every character of every message the interaction produced, embeds included."""
    parts = []
    for message in ix.messages:
        parts.append(message.content or "")
        for embed in message.embeds:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            parts += [(embed.get("footer") or {}).get("text") or ""]
            parts += [(embed.get("author") or {}).get("name") or ""]
            for f in embed.get("fields") or []:
                parts += [f["name"], f["value"]]
    return "\n".join(parts)


async def search(world: Scene, member: Any, text: str, **options: Any) -> Any:
    ix = await world.fd.slash(member, world.channel, "search", text=text, **options)
    assert acked_in_time(ix), ix.callback_errors
    await ix.wait_for(lambda i: not i.thinking)
    return ix


async def test_a_member_without_progress_sees_only_a_count(bot, world: Scene) -> None:
    ix = await search(world, world.alice, "Aleida")
    assert ix.ephemeral
    text = everything(ix)
    assert "1 more match in episodes you have not watched" in text
    assert "Aleida" not in text.replace("“Aleida”", "")
    assert "Margo" not in text and "Rosales" not in text


async def test_a_caught_up_member_sees_the_passages_privately(bot, world: Scene) -> None:
    await watched(world, world.alice)
    ix = await search(world, world.alice, "aleida margo")
    assert ix.ephemeral and len(ix.messages) == 1
    embed = ix.reply.embeds[0]
    assert embed["title"] == "S4E6 · Leningrad"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "**Aleida**" in fields["Recap"] or "**Margo**" in fields["Recap"]
    # The ending's passage stays behind spoiler bars, line by line.
    assert all(
        line.startswith("||") and line.endswith("||") for line in fields["Ending"].split("\n")
    )
    assert "more match" not in ix.reply.content


async def test_title_matches_are_public_safe_cards(bot, world: Scene) -> None:
    ix = await search(world, world.bob, "Leningrad")
    assert not ix.ephemeral
    card = ix.reply.embeds[0]
    assert card["title"] == "S4E6 · Leningrad" and "Helios and Roscosmos" in card["description"]
    assert "1 episode" in ix.reply.content
    public = "\n".join(m.text() for m in ix.messages if not m.ephemeral)
    assert "Eli Hobson" not in public and "unannounced" not in public
    # Leningrad is also in the recap, but the match on the title already shows the episode.
    assert all(not m.ephemeral for m in ix.messages)


async def test_behind_member_sees_watched_passages_and_counts_the_rest(tide, world: Scene) -> None:
    await watched(world, world.alice, show="tide-line", episode="S1E1")
    ix = await search(world, world.alice, "lighthouse", show="tide-line")
    assert ix.ephemeral
    text = everything(ix)
    assert "Low Water" in text and "**lighthouse**" in text
    assert "2 more matches in episodes you have not watched" in text
    for unseen in ("stairs", "logbook", "Osgood", "drowns", "Spring Tide", "Ebb"):
        assert unseen not in text, unseen


async def test_synopsis_matches_go_public_deeper_ones_follow_privately(tide, world: Scene) -> None:
    await watched(world, world.alice, show="tide-line", episode="S1E2")
    ix = await search(world, world.alice, "storm")
    assert not ix.ephemeral
    titles = [e["title"] for e in ix.reply.embeds]
    assert titles == ["S1E2 · Spring Tide", "S1E3 · Ebb"]
    assert "Osgood" not in everything(ix) and "logbook" not in everything(ix)
    ix = await search(world, world.alice, "keeper")
    assert ix.ephemeral
    assert [e["title"] for e in ix.reply.embeds] == ["S1E1 · Low Water", "S1E2 · Spring Tide"]
    assert "||" in ix.reply.embeds[1]["fields"][0]["value"]
    assert "1 more match" in ix.reply.content and "drowns" not in everything(ix)


async def test_server_default_caught_up_shows_every_passage(tide, world: Scene) -> None:
    await everyone_caught_up(world)
    ix = await search(world, world.bob, "lighthouse")
    assert len(ix.reply.embeds) == 3 and "more match" not in ix.reply.content


@pytest.mark.parametrize(
    "typed",
    ['"', "*", "NEAR(", "OR", "-", "a OR b", '"unclosed', "NOT", "{title}:x", "^", "\ud83d x"],
)
async def test_fts_syntax_is_plain_text(bot, world: Scene, typed: str) -> None:
    ix = await search(world, world.alice, typed)
    assert ix.ephemeral
    assert "Something went wrong" not in ix.text()


async def test_autocomplete_offers_titles_and_cast(bot, world: Scene) -> None:
    fd = world.fd
    for typed, expected in (
        ("kinn", "Joel Kinnaman"),
        ("lenin", "Leningrad"),
        ("all m", "For All Mankind"),
    ):
        choices = await fd.autocomplete(
            world.alice, world.channel, "search", focused="text", text=typed
        )
        assert {"name": expected, "value": expected} in choices, typed
    offered = await fd.autocomplete(world.alice, world.channel, "search", focused="text", text="")
    assert 0 < len(offered) <= 25
    hostile = await fd.autocomplete(
        world.alice, world.channel, "search", focused="text", text='"*('
    )
    assert len(hostile) <= 25


async def test_many_matches_keep_within_discord_limits(runner, settings, world, tmp_path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    long = "The harbor " + "keeps its quiet secrets while the tide turns. " * 21
    episodes = [(f"Harbor {i}", long, "A recap.", "An ending.") for i in range(15)]
    (folder / "tide-line.toml").write_text(tide_line(episodes))
    await runner.start(dataclasses.replace(settings, data_dir=folder))
    ix = await search(world, world.alice, "harbor")
    embeds = ix.reply.embeds
    assert 1 <= len(embeds) <= 10
    size = sum(len(e.get("title", "")) + len(e.get("description", "")) for e in embeds)
    assert size <= 6000 and "15 episodes" in ix.reply.content


async def test_a_search_during_a_large_import_says_so(bot, settings, world: Scene) -> None:
    # A large import fills SQLite's index after its last file (bot/store/search_index.py):
    # meanwhile a member told "nothing found" would believe the catalog lacks it.
    query(settings.store_target, "INSERT INTO meta (key, value) VALUES (?, '1')", (BULK,))
    bot.store.search.forget()
    found = await search(world, world.bob, "Leningrad")
    missing = await search(world, world.bob, "zeppelin")
    said = [m.text() for m in (*found.messages, *missing.messages) if m.ephemeral]
    if TEST_STORE == "postgresql":  # each row is indexed as it is written: nothing to say
        assert not any("still being imported" in text for text in said)
    else:
        assert len([text for text in said if "still being imported" in text]) == 2
    assert any(not m.ephemeral and "Leningrad" in m.text() for m in found.messages)
    query(settings.store_target, "DELETE FROM meta WHERE key = ?", (BULK,))
    bot.store.search.forget()  # as the import's own last commit does
    after = await search(world, world.bob, "zeppelin")
    assert "still being imported" not in after.text()
