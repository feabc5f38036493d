"""Poll queries: creating, voting, tallies, closing, and results per episode."""

from __future__ import annotations

import json
import time
from typing import Any

from ..models import Ballot, Mode, Poll, Tally, VoteOutcome
from ..sharding import EVERY, Owned
from . import poll_votes
from .db import Database, from_row
from .owned import OWNED


def _poll(row: Any, options: tuple[str, ...]) -> Poll:
    return from_row(Poll, row, mode=Mode(row["mode"]), options=options)


class PollQueries:
    """Polls, their options and votes."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        *,
        guild_id: int,
        channel_id: int,
        creator_id: int,
        question: str,
        options: tuple[str, ...],
        mode: Mode,
        closes_at: float,
        episode_id: int | None = None,
        voters_role_id: int | None = None,
    ) -> Poll:
        """A new poll, not yet posted (no message id); `voters_role_id`: only that role votes."""
        now = time.time()
        async with self.db.transaction() as db:
            async with db.execute(
                "INSERT INTO polls (guild_id, channel_id, creator_id, question, mode, episode_id,"
                " created_at, closes_at, voters_role_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                (
                    guild_id,
                    channel_id,
                    creator_id,
                    question,
                    mode.value,
                    episode_id,
                    now,
                    closes_at,
                    voters_role_id,
                ),
            ) as cursor:
                row = await cursor.fetchone()
            assert row is not None
            await db.executemany(
                "INSERT INTO poll_options (poll_id, position, label) VALUES (?, ?, ?)",
                [(row[0], i, label) for i, label in enumerate(options)],
            )
        poll = await self.get(row[0])
        assert poll is not None
        return poll

    async def set_message(self, poll_id: int, channel_id: int, message_id: int) -> None:
        """Remember where a poll was posted."""
        async with self.db.transaction() as db:
            await db.execute(
                "UPDATE polls SET channel_id = ?, message_id = ? WHERE id = ?",
                (channel_id, message_id, poll_id),
            )

    async def discard(self, poll_id: int) -> None:
        """Forget a poll that could not be posted."""
        async with self.db.transaction() as db:
            await db.execute("DELETE FROM polls WHERE id = ?", (poll_id,))

    async def get(self, poll_id: int) -> Poll | None:
        row = await self.db.fetchone("SELECT * FROM polls WHERE id = ?", (poll_id,))
        return await self._with_options(row) if row else None

    async def of_episode_in(self, channel_id: int, episode_id: int) -> Poll | None:
        """The first poll about this episode posted (or being posted) in this channel."""
        row = await self.db.fetchone(
            "SELECT * FROM polls WHERE channel_id = ? AND episode_id = ? ORDER BY id LIMIT 1",
            (channel_id, episode_id),
        )
        return await self._with_options(row) if row else None

    async def by_message(self, message_id: int) -> Poll | None:
        row = await self.db.fetchone("SELECT * FROM polls WHERE message_id = ?", (message_id,))
        return await self._with_options(row) if row else None

    async def _with_options(self, row: Any) -> Poll:
        options = await self.db.fetchall(
            "SELECT label FROM poll_options WHERE poll_id = ? ORDER BY position", (row["id"],)
        )
        return _poll(row, tuple(o["label"] for o in options))

    async def vote(self, poll_id: int, user_id: int, position: int) -> VoteOutcome:
        """One click; see `votes`."""
        outcome = (await self.votes([(poll_id, user_id, position)]))[0]
        assert outcome is not None  # no deadline was given
        return outcome

    async def votes(
        self,
        clicks: list[tuple[int, int, int]],
        deadlines: list[float] | None = None,
        clicked_at: list[float] | None = None,
    ) -> list[VoteOutcome | None]:
        """The clicks' outcomes; see `ballots`."""
        ballots, _ = await self.ballots(clicks, deadlines, clicked_at)
        return [b.outcome if b else None for b in ballots]

    async def ballots(
        self,
        clicks: list[tuple[int, int, int]],
        deadlines: list[float] | None = None,
        clicked_at: list[float] | None = None,
        undo: list[Ballot] | None = None,
    ) -> tuple[list[Ballot | None], list[bool]]:
        """Record clicks (poll, member, option), in order, in one transaction: each a new vote,
        a changed one, or (the same option again) a withdrawal. Each click's `Ballot` says
        what the member's vote was before and after it.

        Committed before this returns, so an acknowledged vote survives a crash. One
        transaction for a whole batch is what lets hundreds of votes a second through: the
        cost is per commit, not per vote. A click whose deadline (Discord's time to answer
        it) has passed once the write lock is held is not written: its ballot is None.

        A poll takes votes clicked before its `closes_at`, whether or not the closer has
        marked it closed yet (it may be held up, or the bot just restarted): a click at or
        after the deadline is LATE and not written. `clicked_at` and `deadlines` are host
        times (bot/clock.py); without `clicked_at`, a click counts as made now.

        `undo`: earlier ballots to take back first (Discord refused their answers), latest
        click first; each is undone only while the member's row is still what it wrote and
        the poll is open. The second list says which were.
        """
        async with self.db.transaction() as db:
            return await poll_votes.write(db, clicks, deadlines, clicked_at, undo or [])

    async def set_native_vote(self, message_id: int, user_id: int, position: int | None) -> bool:
        """Mirror a native poll vote event (position None: removed); False if not our poll."""
        async with self.db.transaction() as db:
            async with db.execute(
                "SELECT id FROM polls WHERE message_id = ? AND mode = 'native' AND closed_at IS NULL",
                (message_id,),
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return False
            if position is None:
                await db.execute(
                    "DELETE FROM votes WHERE poll_id = ? AND user_id = ?", (row[0], user_id)
                )
            else:
                await db.execute(
                    "INSERT INTO votes (poll_id, user_id, position, voted_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (poll_id, user_id) DO UPDATE SET position = excluded.position",
                    (row[0], user_id, position, time.time()),
                )
            await db.execute("UPDATE polls SET version = version + 1 WHERE id = ?", (row[0],))
        return True

    async def tally(self, poll_id: int) -> Tally | None:
        """Current counts (live from votes while open, frozen once closed)."""
        poll = await self.get(poll_id)
        if poll is None:
            return None
        rows = await self.db.fetchall(
            "SELECT o.position, coalesce(o.final_votes,"
            " (SELECT count(*) FROM votes AS v WHERE v.poll_id = o.poll_id AND v.position = o.position))"
            " AS n FROM poll_options AS o WHERE o.poll_id = ? ORDER BY o.position",
            (poll_id,),
        )
        return Tally(poll, tuple(row["n"] for row in rows))

    async def mark_shown(self, poll_id: int, version: int) -> None:
        """The message now shows the votes as of `version`."""
        async with self.db.transaction() as db:
            await db.execute(
                "UPDATE polls SET shown = max(shown, ?) WHERE id = ?", (version, poll_id)
            )

    async def close(self, poll_id: int, final_votes: tuple[int, ...] | None = None) -> bool:
        """Close a poll and freeze its counts (from `final_votes` for native polls, else from
        the votes); False when it was closed already."""
        async with self.db.transaction() as db:
            async with db.execute(
                "UPDATE polls SET closed_at = ?, version = version + 1"
                " WHERE id = ? AND closed_at IS NULL RETURNING id",
                (time.time(), poll_id),
            ) as cursor:
                if await cursor.fetchone() is None:
                    return False
            if final_votes is None:
                await db.execute(
                    "UPDATE poll_options SET final_votes = (SELECT count(*) FROM votes AS v"
                    " WHERE v.poll_id = poll_options.poll_id AND v.position = poll_options.position)"
                    " WHERE poll_id = ?",
                    (poll_id,),
                )
            else:
                await db.executemany(
                    "UPDATE poll_options SET final_votes = ? WHERE poll_id = ? AND position = ?",
                    [(n, poll_id, i) for i, n in enumerate(final_votes)],
                )
        return True

    async def next_deadline(self, owned: Owned = EVERY) -> float | None:
        """The earliest deadline of an open, posted poll in the servers `owned`."""
        row = await self.db.fetchone(
            "SELECT min(closes_at) FROM polls WHERE closed_at IS NULL AND message_id IS NOT NULL"
            f" AND {OWNED}",
            owned.params(),
        )
        return row[0] if row else None

    async def due(self, now: float, owned: Owned = EVERY) -> list[int]:
        """Open, posted polls of the servers `owned` whose deadline has passed (another
        process closes the others: `close` is the claim, so a poll closes once either way)."""
        rows = await self.db.fetchall(
            "SELECT id FROM polls WHERE closed_at IS NULL AND message_id IS NOT NULL"
            f" AND closes_at <= ? AND {OWNED} ORDER BY closes_at",
            (now, *owned.params()),
        )
        return [row["id"] for row in rows]

    async def unposted(self, owned: Owned = EVERY) -> list[int]:
        """Open polls of the servers `owned` without a message id: being posted, or posted
        by a process that died before it stored the id (cogs/polls/_unposted.py)."""
        rows = await self.db.fetchall(
            "SELECT id FROM polls WHERE closed_at IS NULL AND message_id IS NULL"
            f" AND {OWNED} ORDER BY id",
            owned.params(),
        )
        return [row["id"] for row in rows]

    async def behind(self, owned: Owned = EVERY) -> list[int]:
        """Posted polls of the servers `owned` whose message does not show their latest
        votes (after a crash)."""
        rows = await self.db.fetchall(
            "SELECT id FROM polls WHERE message_id IS NOT NULL AND shown < version"
            f" AND mode != 'native' AND {OWNED}",
            owned.params(),
        )
        return [row["id"] for row in rows]

    async def open_in_guild(self, guild_id: int, text: str, limit: int = 25) -> list[Poll]:
        """Open polls of a server whose question contains `text`, newest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM polls WHERE guild_id = ? AND closed_at IS NULL AND message_id IS NOT NULL"
            " AND instr(lower(question), lower(?)) > 0 ORDER BY created_at DESC LIMIT ?",
            (guild_id, text, limit),
        )
        return [_poll(row, ()) for row in rows]

    async def closed_for_episodes(self, guild_id: int, episode_ids: list[int]) -> list[Tally]:
        """Closed polls of these episodes in a server, oldest first, with frozen counts."""
        rows = await self.db.fetchall(
            "SELECT id FROM polls WHERE guild_id = ? AND closed_at IS NOT NULL"
            " AND episode_id IN (SELECT value FROM json_each(?)) ORDER BY closed_at",
            (guild_id, _json_list(episode_ids)),
        )
        tallies = [await self.tally(row["id"]) for row in rows]
        return [t for t in tallies if t is not None]


def _json_list(values: list[int]) -> str:
    return json.dumps([int(v) for v in values])
