"""Where the shard benchmark's bots keep their votes: one SQLite file, or a database on a
throwaway PostgreSQL server (harness/postgres.py). Each says how to point a bot at it, what
it holds for a poll, and how much CPU its server used (SQLite has none: it runs inside the
bot processes, whose CPU is counted already)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Protocol

import asyncpg

from harness.postgres import PostgresServer

from .proc import tree_cpu_seconds

# A poll's stored votes per option, in the options' order (the poll found by its message).
COUNTS = (
    "SELECT o.position, (SELECT count(*) FROM votes AS v WHERE v.poll_id = o.poll_id"
    " AND v.position = o.position) FROM poll_options AS o JOIN polls AS p"
    " ON p.id = o.poll_id WHERE p.message_id = ? ORDER BY o.position"
)
COUNTS_PG = COUNTS.replace("?", "$1")
VOTERS = "SELECT user_id FROM votes"


class VoteStore(Protocol):
    name: str
    has_server: bool  # a server process of its own, whose CPU is counted apart

    def env(self) -> dict[str, str]: ...
    async def counts(self, message_id: int) -> list[int]: ...
    async def voters(self) -> set[int]: ...
    def server_cpu(self) -> float: ...
    async def close(self) -> None: ...


class SqliteVotes:
    """One SQLite file every bot process opens (DATABASE_PATH)."""

    name = "SQLite"
    has_server = False

    def __init__(self, path: Path) -> None:
        self.path = path

    def env(self) -> dict[str, str]:
        return {"DATABASE_PATH": str(self.path), "DATABASE_URL": ""}

    async def counts(self, message_id: int) -> list[int]:
        with contextlib.closing(sqlite3.connect(self.path)) as db:
            rows = db.execute(COUNTS, (message_id,)).fetchall()
        return [n for _, n in rows]

    async def voters(self) -> set[int]:
        with contextlib.closing(sqlite3.connect(self.path)) as db:
            return {row[0] for row in db.execute(VOTERS)}

    def server_cpu(self) -> float:
        return 0.0

    async def close(self) -> None:
        return None


class PostgresVotes:
    """A new database on a running throwaway server (DATABASE_URL); the bots migrate it."""

    name = "PostgreSQL"
    has_server = True

    def __init__(self, server: PostgresServer, url: str) -> None:
        self.server = server
        self.url = url
        self._connection: asyncpg.Connection | None = None

    @classmethod
    async def create(cls, server: PostgresServer, database: str) -> PostgresVotes:
        admin = await asyncpg.connect(server.url)
        try:
            # An identifier cannot be a bound parameter; `database` is the benchmark's own name.
            await admin.execute(f'CREATE DATABASE "{database}"')
        finally:
            await admin.close()
        return cls(server, server.url.rsplit("/", 1)[0] + "/" + database)

    def env(self) -> dict[str, str]:
        return {"DATABASE_URL": self.url}

    async def _db(self) -> asyncpg.Connection:
        if self._connection is None:
            self._connection = await asyncpg.connect(self.url)
        return self._connection

    async def counts(self, message_id: int) -> list[int]:
        rows = await (await self._db()).fetch(COUNTS_PG, message_id)
        return [int(row[1]) for row in rows]

    async def voters(self) -> set[int]:
        return {row[0] for row in await (await self._db()).fetch(VOTERS)}

    def server_cpu(self) -> float:
        """The whole server's CPU so far: the postmaster, the bots' connections, and the
        background writers."""
        return tree_cpu_seconds(self.server.pid)

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
