"""Watch parties: scheduled viewings whose steps (reminder, end) each happen exactly once."""

from __future__ import annotations

import time
from typing import Any

from ..models import Party, PartyPart, PartyStep
from ..sharding import EVERY, Owned
from .db import Database, from_row
from .owned import OWNED

_COLUMNS = {
    PartyStep.EARLY: "early_reminded_at",
    PartyStep.REMINDED: "reminded_at",
    PartyStep.ENDED: "ended_at",
    PartyStep.CANCELLED: "cancelled_at",
}


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
        draft: bool = False,
    ) -> Party:
        """A new party; `early_at` is when its early reminder is due (None: no early reminder).

        A `draft` has no step due until `scheduled()`: /watchparty schedule makes one, so a
        party whose event or announcement fails is undone before anyone is reminded of it."""
        async with (
            self.db.transaction() as db,
            db.execute(
                "INSERT INTO watch_parties (guild_id, episode_id, channel_id, creator_id, starts_at,"
                " ends_at, early_at, created_at, drafted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING *",
                (
                    guild_id,
                    episode_id,
                    channel_id,
                    creator_id,
                    starts_at,
                    ends_at,
                    early_at,
                    time.time(),
                    time.time() if draft else None,
                ),
            ) as cursor,
        ):
            row = await cursor.fetchone()
        return _party(row)

    async def scheduled(self, party_id: int) -> None:
        """The party's event and announcement exist: its steps may come due."""
        async with self.db.transaction() as db:
            await db.execute("UPDATE watch_parties SET drafted_at = NULL WHERE id = ?", (party_id,))

    async def delete(self, party_id: int) -> None:
        """A party whose scheduling was undone: gone, with everything recorded about it."""
        async with self.db.transaction() as db:
            await db.execute("DELETE FROM watch_parties WHERE id = ?", (party_id,))

    async def abandoned(self, before: float, owned: Owned = EVERY) -> list[Party]:
        """Drafts of the servers `owned` older than `before`: a schedule cut short by a crash,
        to be undone (another process's drafts are its own to finish or undo)."""
        rows = await self.db.fetchall(
            "SELECT * FROM watch_parties WHERE drafted_at IS NOT NULL AND drafted_at < ?"
            f" AND {OWNED}",
            (before, *owned.params()),
        )
        return [_party(row) for row in rows]

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
            " AND cancelled_at IS NULL AND drafted_at IS NULL ORDER BY starts_at",
            (guild_id,),
        )
        return [_party(row) for row in rows]

    async def claim(self, party_id: int, step: PartyStep) -> bool:
        """Mark `step` done now; False if it was done before.

        The check and the mark are one statement, so a step can be claimed only once, also
        across restarts and concurrent deadline passes.
        """
        column = _COLUMNS[step]
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

    async def due(self, now: float, owned: Owned = EVERY) -> list[tuple[int, PartyStep]]:
        """Steps whose time has come (early reminder, reminder, end), in time order.

        An early reminder stays due after its party started, until the start reminder is
        settled: the timeline then records it as skipped, with the reason, rather than done.
        Drafts (a party still being scheduled) have no step due.
        """
        rows = await self.db.fetchall(
            "SELECT id, 'early_reminded' AS step, early_at AS at FROM watch_parties"
            " WHERE early_reminded_at IS NULL AND reminded_at IS NULL AND ended_at IS NULL"
            f" AND cancelled_at IS NULL AND drafted_at IS NULL AND early_at <= ? AND {OWNED}"
            " UNION ALL SELECT id, 'reminded', starts_at FROM watch_parties"
            " WHERE reminded_at IS NULL AND ended_at IS NULL AND cancelled_at IS NULL"
            f" AND drafted_at IS NULL AND starts_at <= ? AND {OWNED}"
            " UNION ALL SELECT id, 'ended', ends_at FROM watch_parties"
            " WHERE ended_at IS NULL AND cancelled_at IS NULL AND drafted_at IS NULL"
            f" AND ends_at <= ? AND {OWNED} ORDER BY at, step DESC",
            (now, *owned.params(), now, *owned.params(), now, *owned.params()),
        )
        return [(row["id"], PartyStep(row["step"])) for row in rows]

    async def next_times(self, owned: Owned = EVERY) -> list[tuple[int, float]]:
        """When each pending party of the servers `owned` has its next step due (past, for a
        step waiting to retry)."""
        rows = await self.db.fetchall(
            "SELECT id, CASE WHEN early_reminded_at IS NULL AND reminded_at IS NULL"
            " AND early_at IS NOT NULL THEN early_at"
            " WHEN reminded_at IS NULL THEN starts_at ELSE ends_at END AS at"
            " FROM watch_parties WHERE ended_at IS NULL AND cancelled_at IS NULL"
            f" AND drafted_at IS NULL AND {OWNED}",
            owned.params(),
        )
        return [(row["id"], row["at"]) for row in rows]

    # --- what each step sent, part by part ------------------------------------------------

    async def part(self, party_id: int, part: str) -> PartyPart | None:
        row = await self.db.fetchone(
            "SELECT * FROM party_parts WHERE party_id = ? AND part = ?", (party_id, part)
        )
        return from_row(PartyPart, row) if row else None

    async def sending(self, party_id: int, part: str) -> None:
        """About to ask Discord for this part (kept as it was if it was asked before)."""
        async with self.db.transaction() as db:
            await db.execute(
                "INSERT INTO party_parts (party_id, part, outcome, at) VALUES (?, ?, 'sending', ?)"
                " ON CONFLICT DO NOTHING",
                (party_id, part, time.time()),
            )

    async def part_done(
        self, party_id: int, part: str, sent_id: int | None = None, *, reason: str | None = None
    ) -> None:
        """The part acted (`sent_id`: what it made), or, with a `reason`, was skipped."""
        async with self.db.transaction() as db:
            await db.execute(
                "INSERT INTO party_parts (party_id, part, outcome, sent_id, reason, at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (party_id, part) DO UPDATE"
                " SET outcome = excluded.outcome,"
                " sent_id = excluded.sent_id, reason = excluded.reason, at = excluded.at",
                (party_id, part, "skipped" if reason else "done", sent_id, reason, time.time()),
            )

    async def settle(self, party_id: int, step: PartyStep, reason: str | None = None) -> bool:
        """The step is over: done, or skipped with `reason`; False if it was settled before.

        Claims the step's column and records how it ended in one transaction."""
        column = _COLUMNS[step]
        # `column` comes from the literal mapping above.
        sql = (
            f"UPDATE watch_parties SET {column} = ? WHERE id = ? AND {column} IS NULL"
            " AND cancelled_at IS NULL AND ended_at IS NULL RETURNING id"
        )
        now = time.time()
        async with self.db.transaction() as db:
            async with db.execute(sql, (now, party_id)) as cursor:
                if await cursor.fetchone() is None:
                    return False
            await db.execute(
                "INSERT INTO party_parts (party_id, part, outcome, reason, at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (party_id, part) DO UPDATE SET outcome = excluded.outcome,"
                " reason = excluded.reason,"
                " at = excluded.at",
                (party_id, step.value, "skipped" if reason else "done", reason, now),
            )
        return True

    # --- the start DMs to members interested in the party's event --------------------------

    async def dms_pending(self, now: float, owned: Owned = EVERY) -> list[int]:
        """Parties of the servers `owned` that have started, not ended, and whose start DMs
        are not all sent."""
        rows = await self.db.fetchall(
            "SELECT id FROM watch_parties WHERE reminded_at IS NOT NULL AND dms_done_at IS NULL"
            " AND ended_at IS NULL AND cancelled_at IS NULL AND drafted_at IS NULL AND ends_at > ?"
            f" AND {OWNED} ORDER BY starts_at",
            (now, *owned.params()),
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

    async def unclaim_dm(self, party_id: int, user_id: int) -> None:
        """The DM met a passing fault before Discord took it: the member is due it again."""
        async with self.db.transaction() as db:
            await db.execute(
                "DELETE FROM party_dms WHERE party_id = ? AND user_id = ? AND outcome = 'pending'",
                (party_id, user_id),
            )

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
            " AND ended_at IS NULL AND cancelled_at IS NULL AND drafted_at IS NULL",
            (guild_id, episode_id),
        )
        return row[0] if row else None

    async def guarded_episodes(self, guild_id: int, now: float, hours: int) -> list[int]:
        """Episodes whose watch party started within the last `hours` hours in this server."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT episode_id FROM watch_parties WHERE guild_id = ? AND cancelled_at IS NULL"
            " AND drafted_at IS NULL AND starts_at <= ? AND starts_at + ? * 3600 > ?",
            (guild_id, now, hours, now),
        )
        return [row["episode_id"] for row in rows]
