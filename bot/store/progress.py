"""Members' watch progress: how far each member has watched each show, per server.

Progress is the id of the last episode watched, so it follows that episode through any
renumbering; its place (season, number) is read from the catalog when asked.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ..models import Episode, ShowProgress, Watched
from .db import Cache, Database

if TYPE_CHECKING:
    from .catalog import CatalogQueries


def watched_from(episode: Episode) -> Watched:
    """What "watched up to `episode`" means, with the episode's place now."""
    return Watched(episode.id, episode.season, episode.number)


class ProgressQueries:
    def __init__(self, db: Database, catalog: CatalogQueries) -> None:
        self.db = db
        self.catalog = catalog
        # Read on every gated recap; written only here. Holds episode ids only (the catalog
        # owns their places and forgets them when an import moves them). A 1-tuple, so
        # "never said" is cached too.
        self._cache: Cache[tuple[int, int, int], tuple[int | None]] = db.cache(50_000)

    async def set(self, guild_id: int, user_id: int, episode: Episode) -> None:
        """The member has watched up to and including this episode (of its show)."""
        key = (guild_id, user_id, episode.show_id)
        async with self.db.transaction(then=lambda: self._cache.forget(key)) as db:
            await db.execute(
                "INSERT INTO progress (guild_id, user_id, show_id, episode_id, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id, show_id) DO UPDATE SET"
                " episode_id = excluded.episode_id, updated_at = excluded.updated_at",
                (*key, episode.id, time.time()),
            )

    async def watched(self, guild_id: int, user_id: int, show_id: int) -> Watched | None:
        """How far the member has watched the show, or None if they never said."""
        key = (guild_id, user_id, show_id)
        cached = self._cache.get(key)
        if cached is None:
            since = self._cache.generation
            row = await self.db.fetchone(
                "SELECT episode_id FROM progress WHERE guild_id = ? AND user_id = ?"
                " AND show_id = ?",
                key,
            )
            cached = self._cache.put(key, (row["episode_id"] if row else None,), since=since)
        episode_id = cached[0]
        if episode_id is None:
            return None
        episode = await self.catalog.episode_by_id(episode_id)
        # The key is RESTRICT: the episode outlives the progress row, retired or not.
        return watched_from(episode) if episode is not None else None

    async def of_member(self, guild_id: int, user_id: int) -> list[ShowProgress]:
        """Every show the member set progress for, by title."""
        rows = await self.db.fetchall(
            "SELECT s.title, p.episode_id, e.season, e.number FROM progress AS p"
            " JOIN shows AS s ON s.id = p.show_id JOIN episodes AS e ON e.id = p.episode_id"
            " WHERE p.guild_id = ? AND p.user_id = ? ORDER BY s.title COLLATE NOCASE",
            (guild_id, user_id),
        )
        return [
            ShowProgress(r["title"], Watched(r["episode_id"], r["season"], r["number"]))
            for r in rows
        ]

    async def clear(self, guild_id: int, user_id: int, show_id: int | None) -> int:
        """Forget the member's progress for one show, or all; returns how many were cleared.

        Rows migration 0009 could not place (progress_unmapped) go too: they are the member's."""
        # One show or all of them: forgetting everything is simpler than finding the keys.
        async with self.db.transaction(then=self._cache.forget) as db:
            cursor = await db.execute(
                "DELETE FROM progress WHERE guild_id = ? AND user_id = ? AND (? IS NULL OR show_id = ?)",
                (guild_id, user_id, show_id, show_id),
            )
            cleared = cursor.rowcount
            cursor = await db.execute(
                "DELETE FROM progress_unmapped WHERE guild_id = ? AND user_id = ?"
                " AND (? IS NULL OR show_id = ?)",
                (guild_id, user_id, show_id, show_id),
            )
        return cleared + cursor.rowcount
