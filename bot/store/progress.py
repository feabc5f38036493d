"""Members' watch progress: how far each member has watched each show, per server."""

from __future__ import annotations

import time

from ..models import ShowProgress, Watched
from .db import Cache, Database, from_row


class ProgressQueries:
    def __init__(self, db: Database) -> None:
        self.db = db
        # Read on every gated recap; written only here. A 1-tuple, so "never said" is cached too.
        self._cache: Cache[tuple[int, int, int], tuple[Watched | None]] = Cache(50_000)

    async def set(self, guild_id: int, user_id: int, show_id: int, watched: Watched) -> None:
        """The member has watched up to and including this episode."""
        key = (guild_id, user_id, show_id)
        async with self.db.transaction(then=lambda: self._cache.forget(key)) as db:
            await db.execute(
                "INSERT INTO progress (guild_id, user_id, show_id, season, number, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id, show_id) DO UPDATE SET"
                " season = excluded.season, number = excluded.number, updated_at = excluded.updated_at",
                (guild_id, user_id, show_id, watched.season, watched.number, time.time()),
            )

    async def get(self, guild_id: int, user_id: int, show_id: int) -> Watched | None:
        """How far the member has watched the show, or None if they never said."""
        key = (guild_id, user_id, show_id)
        if cached := self._cache.get(key):
            return cached[0]
        since = self._cache.generation
        row = await self.db.fetchone(
            "SELECT season, number FROM progress WHERE guild_id = ? AND user_id = ? AND show_id = ?",
            key,
        )
        return self._cache.put(key, (from_row(Watched, row) if row else None,), since=since)[0]

    async def of_member(self, guild_id: int, user_id: int) -> list[ShowProgress]:
        """Every show the member set progress for, by title."""
        rows = await self.db.fetchall(
            "SELECT s.title, p.season, p.number FROM progress AS p JOIN shows AS s ON s.id = p.show_id"
            " WHERE p.guild_id = ? AND p.user_id = ? ORDER BY s.title COLLATE NOCASE",
            (guild_id, user_id),
        )
        return [ShowProgress(r["title"], from_row(Watched, r)) for r in rows]

    async def clear(self, guild_id: int, user_id: int, show_id: int | None) -> int:
        """Forget the member's progress for one show, or all; returns how many were cleared."""
        # One show or all of them: forgetting everything is simpler than finding the keys.
        async with self.db.transaction(then=self._cache.forget) as db:
            cursor = await db.execute(
                "DELETE FROM progress WHERE guild_id = ? AND user_id = ? AND (? IS NULL OR show_id = ?)",
                (guild_id, user_id, show_id, show_id),
            )
        return cursor.rowcount
