"""Jobs that belong to no server, claimed so one process of several runs each (migration 0018)."""

from __future__ import annotations

import time

from .db import Database


class JobQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def claim(self, name: str, owner: str, hold: float) -> bool:
        """Take the job `name` for `hold` seconds unless another owner holds it now; True if
        this owner has it. One statement: of two processes claiming at once, one wins."""
        now = time.time()
        async with (
            self.db.transaction() as db,
            db.execute(
                "INSERT INTO jobs (name, owner, until) VALUES (?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until"
                " WHERE jobs.until <= ? OR jobs.owner = excluded.owner RETURNING name",
                (name, owner, now + hold, now),
            ) as cursor,
        ):
            return await cursor.fetchone() is not None

    async def release(self, name: str, owner: str) -> None:
        """Done with the job: another process may claim it at once (if `owner` still holds it)."""
        async with self.db.transaction() as db:
            await db.execute(
                "UPDATE jobs SET until = ? WHERE name = ? AND owner = ?", (time.time(), name, owner)
            )

    async def holder(self, name: str) -> tuple[str, float] | None:
        """Who holds the job and until when, or None if nobody ever claimed it."""
        row = await self.db.fetchone("SELECT owner, until FROM jobs WHERE name = ?", (name,))
        return (row["owner"], row["until"]) if row else None
