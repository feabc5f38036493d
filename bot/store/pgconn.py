"""An asyncpg connection that answers the few calls the query classes make of aiosqlite's:
`execute` (awaited, or as a cursor's context), `executemany` and `execute_fetchall`, with rows
that both drivers let one read as `row["column"]`, `row[0]` and `row.keys()`."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import asyncpg

from .dialect import arguments, translate

# Statements that answer rows; the others are run for their status ("UPDATE 3").
_ANSWERS = re.compile(r"^\s*(SELECT|WITH|VALUES)\b|\sRETURNING\s", re.IGNORECASE)


class Cursor:
    """What `connection.execute(...)` gives: awaited it runs the statement, and the rows and
    `rowcount` are then there to read; also an async context manager, as aiosqlite's."""

    def __init__(self, connection: asyncpg.Connection, sql: str, params: Any) -> None:
        self._connection = connection
        self._sql, names = translate(sql)
        self._args = arguments(names, params)
        self._rows: list[asyncpg.Record] = []
        self.rowcount = -1
        self._done = False

    async def _run(self) -> Cursor:
        if not self._done:
            self._done = True
            try:
                await self._send()
            except asyncpg.IntegrityConstraintViolationError as error:
                # One exception for a broken key on both stores: the query classes catch
                # sqlite3's (and roll back to a savepoint, as PostgreSQL then requires).
                raise sqlite3.IntegrityError(str(error)) from error
        return self

    async def _send(self) -> None:
        if _ANSWERS.search(self._sql):
            self._rows = await self._connection.fetch(self._sql, *self._args)
            self.rowcount = len(self._rows)
        else:
            status = await self._connection.execute(self._sql, *self._args)
            last = status.rsplit(" ", 1)[-1]
            self.rowcount = int(last) if last.isdigit() else -1

    def __await__(self) -> Any:
        return self._run().__await__()

    async def __aenter__(self) -> Cursor:
        return await self._run()

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def fetchone(self) -> asyncpg.Record | None:
        return self._rows.pop(0) if self._rows else None

    async def fetchall(self) -> list[asyncpg.Record]:
        rows, self._rows = self._rows, []
        return rows


class Connection:
    """One pooled asyncpg connection, spoken to as the query classes speak to aiosqlite."""

    dialect = "postgresql"

    def __init__(self, connection: asyncpg.Connection) -> None:
        self.raw = connection

    def execute(self, sql: str, params: Any = ()) -> Cursor:
        return Cursor(self.raw, sql, params)

    async def executemany(self, sql: str, seq: Iterable[Any]) -> None:
        text, names = translate(sql)
        batch = [arguments(names, params) for params in seq]
        if batch:
            await self.raw.executemany(text, batch)

    async def execute_fetchall(self, sql: str, params: Any = ()) -> list[asyncpg.Record]:
        cursor = await self.execute(sql, params)
        return await cursor.fetchall()


def _number(text: str) -> int | float:
    # sum() and avg() answer `numeric`: the store's models hold ints and floats, as SQLite's.
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


async def setup(connection: asyncpg.Connection) -> None:
    """Run on every new pooled connection."""
    await connection.set_type_codec(
        "numeric", schema="pg_catalog", encoder=str, decoder=_number, format="text"
    )
