"""What the bot stores about one member, and about one server, in one place each.

Discord's Developer Policy: delete a user's data when they ask, and keep no data the bot no
longer needs. Every table holding a user id is listed in USER_ROWS or ANONYMISED, every table
holding a server id in GUILD_ROWS; tests/test_privacy_store.py scans the schema and fails when
a new table is in neither, so a future table cannot be forgotten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..sharding import EVERY, Owned
from .db import Database
from .owned import OWNED

# The author id that stands for "a former member" once its member asked to be deleted
# (NULL author_id already means the data file's own text).
FORMER_MEMBER = 0

# Rows that are the member's own: reported, exported and deleted. (table, column): SQL pairs
# written out literally. Votes in closed polls go too: a closed poll's counts are frozen in
# poll_options.final_votes when it closes, so its results keep their numbers.
USER_ROWS: dict[tuple[str, str], tuple[str, str]] = {
    ("progress", "user_id"): (
        "SELECT * FROM progress WHERE user_id = ?",
        "DELETE FROM progress WHERE user_id = ?",
    ),
    ("progress_unmapped", "user_id"): (
        "SELECT * FROM progress_unmapped WHERE user_id = ?",
        "DELETE FROM progress_unmapped WHERE user_id = ?",
    ),
    ("progress_moves", "user_id"): (
        "SELECT * FROM progress_moves WHERE user_id = ?",
        "DELETE FROM progress_moves WHERE user_id = ?",
    ),
    ("votes", "user_id"): (
        "SELECT * FROM votes WHERE user_id = ?",
        "DELETE FROM votes WHERE user_id = ?",
    ),
    ("follows", "user_id"): (
        "SELECT * FROM follows WHERE user_id = ?",
        "DELETE FROM follows WHERE user_id = ?",
    ),
    ("member_time_zones", "user_id"): (
        "SELECT * FROM member_time_zones WHERE user_id = ?",
        "DELETE FROM member_time_zones WHERE user_id = ?",
    ),
    ("member_locales", "user_id"): (
        "SELECT * FROM member_locales WHERE user_id = ?",
        "DELETE FROM member_locales WHERE user_id = ?",
    ),
    ("reminder_opt_outs", "user_id"): (
        "SELECT * FROM reminder_opt_outs WHERE user_id = ?",
        "DELETE FROM reminder_opt_outs WHERE user_id = ?",
    ),
    ("party_dms", "user_id"): (
        "SELECT * FROM party_dms WHERE user_id = ?",
        "DELETE FROM party_dms WHERE user_id = ?",
    ),
    ("party_attendance", "user_id"): (
        "SELECT * FROM party_attendance WHERE user_id = ?",
        "DELETE FROM party_attendance WHERE user_id = ?",
    ),
    ("party_followers", "user_id"): (
        "SELECT * FROM party_followers WHERE user_id = ?",
        "DELETE FROM party_followers WHERE user_id = ?",
    ),
    # A suggestion carries the member's own note: it goes with them.
    ("suggestions", "suggested_by"): (
        "SELECT * FROM suggestions WHERE suggested_by = ?",
        "DELETE FROM suggestions WHERE suggested_by = ?",
    ),
}

# Rows the server shares (a revision of an episode's text, a poll, a watch party): kept,
# with the member's id replaced by FORMER_MEMBER.
ANONYMISED: dict[tuple[str, str], tuple[str, str]] = {
    ("revisions", "author_id"): (
        "SELECT * FROM revisions WHERE author_id = ?",
        "UPDATE revisions SET author_id = 0 WHERE author_id = ?",
    ),
    ("polls", "creator_id"): (
        "SELECT * FROM polls WHERE creator_id = ?",
        "UPDATE polls SET creator_id = 0 WHERE creator_id = ?",
    ),
    ("watch_parties", "creator_id"): (
        "SELECT * FROM watch_parties WHERE creator_id = ?",
        "UPDATE watch_parties SET creator_id = 0 WHERE creator_id = ?",
    ),
}

# Every row of a departed server. Votes, poll options and suggestion polls go with their
# polls, party records with their parties (ON DELETE CASCADE). Revisions are the catalog's
# text, shared by every server: they stay, without the server's id.
GUILD_ROWS: dict[str, str] = {
    "polls": "DELETE FROM polls WHERE guild_id = ?",
    "suggestion_polls": "DELETE FROM suggestion_polls WHERE guild_id = ?",
    "progress_moves": "DELETE FROM progress_moves WHERE guild_id = ?",
    "watch_parties": "DELETE FROM watch_parties WHERE guild_id = ?",
    "guild_settings": "DELETE FROM guild_settings WHERE guild_id = ?",
    "guarded_channels": "DELETE FROM guarded_channels WHERE guild_id = ?",
    "progress": "DELETE FROM progress WHERE guild_id = ?",
    "progress_unmapped": "DELETE FROM progress_unmapped WHERE guild_id = ?",
    "discussion_threads": "DELETE FROM discussion_threads WHERE guild_id = ?",
    "thread_claims": "DELETE FROM thread_claims WHERE guild_id = ?",
    "reminder_opt_outs": "DELETE FROM reminder_opt_outs WHERE guild_id = ?",
    "follows": "DELETE FROM follows WHERE guild_id = ?",
    "follow_news": "DELETE FROM follow_news WHERE guild_id = ?",
    "suggestions": "DELETE FROM suggestions WHERE guild_id = ?",
    "party_followers": "DELETE FROM party_followers WHERE guild_id = ?",
    "revisions": "UPDATE revisions SET guild_id = NULL WHERE guild_id = ?",
    "airing": "DELETE FROM airing WHERE guild_id = ?",
    "airing_done": "DELETE FROM airing_done WHERE guild_id = ?",
    "departed_guilds": "DELETE FROM departed_guilds WHERE guild_id = ?",
}


class PrivacyQueries:
    """One member's data (show, export, delete) and one departed server's (purge)."""

    def __init__(self, db: Database, on_change: Callable[[], None]) -> None:
        self.db = db
        # The caches of the query classes whose rows these deletes remove.
        self.on_change = on_change

    async def about_user(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row about the member, by table (tables without any left out)."""
        found: dict[str, list[dict[str, Any]]] = {}
        for (table, _), (select, _) in {**USER_ROWS, **ANONYMISED}.items():
            rows = await self.db.fetchall(select, (user_id,))
            if rows:
                found[table] = [dict(row) for row in rows]
        return found

    async def delete_user(self, user_id: int) -> tuple[int, list[int]]:
        """Delete (or anonymise) every row about the member, in one transaction.

        Returns the rows changed and the open polls whose tallies lost a vote (their messages
        need redrawing)."""
        changed = 0
        async with self.db.transaction(then=self.on_change) as db:
            async with db.execute(
                "SELECT v.poll_id FROM votes AS v JOIN polls AS p ON p.id = v.poll_id"
                " WHERE v.user_id = ? AND p.closed_at IS NULL",
                (user_id,),
            ) as cursor:
                open_polls = [row[0] for row in await cursor.fetchall()]
            for _, delete in (*USER_ROWS.values(), *ANONYMISED.values()):
                cursor = await db.execute(delete, (user_id,))
                changed += max(cursor.rowcount, 0)
            # A withdrawn vote is a change the poll's message must show, as a click is.
            await db.execute(
                "UPDATE polls SET version = version + 1"
                " WHERE id IN (SELECT value FROM json_each(?))",
                (_json_ints(open_polls),),
            )
        return changed, open_polls

    async def depart(self, guild_id: int, left_at: float, purge_at: float) -> None:
        """The bot was removed from a server: its data goes at `purge_at` unless it returns."""
        async with self.db.transaction() as db:
            await db.execute(
                "INSERT INTO departed_guilds (guild_id, left_at, purge_at) VALUES (?, ?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE SET left_at = excluded.left_at,"
                " purge_at = excluded.purge_at",
                (guild_id, left_at, purge_at),
            )

    async def returned(self, guild_id: int) -> bool:
        """The bot is in this server again: keep its data. True when a purge was cancelled."""
        # Called for every server at every start: a read first, so only a departed one writes.
        if (
            await self.db.fetchone("SELECT 1 FROM departed_guilds WHERE guild_id = ?", (guild_id,))
            is None
        ):
            return False
        async with self.db.transaction() as db:
            cursor = await db.execute("DELETE FROM departed_guilds WHERE guild_id = ?", (guild_id,))
            return cursor.rowcount > 0

    async def departed(self) -> list[tuple[int, float]]:
        """(server id, purge time) of every departed server, soonest first."""
        rows = await self.db.fetchall(
            "SELECT guild_id, purge_at FROM departed_guilds ORDER BY purge_at"
        )
        return [(row["guild_id"], row["purge_at"]) for row in rows]

    async def next_purge(self, owned: Owned = EVERY) -> float | None:
        row = await self.db.fetchone(
            f"SELECT min(purge_at) AS at FROM departed_guilds WHERE {OWNED}", owned.params()
        )
        return row["at"] if row else None

    async def due(self, now: float, owned: Owned = EVERY) -> list[int]:
        """Departed servers of the shards `owned` whose purge is due: only their own process
        knows whether they came back (`get_guild`)."""
        rows = await self.db.fetchall(
            f"SELECT guild_id FROM departed_guilds WHERE purge_at <= ? AND {OWNED}"
            " ORDER BY purge_at",
            (now, *owned.params()),
        )
        return [row["guild_id"] for row in rows]

    async def purge_guild(self, guild_id: int) -> int:
        """Delete every row of a server, in one transaction; returns the rows deleted."""
        deleted = 0
        async with self.db.transaction(then=self.on_change) as db:
            for statement in GUILD_ROWS.values():
                cursor = await db.execute(statement, (guild_id,))
                deleted += max(cursor.rowcount, 0)
        return deleted


def _json_ints(values: list[int]) -> str:
    return "[" + ",".join(str(int(v)) for v in values) + "]"
