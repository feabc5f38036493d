"""Members following shows, and which episodes of those shows they have already heard about.

A new episode is one in the catalog that `known_episodes` does not list yet; claiming the new
ones records them in the same transaction, and queues them for each server following their
show (`follow_news`), so each is announced once per server, also across restarts and by the
process holding that server's shard.
Episodes are known by id, so one an import renumbers stays known, and one inserted before it
is news.
"""

from __future__ import annotations

import time
from collections import defaultdict

from ..sharding import EVERY, Owned
from .db import Database
from .owned import OWNED

# The catalog's current episodes of followed shows that no follower has heard about yet.
_NEW = (
    "SELECT e.show_id, e.id FROM episodes AS e"
    " WHERE e.show_id IN (SELECT DISTINCT show_id FROM follows) AND e.retired_at IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM known_episodes AS k WHERE k.episode_id = e.id)"
)


class FollowQueries:
    """Who follows which show (per server), and the episodes already announced."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def follow(self, guild_id: int, user_id: int, show_id: int) -> bool:
        """Follow a show; False if the member already did.

        The first follower of a show marks every episode it has now as known: only episodes
        arriving after that are news.
        """
        async with self.db.transaction() as db:
            cursor = await db.execute("SELECT 1 FROM follows WHERE show_id = ?", (show_id,))
            first = await cursor.fetchone() is None
            if first:
                await db.execute(
                    "INSERT OR IGNORE INTO known_episodes (episode_id)"
                    " SELECT id FROM episodes WHERE show_id = ?",
                    (show_id,),
                )
            cursor = await db.execute(
                "INSERT OR IGNORE INTO follows (guild_id, user_id, show_id, followed_at)"
                " VALUES (?, ?, ?, ?)",
                (guild_id, user_id, show_id, time.time()),
            )
            return cursor.rowcount > 0

    async def unfollow(self, guild_id: int, user_id: int, show_id: int) -> bool:
        """Stop following; False if the member did not follow the show."""
        async with self.db.transaction() as db:
            cursor = await db.execute(
                "DELETE FROM follows WHERE guild_id = ? AND user_id = ? AND show_id = ?",
                (guild_id, user_id, show_id),
            )
            return cursor.rowcount > 0

    async def shows_of(self, guild_id: int, user_id: int) -> list[str]:
        """The titles of the shows a member follows in this server, by title."""
        rows = await self.db.fetchall(
            "SELECT s.title FROM follows AS f JOIN shows AS s ON s.id = f.show_id"
            " WHERE f.guild_id = ? AND f.user_id = ? ORDER BY s.title COLLATE NOCASE",
            (guild_id, user_id),
        )
        return [row["title"] for row in rows]

    async def followers(self, show_id: int) -> list[tuple[int, int]]:
        """(guild_id, user_id) of everyone following the show, in every server."""
        rows = await self.db.fetchall(
            "SELECT guild_id, user_id FROM follows WHERE show_id = ? ORDER BY guild_id, user_id",
            (show_id,),
        )
        return [(row["guild_id"], row["user_id"]) for row in rows]

    async def claim_new_episodes(self) -> dict[int, list[int]]:
        """The new episodes of followed shows as {show_id: [episode id, …]} in catalog order,
        found once across processes: from now on they are known, and each server following
        their show has them waiting for its own process (`take_news`)."""
        async with self.db.transaction() as db:
            cursor = await db.execute(f"{_NEW} ORDER BY e.show_id, e.season, e.number")
            rows = list(await cursor.fetchall())
            await db.execute(
                "INSERT OR IGNORE INTO follow_news (guild_id, episode_id)"
                f" SELECT DISTINCT f.guild_id, n.id FROM ({_NEW}) AS n"
                " JOIN follows AS f ON f.show_id = n.show_id"
            )
            await db.execute(
                f"INSERT OR IGNORE INTO known_episodes (episode_id) SELECT id FROM ({_NEW}) AS fresh"
            )
        found: dict[int, list[int]] = defaultdict(list)
        for row in rows:
            found[row["show_id"]].append(row["id"])
        return dict(found)

    async def has_news(self, owned: Owned = EVERY) -> bool:
        """Whether new episodes wait for any of the servers `owned`."""
        row = await self.db.fetchone(
            f"SELECT EXISTS (SELECT 1 FROM follow_news WHERE {OWNED})", owned.params()
        )
        return bool(row and row[0])

    async def take_news(self, owned: Owned = EVERY) -> dict[int, dict[int, list[int]]]:
        """The new episodes waiting for the servers `owned`, as {guild_id: {show_id: [episode
        id, …]}} in catalog order; taken out, so each is announced once."""
        async with self.db.transaction() as db:
            cursor = await db.execute(
                "SELECT n.guild_id, e.show_id, e.id FROM follow_news AS n"
                " JOIN episodes AS e ON e.id = n.episode_id"
                f" WHERE {OWNED.replace('guild_id', 'n.guild_id')}"
                " ORDER BY n.guild_id, e.show_id, e.season, e.number",
                owned.params(),
            )
            rows = list(await cursor.fetchall())
            await db.executemany(
                "DELETE FROM follow_news WHERE guild_id = ? AND episode_id = ?",
                [(row[0], row[2]) for row in rows],
            )
        found: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for guild_id, show_id, episode_id in rows:
            found[guild_id][show_id].append(episode_id)
        return {g: dict(shows) for g, shows in found.items()}
