"""A recap taken from Wikipedia, as members read it through /recap and as the store keeps it.

The data file is written by the real Wikipedia source against the fake in harness/, then the
bot imports it and a member asks for the recap through the Discord emulator.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path

import aiohttp

from bot.catalog import exporter, importer
from bot.catalog.sources.wikipedia import WikipediaClient
from bot.catalog.sources.wikipedia.refresh import refresh
from bot.models import ContentField, RecapSource
from bot.settings import Settings
from bot.store import Store
from bot.store.edits import value_token
from harness.fakewikipedia import FakeWikipedia, standard_pages
from tests.conftest import BotRunner, Databases, Scene, acked_in_time, watched
from tests.test_wikipedia_cli import KEEPERS

RESIDUE = re.compile(r"\[\[|\]\]|\{\{|\}\}|<ref|<!--|''|</?\w+>")


def keepers_file(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "keepers.toml"
    path.write_text(KEEPERS.format(title="Lighthouse Keepers"), encoding="utf-8")
    return path


async def keepers_from_wikipedia(folder: Path) -> Path:
    path = keepers_file(folder)
    async with FakeWikipedia(standard_pages()) as fake, aiohttp.ClientSession() as session:
        client = WikipediaClient(session, contact="tests@example.org", base_url=fake.api_url)
        await refresh(client, folder, "lighthouse-keepers")
    return path


async def test_recap_credits_wikipedia_with_the_revision_link(
    runner: BotRunner, settings: Settings, world: Scene, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    await keepers_from_wikipedia(folder)
    await runner.start(dataclasses.replace(settings, data_dir=folder))
    await watched(world, world.alice, "lighthouse-keepers", "S1E2")
    ix = await world.fd.slash(
        world.alice, world.channel, "recap", show="lighthouse-keepers", season=1, episode="S1E2"
    )
    assert acked_in_time(ix) and not ix.ephemeral, ix.text()
    embed = ix.reply.embeds[0]
    assert embed["title"] == "S1E2 · Fog Signal — Recap"
    credit = next(f for f in embed["fields"] if f["name"] == "Recap from Wikipedia")
    assert credit["value"] == (
        "List of Lighthouse Keepers episodes ([revision 9001]"
        "(https://en.wikipedia.org/w/index.php?oldid=9001)) · "
        "[CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)"
    )
    description = embed["description"]
    assert not RESIDUE.search(description)
    # Wikipedia's text is shown as written: the spoiler bars, the mention and the stars are
    # escaped, so they neither hide text nor ping nor turn bold.
    assert "\\|\\|the lamp was never lit\\|\\|" in description
    assert "\\@everyone" in description and "\\*anyway\\*" in description
    assert "keep the horn going" in description


async def test_a_persons_recap_carries_no_wikipedia_credit(
    runner: BotRunner, settings: Settings, world: Scene, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    await keepers_from_wikipedia(folder)
    await runner.start(dataclasses.replace(settings, data_dir=folder))
    await watched(world, world.alice, "lighthouse-keepers", "S1E3")
    ix = await world.fd.slash(
        world.alice, world.channel, "recap", show="lighthouse-keepers", season=1, episode="S1E3"
    )
    embed = ix.reply.embeds[0]
    # Escaped like every recap (a colon is escaped too; Discord shows it as written).
    assert embed["description"].endswith("Written by hand\\: Ansel arrives, and the light fails.")
    assert all(f["name"] != "Recap from Wikipedia" for f in embed.get("fields", []))


async def test_credit_survives_export_and_goes_with_a_discord_edit(
    tmp_path: Path, databases: Databases
) -> None:
    folder = tmp_path / "data"
    path = await keepers_from_wikipedia(folder)
    store = await Store.open(await databases())
    try:
        await importer.import_file(store, path)
        out = tmp_path / "exported"
        out.mkdir()
        written = await exporter.export_show(store, "lighthouse-keepers", out)
        assert written is not None
        episodes = tomllib.loads(written.read_text("utf-8"))["episodes"]
        first = next(e for e in episodes if (e["season"], e["number"]) == (1, 1))
        assert first["recap_source"] == {
            "site": "wikipedia",
            "article": "List of Lighthouse Keepers episodes",
            "revision": 9001,
        }
        assert "recap" in first["upstream"]  # the writer still knows the recap is Wikipedia's
        change = await importer.import_file(store, written, force=True)
        assert change is not None and change.updated == 0
        # A member rewrites S1E1's recap in Discord: the text is theirs, the credit goes.
        show = await store.catalog.find_show("lighthouse-keepers")
        assert show is not None
        episode = await store.catalog.episode(show.id, 1, 1)
        assert episode is not None and episode.recap_source == RecapSource(
            "wikipedia", "List of Lighthouse Keepers episodes", 9001
        )
        await store.content.save(
            episode.id,
            ContentField.RECAP,
            "Our own recap.",
            author_id=1,
            guild_id=None,
            base=value_token(ContentField.RECAP, episode.recap),
        )
        edited = await store.catalog.episode(show.id, 1, 1)
        assert edited is not None and edited.recap == "Our own recap."
        assert edited.recap_source is None
        # The file's Wikipedia text does not come back over the edit, nor does its credit.
        await importer.import_file(store, path, force=True)
        again = await store.catalog.episode(show.id, 1, 1)
        assert again is not None and (again.recap, again.recap_source) == ("Our own recap.", None)
    finally:
        await store.close()
