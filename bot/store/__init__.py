"""The SQLite store: one aiosqlite connection, numbered migrations, and query classes.

All SQL of the bot lives in this package, written out literally with bound parameters.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

from .catalog import Catalog
from .guilds import Guilds
from .parties import Parties
from .polls import Polls
from .threads import Threads

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})-[a-z0-9-]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """The numbered migrations shipped with the bot, in order: (number, name, sql)."""
    found = []
    for entry in resources.files("bot").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {numbers}")
    return found


class Store:
    """Owns the connection; queries live in `catalog` and the other query classes."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db
        # One connection is shared by every coroutine: a write transaction must not interleave
        # with another one's statements, so writers take this lock.
        self.write_lock = asyncio.Lock()
        self.catalog = Catalog(self)
        self.polls = Polls(self)
        self.guilds = Guilds(self)
        self.threads = Threads(self)
        self.parties = Parties(self)

    @classmethod
    async def open(cls, path: Path | str) -> Store:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path, isolation_level=None)
        db.row_factory = aiosqlite.Row
        # WAL lets readers run during a write; a committed transaction survives a crash of the
        # process. NORMAL sync is durable against process crashes (SIGKILL), which is what a
        # bot restart is; FULL would add an fsync per vote for power-loss safety.
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA synchronous = NORMAL")
        await db.execute("PRAGMA foreign_keys = ON")
        await db.execute("PRAGMA busy_timeout = 5000")
        store = cls(db)
        await store.migrate()
        return store

    async def close(self) -> None:
        await self.db.close()

    async def migrate(self) -> int:
        """Apply the migrations newer than `PRAGMA user_version`; returns the new version."""
        async with self.db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        version = int(row[0]) if row else 0
        for number, name, sql in migrations():
            if number <= version:
                continue
            log.info("Applying migration %s", name)
            # executescript cannot bind parameters; the version is an int from the file name.
            await self.db.executescript(
                f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;"
            )
            version = number
        return version

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: committed when the block ends, rolled back on any error."""
        async with self.write_lock:
            await self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                await self.db.execute("ROLLBACK")
                raise
            await self.db.execute("COMMIT")

    async def fetchone(self, sql: str, params: tuple | dict = ()) -> aiosqlite.Row | None:
        async with self.db.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: tuple | dict = ()) -> list[aiosqlite.Row]:
        async with self.db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def get_meta(self, key: str) -> str | None:
        """A value from the meta table, or None."""
        row = await self.fetchone("SELECT value FROM meta WHERE key = ?", (key,))
        return row["value"] if row else None

    async def set_meta(self, key: str, value: str) -> None:
        """Store a value in the meta table."""
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
