"""Per-server settings and guarded channels."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from ..models import GuildSettings, Organisers, UnsetProgress
from .db import Cache, Database, from_row

# The settings /config may change, each a column of guild_settings.
SETTABLE = frozenset(f.name for f in fields(GuildSettings)) - {"guild_id", "guarded_channels"}


class ServerQueries:
    """What each server's moderators set with /config."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # Read on nearly every interaction, written only here: each write forgets its server.
        self._cache: Cache[int, GuildSettings] = db.cache()

    async def settings(self, guild_id: int) -> GuildSettings:
        """A server's settings, the defaults where it has set nothing."""
        if cached := self._cache.get(guild_id):
            return cached
        since = self._cache.generation
        return self._cache.put(guild_id, await self._read(guild_id), since=since)

    async def _read(self, guild_id: int) -> GuildSettings:
        row = await self.db.fetchone("SELECT * FROM guild_settings WHERE guild_id = ?", (guild_id,))
        guarded = await self.db.fetchall(
            "SELECT channel_id FROM guarded_channels WHERE guild_id = ? ORDER BY channel_id",
            (guild_id,),
        )
        channels = tuple(r["channel_id"] for r in guarded)
        if row is None:
            return GuildSettings(guild_id=guild_id, guarded_channels=channels)
        return from_row(
            GuildSettings,
            row,
            unset_progress=UnsetProgress(row["unset_progress"]),
            organisers=Organisers(row["organisers"]),
            guarded_channels=channels,
        )

    async def update(self, guild_id: int, **changes: Any) -> GuildSettings:
        """Change some settings; unknown names are a bug, not input."""
        unknown = set(changes) - SETTABLE
        if unknown:
            raise ValueError(f"not settings: {sorted(unknown)}")
        async with self.db.transaction(then=lambda: self._cache.forget(guild_id)) as db:
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
        async with self.db.transaction(then=lambda: self._cache.forget(guild_id)) as db:
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
        row = await self.db.fetchone(
            "SELECT 1 FROM guarded_channels WHERE guild_id = ? AND channel_id = ?",
            (guild_id, channel_id),
        )
        return row is not None

    async def guarded_server_count(self) -> int:
        """How many servers have at least one guarded channel (for the start-up notice)."""
        row = await self.db.fetchone("SELECT count(DISTINCT guild_id) FROM guarded_channels")
        return int(row[0]) if row else 0
