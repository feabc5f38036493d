"""/catalog add and refresh take recaps from Wikipedia: the emulator, fake TVmaze and fake
Wikipedia together, as a moderator and a member would meet them."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.catalog import exporter, importer
from bot.models import ContentField
from bot.settings import Settings
from bot.store import Store
from bot.store.edits import value_token
from harness.faketvmaze import FakeTvmaze, episode
from harness.faketvmaze.fixtures import FakeShow, show
from harness.fakewikipedia import FakePage, FakeWikipedia, standard_pages
from harness.fakewikipedia.fixtures import episode_row, night_ferry_season, table
from tests.conftest import BotRunner, Databases, Scene, acked_in_time, everyone_caught_up
from tests.test_wikipedia_cli import KEEPERS as KEEPERS_FILE

FERRY, KEEPERS, CROSSING = 5501, 5502, 5503
GUIDE = "Crossing (invented drama) episode guide"
SHOWN = GUIDE.replace("(", "\\(").replace(")", "\\)")  # as escaped in Discord's markdown
RESIDUE = re.compile(r"\[\[|\]\]|\{\{|\}\}|<ref|<!--|''|</?\w+>")
PING = re.compile(r"(?<!\\)@(everyone|here)|<@[!&]?\d+>")


def night_ferry() -> FakeShow:
    # S1E3 is "Runs Aground" on Wikipedia: the title differs, so its row must not be used.
    rows = [
        (1, 1, "Leaves Late", "2019-09-01"),
        (1, 2, "Turns Back", "2019-09-08"),
        (1, 3, "Runs Ashore", "2019-09-15"),
        (2, 1, "Takes On Water", "2020-09-01"),
        (2, 2, "Reaches Port", "2020-09-08"),
    ]
    return FakeShow(
        show=show(FERRY, "Night Ferry", premiered="2019-09-01"),
        episodes=[episode(FERRY * 100 + s * 10 + n, s, n, t, airdate=d) for s, n, t, d in rows],
    )


def lighthouse_keepers() -> FakeShow:
    rows = [
        (1, 1, "First Light", "2021-03-04"),
        (1, 2, "Fog Signal", "2021-03-11"),
        (1, 3, "The Tender", "2021-03-18"),
        (2, 1, "Low Water", "2022-05-02"),
    ]
    return FakeShow(
        show=show(KEEPERS, "Lighthouse Keepers"),
        episodes=[episode(KEEPERS * 100 + s * 10 + n, s, n, t, airdate=d) for s, n, t, d in rows],
    )


def crossing() -> FakeShow:
    """A show whose "List of … episodes" is a disambiguation page: the operator names one."""
    rows = [(1, 1, "Leaves Late", "2019-09-01"), (1, 2, "Turns Back", "2019-09-08")]
    return FakeShow(
        show=show(CROSSING, "Crossing", premiered="2019-09-01"),
        episodes=[episode(CROSSING * 100 + n, s, n, t, airdate=d) for s, n, t, d in rows],
    )


def guide_text(boat: str) -> str:
    rows = [
        episode_row(1, "1", "Leaves Late", (2019, 9, 1), f"On crossing 1, {boat} leaves late."),
        episode_row(2, "2", "Turns Back", (2019, 9, 8), f"On crossing 2, {boat} turns back."),
    ]
    return "== Episodes ==\n=== Season 1 (2019) ===\n" + table(rows)


@pytest.fixture
async def wikipedia() -> AsyncIterator[FakeWikipedia]:
    guide = FakePage(GUIDE, guide_text("the ferry"), 9300)
    async with FakeWikipedia([*standard_pages(), guide], latency=0.2) as fake:
        yield fake


@pytest.fixture
async def wiki_bot(
    runner: BotRunner, settings: Settings, world: Scene, tmp_path: Path, wikipedia: FakeWikipedia
) -> AsyncIterator[BotRunner]:
    folder = tmp_path / "data"
    folder.mkdir()
    async with FakeTvmaze([night_ferry(), lighthouse_keepers(), crossing()]) as tvmaze:
        await runner.start(
            dataclasses.replace(
                settings,
                data_dir=folder,
                tvmaze_api_base=tvmaze.base_url,
                tvmaze_refresh_hours=0,
                wikipedia_api_base=wikipedia.api_url,
                wikipedia_contact="tests@example.org",
            )
        )
        await everyone_caught_up(world)
        yield runner


async def catalog(world: Scene, command: str, show: str) -> tuple[str, list[str]]:
    """The final reply, and every progress line seen while it was being written."""
    ix = await world.fd.slash(world.mod, world.channel, f"catalog {command}", show=show)
    assert acked_in_time(ix) and ix.ephemeral
    seen: list[str] = []

    def done(i: object) -> bool:
        if ix.original is not None and ix.original.content not in seen:
            seen.append(ix.original.content)
        return not ix.thinking and "⏳" not in ix.reply.content

    await ix.wait_for(done, timeout=20)
    assert len(ix.reply.content) <= 2000
    return ix.reply.content, seen


async def recap(world: Scene, show: str, code: str) -> dict[str, object]:
    season = int(code[1 : code.index("E")])
    ix = await world.fd.slash(
        world.alice, world.channel, "recap", show=show, season=season, episode=code
    )
    assert acked_in_time(ix), ix.text()
    embed: dict[str, object] = ix.reply.embeds[0]
    return embed


def credit(embed: dict[str, object]) -> str | None:
    fields = embed.get("fields") or []
    assert isinstance(fields, list)
    return next((f["value"] for f in fields if f["name"] == "Recap from Wikipedia"), None)


async def test_add_fills_recaps_from_a_season_split_list_and_reports_the_mismatch(
    wiki_bot: BotRunner, world: Scene
) -> None:
    reply, seen = await catalog(world, "add", str(FERRY))
    assert any("Looking for recaps on Wikipedia" in line for line in seen), seen
    assert "**Night Ferry**" in reply
    assert (
        "Recaps from Wikipedia (List of Night Ferry episodes, revision 9100): "
        "4 filled, 1 mismatched" in reply
    ), reply
    assert "Mismatched: S1E3" in reply
    for code, article, revision in [
        ("S1E1", "Night Ferry season 1", 9101),
        ("S1E2", "Night Ferry season 1", 9101),
        ("S2E1", "Night Ferry season 2", 9102),
        ("S2E2", "Night Ferry season 2", 9102),
    ]:
        embed = await recap(world, "night-ferry", code)
        assert "the ferry" in str(embed["description"]), (code, embed)
        assert credit(embed) == (
            f"{article} ([revision {revision}]"
            f"(https://en.wikipedia.org/w/index.php?oldid={revision})) · "
            "[CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)"
        )
    # The mismatched episode is reported, not filled.
    embed = await recap(world, "night-ferry", "S1E3")
    assert "the ferry" not in str(embed.get("description", "")) and credit(embed) is None


async def test_people_recaps_survive_a_refresh_wikipedias_own_follow_it(
    wiki_bot: BotRunner, world: Scene, wikipedia: FakeWikipedia, tmp_path: Path
) -> None:
    await catalog(world, "add", str(FERRY))
    # By hand in the file: S1E2's recap; in Discord: S2E1's.
    path = tmp_path / "data" / "night-ferry.toml"
    text = path.read_text("utf-8")
    ours = "On crossing 2 of season 1, the ferry turns back."
    path.write_text(text.replace(ours, "Written by hand: the captain turns round."), "utf-8")
    bot = wiki_bot.bot
    assert bot is not None
    show_row = await bot.store.catalog.find_show("night-ferry")
    assert show_row is not None
    s2e1 = await bot.store.catalog.episode(show_row.id, 2, 1)
    assert s2e1 is not None
    await bot.store.content.save(
        s2e1.id,
        ContentField.RECAP,
        "Written in Discord: water everywhere.",
        author_id=world.alice.id,
        guild_id=world.guild.id,
        base=value_token(ContentField.RECAP, s2e1.recap),
    )
    season2 = night_ferry_season(2, ["Takes On Water", "Reaches Port"], 2020)
    wikipedia.edit("Night Ferry season 2", season2.replace("the ferry", "the old ferry"))
    reply, _ = await catalog(world, "refresh", "night-ferry")
    assert "Recaps from Wikipedia" in reply, reply
    s1e2 = await recap(world, "night-ferry", "S1E2")
    # Escaped like every recap: the colon comes back as "\\:", which Discord shows as ":".
    assert "Written by hand\\: the captain turns round." in str(s1e2["description"])
    assert credit(s1e2) is None
    s2e1_seen = await recap(world, "night-ferry", "S2E1")
    assert "Written in Discord\\: water everywhere." in str(s2e1_seen["description"])
    assert credit(s2e1_seen) is None
    # Wikipedia's own recap follows the new revision.
    s2e2 = await recap(world, "night-ferry", "S2E2")
    assert "the old ferry reaches port" in str(s2e2["description"])
    assert "revision 9103" in str(credit(s2e2))


@pytest.mark.parametrize("fault", ["429", "missing"])
async def test_a_wikipedia_failure_leaves_the_show_as_tvmaze_left_it(
    wiki_bot: BotRunner, world: Scene, wikipedia: FakeWikipedia, tmp_path: Path, fault: str
) -> None:
    if fault == "429":
        wikipedia.script(status=429, retry_after=0, times=20)
    else:
        del wikipedia.by_title["List of Night Ferry episodes"]
    reply, _ = await catalog(world, "add", str(FERRY))
    assert "**Night Ferry**" in reply and "5 episodes" in reply, reply
    lines = [line for line in reply.splitlines() if "Wikipedia" in line]
    assert len(lines) == 1 and lines[0].startswith("⚠️ No recaps from Wikipedia:"), reply
    assert lines[0].endswith("The episodes from TVmaze are in.")
    written = tomllib.loads((tmp_path / "data" / "night-ferry.toml").read_text("utf-8"))
    assert len(written["episodes"]) == 5
    assert not any("recap" in e or "recap_source" in e for e in written["episodes"])
    embed = await recap(world, "night-ferry", "S1E1")
    assert credit(embed) is None


async def test_without_a_contact_recaps_are_skipped_with_one_line(
    runner: BotRunner, settings: Settings, world: Scene, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    async with FakeTvmaze([night_ferry()]) as tvmaze:
        await runner.start(
            dataclasses.replace(
                settings, data_dir=folder, tvmaze_api_base=tvmaze.base_url, tvmaze_refresh_hours=0
            )
        )
        reply, _ = await catalog(world, "add", str(FERRY))
    assert "**Night Ferry**" in reply
    assert reply.splitlines()[-1].startswith("Recaps from Wikipedia are off: set WIKIPEDIA_CONTACT")


async def test_awkward_wikitext_leaves_no_markup_no_ping_and_fits(
    wiki_bot: BotRunner, world: Scene
) -> None:
    reply, _ = await catalog(world, "add", str(KEEPERS))
    assert "Recaps from Wikipedia (List of Lighthouse Keepers episodes" in reply, reply
    assert not PING.search(reply)
    filled = 0
    for code in ["S1E1", "S1E2", "S1E3", "S2E1"]:
        embed = await recap(world, "lighthouse-keepers", code)
        description = str(embed.get("description", ""))
        filled += credit(embed) is not None
        assert not RESIDUE.search(description), (code, description)
        assert not PING.search(description), (code, description)
        assert len(description) <= 4096 and len(str(embed.get("title", ""))) <= 256
    assert filled == 4


async def test_a_named_article_is_kept_and_used_by_later_refreshes(
    wiki_bot: BotRunner, world: Scene, wikipedia: FakeWikipedia, tmp_path: Path
) -> None:
    reply, _ = await catalog(world, "add", str(CROSSING))
    assert "**Crossing**" in reply
    assert "“List of Crossing episodes” is a disambiguation page" in reply, reply
    assert "/catalog source" in reply and "--article" not in reply
    fd = world.fd
    choices = await fd.autocomplete(
        world.mod, world.channel, "catalog source", focused="article", show="crossing", article=""
    )
    assert GUIDE in [c["value"] for c in choices], choices
    assert all(len(c["value"]) <= 100 for c in choices) and len(choices) <= 25
    ix = await fd.slash(world.mod, world.channel, "catalog source", show="crossing", article=GUIDE)
    await ix.wait_for(lambda i: not i.thinking, timeout=15)
    assert ix.ephemeral and ix.reply.content.startswith("Saved: recaps of Crossing"), ix.text()
    assert f"({SHOWN}, revision 9300): 2 filled, 0 mismatched" in ix.reply.content
    path = tmp_path / "data" / "crossing.toml"
    assert tomllib.loads(path.read_text("utf-8"))["show"]["wikipedia"] == GUIDE
    # Wikipedia revises the guide: a refresh reads it, not the disambiguation page.
    wikipedia.edit(GUIDE, guide_text("the night boat"))
    wikipedia.requests.clear()
    reply, _ = await catalog(world, "refresh", "crossing")
    assert f"({SHOWN}, revision 9301): 2 filled" in reply, reply
    asked = " ".join(r.get("titles", "") for r in wikipedia.requests)
    assert GUIDE in asked and "List of Crossing episodes" not in asked
    embed = await recap(world, "crossing", "S1E1")
    assert "the night boat leaves late" in str(embed["description"])
    # The choice survives TVmaze's rewrite of the file, and can be forgotten.
    assert tomllib.loads(path.read_text("utf-8"))["show"]["wikipedia"] == GUIDE
    ix = await fd.slash(world.mod, world.channel, "catalog source", show="crossing", clear=True)
    await ix.wait_for(lambda i: not i.thinking, timeout=15)
    assert "the search picks" in ix.reply.content, ix.text()
    assert "wikipedia" not in tomllib.loads(path.read_text("utf-8"))["show"]


async def test_the_daily_refresh_follows_wikipedia(
    runner: BotRunner, settings: Settings, world: Scene, tmp_path: Path, wikipedia: FakeWikipedia
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    async with FakeTvmaze([night_ferry()]) as tvmaze:
        # A refresh every 2 s (the first one 2 s after start-up).
        await runner.start(
            dataclasses.replace(
                settings,
                data_dir=folder,
                tvmaze_api_base=tvmaze.base_url,
                tvmaze_refresh_hours=2 / 3600,
                wikipedia_api_base=wikipedia.api_url,
                wikipedia_contact="tests@example.org",
            )
        )
        await everyone_caught_up(world)
        await catalog(world, "add", str(FERRY))
        season2 = night_ferry_season(2, ["Takes On Water", "Reaches Port"], 2020)
        wikipedia.edit("Night Ferry season 2", season2.replace("the ferry", "the old ferry"))
        for _ in range(50):
            embed = await recap(world, "night-ferry", "S2E2")
            if "the old ferry" in str(embed["description"]):
                break
            await asyncio.sleep(0.3)
        assert "the old ferry reaches port" in str(embed["description"])
        assert "revision 9103" in str(credit(embed))


async def test_the_wikipedia_write_waits_for_the_catalog_lock(
    wiki_bot: BotRunner, world: Scene, tmp_path: Path
) -> None:
    await catalog(world, "add", str(CROSSING))
    bot = wiki_bot.bot
    assert bot is not None
    path = tmp_path / "data" / "crossing.toml"
    before = path.read_text("utf-8")
    async with bot.catalog_writing:  # as a file being written or a show removed holds it
        ix = await world.fd.slash(
            world.mod, world.channel, "catalog source", show="crossing", article=GUIDE
        )
        assert acked_in_time(ix)
        await asyncio.sleep(1.5)  # Wikipedia has answered by now; the write must wait
        assert path.read_text("utf-8") == before and ix.thinking
    await ix.wait_for(lambda i: not i.thinking, timeout=15)
    assert "2 filled" in ix.reply.content, ix.text()
    assert tomllib.loads(path.read_text("utf-8"))["show"]["wikipedia"] == GUIDE


async def test_the_named_article_survives_an_export_over_its_file(
    tmp_path: Path, databases: Databases
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "keepers.toml"
    text = KEEPERS_FILE.format(title="Lighthouse Keepers")
    path.write_text(
        text.replace("[show]\n", f'[show]\nwikipedia = "{GUIDE}"\n', 1), encoding="utf-8"
    )
    store = await Store.open(await databases())
    try:
        await importer.import_file(store, path)
        written = await exporter.export_show(store, "lighthouse-keepers", folder)
        assert written == path
        assert tomllib.loads(path.read_text("utf-8"))["show"]["wikipedia"] == GUIDE
    finally:
        await store.close()
