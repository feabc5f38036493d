"""Watch parties: scheduled viewings whose steps (reminder, end) each happen exactly once."""

from __future__ import annotations

import time
from typing import Any

from ..models import Party, PartyStep
from .db import Database, from_row


def _party(row: Any) -> Party:
    return from_row(Party, row)


class PartyQueries:
    """Watch parties and the steps of their timelines."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        *,
        guild_id: int,
        episode_id: int,
        channel_id: int,
        creator_id: int,
        starts_at: float,
        ends_at: float,
        early_at: float | None = None,
    ) -> Party:
        """A new party; `early_at` is when its early reminder is due (None: no early reminder)."""
        async with (
            self.db.transaction() as db,
            db.execute(
                "INSERT INTO watch_parties (guild_id, episode_id, channel_id, creator_id, starts_at,"
                " ends_at, early_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
                (
                    guild_id,
                    episode_id,
                    channel_id,
                    creator_id,
                    starts_at,
                    ends_at,
                    early_at,
                    time.time(),
                ),
            ) as cursor,
        ):
            row = await cursor.fetchone()
        return _party(row)

    async def get(self, party_id: int) -> Party | None:
        row = await self.db.fetchone("SELECT * FROM watch_parties WHERE id = ?", (party_id,))
        return _party(row) if row else None

    async def set_event(self, party_id: int, event_id: int) -> None:
        async with self.db.transaction() as db:
            await db.execute(
                "UPDATE watch_parties SET event_id = ? WHERE id = ?", (event_id, party_id)
            )

    async def set_announcement(self, party_id: int, message_id: int) -> None:
        async with self.db.transaction() as db:
            await db.execute(
                "UPDATE watch_parties SET announcement_id = ? WHERE id = ?", (message_id, party_id)
            )

    async def upcoming(self, guild_id: int) -> list[Party]:
        """Parties of a server that have not ended and were not cancelled, soonest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM watch_parties WHERE guild_id = ? AND ended_at IS NULL"
            " AND cancelled_at IS NULL ORDER BY starts_at",
            (guild_id,),
        )
        return [_party(row) for row in rows]

    async def claim(self, party_id: int, step: PartyStep) -> bool:
        """Mark `step` done now; False if it was done before.

        The check and the mark are one statement, so a step can be claimed only once, also
        across restarts and concurrent deadline passes.
        """
        column = {
            PartyStep.EARLY: "early_reminded_at",
            PartyStep.REMINDED: "reminded_at",
            PartyStep.ENDED: "ended_at",
            PartyStep.CANCELLED: "cancelled_at",
        }[step]
        # `column` comes from the literal mapping above.
        sql = (
            f"UPDATE watch_parties SET {column} = ? WHERE id = ? AND {column} IS NULL"
            " AND cancelled_at IS NULL AND ended_at IS NULL RETURNING id"
        )
        async with (
            self.db.transaction() as db,
            db.execute(sql, (time.time(), party_id)) as cursor,
        ):
            return await cursor.fetchone() is not None

    async def due(self, now: float) -> list[tuple[int, PartyStep]]:
        """Steps whose time has come (early reminder, reminder, end), in time order.

        An early reminder whose party has already started is no longer due: the start
        reminder says it all.
        """
        rows = await self.db.fetchall(
            "SELECT id, 'early_reminded' AS step, early_at AS at FROM watch_parties"
            " WHERE early_reminded_at IS NULL AND reminded_at IS NULL AND ended_at IS NULL"
            " AND cancelled_at IS NULL AND early_at <= ? AND starts_at > ?"
            " UNION ALL SELECT id, 'reminded', starts_at FROM watch_parties"
            " WHERE reminded_at IS NULL AND ended_at IS NULL AND cancelled_at IS NULL AND starts_at <= ?"
            " UNION ALL SELECT id, 'ended', ends_at FROM watch_parties"
            " WHERE ended_at IS NULL AND cancelled_at IS NULL AND ends_at <= ? ORDER BY at, step DESC",
            (now, now, now, now),
        )
        return [(row["id"], PartyStep(row["step"])) for row in rows]

    async def next_due(self) -> float | None:
        """When the next step is due."""
        row = await self.db.fetchone(
            "SELECT min(CASE WHEN early_reminded_at IS NULL AND reminded_at IS NULL"
            " AND early_at IS NOT NULL THEN early_at"
            " WHEN reminded_at IS NULL THEN starts_at ELSE ends_at END)"
            " FROM watch_parties WHERE ended_at IS NULL AND cancelled_at IS NULL"
        )
        return row[0] if row else None

    # --- the start DMs to members interested in the party's event --------------------------

    async def dms_pending(self, now: float) -> list[int]:
        """Parties that have started, not ended, and whose start DMs are not all sent."""
        rows = await self.db.fetchall(
            "SELECT id FROM watch_parties WHERE reminded_at IS NOT NULL AND dms_done_at IS NULL"
            " AND ended_at IS NULL AND cancelled_at IS NULL AND ends_at > ? ORDER BY starts_at",
            (now,),
        )
        return [row["id"] for row in rows]

    async def claim_dm(self, party_id: int, user_id: int) -> bool:
        """Record that this member is being sent the party's DM; False if they were before.

        Claimed before sending: a restart in between costs the member one DM, never doubles it.
        """
        async with (
            self.db.transaction() as db,
            db.execute(
                "INSERT INTO party_dms (party_id, user_id, sent_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING RETURNING user_id",
                (party_id, user_id, time.time()),
            ) as cursor,
        ):
            return await cursor.fetchone() is not None

    async def dm_outcome(self, party_id: int, user_id: int, outcome: str) -> None:
        """'sent', or 'closed' when the member's DMs are closed to the bot."""
        async with self.db.transaction() as db:
            await db.execute(
                "UPDATE party_dms SET outcome = ? WHERE party_id = ? AND user_id = ?",
                (outcome, party_id, user_id),
            )

    async def finish_dms(self, party_id: int) -> None:
        async with self.db.transaction() as db:
            await db.execute(
                "UPDATE watch_parties SET dms_done_at = ? WHERE id = ?", (time.time(), party_id)
            )

    async def pending_end(self, guild_id: int, episode_id: int) -> float | None:
        """When the episode's next watch party in this server ends, if one is pending."""
        row = await self.db.fetchone(
            "SELECT min(ends_at) FROM watch_parties WHERE guild_id = ? AND episode_id = ?"
            " AND ended_at IS NULL AND cancelled_at IS NULL",
            (guild_id, episode_id),
        )
        return row[0] if row else None

    async def guarded_episodes(self, guild_id: int, now: float, hours: int) -> list[int]:
        """Episodes whose watch party started within the last `hours` hours in this server."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT episode_id FROM watch_parties WHERE guild_id = ? AND cancelled_at IS NULL"
            " AND starts_at <= ? AND starts_at + ? * 3600 > ?",
            (guild_id, now, hours, now),
        )
        return [row["episode_id"] for row in rows]
