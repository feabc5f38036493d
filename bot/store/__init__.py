"""The SQLite store: one aiosqlite connection, numbered migrations, and query classes.

All SQL of the bot lives in this package, written out literally with bound parameters.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import time
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from . import search_index
from .airing import AiringQueries
from .backup import BackupError, write_copy
from .catalog import CatalogQueries
from .content import ContentQueries
from .db import LOCK_WAIT_MS, READ_CONNECTIONS, Database, StoreBusy, StoreError
from .follows import FollowQueries
from .jobs import JobQueries
from .members import MemberQueries
from .parties import PartyQueries
from .polls import PollQueries
from .postgres import PgDatabase
from .privacy import PrivacyQueries
from .progress import ProgressQueries
from .search import SearchQueries
from .servers import ServerQueries
from .threads import ThreadQueries
from .together import TogetherQueries

log = logging.getLogger(__name__)

__all__ = ["Store", "StoreBusy", "StoreError", "migrations"]

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


class Store(Database):
    """Owns the connection; the queries live in one class per subject."""

    def __init__(
        self,
        connection: aiosqlite.Connection,
        path: Path | str = ":memory:",
        reader: aiosqlite.Connection | Sequence[aiosqlite.Connection] | None = None,
    ) -> None:
        super().__init__(connection, reader)
        self.path = str(path)
        self._queries()

    def _queries(self) -> None:
        self.search = SearchQueries(self)
        self.catalog = CatalogQueries(self, on_change=self.search.forget)
        self.polls = PollQueries(self)
        self.servers = ServerQueries(self)
        self.progress = ProgressQueries(self, self.catalog)
        self.threads = ThreadQueries(self)
        self.parties = PartyQueries(self)
        self.members = MemberQueries(self)
        self.follows = FollowQueries(self)
        self.content = ContentQueries(self, on_change=self.catalog.forget)
        self.together = TogetherQueries(self)
        self.airing = AiringQueries(self)
        self.jobs = JobQueries(self)
        self.privacy = PrivacyQueries(self, on_change=self._forget_members)

    def _forget_members(self) -> None:
        # A privacy delete or a server purge removes rows several classes cache: forget every
        # registered cache, as another process's write does, rather than reach into each.
        for cache in self.caches:
            cache.forget()

    @classmethod
    async def open(cls, path: Path | str) -> Store:
        """Open (or create) the database and bring its schema up to date; raises StoreError.

        A `postgresql://` URL opens a PostgreSQL store (bot/store/postgres.py) instead."""
        store = await PgStore.connect(str(path)) if is_postgresql(path) else await cls._sqlite(path)
        try:
            if await search_index.pending(store):
                # The last bulk import stopped before it filled the search index. PostgreSQL's
                # search columns never fall behind: there only the key is left, and removed.
                await search_index.rebuild(store)
        except BaseException:
            await store.close()
            raise
        return store

    @classmethod
    async def _sqlite(cls, path: Path | str) -> Store:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = await _connect(path)
        # WAL lets readers run during a write; a committed transaction survives a crash of the
        # process. NORMAL sync is durable against process crashes (SIGKILL), which is what a
        # bot restart is; FULL would add an fsync per vote for power-loss safety.
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA synchronous = NORMAL")
        readers = []
        if str(path) != ":memory:":
            for _ in range(READ_CONNECTIONS):
                readers.append(await _connect(path))
                await readers[-1].execute("PRAGMA query_only = ON")
        store = cls(db, path, readers or None)
        try:
            await store.migrate()
        except BaseException:
            await store.close()
            raise
        return store

    async def close(self) -> None:
        await self.finish_chores()
        for reader in self.readers:
            if reader is not self.connection:
                await reader.close()
        await self.connection.close()

    async def migrate(self) -> int:
        """Apply the migrations newer than `PRAGMA user_version`; returns the new version.

        An existing database is first copied aside (`<db>.before-000N.bak`), and one written
        by a newer version of the bot is refused rather than guessed at.
        """
        row = await self.fetchone("PRAGMA user_version")
        version = int(row[0]) if row else 0
        known = migrations()
        if version > len(known):
            raise StoreError(
                f"The database {self.path} was written by a newer version of Watchparty (schema"
                f" {version}; this version knows up to {len(known)}): upgrade the bot, or point"
                " DATABASE_PATH at another file."
            )
        pending = [m for m in known if m[0] > version]
        if pending and version > 0:
            target = f"{self.path}.before-{pending[0][0]:04d}.bak"
            try:
                await self.backup(target)
            except BackupError as error:
                raise StoreError(
                    f"Can't copy the database aside before migrating it, so it is left as it "
                    f"was: {error}. Free the path {target} or make its folder writable."
                ) from error
        for number, name, sql in pending:
            if await self._apply(number, sql):
                log.info("Applied migration %s", name)
            version = number
        return version

    async def backup(self, target: str) -> None:
        """A consistent copy of the database, through SQLite's online backup API."""
        if self.path == ":memory:":
            return
        # The same atomic write as `python -m bot backup`: a failed copy never leaves a
        # partial .bak that an operator could mistake for a good one and restore.
        await write_copy(Path(target), self.connection.backup)
        log.info("Copied the database to %s before migrating it", target)

    async def _apply(self, number: int, sql: str) -> bool:
        """One migration in one transaction, with foreign keys off as SQLite requires for
        rebuilding a table (a DROP TABLE would otherwise run the children's ON DELETE actions);
        `foreign_key_check` proves the rebuilt tables still agree before it commits.

        False when another process applied it first: shard processes started together on a
        new database each find it behind, and the version is read again under the write lock
        (BEGIN IMMEDIATE) so only one of them applies each migration."""
        connection = self.connection
        # The pragma is a no-op inside a transaction, so it is set before BEGIN.
        await connection.execute("PRAGMA foreign_keys = OFF")
        try:
            await _begin_waiting(connection)
            async with connection.execute("PRAGMA user_version") as cursor:
                row = await cursor.fetchone()
            if row is not None and int(row[0]) >= number:
                await connection.execute("ROLLBACK")
                return False
            for statement in _statements(sql):
                await connection.execute(statement)
            # PRAGMA takes no bound parameters; the version is an int from the file name.
            await connection.execute(f"PRAGMA user_version = {number}")
            # On the writer: the reader cannot see the migration it is checking.
            async with self.connection.execute("PRAGMA foreign_key_check") as cursor:
                broken = list(await cursor.fetchall())
            if broken:
                raise StoreError(
                    f"Migration {number:04d} would leave {len(broken)} rows pointing at nothing"
                    f" (first in table {broken[0][0]}); the database was left as it was."
                )
            await connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                await connection.execute("ROLLBACK")
            raise
        finally:
            await connection.execute("PRAGMA foreign_keys = ON")
        return True

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

    async def meta_keys(self, prefix: str) -> list[str]:
        """The meta keys that start with `prefix`, in order."""
        rows = await self.fetchall(
            "SELECT key FROM meta WHERE substr(key, 1, length(?)) = ? ORDER BY key",
            (prefix, prefix),
        )
        return [row["key"] for row in rows]

    async def delete_meta(self, key: str) -> None:
        async with self.transaction() as db:
            await db.execute("DELETE FROM meta WHERE key = ?", (key,))


