"""Choosing together: suggestions, polls among them, and what the server watched together."""

from __future__ import annotations

import time
from typing import Any

from ..models import Party, ProgressMove, Suggestion, Watched
from .db import Database, from_row


def _suggestion(row: Any) -> Suggestion:
    return from_row(Suggestion, row)


class TogetherQueries:
    """Suggestions, suggestion polls, and attendance of watch parties."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- suggestions --------------------------------------------------------------------

    async def suggest(
        self,
        *,
        guild_id: int,
        show_key: str,
        title: str,
        user_id: int,
        show_id: int | None,
        tvmaze_id: int | None,
        note: str | None,
        most: int,
    ) -> Suggestion | None:
        """A new suggestion; None when the show is suggested already or the list is full
        (`most` open suggestions), decided inside the write so two members cannot both win."""
        async with self.db.transaction() as db:
            async with db.execute(
                "SELECT count(*) FROM suggestions WHERE guild_id = ?", (guild_id,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is not None and row[0] >= most:
                return None
            async with db.execute(
                "INSERT INTO suggestions (guild_id, show_key, show_id, tvmaze_id, title, note,"
                " suggested_by, suggested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (guild_id, show_key) DO NOTHING RETURNING *",
                (guild_id, show_key, show_id, tvmaze_id, title, note, user_id, time.time()),
            ) as cursor:
                row = await cursor.fetchone()
        return _suggestion(row) if row else None

    async def by_key(self, guild_id: int, show_key: str) -> Suggestion | None:
        row = await self.db.fetchone(
            "SELECT * FROM suggestions WHERE guild_id = ? AND show_key = ?", (guild_id, show_key)
        )
        return _suggestion(row) if row else None

    async def get(self, suggestion_id: int) -> Suggestion | None:
        row = await self.db.fetchone("SELECT * FROM suggestions WHERE id = ?", (suggestion_id,))
        return _suggestion(row) if row else None

    async def open_in(self, guild_id: int) -> list[Suggestion]:
        """A server's suggestions, most support first (votes they drew in earlier suggestion
        polls that they did not win), then oldest first."""
        rows = await self.db.fetchall(
            "SELECT s.*, (SELECT coalesce(sum(o.final_votes), 0)"
            " FROM suggestion_poll_options AS so"
            " JOIN suggestion_polls AS sp ON sp.poll_id = so.poll_id"
            " JOIN poll_options AS o ON o.poll_id = so.poll_id AND o.position = so.position"
            " WHERE sp.guild_id = s.guild_id AND so.show_key = s.show_key) AS support"
            " FROM suggestions AS s WHERE s.guild_id = ? ORDER BY support DESC, s.suggested_at, s.id",
            (guild_id,),
        )
        return [_suggestion(row) for row in rows]

    async def withdraw(self, suggestion_id: int) -> bool:
        """Take a suggestion off the list; False if it was gone already."""
        async with self.db.transaction() as db:
            cursor = await db.execute("DELETE FROM suggestions WHERE id = ?", (suggestion_id,))
        return cursor.rowcount > 0

    async def set_show(self, guild_id: int, show_key: str, show_id: int) -> None:
        """The suggested show is in the catalog now."""
        async with self.db.transaction() as db:
            await db.execute(
                "UPDATE suggestions SET show_id = ? WHERE guild_id = ? AND show_key = ?",
                (show_id, guild_id, show_key),
            )
            await db.execute(
                "UPDATE suggestion_poll_options SET show_id = ? WHERE show_key = ? AND poll_id IN"
                " (SELECT poll_id FROM suggestion_polls WHERE guild_id = ?)",
                (show_id, show_key, guild_id),
            )

    # --- polls among suggestions --------------------------------------------------------

    async def link_poll(self, poll_id: int, guild_id: int, options: list[Suggestion]) -> None:
        """Remember which suggestion each option of a poll stands for."""
        async with self.db.transaction() as db:
            await db.execute(
                "INSERT INTO suggestion_polls (poll_id, guild_id) VALUES (?, ?)",
                (poll_id, guild_id),
            )
            await db.executemany(
                "INSERT INTO suggestion_poll_options (poll_id, position, show_key, show_id,"
                " tvmaze_id, title) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (poll_id, n, s.show_key, s.show_id, s.tvmaze_id, s.title)
                    for n, s in enumerate(options)
                ],
            )

    async def poll_options(self, poll_id: int) -> list[Suggestion]:
        """The suggestions a poll's options stand for, in option order, as they were when it
        opened; each one's `id` is its option's position."""
        rows = await self.db.fetchall(
            "SELECT so.position AS id, sp.guild_id, so.show_key, so.show_id, so.tvmaze_id,"
            " so.title, 0 AS suggested_by, 0 AS suggested_at FROM suggestion_poll_options AS so"
            " JOIN suggestion_polls AS sp ON sp.poll_id = so.poll_id"
            " WHERE so.poll_id = ? ORDER BY so.position",
            (poll_id,),
        )
        return [_suggestion(row) for row in rows]

    async def unannounced(self) -> list[int]:
        """Closed suggestion polls whose winner was not announced yet (a crash in between)."""
        rows = await self.db.fetchall(
            "SELECT sp.poll_id FROM suggestion_polls AS sp JOIN polls AS p ON p.id = sp.poll_id"
            " WHERE sp.announced_at IS NULL AND p.closed_at IS NOT NULL ORDER BY p.closed_at"
        )
        return [row["poll_id"] for row in rows]

    async def announced(self, poll_id: int) -> bool:
        """Whether the winner of this suggestion poll was announced already."""
        row = await self.db.fetchone(
            "SELECT announced_at FROM suggestion_polls WHERE poll_id = ?", (poll_id,)
        )
        return row is not None and row["announced_at"] is not None

    async def finish(self, poll_id: int, winner: int | None) -> bool:
        """Record the winner (an option's position, None: no votes) and take the winning show
        off the server's suggestions, in one write; False if it was done before."""
        async with self.db.transaction() as db:
            async with db.execute(
                "UPDATE suggestion_polls SET announced_at = ?, winner = ?"
                " WHERE poll_id = ? AND announced_at IS NULL RETURNING guild_id",
                (time.time(), winner, poll_id),
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return False
            if winner is not None:
                await db.execute(
                    "DELETE FROM suggestions WHERE guild_id = ? AND show_key = (SELECT show_key"
                    " FROM suggestion_poll_options WHERE poll_id = ? AND position = ?)",
                    (row["guild_id"], poll_id, winner),
                )
        return True

    async def winner(self, poll_id: int) -> Suggestion | None:
        """The winning option of an announced suggestion poll (its `id`: the position)."""
        row = await self.db.fetchone(
            "SELECT so.position AS id, sp.guild_id, so.show_key, so.show_id, so.tvmaze_id,"
            " so.title, 0 AS suggested_by, 0 AS suggested_at FROM suggestion_polls AS sp"
            " JOIN suggestion_poll_options AS so"
            " ON so.poll_id = sp.poll_id AND so.position = sp.winner WHERE sp.poll_id = ?",
            (poll_id,),
        )
        return _suggestion(row) if row else None

    # --- watched together ---------------------------------------------------------------

    async def attend(self, party_id: int, user_id: int) -> bool:
        """The member takes part in the party; False if they had said so already."""
        async with self.db.transaction() as db:
            cursor = await db.execute(
                "INSERT INTO party_attendance (party_id, user_id, joined_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (party_id, user_id, time.time()),
            )
        return cursor.rowcount > 0

    async def attendees(self, party_id: int) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT user_id FROM party_attendance WHERE party_id = ? ORDER BY joined_at",
            (party_id,),
        )
        return [row["user_id"] for row in rows]

    async def watched(self, guild_id: int, limit: int) -> list[tuple[Party, int]]:
        """Parties of a server that ran to their end, newest first, each with how many took
        part."""
        rows = await self.db.fetchall(
            "SELECT p.*, (SELECT count(*) FROM party_attendance AS a WHERE a.party_id = p.id)"
            " AS attendance FROM watch_parties AS p WHERE p.guild_id = ?"
            " AND p.ended_at IS NOT NULL AND p.cancelled_at IS NULL"
            " ORDER BY p.starts_at DESC, p.id DESC LIMIT ?",
            (guild_id, limit),
        )
        return [(from_row(Party, row), row["attendance"]) for row in rows]

    async def last_watched(self, guild_id: int, show_id: int) -> int | None:
        """The episode of the show the server last watched together (latest party that ran
        to its end), or None."""
        row = await self.db.fetchone(
            "SELECT p.episode_id FROM watch_parties AS p JOIN episodes AS e ON e.id = p.episode_id"
            " WHERE p.guild_id = ? AND e.show_id = ? AND p.ended_at IS NOT NULL"
            " AND p.cancelled_at IS NULL ORDER BY p.starts_at DESC, p.id DESC LIMIT 1",
            (guild_id, show_id),
        )
        return row["episode_id"] if row else None

    # --- progress that follows the party ------------------------------------------------

    async def set_follows_parties(self, guild_id: int, user_id: int, on: bool) -> None:
        async with self.db.transaction() as db:
            if on:
                await db.execute(
                    "INSERT INTO party_followers (guild_id, user_id) VALUES (?, ?)"
                    " ON CONFLICT DO NOTHING",
                    (guild_id, user_id),
                )
            else:
                await db.execute(
                    "DELETE FROM party_followers WHERE guild_id = ? AND user_id = ?",
                    (guild_id, user_id),
                )

    async def follows_parties(self, guild_id: int, user_id: int) -> bool:
        row = await self.db.fetchone(
            "SELECT 1 FROM party_followers WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        return row is not None

    async def claim_move(
        self, party: Party, user_id: int, show_id: int, before: Watched | None, after: Watched
    ) -> int | None:
        """Claim the one move of this member's progress by this party; None if claimed before."""
        async with (
            self.db.transaction() as db,
            db.execute(
                "INSERT INTO progress_moves (party_id, guild_id, user_id, show_id,"
                " before_episode_id, after_episode_id, moved_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
                (
                    party.id,
                    party.guild_id,
                    user_id,
                    show_id,
                    before.episode_id if before else None,
                    after.episode_id,
                    time.time(),
                ),
            ) as cursor,
        ):
            row = await cursor.fetchone()
        return row[0] if row else None

    async def move(self, move_id: int) -> ProgressMove | None:
        # Each side's place is the episode's place now (a retired one keeps its last).
        row = await self.db.fetchone(
            "SELECT m.*, b.season AS before_season, b.number AS before_number,"
            " a.season AS after_season, a.number AS after_number FROM progress_moves AS m"
            " JOIN episodes AS a ON a.id = m.after_episode_id"
            " LEFT JOIN episodes AS b ON b.id = m.before_episode_id WHERE m.id = ?",
            (move_id,),
        )
        if row is None:
            return None
        before = (
            Watched(row["before_episode_id"], row["before_season"], row["before_number"])
            if row["before_episode_id"] is not None
            else None
        )
        after = Watched(row["after_episode_id"], row["after_season"], row["after_number"])
        return from_row(ProgressMove, row, before=before, after=after)

    async def mark_undone(self, move_id: int) -> bool:
        """Record an undo; False if it was undone before."""
        async with self.db.transaction() as db:
            cursor = await db.execute(
                "UPDATE progress_moves SET undone_at = ? WHERE id = ? AND undone_at IS NULL",
                (time.time(), move_id),
            )
        return cursor.rowcount > 0
