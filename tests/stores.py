"""Reaching a test's store from outside the bot, on whichever store the test runs on: the
SQLite file, or the PostgreSQL database that `WATCHPARTY_TEST_DATABASE=postgresql` gives
(tests/conftest.py's `settings` and `databases`).

- `query(target, sql, params)`: one statement in SQLite's SQL (bot/store/dialect.py turns it
  into PostgreSQL's) on a connection of its own, as another process would run it, committed;
  the rows it answers;
- `store_env(target)`: the environment that points `python -m bot` at that store;
- `hold_writes(target, seconds)`: another process holding the store's write lock;
- `sqlite_only(reason)`: marks a test of something only SQLite has (its file, a PRAGMA, its
  migrations from before PostgreSQL's baseline), skipped in the PostgreSQL run, which would
  only repeat it on SQLite.

`target` is what `Store.open` takes: a path or a `postgresql://` URL (`settings.store_target`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.store import is_postgresql
from bot.store.dialect import arguments, translate
from bot.store.postgres import WRITE_LOCK

# The store the bot's tests run on (tests/conftest.py's `settings`); unset means SQLite.
TEST_STORE = os.environ.get("WATCHPARTY_TEST_DATABASE") or "sqlite"


def sqlite_only(reason: str) -> pytest.MarkDecorator:
    """Skip the test in the PostgreSQL run, saying why it is SQLite's alone."""
    return pytest.mark.skipif(TEST_STORE == "postgresql", reason=f"SQLite only: {reason}")


def store_env(target: str | Path) -> dict[str, str]:
    """DATABASE_URL or DATABASE_PATH for a `python -m bot` process on this store. An empty
    DATABASE_URL means "the SQLite file", whatever the environment running the tests says."""
    if is_postgresql(target):
        return {"DATABASE_URL": str(target)}
    return {"DATABASE_PATH": str(target), "DATABASE_URL": ""}


Params = tuple[Any, ...] | dict[str, Any]


def query(target: str | Path, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
    """Run `sql` now and return its rows as tuples (none for a write). A plain function, so an
    `eventually` condition can call it; on PostgreSQL it runs in a thread with its own loop."""
    if not is_postgresql(target):
        with contextlib.closing(sqlite3.connect(target)) as db, db:
            return [tuple(row) for row in db.execute(sql, params)]
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, _pg_query(str(target), sql, params)).result()


async def _pg_query(url: str, sql: str, params: Params) -> list[tuple[Any, ...]]:
    text, names = translate(sql)
    connection = await asyncpg.connect(url)
    try:
        return [tuple(row) for row in await connection.fetch(text, *arguments(names, params))]
    finally:
        await connection.close()


def schema_version(target: str | Path) -> int:
    """The schema a store is at: SQLite's `user_version`, PostgreSQL's `schema_version` table
    (the SQLite migrations' count on both, bot/store/postgres.py)."""
    if is_postgresql(target):
        return int(query(target, "SELECT max(version) FROM schema_version")[0][0])
    return int(query(target, "PRAGMA user_version")[0][0])


def hold_writes(target: str | Path, seconds: float) -> None:
    """Another process holding the store's write lock for `seconds` (a plain function, for
    `asyncio.to_thread`): on SQLite an exclusive transaction, as a backup tool or a sqlite3
    shell could hold; on PostgreSQL the advisory lock every writer takes (bot/store/postgres.py),
    as another bot process mid-write holds it. Readers still read on both."""
    if not is_postgresql(target):
        with contextlib.closing(sqlite3.connect(target, timeout=10)) as other:
            other.execute("BEGIN EXCLUSIVE")
            time.sleep(seconds)
            other.execute("ROLLBACK")
        return
    asyncio.run(_pg_hold(str(target), seconds))


async def _pg_hold(url: str, seconds: float) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", WRITE_LOCK)
        await asyncio.sleep(seconds)
        await connection.execute("SELECT pg_advisory_unlock($1)", WRITE_LOCK)
    finally:
        await connection.close()


def empty(target: str | Path) -> None:
    """Make the store as a first start finds it: no file, or a database with nothing in it
    (the tests' PostgreSQL databases are cloned from a migrated template)."""
    if not is_postgresql(target):
        Path(target).unlink(missing_ok=True)
        return
    query(target, "DROP SCHEMA public CASCADE")
    query(target, "CREATE SCHEMA public")
