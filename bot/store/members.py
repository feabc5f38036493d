"""What each member chooses for themselves: their time zone, whether reminders DM them, and the
language their DMs are written in."""

from __future__ import annotations

from .db import Database


class MemberQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def time_zone(self, user_id: int) -> str | None:
        """The member's own IANA time zone, or None when they never set one."""
        row = await self.db.fetchone(
            "SELECT time_zone FROM member_time_zones WHERE user_id = ?", (user_id,)
        )
        return row["time_zone"] if row else None

    async def set_time_zone(self, user_id: int, zone: str) -> None:
        async with self.db.transaction() as db:
            await db.execute(
                "INSERT INTO member_time_zones (user_id, time_zone) VALUES (?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET time_zone = excluded.time_zone",
                (user_id, zone),
            )

    async def clear_time_zone(self, user_id: int) -> bool:
        """Forget the member's time zone; False if there was none."""
        async with self.db.transaction() as db:
            cursor = await db.execute("DELETE FROM member_time_zones WHERE user_id = ?", (user_id,))
            return cursor.rowcount > 0

    async def locale(self, user_id: int) -> str | None:
        """The Discord locale ("fr", "en-US") the member last used, or None when unknown."""
        row = await self.db.fetchone(
            "SELECT locale FROM member_locales WHERE user_id = ?", (user_id,)
        )
        return row["locale"] if row else None

    async def set_locale(self, user_id: int, locale: str) -> None:
        async with self.db.transaction() as db:
            await db.execute(
                "INSERT INTO member_locales (user_id, locale) VALUES (?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET locale = excluded.locale",
                (user_id, locale),
            )

    async def wants_dms(self, guild_id: int, user_id: int) -> bool:
        """True unless the member turned reminder DMs from this server off."""
        row = await self.db.fetchone(
            "SELECT 1 FROM reminder_opt_outs WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        return row is None

    async def set_wants_dms(self, guild_id: int, user_id: int, wanted: bool) -> None:
        async with self.db.transaction() as db:
            if wanted:
                await db.execute(
                    "DELETE FROM reminder_opt_outs WHERE guild_id = ? AND user_id = ?",
                    (guild_id, user_id),
                )
            else:
                await db.execute(
                    "INSERT OR IGNORE INTO reminder_opt_outs (guild_id, user_id) VALUES (?, ?)",
                    (guild_id, user_id),
                )
