"""The connection every query class shares, and the one way rows become models."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import sqlite3
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from typing import Any, Generic, TypeVar

import aiosqlite

from .. import metrics
from ..errors import UserError

M = TypeVar("M")
log = logging.getLogger(__name__)


class StoreError(Exception):
    """The database cannot be used as it is; the message is one sentence for whoever runs the bot."""


def from_row(model: type[M], row: Any, **given: Any) -> M:
    """A model from a row: each dataclass field from the column of its name, unless `given`.

    `given` carries what a row cannot hold as it is: enums, tuples, values from other tables.
    """
    columns = set(row.keys())  # asyncpg's Record.keys() is a one-pass iterator
    values = {
        f.name: row[f.name]
        for f in dataclasses.fields(model)  # type: ignore[arg-type]
        if f.name not in given and f.name in columns
    }
    return model(**values, **given)


K = TypeVar("K")
V = TypeVar("V")


class Cache(Generic[K, V]):
    """A bounded map of recent reads, least recently used out first.

    Each query class caches only what it alone writes, and forgets on every write, so a hit
    is never stale: the hot paths (a recap, an autocomplete, a vote) then cost no round trip
    to the database thread. Writes of other processes (another shard's bot, the CLI) are
    caught by `Database.follow_other_writers`, which forgets every cache made by
    `Database.cache` when the database changed under it."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        # Bumped by every forget: a read that started before a write must not cache what it
        # read (it may be the old value), so readers note this first and pass it to `put`.
        self.generation = 0

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V, *, since: int | None = None) -> V:
        """Remember `value`, unless something was forgotten since generation `since`."""
        if since is not None and since != self.generation:
            return value
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return value

    def forget(self, key: K | None = None) -> None:
        """Forget one entry, or everything."""
        self.generation += 1
        if key is None:
            self._items.clear()
        else:
            self._items.pop(key, None)


# How long a write may wait for its turn, first behind the bot's other writes, then behind
# another process holding the database (busy_timeout): both well inside Discord's 3 s to
# answer an interaction, so a member is told "busy" in time rather than left with nothing.
WRITE_QUEUE_WAIT = 1.0
LOCK_WAIT_MS = 1000


class StoreBusy(UserError):
    """The database is locked past the wait a member can afford; nothing was written."""

    outcome = "busy"

    def __init__(self) -> None:
        metrics.store_busy()
        super().__init__(
            "I couldn't save that: the database is busy right now. Nothing was changed; "
            "try again in a moment."
        )


# Read connections: WAL lets them read side by side (and beside a write), each on its own
# aiosqlite thread, and SQLite leaves Python's GIL while it works; more than the cores only
# queue in the operating system instead of here.
READ_CONNECTIONS = max(2, min(4, os.cpu_count() or 2))

# How stale a cached read may be after another process commits: the version is looked at this
# often, in the background, so a cache hit itself never waits for the database.
OTHER_WRITERS_CHECK = 0.25


