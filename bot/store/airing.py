"""Air-time threads: the shows each server follows, and each episode's announcement, once."""

from __future__ import annotations

import time
from typing import Any

from ..models import Airing, AiringDue, AiringRecord
from .db import Database, from_row

# An episode waits for its air time when its show is followed, it has an air time, it aired
# after the server started following and within the catch-up window, and it is not settled.
_WAITING = (
    " FROM airing AS a JOIN episodes AS e ON e.show_id = a.show_id"
    " LEFT JOIN airing_done AS d ON d.guild_id = a.guild_id AND d.episode_id = e.id"
    " WHERE e.retired_at IS NULL AND e.airs_at IS NOT NULL"
    " AND e.airs_at >= max(a.since, :oldest)"
    " AND (d.state IS NULL OR d.state NOT IN ('done', 'skipped'))"
)


def _airing(row: Any) -> Airing:
    return from_row(Airing, row)


class AiringQueries:
    """The shows servers follow as a community, and the claims of their announcements."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def follow(
        self, guild_id: int, show_id: int, channel_id: int, role_id: int | None
    ) -> None:
        """Follow a show (or change where and whom it announces); `since` stays the first."""
        async with self.db.transaction() as db:
            await db.execute(
                "INSERT INTO airing (guild_id, show_id, channel_id, role_id, since)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, show_id) DO UPDATE SET"
                " channel_id = excluded.channel_id, role_id = excluded.role_id",
                (guild_id, show_id, channel_id, role_id, time.time()),
            )

    async def stop(self, guild_id: int, show_id: int) -> bool:
        """Stop following a show; False if the server did not follow it."""
        async with (
            self.db.transaction() as db,
            db.execute(
                "DELETE FROM airing WHERE guild_id = ? AND show_id = ? RETURNING show_id",
                (guild_id, show_id),
            ) as cursor,
        ):
            return await cursor.fetchone() is not None

    async def of_guild(self, guild_id: int) -> list[tuple[Airing, str]]:
        """The shows a server follows, with their titles, by title."""
        rows = await self.db.fetchall(
            "SELECT a.*, s.title FROM airing AS a JOIN shows AS s ON s.id = a.show_id"
            " WHERE a.guild_id = ? ORDER BY s.title COLLATE NOCASE",
            (guild_id,),
        )
        return [(_airing(row), row["title"]) for row in rows]

    async def due(self, now: float, oldest: float) -> list[AiringDue]:
        """The episodes whose air time has come and that are not settled, oldest first."""
        rows = await self.db.fetchall(
            "SELECT a.*, e.id AS episode_id, e.airs_at" + _WAITING + " AND e.airs_at <= :now"
            " ORDER BY e.airs_at, a.guild_id",
            {"now": now, "oldest": oldest},
        )
        return [AiringDue(_airing(row), row["episode_id"], row["airs_at"]) for row in rows]

    async def next_times(self, oldest: float) -> list[tuple[int, float]]:
        """(guild, the next air time there not settled): what the alarm sleeps until."""
        rows = await self.db.fetchall(
            "SELECT a.guild_id, min(e.airs_at) AS at" + _WAITING + " GROUP BY a.guild_id",
            {"oldest": oldest},
        )
        return [(row["guild_id"], row["at"]) for row in rows]

    async def record(self, guild_id: int, episode_id: int) -> AiringRecord | None:
        row = await self.db.fetchone(
            "SELECT state, late, thread_id, at FROM airing_done"
            " WHERE guild_id = ? AND episode_id = ?",
            (guild_id, episode_id),
        )
        if row is None:
            return None
        return AiringRecord(row["state"], bool(row["late"]), row["thread_id"], row["at"])

    async def claim(self, guild_id: int, episode_id: int, *, late: bool) -> AiringRecord:
        """Claim the announcement before Discord is asked; an earlier claim is kept as it is."""
        async with self.db.transaction() as db:
            await db.execute(
                "INSERT INTO airing_done (guild_id, episode_id, state, late, at)"
                " VALUES (?, ?, 'claimed', ?, ?) ON CONFLICT DO NOTHING",
                (guild_id, episode_id, int(late), time.time()),
            )
        record = await self.record(guild_id, episode_id)
        assert record is not None
        return record

    async def sending(self, guild_id: int, episode_id: int, thread_id: int) -> None:
        """The thread is open; the announcement is about to be sent (now, for the nonce)."""
        await self._set(
            "UPDATE airing_done SET state = 'sending', thread_id = ?, at = ?"
            " WHERE guild_id = ? AND episode_id = ?",
            (thread_id, time.time(), guild_id, episode_id),
        )

    async def settle(
        self, guild_id: int, episode_id: int, *, message_id: int | None, state: str = "done"
    ) -> None:
        """Done (with the announcement's id) or skipped: never tried again."""
        await self._set(
            "UPDATE airing_done SET state = ?, message_id = ?, at = ?"
            " WHERE guild_id = ? AND episode_id = ?",
            (state, message_id, time.time(), guild_id, episode_id),
        )

    async def _set(self, sql: str, params: tuple[Any, ...]) -> None:
        async with self.db.transaction() as db:
            await db.execute(sql, params)