# Another process migrating the same database holds the write lock for as long as its
# migration takes (a table rebuild of a large catalog: seconds): wait for it this long.
MIGRATION_WAIT = 120.0


async def _begin_waiting(connection: aiosqlite.Connection) -> None:
    deadline = time.monotonic() + MIGRATION_WAIT
    while True:
        try:
            await connection.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)  # busy_timeout already waited LOCK_WAIT_MS


def _statements(sql: str) -> list[str]:
    """A migration file as its statements, in order (a trigger's body stays whole)."""
    out, buffer = [], ""
    for part in sql.split(";"):
        buffer += part + ";"
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    return [s for s in out if _has_code(s)]


def _has_code(statement: str) -> bool:
    lines = (line.split("--", 1)[0].strip() for line in statement.splitlines())
    return any(line and line != ";" for line in lines)


class PgStore(PgDatabase, Store):
    """The Store on PostgreSQL (bot/store/postgres.py): PgDatabase's connections, Store's
    query classes."""

    def __init__(self, pool: Any, url: str) -> None:
        PgDatabase.__init__(self, pool, url)
        self._queries()

    def sqlite_migrations(self) -> int:
        return len(migrations())


def is_postgresql(path: Path | str) -> bool:
    """Whether DATABASE_URL (or a path given on the command line) names a PostgreSQL server."""
    return str(path).startswith(("postgresql://", "postgres://"))


async def _connect(path: Path | str) -> aiosqlite.Connection:
    connection = await aiosqlite.connect(path, isolation_level=None)
    connection.row_factory = aiosqlite.Row
    await connection.execute("PRAGMA foreign_keys = ON")
    await connection.execute(f"PRAGMA busy_timeout = {LOCK_WAIT_MS}")
    return connection