class Database:
    """One connection for writes, in turn, and a few for reads, which WAL lets run beside one
    another and beside a write (so a read never waits behind a blocked write). An in-memory
    database has only the one connection."""

    # Which SQL the database speaks; the PostgreSQL store (postgres.py) says "postgresql".
    dialect = "sqlite"

    def __init__(
        self,
        connection: aiosqlite.Connection,
        reader: aiosqlite.Connection | Sequence[aiosqlite.Connection] | None = None,
    ) -> None:
        self.connection = connection
        if reader is None:
            readers: list[aiosqlite.Connection] = [connection]
        elif isinstance(reader, aiosqlite.Connection):
            readers = [reader]
        else:
            readers = list(reader)
        self.readers = readers
        self._idle: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        for r in readers:
            self._idle.put_nowait(r)
        # A write transaction must not interleave with another one's statements on the same
        # connection, so writers take this lock.
        self.write_lock = asyncio.Lock()
        # Every cache of this database's reads, forgotten when another process writes.
        self.caches: list[Cache[Any, Any]] = []
        self._seen_version: int | None = None
        # Work the store does after a write has returned (a bulk import's checkpoint): waited
        # for before the store closes.
        self.chores: set[asyncio.Task[Any]] = set()

    def chore(self, work: Coroutine[Any, Any, Any], name: str) -> None:
        """Run `work` in the background; closing the store waits for it."""
        task = asyncio.create_task(work, name=name)
        self.chores.add(task)
        task.add_done_callback(self.chores.discard)

    async def finish_chores(self) -> None:
        while self.chores:
            await asyncio.wait(set(self.chores))

    def cache(self, size: int = 10_000) -> Cache[Any, Any]:
        """A new read cache that forgets what it holds when another process writes."""
        made: Cache[Any, Any] = Cache(size)
        self.caches.append(made)
        return made

    # --- other processes' writes (bot/sharding.py: several processes share one store) -----

    async def data_version(self) -> int:
        """A token that changes when another connection (another process) commits a write.

        SQLite's `PRAGMA data_version`, asked on the write connection: this process's own
        writes do not move it (they forget their caches themselves, `transaction(then=…)`)."""
        async with self.connection.execute("PRAGMA data_version") as cursor:
            row = await cursor.fetchone()
        assert row is not None
        return int(row[0])

    async def forget_if_changed(self) -> bool:
        """Forget every cache if another process wrote since the last look; True if it did."""
        version = await self.data_version()
        changed = self._seen_version is not None and version != self._seen_version
        self._seen_version = version
        if changed:
            for cache in self.caches:
                cache.forget()
        return changed

    async def follow_other_writers(self, every: float = OTHER_WRITERS_CHECK) -> None:
        """Run until cancelled: a cached read outlives another process's write by `every` at
        most. One cheap statement per look, off the hot path of every cached read."""
        while True:
            try:
                await self.forget_if_changed()
            except sqlite3.Error as error:
                log.warning("Could not check the database for other writers: %s", error)
            await asyncio.sleep(every)

    @asynccontextmanager
    async def turn(self, name: str, wait: float) -> AsyncIterator[bool]:
        """One process at a time in the block (PostgreSQL's store waits for the others, up to
        `wait` seconds, and yields False if it gave up). SQLite has no lock that a waiting
        process could sleep on without holding every write back, so here every process has
        its turn at once, and the `jobs` claim (store.jobs) picks the one that does the work."""
        yield True

    @asynccontextmanager
    async def transaction(
        self, *, then: Callable[[], None] | None = None
    ) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: committed when the block ends, rolled back on any error.

        `then` runs afterwards whatever happened (a cache forgetting what the write may have
        changed: also when the task was cancelled while COMMIT went through). Raises
        StoreBusy when the database stays locked past the waits above."""
        try:
            await asyncio.wait_for(self.write_lock.acquire(), WRITE_QUEUE_WAIT)
        except TimeoutError:
            raise StoreBusy() from None
        try:
            try:
                await self.connection.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise StoreBusy() from error
            except BaseException:
                # Cancelled while BEGIN ran on aiosqlite's thread: it may still take effect.
                await asyncio.shield(self._rollback())
                raise
            try:
                yield self.connection
                await self.connection.execute("COMMIT")
            except BaseException:
                # A failed or cancelled COMMIT included: never leave a transaction open for
                # the next writer to trip over.
                await asyncio.shield(self._rollback())
                raise
        finally:
            self.write_lock.release()
            if then is not None:
                then()

    async def _rollback(self) -> None:
        # aiosqlite runs statements in order, so this lands after whatever was sent before.
        with contextlib.suppress(sqlite3.OperationalError):  # no transaction was open
            await self.connection.execute("ROLLBACK")

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[aiosqlite.Connection]:
        """A read connection to oneself, its statements all seeing one committed state of the
        database (a read transaction), for reads that must agree with one another."""
        reader = await self._idle.get()
        snapshot = reader is not self.connection  # in memory, reads share the writer's
        try:
            if snapshot:
                await reader.execute("BEGIN")
            yield reader
        finally:
            if snapshot:
                # Shielded: a cancelled reader must not go back to the pool mid-transaction.
                await asyncio.shield(_end_read(reader))
            self._idle.put_nowait(reader)

    # A reader goes back to the pool only once its statement is closed (the cursor's context
    # ends first): a statement left open would hold the connection in an older read
    # transaction, and the next task's read would miss a row committed a moment ago.
    async def fetchone(self, sql: str, params: tuple | dict = ()) -> aiosqlite.Row | None:
        reader = await self._idle.get()
        try:
            async with reader.execute(sql, params) as cursor:
                return await cursor.fetchone()
        finally:
            self._idle.put_nowait(reader)

    async def fetchall(self, sql: str, params: tuple | dict = ()) -> list[aiosqlite.Row]:
        reader = await self._idle.get()
        try:
            return list(await reader.execute_fetchall(sql, params))
        finally:
            self._idle.put_nowait(reader)


async def _end_read(reader: aiosqlite.Connection) -> None:
    # aiosqlite runs statements in order, so this lands after the block's last one.
    with contextlib.suppress(sqlite3.OperationalError):  # BEGIN itself failed
        await reader.execute("COMMIT")
