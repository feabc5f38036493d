"""Re-imports that never lose what members made: renumbered, removed and renamed, on real files."""

from __future__ import annotations

import dataclasses
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.catalog import importer
from bot.models import CatalogChange, Mode
from bot.settings import Settings
from bot.store import Store
from tests.conftest import ROOT, BotRunner, Databases, Scene
from tests.stores import store_env

HEAD = """
[show]
slug = "night-shift"
title = "Night Shift"
tvmaze_id = 900
network = "Channel 9"
"""


def episode(season: int, number: int, title: str, tvmaze_id: int | None = None) -> str:
    tvmaze = f"tvmaze_id = {tvmaze_id}\n" if tvmaze_id else ""
    return f"""
[[episodes]]
season = {season}
number = {number}
title = "{title}"
{tvmaze}synopsis = "Another night on the ward."
recap = "{title} happens."
[[episodes.cast]]
actor = "Ada Marsh"
[[episodes.polls]]
question = "Was {title} good?"
options = ["Yes", "No"]
"""


@pytest.fixture
async def store(tmp_path: Path, databases: Databases):
    opened = await Store.open(await databases())
    yield opened
    await opened.close()


async def members_use(store: Store, episode_id: int, show_id: int) -> None:
    """A poll, a watch party, a discussion thread and progress, as members make them."""
    await store.polls.create(
        guild_id=10,
        channel_id=20,
        creator_id=40,
        question="Who was right?",
        options=("Ada", "Tom"),
        mode=Mode.LIVE,
        closes_at=9e9,
        episode_id=episode_id,
    )
    await store.parties.create(
        guild_id=10,
        episode_id=episode_id,
        channel_id=20,
        creator_id=40,
        starts_at=9e9,
        ends_at=9e10,
    )
    await store.threads.remember(10, episode_id, thread_id=60, parent_id=21)
    watched = await store.catalog.episode_by_id(episode_id)
    assert watched is not None and watched.show_id == show_id
    await store.progress.set(10, 50, watched)


async def member_rows(store: Store) -> list[tuple]:
    rows = await store.fetchall(
        "SELECT (SELECT group_concat(episode_id) FROM polls),"
        " (SELECT group_concat(episode_id) FROM watch_parties),"
        " (SELECT group_concat(episode_id) FROM discussion_threads),"
        " (SELECT count(*) FROM progress)"
    )
    return [tuple(r) for r in rows]


