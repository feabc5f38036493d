"""Discussion threads: one per episode and server."""

from __future__ import annotations

import time

from .db import Database


class ThreadQueries:
    """The discussion thread of each episode in each server."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, guild_id: int, episode_id: int) -> int | None:
        """The thread id of an episode's discussion in a server, if there is one."""
        row = await self.db.fetchone(
            "SELECT thread_id FROM discussion_threads WHERE guild_id = ? AND episode_id = ?",
            (guild_id, episode_id),
        )
        return row["thread_id"] if row else None

    async def remember(
        self, guild_id: int, episode_id: int, thread_id: int, parent_id: int
    ) -> None:
        """Record a new thread (replacing one that was deleted on Discord); its claim is done."""
        async with self.db.transaction() as db:
            await db.execute(
                "DELETE FROM thread_claims WHERE guild_id = ? AND episode_id = ?",
                (guild_id, episode_id),
            )
            await db.execute(
                "INSERT INTO discussion_threads (guild_id, episode_id, thread_id, parent_id, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, episode_id) DO UPDATE SET"
                " thread_id = excluded.thread_id, parent_id = excluded.parent_id,"
                " created_at = excluded.created_at",
                (guild_id, episode_id, thread_id, parent_id, time.time()),
            )

    async def forget(self, thread_id: int) -> None:
        async with self.db.transaction() as db:
            await db.execute("DELETE FROM discussion_threads WHERE thread_id = ?", (thread_id,))

    async def claim(self, guild_id: int, episode_id: int) -> bool:
        """Record that a thread is about to be created; False if an earlier attempt claimed it
        and never recorded its thread (it may exist on Discord: look before making another)."""
        async with (
            self.db.transaction() as db,
            db.execute(
                "INSERT INTO thread_claims (guild_id, episode_id, claimed_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING RETURNING episode_id",
                (guild_id, episode_id, time.time()),
            ) as cursor,
        ):
            return await cursor.fetchone() is not None
