"""Per-server settings, guarded channels, and members' watch progress."""

from __future__ import annotations

import time
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Store


@dataclass(frozen=True)
class GuildSettings:
    guild_id: int
    discussion_channel_id: int | None = None
    announcement_channel_id: int | None = None
    time_zone: str = "UTC"
    unset_progress: str = "warn"
    organisers: str = "everyone"
    organiser_role_id: int | None = None
    guard_hours: int = 72
    guarded_channels: tuple[int, ...] = ()


# The settings /config may change, each a column of guild_settings.
SETTABLE = frozenset(f.name for f in fields(GuildSettings)) - {"guild_id", "guarded_channels"}


class Guilds:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def settings(self, guild_id: int) -> GuildSettings:
        """A server's settings, the defaults where it has set nothing."""
        row = await self.store.fetchone(
            "SELECT * FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        guarded = await self.store.fetchall(
            "SELECT channel_id FROM guarded_channels WHERE guild_id = ? ORDER BY channel_id",
            (guild_id,),
        )
        values: dict[str, Any] = dict(row) if row else {"guild_id": guild_id}
        return GuildSettings(**values, guarded_channels=tuple(r["channel_id"] for r in guarded))

    async def update(self, guild_id: int, **changes: Any) -> GuildSettings:
        """Change some settings; unknown names are a bug, not input."""
        unknown = set(changes) - SETTABLE
        if unknown:
            raise ValueError(f"not settings: {sorted(unknown)}")
        async with self.store.transaction() as db:
            await db.execute(
                "INSERT OR IGNORE INTO guild_settings (guild_id) VALUES (?)", (guild_id,)
            )
            for name, value in changes.items():
                # `name` is one of SETTABLE, the table's own column names.
                await db.execute(
                    f"UPDATE guild_settings SET {name} = ? WHERE guild_id = ?", (value, guild_id)
                )
        return await self.settings(guild_id)

    async def set_guarded(self, guild_id: int, channel_id: int, guarded: bool) -> None:
        """Mark a channel as spoiler-free (guarded) or not."""
        async with self.store.transaction() as db:
            if guarded:
                await db.execute(
                    "INSERT OR IGNORE INTO guarded_channels (guild_id, channel_id) VALUES (?, ?)",
                    (guild_id, channel_id),
                )
            else:
                await db.execute(
                    "DELETE FROM guarded_channels WHERE guild_id = ? AND channel_id = ?",
                    (guild_id, channel_id),
                )

    async def is_guarded(self, guild_id: int, channel_id: int) -> bool:
        row = await self.store.fetchone(
            "SELECT 1 FROM guarded_channels WHERE guild_id = ? AND channel_id = ?",
            (guild_id, channel_id),
        )
        return row is not None

    async def guarded_server_count(self) -> int:
        """How many servers have at least one guarded channel (for the start-up notice)."""
        row = await self.store.fetchone("SELECT count(DISTINCT guild_id) FROM guarded_channels")
        return int(row[0]) if row else 0

    # --- watch progress -------------------------------------------------------------------

    async def set_progress(
        self, guild_id: int, user_id: int, show_id: int, season: int, number: int
    ) -> None:
        """The member has watched up to and including this episode."""
        async with self.store.transaction() as db:
            await db.execute(
                "INSERT INTO progress (guild_id, user_id, show_id, season, number, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id, show_id) DO UPDATE SET"
                " season = excluded.season, number = excluded.number, updated_at = excluded.updated_at",
                (guild_id, user_id, show_id, season, number, time.time()),
            )

    async def progress(self, guild_id: int, user_id: int, show_id: int) -> tuple[int, int] | None:
        """(season, number) the member has watched up to, or None if never set."""
        row = await self.store.fetchone(
            "SELECT season, number FROM progress WHERE guild_id = ? AND user_id = ? AND show_id = ?",
            (guild_id, user_id, show_id),
        )
        return (row["season"], row["number"]) if row else None

    async def all_progress(self, guild_id: int, user_id: int) -> list[tuple[str, int, int]]:
        """Every show the member set progress for: (title, season, number)."""
        rows = await self.store.fetchall(
            "SELECT s.title, p.season, p.number FROM progress AS p JOIN shows AS s ON s.id = p.show_id"
            " WHERE p.guild_id = ? AND p.user_id = ? ORDER BY s.title COLLATE NOCASE",
            (guild_id, user_id),
        )
        return [(r["title"], r["season"], r["number"]) for r in rows]

    async def clear_progress(self, guild_id: int, user_id: int, show_id: int | None) -> int:
        """Forget the member's progress for one show, or all; returns how many were cleared."""
        async with self.store.transaction() as db:
            cursor = await db.execute(
                "DELETE FROM progress WHERE guild_id = ? AND user_id = ? AND (? IS NULL OR show_id = ?)",
                (guild_id, user_id, show_id, show_id),
            )
            return cursor.rowcount