async def test_renumbered_episodes_keep_their_ids_and_members_things(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "night-shift.toml"
    path.write_text(HEAD + episode(1, 1, "Pilot", 1001) + episode(1, 2, "Rounds", 1002))
    assert await importer.import_file(store, path) == CatalogChange(added=2)
    show = await store.catalog.find_show("night-shift")
    assert show is not None and (show.tvmaze_id, show.network) == (900, "Channel 9")
    pilot = await store.catalog.episode(show.id, 1, 1)
    assert pilot is not None and pilot.tvmaze_id == 1001
    await members_use(store, pilot.id, show.id)
    before = await member_rows(store)

    # Upstream swapped the two: the TVmaze ids say which is which, and the report says so.
    path.write_text(HEAD + episode(1, 2, "Pilot", 1001) + episode(1, 1, "Rounds", 1002))
    swapped = ("S1E1 → S1E2 “Pilot”", "S1E2 → S1E1 “Rounds”")
    assert await importer.import_file(store, path) == CatalogChange(updated=2, renumbered=swapped)
    moved = await store.catalog.episode(show.id, 1, 2)
    assert moved is not None and (moved.id, moved.title) == (pilot.id, "Pilot")
    assert await member_rows(store) == before == [(str(pilot.id),) * 3 + (1,)]
    assert [p.question for p in await store.catalog.preset_polls(pilot.id)] == ["Was Pilot good?"]


async def test_removed_episode_is_retired_not_deleted(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "night-shift.toml"
    path.write_text(HEAD + episode(1, 1, "Pilot") + episode(1, 2, "Rounds"))
    await importer.import_file(store, path)
    show = await store.catalog.find_show("night-shift")
    assert show is not None
    rounds = await store.catalog.episode(show.id, 1, 2)
    assert rounds is not None
    await members_use(store, rounds.id, show.id)
    before = await member_rows(store)

    path.write_text(HEAD + episode(1, 1, "Pilot"))
    assert await importer.import_file(store, path) == CatalogChange(retired=1, unchanged=1)
    assert [e.code for e in await store.catalog.episodes(show.id)] == ["S1E1"]
    assert await store.catalog.episode(show.id, 1, 2) is None
    assert await store.catalog.search_episodes(show.id, None, "Rounds", None) == []
    # What refers to it still finds it, and nothing members made is gone.
    kept = await store.catalog.episode_by_id(rounds.id)
    assert kept is not None and kept.title == "Rounds"
    assert await member_rows(store) == before

    # Back in the file: the same row returns, with its poll, party and thread.
    path.write_text(HEAD + episode(1, 1, "Pilot") + episode(1, 2, "Rounds"))
    assert await importer.import_file(store, path) == CatalogChange(updated=1, unchanged=1)
    back = await store.catalog.episode(show.id, 1, 2)
    assert back is not None and back.id == rounds.id


async def test_renamed_file_keeps_its_show(store: Store, tmp_path: Path) -> None:
    old = tmp_path / "night-shift.toml"
    old.write_text(HEAD + episode(1, 1, "Pilot"))
    await importer.import_folder(store, tmp_path)
    show = await store.catalog.find_show("night-shift")
    new = tmp_path / "night-shift-2021.toml"
    old.rename(new)
    report = await importer.import_folder(store, tmp_path)
    assert report.errors == []
    assert report.changes == {"night-shift-2021.toml": CatalogChange(unchanged=1)}
    again = await store.catalog.find_show("night-shift")
    assert show is not None and again is not None and again.id == show.id
    assert await store.catalog.show_source("night-shift") == "night-shift-2021.toml"
    assert await store.catalog.file_digest("night-shift.toml") is None
    # A copy under a third name is a second claim on the slug while the first file exists.
    (tmp_path / "zz-copy.toml").write_text(new.read_text())
    report = await importer.import_folder(store, tmp_path)
    assert [str(e) for e in report.errors] == [
        "zz-copy.toml: show.slug: “night-shift” is already used by night-shift-2021.toml"
    ]


def cli(
    tmp_path: Path, *args: str, database: str | Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m bot …` on `database` (by default the SQLite file in `tmp_path`)."""
    env = {**os.environ, **store_env(database or tmp_path / "watchparty.db")}
    env["DATA_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=60,
    )


async def test_cli_import_says_what_changed_and_remove_keeps_members_things(
    tmp_path: Path, databases: Databases
) -> None:
    path = tmp_path / "night-shift.toml"
    path.write_text(HEAD + episode(1, 1, "Pilot") + episode(1, 2, "Rounds"))
    result = cli(tmp_path, "import", str(path), database=await databases())
    assert result.stdout == (
        "imported: night-shift.toml: 2 added, 0 updated, 0 retired, 0 unchanged\n"
    ), result.stderr
    path.write_text(HEAD + episode(1, 1, "Pilot (extended)"))
    result = cli(tmp_path, "import", str(path), database=await databases())
    assert result.stdout.endswith(": 0 added, 1 updated, 1 retired, 0 unchanged\n")

    store = await Store.open(await databases())
    show = await store.catalog.find_show("night-shift")
    assert show is not None
    await members_use(store, 1, show.id)
    await store.close()
    result = cli(tmp_path, "remove", "night-shift", database=await databases())
    assert result.returncode == 1
    assert result.stderr == (
        "error: night-shift has 1 poll, 1 watch party, 1 discussion thread, 1 member's"
        " progress: nothing removed (--force hides the show and keeps them)\n"
    )
    result = cli(tmp_path, "remove", "night-shift", "--force", database=await databases())
    assert result.returncode == 0 and result.stdout.startswith("retired: night-shift")
    assert "night-shift.toml is still in" in result.stdout

    store = await Store.open(await databases())
    try:
        assert await store.catalog.find_show("night-shift") is None
        assert await store.catalog.episode_by_id(1) is not None
        assert await member_rows(store) == [("1", "1", "1", 1)]
    finally:
        await store.close()


async def test_cli_remove_deletes_a_show_nobody_used(tmp_path: Path, databases: Databases) -> None:
    path = tmp_path / "night-shift.toml"
    path.write_text(HEAD + episode(1, 1, "Pilot"))
    cli(tmp_path, "import", str(path), database=await databases())
    path.unlink()
    result = cli(tmp_path, "remove", "night-shift", database=await databases())
    assert (result.returncode, result.stdout) == (0, "removed: night-shift\n"), result.stderr
    store = await Store.open(await databases())
    try:
        assert await store.fetchall("SELECT * FROM episodes") == []
        assert await store.catalog.show_source("night-shift") is None
    finally:
        await store.close()


async def test_retired_episode_leaves_autocomplete_and_recap(
    runner: BotRunner, settings: Settings, world: Scene, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "night-shift.toml"
    path.write_text(HEAD + episode(1, 1, "Pilot") + episode(1, 2, "Rounds"))
    settings = dataclasses.replace(settings, data_dir=folder)
    await runner.start(settings)
    await runner.stop()
    path.write_text(HEAD + episode(1, 1, "Pilot"))
    await runner.start(settings)
    fd, alice = world.fd, world.alice
    choices = await fd.autocomplete(
        alice, world.channel, "recap", focused="episode", show="night-shift", season=1, episode=""
    )
    assert choices == [{"name": "S1E1 · Pilot", "value": "S1E1"}]
    ix = await fd.slash(alice, world.channel, "recap", show="night-shift", season=1, episode="2")
    assert ix.ephemeral and "I can't find episode “2”" in ix.reply.content
    assert "Closest: **S1E1 · Pilot**" in ix.reply.content


async def test_large_first_import_runs_beside_the_bot(
    runner: BotRunner,
    settings: Settings,
    world: Scene,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(importer, "BACKGROUND_IMPORT_BYTES", 0)  # every catalog is "large"
    with caplog.at_level(logging.INFO, logger="bot.app"):
        bot = await runner.start(settings)
    assert "Importing 1 data files in the background" in caplog.text
    assert bot.importing is not None
    report = await bot.importing
    assert report.loaded == ["for-all-mankind.toml"]
    ix = await world.fd.slash(
        world.alice, world.channel, "cast", show="for-all-mankind", season=4, episode="6"
    )
    assert "S4E6 · Leningrad" in ix.reply.embeds[0]["footer"]["text"]
