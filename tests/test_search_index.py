"""The search index follows the catalog: imports, edits, retirements, removals, old databases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.catalog import importer
from bot.models import Viewer
from bot.store import Store
from bot.store.search import search_terms
from tests.conftest import Databases
from tests.test_migrations import database_at
from tests.test_search import EPISODES, tide_line

EVERYONE = Viewer(None, 1, unset_is_behind=False)


@pytest.fixture
async def store(tmp_path: Path, databases: Databases) -> AsyncIterator[Store]:
    opened = await Store.open(await databases())
    try:
        yield opened
    finally:
        await opened.close()


async def found(store: Store, text: str) -> list[str]:
    """The labels of every episode a caught-up member finds, title matches first."""
    results = await store.search.search(search_terms(text), EVERYONE, None, 10)
    return [e.label for e in results.safe] + [m.episode.label for m in results.deep]


async def load(store: Store, folder: Path, episodes: list[tuple[str, str, str, str]]) -> None:
    path = folder / "tide-line.toml"
    path.write_text(tide_line(episodes))
    await importer.import_file(store, path)


async def test_an_import_that_changes_a_recap_changes_what_is_found(
    store: Store, tmp_path: Path
) -> None:
    await load(store, tmp_path, EPISODES)
    assert await found(store, "stairs") == ["S1E2 · Spring Tide"]
    edited = list(EPISODES)
    edited[1] = ("Spring Tide", EPISODES[1][1], "Wren rings the bell in the tower.", "Osgood.")
    await load(store, tmp_path, edited)
    assert await found(store, "stairs") == []
    assert await found(store, "bell tower") == ["S1E2 · Spring Tide"]
    assert len(await found(store, "lighthouse")) == 2


async def test_retired_episodes_and_shows_are_not_found(store: Store, tmp_path: Path) -> None:
    await load(store, tmp_path, EPISODES)
    assert await found(store, "logbook") == ["S1E3 · Ebb"]
    assert await store.search.names("ebb", 25) == ["Ebb"]
    await load(store, tmp_path, EPISODES[:2])  # S1E3 leaves its file: retired
    assert await found(store, "logbook") == []
    assert await store.search.names("ebb", 25) == []
    await store.catalog.retire_show("tide-line")
    assert await found(store, "lighthouse") == []
    assert await store.search.names("tide", 25) == []
    await load(store, tmp_path, EPISODES)  # back in its folder: found again
    assert await found(store, "logbook") == ["S1E3 · Ebb"]
    assert await store.search.names("tide", 25) == ["Spring Tide", "Tide Line"]


async def test_removing_a_show_empties_its_index_and_names(store: Store, tmp_path: Path) -> None:
    await importer.import_file(store, Path(__file__).parents[1] / "data" / "for-all-mankind.toml")
    assert await store.search.names("kinn", 25) == ["Joel Kinnaman"]
    assert await store.catalog.remove_show("for-all-mankind")
    assert await found(store, "Aleida") == []
    assert await store.search.names("", 25) == []


async def test_a_name_stays_while_anything_uses_it(store: Store, tmp_path: Path) -> None:
    twice = [EPISODES[0], ("Low Water", "Again.", "Wren again.", "Again."), EPISODES[2]]
    await load(store, tmp_path, twice)
    await load(store, tmp_path, EPISODES)  # one "Low Water" left
    assert await store.search.names("low", 25) == ["Low Water"]
    row = await store.fetchone("SELECT uses FROM catalog_names WHERE name = 'low water'")
    assert row is not None and row["uses"] == 1


async def test_an_upgraded_database_is_indexed(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    database_at(path, 3)
    store = await Store.open(path)
    try:
        assert await found(store, "recap") == ["S1E1 · Pilot"]
        assert await found(store, "pilot") == ["S1E1 · Pilot"]
        assert set(await store.search.names("", 25)) >= {"Night Shift", "Ada Marsh", "Head nurse"}
    finally:
        await store.close()


@pytest.mark.parametrize(
    "typed",
    [
        '"',
        '""',
        "*",
        "NEAR(a b",
        "a OR b",
        "-x",
        "NOT",
        "title:x",
        "{recap}: x",
        "\ud83d",
        "x\x00y",
    ],
)
async def test_query_syntax_is_only_ever_text(store: Store, typed: str) -> None:
    await importer.import_file(store, Path(__file__).parents[1] / "data" / "for-all-mankind.toml")
    results = await store.search.search(search_terms(typed), EVERYONE, None, 10)
    assert results.safe_total + results.deep_total + results.unwatched >= 0
    assert len(await store.search.names(typed, 25)) <= 25


async def test_a_hidden_show_and_its_retired_episodes_leave_the_cast_suggestions(
    store: Store, tmp_path: Path
) -> None:
    source = Path(__file__).parents[1] / "data" / "for-all-mankind.toml"
    path = tmp_path / "for-all-mankind.toml"
    path.write_text(source.read_text("utf-8"), "utf-8")
    await importer.import_file(store, path)
    assert await store.search.names("kinn", 25) == ["Joel Kinnaman"]
    await store.catalog.retire_show("for-all-mankind")  # what /catalog remove does when kept
    assert await store.search.names("kinn", 25) == []
    assert await store.search.names("", 25) == []
    await importer.import_file(store, path)  # back: counted in once, not twice
    assert await store.search.names("kinn", 25) == ["Joel Kinnaman"]
    await store.catalog.retire_show("for-all-mankind")
    assert await store.search.names("", 25) == []


async def test_migration_12_recounts_the_names_of_hidden_shows_out(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    database_at(path, 3)
    store = await Store.open(path)
    try:
        # A show hidden before names were counted out: its cast was still suggested.
        async with store.transaction() as db:
            await db.execute("UPDATE shows SET retired_at = 1.0 WHERE slug = 'night-shift'")
            await db.execute("UPDATE episodes SET retired_at = 1.0")  # as retire_show does
        assert "Ada Marsh" in await store.search.names("", 25)
        folder = Path(__file__).parents[1] / "bot" / "migrations"
        lines = next(folder.glob("0012-*.sql")).read_text("utf-8").splitlines()
        recount = "\n".join(line for line in lines if not line.startswith("--"))
        # Raw SQL bypasses the query classes, so the kept suggestion lists are forgotten here
        # as a catalog write forgets them.
        async with store.transaction(then=store.search.forget) as db:
            for statement in recount.split(";"):
                if statement.strip():
                    await db.execute(statement)
        assert await store.search.names("", 25) == []
        assert await store.search.names("ada", 25) == []  # the full-text index agrees
    finally:
        await store.close()
