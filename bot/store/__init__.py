"""The SQLite store: one aiosqlite connection, numbered migrations, and query classes.

All SQL of the bot lives in this package, written out literally with bound parameters.
"""

from __future__ import annotations

import logging
import re
from importlib import resources
from pathlib import Path

import aiosqlite

from .catalog import CatalogQueries
from .db import Database
from .follows import FollowQueries
from .members import MemberQueries
from .parties import PartyQueries
from .polls import PollQueries
from .progress import ProgressQueries
from .servers import ServerQueries
from .threads import ThreadQueries

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


class Store(Database):
    """Owns the connection; the queries live in one class per subject."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        super().__init__(connection)
        self.catalog = CatalogQueries(self)
        self.polls = PollQueries(self)
        self.servers = ServerQueries(self)
        self.progress = ProgressQueries(self)
        self.threads = ThreadQueries(self)
        self.parties = PartyQueries(self)
        self.members = MemberQueries(self)
        self.follows = FollowQueries(self)

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
        await self.connection.close()

    async def migrate(self) -> int:
        """Apply the migrations newer than `PRAGMA user_version`; returns the new version."""
        row = await self.fetchone("PRAGMA user_version")
        version = int(row[0]) if row else 0
        for number, name, sql in migrations():
            if number <= version:
                continue
            log.info("Applying migration %s", name)
            # executescript cannot bind parameters; the version is an int from the file name.
            await self.connection.executescript(
                f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;"
            )
            version = number
        return version

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
