"""The connection every query class shares, and the one way rows become models."""

from __future__ import annotations

import asyncio
import dataclasses
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Generic, TypeVar

import aiosqlite

M = TypeVar("M")


class StoreError(Exception):
    """The database cannot be used as it is; the message is one sentence for whoever runs the bot."""


def from_row(model: type[M], row: Any, **given: Any) -> M:
    """A model from a row: each dataclass field from the column of its name, unless `given`.

    `given` carries what a row cannot hold as it is: enums, tuples, values from other tables.
    """
    columns = row.keys()
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
    to the database thread."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> V:
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return value

    def forget(self, key: K | None = None) -> None:
        """Forget one entry, or everything."""
        if key is None:
            self._items.clear()
        else:
            self._items.pop(key, None)


class Database:
    """One aiosqlite connection, shared by every coroutine of the bot."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection
        # A write transaction must not interleave with another one's statements on the same
        # connection, so writers take this lock.
        self.write_lock = asyncio.Lock()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: committed when the block ends, rolled back on any error."""
        async with self.write_lock:
            await self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield self.connection
            except BaseException:
                await self.connection.execute("ROLLBACK")
                raise
            await self.connection.execute("COMMIT")

    async def fetchone(self, sql: str, params: tuple | dict = ()) -> aiosqlite.Row | None:
        async with self.connection.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: tuple | dict = ()) -> list[aiosqlite.Row]:
        async with self.connection.execute(sql, params) as cursor:
            return list(await cursor.fetchall())
