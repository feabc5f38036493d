"""A large import parses in worker processes (bot/catalog/parsers.py) and counts a new show's
credit names from the file (catalog_import.prepare): the store ends exactly as the one-thread
import leaves it, a malformed file is still reported by name and field, and the names match
what the store's own count of the credits gives. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.catalog_import import write_catalog
from bot.catalog import importer, parsers
from bot.models import Viewer
from bot.store import Store
from bot.store.catalog_import import names_of_credits
from bot.store.search import search_terms

CAUGHT_UP = Viewer(None, 1, unset_is_behind=False)
BEHIND = Viewer(1, 2, unset_is_behind=True)
# Three words of the generated recaps, and a cast name, as members would search them.
QUERIES = ("the", "harbor", "ka", "an")

BROKEN = """
[show]
slug = "broken"
title = "Broken"

[[episodes]]
season = 1
number = 1
title = "Pilot"
runtime = -5
"""


def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    write_catalog(data, shows=4, seed=8, seasons=2, episodes=5)
    # Two spellings of one name in one show: counted as one name, any ASCII case.
    show = data / "show-0.toml"
    show.write_text(
        show.read_text(encoding="utf-8")
        + '\n[[cast]]\nactor = "Ada Marsh"\n[[cast]]\nactor = "ada marsh"\n',
        encoding="utf-8",
    )
    (data / "broken.toml").write_text(BROKEN, encoding="utf-8")
    return data


async def snapshot(store: Store) -> dict[str, object]:
    """Everything the import writes that members see: rows, names, search results."""
    seen: dict[str, object] = {}
    for table, columns in (
        ("episodes", "id, show_id, season, number, title, recap, digest, recap_site"),
        ("credits", "show_id, episode_id, billing, actor, character"),
        ("spoiler_terms", "episode_id, term"),
        ("catalog_names", "name, uses"),
    ):
        rows = await store.fetchall(f"SELECT {columns} FROM {table} ORDER BY {columns}")
        seen[table] = [tuple(r) for r in rows]
    for q in QUERIES:
        seen[f"caught up: {q}"] = await store.search.search(search_terms(q), CAUGHT_UP, None, 10)
        seen[f"behind: {q}"] = await store.search.search(search_terms(q), BEHIND, None, 10)
        seen[f"names: {q}"] = await store.search.names(q, 25)
    return seen


async def test_processes_import_exactly_what_a_thread_does(
    databases, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = folder(tmp_path)
    thread = await Store.open(await databases("thread.db"))
    pooled = await Store.open(await databases("pooled.db"))
    try:
        alone = await importer.import_folder(thread, data)
        monkeypatch.setattr(parsers, "POOL_BYTES", 0)
        monkeypatch.setattr(importer, "BULK_IMPORT_BYTES", 0)
        together = await importer.import_folder(pooled, data)
        assert (
            sorted(together.loaded) == sorted(alone.loaded) == [f"show-{i}.toml" for i in range(4)]
        )
        assert together.changes == alone.changes
        # The malformed file, parsed in a worker, is reported by name and field all the same.
        assert (
            [str(e) for e in together.errors]
            == [str(e) for e in alone.errors]
            == ["broken.toml: episodes[0].runtime: must be a whole number, at least 1"]
        )
        assert await snapshot(pooled) == await snapshot(thread)
    finally:
        await thread.close()
        await pooled.close()


async def test_a_new_shows_names_are_what_the_store_counts_from_its_credits(
    databases, tmp_path: Path
) -> None:
    data = folder(tmp_path)
    store = await Store.open(await databases())
    try:
        await importer.import_folder(store, data)
        before = await snapshot(store)
        names = before["catalog_names"]
        assert isinstance(names, list)
        assert [n for n in names if n[0].casefold() == "ada marsh"] == [("Ada Marsh", 2)]
        # Counted out of the suggestions and back in by the store's own GROUP BY: no change.
        for show in range(1, 5):
            async with store.transaction() as db:
                await names_of_credits(db, show, -1)
                await names_of_credits(db, show, +1)
        store.search.forget()
        assert await snapshot(store) == before
    finally:
        await store.close()


CASTS = """
[show]
slug = "casts"
title = "Casts"

[[cast]]
actor = "Zoë \\"Zed\\" Brandt"
character = "Captain || Nemo"

[[cast]]
actor = "Ada Marsh"

[[episodes]]
season = 1
number = 1
title = "Pilot"

[[episodes.cast]]
actor = "Ōta Ren"
character = "@everyone's friend"

[[episodes.cast]]
actor = "Ada Marsh"
character = "Herself, \\\\ again"

[[episodes]]
season = 1
number = 2
title = "Second"
"""


@pytest.mark.parametrize("pooled", [False, True])
async def test_casts_are_written_line_by_line_in_billing_order(
    databases, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pooled: bool
) -> None:
    # Casts travel from the parsing processes as JSON (bot/store/import_prepare.py) and become
    # rows in SQL: every character as written, a missing character NULL, billing as listed.
    if pooled:
        monkeypatch.setattr(parsers, "POOL_BYTES", 0)
    data = tmp_path / "data"
    data.mkdir()
    (data / "casts.toml").write_text(CASTS, encoding="utf-8")
    store = await Store.open(await databases())
    try:
        report = await importer.import_folder(store, data)
        assert report.loaded == ["casts.toml"], report.errors
        rows = await store.fetchall(
            "SELECT e.number, c.billing, c.actor, c.character FROM credits AS c"
            " LEFT JOIN episodes AS e ON e.id = c.episode_id"
            " ORDER BY e.number IS NOT NULL, e.number, c.billing"
        )
        assert [tuple(r) for r in rows] == [
            (None, 0, 'Zoë "Zed" Brandt', "Captain || Nemo"),
            (None, 1, "Ada Marsh", None),
            (1, 0, "Ōta Ren", "@everyone's friend"),
            (1, 1, "Ada Marsh", "Herself, \\ again"),
        ]
    finally:
        await store.close()
