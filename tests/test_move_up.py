"""migrate-store: an SQLite store copied into PostgreSQL, every table's rows equal after."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.catalog import importer
from bot.cli.admin import migrate_store
from bot.models import Mode
from bot.settings import Settings
from bot.store import Store, StoreError
from bot.store.move_up import copy_store
from tests.conftest import ROOT, Databases


async def filled_sqlite(path: Path) -> None:
    store = await Store.open(path)
    try:
        await importer.import_file(store, ROOT / "data" / "for-all-mankind.toml")
        show = await store.catalog.find_show("for-all-mankind")
        assert show is not None
        episode = await store.catalog.episode(show.id, 4, 6)
        assert episode is not None
        poll = await store.polls.create(
            guild_id=1, channel_id=2, creator_id=3, question="Who wins?",
            options=("Ed", "Danielle"), mode=Mode.LIVE, closes_at=time.time() + 60,
        )  # fmt: skip
        await store.polls.vote(poll.id, 10, 0)
        await store.polls.vote(poll.id, 11, 1)
        await store.progress.set(1, 10, episode)
        await store.set_meta("note", "kept")
    finally:
        await store.close()


async def rows_of(url_or_path: str | Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, as the store reads them."""
    store = await Store.open(url_or_path)
    try:
        tables = ["shows", "episodes", "credits", "links", "polls", "poll_options", "votes",
                  "progress", "meta", "catalog_names"]  # fmt: skip
        found = {}
        for table in tables:
            rows = await store.fetchall(f"SELECT * FROM {table}")
            keep = (
                [k for k in list(rows[0].keys()) if k not in ("search_text", "name_words")]
                if rows
                else []
            )
            found[table] = sorted((tuple(row[k] for k in keep) for row in rows), key=repr)
        return found
    finally:
        await store.close()


async def test_a_filled_sqlite_store_moves_up_whole_and_only_once(
    databases: Databases, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if databases.kind != "postgresql":
        pytest.skip("the target is PostgreSQL: run with it")
    source = tmp_path / "watchparty.db"
    await filled_sqlite(source)
    url = await databases("target")
    settings = Settings(token="x", database=source)
    assert await migrate_store(settings, url, force=False) == 0
    assert "every count matches" in capsys.readouterr().out
    assert await rows_of(url) == await rows_of(source)
    with pytest.raises(StoreError, match="--force"):
        await copy_store(source, url)
    counts = await copy_store(source, url, force=True)  # again: the same database
    assert counts["votes"] == 2 and counts["episodes"] >= 1
    assert await rows_of(url) == await rows_of(source)
    # New rows after the copy take ids after the copied ones.
    store = await Store.open(url)
    try:
        poll = await store.polls.create(
            guild_id=1, channel_id=2, creator_id=3, question="Next?",
            options=("Yes", "No"), mode=Mode.LIVE, closes_at=time.time() + 60,
        )  # fmt: skip
        assert poll.id == 2
    finally:
        await store.close()
