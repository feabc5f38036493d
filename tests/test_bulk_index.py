"""A large import fills the search index once, after its rows: what /search finds afterwards is
exactly what the row-by-row triggers would have given, also after a crash mid-import.

On PostgreSQL the search columns are generated with each row, so a bulk import has nothing to
defer: the same tests show that it finds the same, and that the bulk key an interrupted import
leaves there is removed at the next start."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import re
import sqlite3
from pathlib import Path

import pytest

from bench.catalog_import import write_catalog
from bot.catalog import importer
from bot.models import Viewer
from bot.store import Store, search_index
from bot.store.search import search_terms
from tests.conftest import Databases
from tests.stores import sqlite_only

CAUGHT_UP = Viewer(None, 1, unset_is_behind=False)
BEHIND = Viewer(1, 2, unset_is_behind=True)


def catalog(folder: Path, seed: int, episodes: int) -> Path:
    """Three generated shows of two seasons (bench/catalog_import.py's generator)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_catalog(folder, shows=3, seed=seed, seasons=2, episodes=episodes)
    return folder


def words(folder: Path, count: int = 40) -> list[str]:
    """Words and names the files use, common and rare alike."""
    text = " ".join(p.read_text() for p in sorted(folder.glob("*.toml")))
    found = sorted(set(re.findall(r"[A-Za-z]{3,}", text)))
    return random.Random(3).sample(found, count)


async def everything(store: Store, queries: list[str]) -> dict[str, object]:
    """What members would be shown for each query, and what the two indexes hold for it."""
    seen: dict[str, object] = {}
    for q in queries:
        terms = search_terms(q)
        seen[f"caught up: {q}"] = await store.search.search(terms, CAUGHT_UP, None, 10)
        seen[f"behind: {q}"] = await store.search.search(terms, BEHIND, None, 10)
        seen[f"names: {q[:3]}"] = await store.search.names(q[:3], 25)
        rows = await store.fetchall(*indexed(store, q))
        seen[f"index: {q}"] = [r[0] for r in rows]
    rows = await store.fetchall("SELECT name, uses FROM catalog_names ORDER BY name")
    seen["names"] = [tuple(r) for r in rows]
    return seen


def indexed(store: Store, word: str) -> tuple[str, tuple[str]]:
    """The statement listing the episodes the search index holds for `word`, on either store."""
    if store.dialect == "postgresql":
        # Its index is the generated column, on retired rows too: search reads current ones.
        return (
            "SELECT id FROM episodes WHERE retired_at IS NULL"
            " AND search_text @@ plainto_tsquery('english', ?) ORDER BY id",
            (word,),
        )
    fts = "SELECT rowid FROM episode_text WHERE episode_text MATCH ? ORDER BY rowid"
    return fts, (f'"{word}"',)


async def import_both(first: Store, second: Store, folder: Path) -> None:
    """The same files into `first` in one bulk import, into `second` row by row."""
    async with first.catalog.bulk():
        report = await importer.import_folder(first, folder)
    assert report.loaded and not report.errors, report.errors
    for path in importer.data_files(folder):
        await importer.import_file(second, path)


async def test_a_bulk_import_indexes_exactly_what_row_by_row_does(
    tmp_path: Path, databases: Databases
) -> None:
    bulk = await Store.open(await databases("bulk.db"))
    rows = await Store.open(await databases("rows.db"))
    try:
        first = catalog(tmp_path / "data", seed=1, episodes=8)
        await import_both(bulk, rows, first)
        queries = words(first)
        assert await everything(bulk, queries) == await everything(rows, queries)
        # A second version of every file: new text everywhere, and fewer episodes (retired).
        second = catalog(tmp_path / "data", seed=2, episodes=6)
        await import_both(bulk, rows, second)
        queries += words(second)
        before = await everything(rows, queries)
        assert await everything(bulk, queries) == before
        hits = [v for k, v in before.items() if k.startswith("index:")]
        assert any(hits) and not all(hits), "the queries should find some episodes, not all"
        assert not await search_index.pending(bulk)
    finally:
        await bulk.close()
        await rows.close()


async def test_a_failed_bulk_import_still_indexes_what_it_wrote(
    tmp_path: Path, databases: Databases
) -> None:
    data = catalog(tmp_path / "data", seed=4, episodes=5)
    store = await Store.open(await databases())
    try:
        with pytest.raises(RuntimeError, match="the next file was broken"):
            async with store.catalog.bulk():
                await importer.import_file(store, importer.data_files(data)[0])
                assert await search_index.pending(store)
                raise RuntimeError("the next file was broken")
        assert not await search_index.pending(store)
        title = await store.fetchone("SELECT id, title FROM episodes ORDER BY id LIMIT 1")
        assert title is not None
        found = await store.search.search(search_terms(title["title"]), CAUGHT_UP, None, 10)
        assert title["id"] in [e.id for e in found.safe]
    finally:
        await store.close()


async def pragma(store: Store, name: str) -> int:
    async with store.connection.execute(f"PRAGMA {name}") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def settings(store: Store) -> tuple[int, int]:
    return await pragma(store, "wal_autocheckpoint"), await pragma(store, "cache_size")


@sqlite_only("WAL checkpoints and page cache are SQLite's settings")
async def test_a_bulk_import_checkpoints_once_and_restores_the_connection(
    tmp_path: Path,
) -> None:
    data = catalog(tmp_path / "data", seed=5, episodes=5)
    store = await Store.open(tmp_path / "bulk.db")
    try:
        usual = await settings(store)
        async with store.catalog.bulk():
            # No checkpoint in the middle of the import: one after the index.
            assert await pragma(store, "wal_autocheckpoint") == 0
            await importer.import_file(store, importer.data_files(data)[0])
        assert await settings(store) == usual
        # The checkpoint after the index (in the background: the store waits for it before
        # it closes) copied the import into the database file itself: read without its WAL
        # (immutable), the file holds every episode.
        await store.finish_chores()
        count = await store.fetchone("SELECT count(*) FROM episodes")
        assert count is not None and count[0] > 0
        with contextlib.closing(
            sqlite3.connect(f"file:{tmp_path / 'bulk.db'}?immutable=1", uri=True)
        ) as plain:
            assert plain.execute("SELECT count(*) FROM episodes").fetchone()[0] == count[0]
        with pytest.raises(RuntimeError):
            async with store.catalog.bulk():
                raise RuntimeError("a file failed")
        assert await settings(store) == usual
    finally:
        await store.close()


async def test_a_crash_mid_bulk_import_is_indexed_at_the_next_start(
    tmp_path: Path, databases: Databases
) -> None:
    data = catalog(tmp_path / "data", seed=4, episodes=5)
    store = await Store.open(await databases())
    await importer.import_folder(store, data)
    # As a bulk import leaves things when the process dies in it: the key set, rows written.
    async with store.transaction() as db:
        await db.execute("INSERT INTO meta (key, value) VALUES (?, '1')", (search_index.BULK,))
        await db.execute("UPDATE episodes SET title = 'Quokkaline Harbour' WHERE id = 1")
    if store.dialect == "sqlite":
        assert not await store.search.names("quokka", 25)  # the triggers stood aside
    await store.close()
    store = await Store.open(await databases())
    try:
        # Rebuilt; on PostgreSQL, whose columns never fell behind, just the key removed.
        assert not await search_index.pending(store)
        assert await store.search.names("quokka", 25) == ["Quokkaline Harbour"]
        found = await store.search.search(search_terms("quokkaline"), CAUGHT_UP, None, 10)
        assert [e.id for e in found.safe] == [1]
    finally:
        await store.close()


async def test_only_a_large_change_is_imported_in_bulk(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, databases: Databases
) -> None:
    data = catalog(tmp_path / "data", seed=5, episodes=4)
    store = await Store.open(await databases())
    try:
        async with importer.bulk_if_large(store, importer.BULK_IMPORT_BYTES):
            assert not await search_index.pending(store)
        async with importer.bulk_if_large(store, importer.BULK_IMPORT_BYTES + 1):
            assert await search_index.pending(store)
        assert not await search_index.pending(store)
        # A folder larger than the threshold, but already imported: nothing to rebuild.
        await importer.import_folder(store, data)
        bulk, importer.BULK_IMPORT_BYTES = importer.BULK_IMPORT_BYTES, 0
        try:
            caplog.clear()
            with caplog.at_level(logging.INFO, logger="bot.store.search_index"):
                report = await importer.import_folder(store, data)
            assert len(report.unchanged) == 3 and not report.loaded
            assert "Rebuilt" not in caplog.text
        finally:
            importer.BULK_IMPORT_BYTES = bulk
    finally:
        await store.close()


async def test_a_cancelled_bulk_import_is_indexed_at_the_next_start(
    tmp_path: Path, databases: Databases
) -> None:
    data = catalog(tmp_path / "data", seed=6, episodes=4)
    store = await Store.open(await databases())

    written = asyncio.Event()

    async def stopped_mid_import() -> None:
        async with store.catalog.bulk():
            await importer.import_file(store, importer.data_files(data)[0])
            written.set()
            await asyncio.sleep(60)  # the bot stops here

    task = asyncio.create_task(stopped_mid_import())
    await asyncio.wait_for(written.wait(), 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await search_index.pending(store)
    await store.close()
    store = await Store.open(await databases())
    try:
        assert not await search_index.pending(store)
        title = await store.fetchone("SELECT id, title FROM episodes ORDER BY id LIMIT 1")
        assert title is not None
        found = await store.search.search(search_terms(title["title"]), CAUGHT_UP, None, 10)
        assert title["id"] in [e.id for e in found.safe]
    finally:
        await store.close()
