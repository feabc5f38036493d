"""The PostgreSQL store (DATABASE_URL=postgresql://...): the same query classes as SQLite's,
on a pool of asyncpg connections, for several bot processes sharing one database (issue 15).

What SQLite gave for free is kept on purpose:
- one writer at a time: every write transaction first takes one transaction-scoped advisory
  lock, so a read-then-write in a transaction (a vote batch, a claim) is as atomic as under
  SQLite's BEGIN IMMEDIATE, across processes too; the wait is bounded by `lock_timeout`, after
  which the member is told the store is busy (StoreBusy), as with SQLite's busy_timeout;
- writes are committed before the block that made them returns;
- migrations run once however many processes start together (an advisory lock, and a
  `schema_version` table in place of SQLite's user_version).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any, Self

import asyncpg

from .db import LOCK_WAIT_MS, READ_CONNECTIONS, WRITE_QUEUE_WAIT, StoreBusy, StoreError
from .dialect import arguments, translate
from .pgconn import Connection, setup

log = logging.getLogger(__name__)

# Advisory lock keys (any bigint; these spell "wpwrite" and "wpmigr" in ASCII).
WRITE_LOCK = 0x77707772697465
MIGRATE_LOCK = 0x77706D696772
# `turn(name)`'s locks: two int keys (this one and the name's hash), a key space of their own.
TURNS = 0x7774  # "wt"
# Every committed write notifies this channel with its process's token; `data_version`
# counts what arrives from other processes.
CHANNEL = "watchparty"

# Literal, not bound: a simple query may hold several statements, and these are constants.
_BEGIN = (
    f"BEGIN; SELECT set_config('lock_timeout', '{LOCK_WAIT_MS}ms', true);"
    f" SELECT pg_advisory_xact_lock({WRITE_LOCK})"
)

_MIGRATION_NAME = re.compile(r"^(\d{4})-[a-z0-9-]+\.sql$")


def pg_migrations() -> list[tuple[int, str, str]]:
    """PostgreSQL's migrations, in order. The first is a baseline: PostgreSQL support came
    with schema 16, so its first file builds what SQLite's 0001..0016 build, and each later
    number has one file per dialect."""
    found = []
    for entry in resources.files("bot").joinpath("migrations", "postgresql").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if not numbers or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        raise RuntimeError(f"PostgreSQL migrations must be numbered without gaps: {numbers}")
    return found


async def _keep_session(connection: asyncpg.Connection) -> None:
    """What a connection going back to the pool needs beyond asyncpg's own rollback of an open
    transaction: nothing. asyncpg's default resets the session with one more round trip per
    release (RESET ALL, UNLISTEN *, CLOSE ALL, pg_advisory_unlock_all()), a third of a vote's
    time in the bot at a burst; this store leaves no session state to reset: its advisory
    locks and settings are transaction-scoped, and it listens on a connection of its own."""


class PgDatabase:
    """Database's interface on PostgreSQL; bot/store/__init__.py's PgStore puts the query
    classes on it. The query classes are SQLite's, through bot/store/dialect.py."""

    dialect = "postgresql"

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        # Not Database.__init__: there is no aiosqlite connection; the pool is the readers.
        self.pool = pool
        self.path = url
        self.write_lock = asyncio.Lock()
        self._listener: asyncpg.Connection | None = None
        self._version = 0
        # Hex only, so it may stand in the literal COMMIT below (NOTIFY's payload is text).
        self.origin = secrets.token_hex(8)
        self._commit = f"SELECT pg_notify('{CHANNEL}', '{self.origin}'); COMMIT"
        # Database's caches, forgotten when any process commits (data_version moves).
        self.caches: list[Any] = []
        self._seen_version: int | None = None

    def sqlite_migrations(self) -> int:
        """How many migrations SQLite's folder has: the schema this version of the bot knows."""
        raise NotImplementedError  # Store's

    @classmethod
    async def connect(cls, url: str) -> Self:
        try:
            pool = await asyncpg.create_pool(
                url, min_size=1, max_size=READ_CONNECTIONS + 2, init=setup, reset=_keep_session
            )
        except (OSError, asyncpg.PostgresError) as error:
            raise StoreError(
                f"Can't connect to the PostgreSQL server in DATABASE_URL: {error}"
            ) from error
        store = cls(pool, url)
        try:
            store._listener = await asyncpg.connect(url)
            await store._listener.add_listener(CHANNEL, store._notified)
            await store.migrate()
        except BaseException:
            await store.close()
            raise
        return store

    def _notified(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        # This process's own writes forget what they changed themselves (`transaction(then=…)`),
        # as on SQLite; counting them too made every vote batch forget every cache.
        if payload != self.origin:
            self._version += 1

    async def data_version(self) -> int:
        """A number that changes whenever another process commits a write (LISTEN/NOTIFY);
        this process's own writes do not move it, as SQLite's `PRAGMA data_version`."""
        return self._version

    async def close(self) -> None:
        if self._listener is not None:
            await self._listener.close()
            self._listener = None
        await self.pool.close()

    async def migrate(self) -> int:
        """Apply the migrations newer than `schema_version`, once, whoever else is starting."""
        known = pg_migrations()
        newest = self.sqlite_migrations()
        async with self.pool.acquire() as raw, raw.transaction():
            await raw.execute("SELECT pg_advisory_xact_lock($1)", MIGRATE_LOCK)
            await raw.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            version = await raw.fetchval("SELECT coalesce(max(version), 0) FROM schema_version")
            if version > newest:
                raise StoreError(
                    f"The database was written by a newer version of Watchparty (schema "
                    f"{version}; this version knows up to {newest}): upgrade the bot."
                )
            baseline = known[0][0]
            for number, name, sql in known:
                if number <= version or (version == 0 and number < baseline):
                    continue
                log.info("Applying PostgreSQL migration %s", name)
                await raw.execute(sql)
                await raw.execute("INSERT INTO schema_version (version) VALUES ($1)", number)
                version = number
        return int(version)

    async def backup(self, target: str) -> None:
        """Nothing to copy aside before a migration: PostgreSQL's DDL is transactional, so a
        failed migration leaves the database as it was."""

    @asynccontextmanager
    async def turn(self, name: str, wait: float) -> AsyncIterator[bool]:
        """One process at a time in the block: the others starting it wait up to `wait` seconds
        (False: gave up). A session advisory lock, on a connection held for the block: a
        process killed inside it frees the turn at once, as its connection closes."""
        async with self.pool.acquire() as raw:
            try:
                await raw.execute(
                    "SELECT set_config('lock_timeout', $1, false)", f"{int(wait * 1000)}ms"
                )
                await raw.execute("SELECT pg_advisory_lock($1, hashtext($2))", TURNS, name)
                mine = True
            except asyncpg.LockNotAvailableError:
                mine = False
            finally:
                await raw.execute("RESET lock_timeout")
            try:
                yield mine
            finally:
                if mine:
                    # Also released when the pool resets the connection; said here for clarity.
                    with contextlib.suppress(asyncpg.PostgresError, asyncpg.InterfaceError):
                        await raw.execute(
                            "SELECT pg_advisory_unlock($1, hashtext($2))", TURNS, name
                        )

    @asynccontextmanager
    async def transaction(self, *, then: Callable[[], None] | None = None) -> AsyncIterator[Any]:
        """A write transaction, as Database.transaction: committed when the block ends."""
        try:
            await asyncio.wait_for(self.write_lock.acquire(), WRITE_QUEUE_WAIT)
        except TimeoutError:
            raise StoreBusy() from None
        try:
            async with self.pool.acquire() as raw:
                try:
                    # One round trip each way: a vote's transaction is BEGIN, its statements
                    # and COMMIT, as on SQLite. The lock is every writer's turn.
                    try:
                        await raw.execute(_BEGIN)
                    except asyncpg.LockNotAvailableError as error:
                        raise StoreBusy() from error
                    yield Connection(raw)
                    # NOTIFY is delivered on commit, and only if it commits.
                    await raw.execute(self._commit)
                except BaseException:
                    with contextlib.suppress(asyncpg.PostgresError, asyncpg.InterfaceError):
                        await asyncio.shield(raw.execute("ROLLBACK"))
                    raise
        finally:
            self.write_lock.release()
            if then is not None:
                then()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Any]:
        """Reads that all see one committed state (REPEATABLE READ, read only)."""
        async with (
            self.pool.acquire() as raw,
            raw.transaction(isolation="repeatable_read", readonly=True),
        ):
            yield Connection(raw)

    async def fetchone(self, sql: str, params: tuple | dict = ()) -> Any:
        text, names = translate(sql)
        async with self.pool.acquire() as raw:
            return await raw.fetchrow(text, *arguments(names, params))

    async def fetchall(self, sql: str, params: tuple | dict = ()) -> list[Any]:
        text, names = translate(sql)
        async with self.pool.acquire() as raw:
            return list(await raw.fetch(text, *arguments(names, params)))
