"""What the PostgreSQL store adds to SQLite's guarantees: processes that start together
migrate once, every process learns of another's writes, and the SQL seam translates as meant."""

from __future__ import annotations

import asyncio
import sqlite3

import asyncpg
import pytest

from bot.store import PgStore, Store, migrations
from bot.store.dialect import translate
from bot.store.postgres import TURNS, pg_migrations
from tests.conftest import Databases


def test_placeholders_and_sqlite_idioms_become_postgresql() -> None:
    sql, names = translate("SELECT ':x', \"?\" FROM t WHERE a = :a AND b = :b AND c = :a")
    assert sql == "SELECT ':x', \"?\" FROM t WHERE a = $1 AND b = $2 AND c = $1"
    assert names == ("a", "b")
    sql, names = translate("SELECT 1 FROM t WHERE a IS ? AND (? IS NULL OR b = ?)")
    assert sql == (
        "SELECT 1 FROM t WHERE a IS NOT DISTINCT FROM $1 AND (CAST($2 AS BIGINT) IS NULL OR b = $3)"
    )
    # SQLite's LIKE ignores ASCII case: PostgreSQL's ILIKE.
    sql, names = translate("SELECT 1 FROM t WHERE a LIKE ? AND b NOT LIKE ? AND c ILIKE ?")
    assert sql == "SELECT 1 FROM t WHERE a ILIKE $1 AND b NOT ILIKE $2 AND c ILIKE $3"
    sql, names = translate("INSERT OR IGNORE INTO t (a) VALUES (?) RETURNING a")
    assert sql == "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING RETURNING a"
    assert names is None


async def test_processes_starting_together_migrate_once(databases: Databases) -> None:
    if databases.kind != "postgresql":
        pytest.skip("PostgreSQL only: several processes share one server")
    url = await databases("empty")
    store = await Store.open(url)
    assert isinstance(store, PgStore)
    async with store.pool.acquire() as raw:
        # Back to an empty database, as a first start finds it.
        await raw.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    await store.close()
    opened = await asyncio.gather(*(Store.open(url) for _ in range(4)))
    try:
        rows = await opened[0].fetchall("SELECT version FROM schema_version")
        # Each migration once: the baseline (16), then one row per later number.
        versions = [row["version"] for row in rows]
        assert versions == list(range(16, len(migrations()) + 1))
        await opened[1].set_meta("k", "v")
        assert await opened[2].get_meta("k") == "v"
    finally:
        for each in opened:
            await each.close()


async def test_a_write_in_one_process_changes_the_data_version_of_another(
    databases: Databases,
) -> None:
    if databases.kind != "postgresql":
        pytest.skip(
            "PostgreSQL only: SQLite's data_version is tested with two processes (tests/test_processes.py)"
        )
    url = await databases()
    writer, reader = await Store.open(url), await Store.open(url)
    try:
        assert isinstance(reader, PgStore)
        before, own = await reader.data_version(), await writer.data_version()
        await writer.set_meta("k", "v")
        for _ in range(100):
            if await reader.data_version() != before:
                break
            await asyncio.sleep(0.02)
        assert await reader.data_version() != before
        # As on SQLite, a process's own writes do not move its version: they forget what
        # they changed themselves, and the rest of its caches stay warm.
        await asyncio.sleep(0.2)
        assert await writer.data_version() == own
        # A rolled-back write notifies no one.
        settled = await reader.data_version()
        with pytest.raises(sqlite3.IntegrityError):
            async with writer.transaction() as db:
                await db.execute("INSERT INTO meta (key, value) VALUES ('k', 'again')")
        await asyncio.sleep(0.2)
        assert await reader.data_version() == settled
    finally:
        await writer.close()
        await reader.close()


def test_every_sqlite_migration_has_a_postgresql_one() -> None:
    """A migration added for SQLite needs its PostgreSQL file of the same number (from the
    baseline on), or PostgreSQL stores would silently lack its tables."""
    assert pg_migrations()[-1][0] == len(migrations())


async def test_a_turn_is_one_process_at_a_time_and_freed_when_its_holder_dies(
    databases: Databases,
) -> None:
    if databases.kind != "postgresql":
        pytest.skip("PostgreSQL only: on SQLite every process has its turn (the jobs claim picks)")
    url = await databases()
    first, second = await Store.open(url), await Store.open(url)
    try:
        order: list[str] = []

        async def wait_then_enter() -> None:
            async with second.turn("data-import", 10) as mine:
                order.append(f"second {mine}")

        async with first.turn("data-import", 10) as mine:
            assert mine
            # Another process asking briefly gives up; asking patiently waits for this block.
            async with second.turn("data-import", 0.3) as theirs:
                assert not theirs
            waiting = asyncio.create_task(wait_then_enter())
            await asyncio.sleep(0.5)
            order.append("first done")
        await waiting
        assert order == ["first done", "second True"]
        # A holder that dies (its connection closes) frees the turn at once.
        dying = await asyncpg.connect(url)
        await dying.execute("SELECT pg_advisory_lock($1, hashtext('data-import'))", TURNS)
        waiting = asyncio.create_task(wait_then_enter())
        await asyncio.sleep(0.3)
        assert not waiting.done()
        dying.terminate()
        await asyncio.wait_for(waiting, 5)
        assert order[-1] == "second True"
    finally:
        await first.close()
        await second.close()
