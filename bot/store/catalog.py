"""Catalog queries: shows, episodes, cast, links, preset polls."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..models import Credit, Episode, Link, PresetPoll, Show, ShowFile
from .db import Database, from_row

if TYPE_CHECKING:
    import aiosqlite

_EPISODE_COLUMNS = (
    "id, show_id, season, number, title, synopsis, recap, ending, runtime_minutes, air_date"
)


def _show(row: Any, links: tuple[Link, ...] = ()) -> Show:
    genres = tuple(g for g in row["genres"].split("\n") if g)
    return from_row(Show, row, genres=genres, links=links)


def _episode(row: Any, links: tuple[Link, ...] = ()) -> Episode:
    return from_row(Episode, row, links=links)


def _like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class CatalogQueries:
    """Shows, episodes, cast, links and preset polls."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- loading data files -------------------------------------------------------------

    async def replace_show(self, data: ShowFile, source: str, digest: str = "") -> int:
        """Replace one show's catalog entry with what a data file says; returns the show id.

        Episodes keep their ids across imports (polls and threads refer to them); everything
        that hangs off an episode is rewritten. One transaction, the file's digest included:
        all of it or nothing.
        """
        show = data.show
        async with self.db.transaction() as db:
            row = await _one(
                db,
                "INSERT INTO shows (slug, title, genres, runtime_min, runtime_max, source)"
                " VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (slug) DO UPDATE SET title = excluded.title,"
                " genres = excluded.genres, runtime_min = excluded.runtime_min,"
                " runtime_max = excluded.runtime_max, source = excluded.source"
                " RETURNING id",
                (
                    show.slug,
                    show.title,
                    "\n".join(show.genres),
                    show.runtime_min,
                    show.runtime_max,
                    source,
                ),
            )
            show_id = row[0]
            await db.execute(
                "DELETE FROM links WHERE show_id = ? AND episode_id IS NULL", (show_id,)
            )
            await db.execute(
                "DELETE FROM credits WHERE show_id = ? AND episode_id IS NULL", (show_id,)
            )
            await _insert_links(db, show_id, None, show.links)
            await _insert_credits(db, show_id, None, data.cast)
            kept = []
            for item in data.episodes:
                kept.append(await self._import_episode(db, show_id, item))
            await db.execute(
                "DELETE FROM episodes WHERE show_id = ?"
                " AND id NOT IN (SELECT value FROM json_each(?))",
                (show_id, json.dumps(kept)),
            )
            # The file's digest, so an unchanged file is skipped at the next start.
            await db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (f"datafile:{source}", digest),
            )
        return int(show_id)

    async def file_digest(self, source: str) -> str | None:
        """The digest of a data file's content when it was last imported."""
        row = await self.db.fetchone(
            "SELECT value FROM meta WHERE key = ?", (f"datafile:{source}",)
        )
        return row["value"] if row else None

    async def _import_episode(self, db: aiosqlite.Connection, show_id: int, item: Any) -> int:
        e: Episode = item.episode
        row = await _one(
            db,
            "INSERT INTO episodes (show_id, season, number, title, synopsis, recap, ending,"
            " runtime_minutes, air_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (show_id, season, number) DO UPDATE SET title = excluded.title,"
            " synopsis = excluded.synopsis, recap = excluded.recap, ending = excluded.ending,"
            " runtime_minutes = excluded.runtime_minutes, air_date = excluded.air_date"
            " RETURNING id",
            (
                show_id,
                e.season,
                e.number,
                e.title,
                e.synopsis,
                e.recap,
                e.ending,
                e.runtime_minutes,
                e.air_date,
            ),
        )
        episode_id = int(row[0])
        for table in ("links", "credits", "preset_polls", "spoiler_terms"):
            # The table name comes from the literal tuple above, never from input.
            await db.execute(f"DELETE FROM {table} WHERE episode_id = ?", (episode_id,))
        await _insert_links(db, show_id, episode_id, e.links)
        await _insert_credits(db, show_id, episode_id, item.cast)
        await db.executemany(
            "INSERT INTO preset_polls (episode_id, position, question, options) VALUES (?, ?, ?, ?)",
            [
                (episode_id, i, p.question, json.dumps(list(p.options)))
                for i, p in enumerate(item.polls)
            ],
        )
        await db.executemany(
            "INSERT INTO spoiler_terms (episode_id, term) VALUES (?, ?)",
            [(episode_id, term) for term in item.spoiler_terms],
        )
        return episode_id

    # --- shows ------------------------------------------------------------------------

    async def find_show(self, key: str) -> Show | None:
        """The show whose slug or title is `key` (any case), or the only one containing it."""
        key = key.strip()
        if not key:
            return None
        rows = await self.db.fetchall(
            "SELECT * FROM shows WHERE slug = lower(?) OR title = ? COLLATE NOCASE LIMIT 1",
            (key, key),
        )
        if not rows:
            rows = await self.db.fetchall(
                "SELECT * FROM shows WHERE title LIKE ? ESCAPE '\\' LIMIT 2", (_like(key),)
            )
            if len(rows) != 1:
                return None
        return await self._with_show_links(rows[0])

    async def show_by_id(self, show_id: int) -> Show | None:
        row = await self.db.fetchone("SELECT * FROM shows WHERE id = ?", (show_id,))
        return await self._with_show_links(row) if row else None

    async def _with_show_links(self, row: Any) -> Show:
        links = await self._links(row["id"], None)
        return _show(row, links)

    async def search_shows(self, text: str, limit: int = 25) -> list[Show]:
        """Shows whose title contains `text`, titles starting with it first (autocomplete)."""
        rows = await self.db.fetchall(
            "SELECT * FROM shows WHERE title LIKE ? ESCAPE '\\' OR slug LIKE ? ESCAPE '\\'"
            " ORDER BY title NOT LIKE ? ESCAPE '\\', title COLLATE NOCASE LIMIT ?",
            (_like(text), _like(text), _like(text)[1:], limit),
        )
        return [_show(row) for row in rows]

    async def listing(self) -> list[tuple[Show, str, int]]:
        """Every show with its data file and its number of episodes, by title."""
        return await catalog_listing(self.db)

    async def show_source(self, slug: str) -> str | None:
        """The data file a show was loaded from, or None for a new show."""
        row = await self.db.fetchone("SELECT source FROM shows WHERE slug = ?", (slug,))
        return row["source"] if row else None

    async def show_titles(self) -> list[str]:
        """Every show title, for suggesting the closest ones to a name nobody knows."""
        rows = await self.db.fetchall("SELECT title FROM shows ORDER BY title COLLATE NOCASE")
        return [row["title"] for row in rows]

    async def seasons(self, show_id: int) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT DISTINCT season FROM episodes WHERE show_id = ? ORDER BY season", (show_id,)
        )
        return [row["season"] for row in rows]

    # --- episodes ---------------------------------------------------------------------

    async def episode(self, show_id: int, season: int, number: int) -> Episode | None:
        row = await self.db.fetchone(
            f"SELECT {_EPISODE_COLUMNS} FROM episodes WHERE show_id = ? AND season = ? AND number = ?",
            (show_id, season, number),
        )
        return await self._with_episode_links(row) if row else None

    async def episode_by_id(self, episode_id: int) -> Episode | None:
        row = await self.db.fetchone(
            f"SELECT {_EPISODE_COLUMNS} FROM episodes WHERE id = ?", (episode_id,)
        )
        return await self._with_episode_links(row) if row else None

    async def _with_episode_links(self, row: Any) -> Episode:
        links = await self._links(row["show_id"], row["id"])
        return _episode(row, links)

    async def episodes(self, show_id: int, season: int | None = None) -> list[Episode]:
        """A show's episodes in order, or one season's."""
        rows = await self.db.fetchall(
            f"SELECT {_EPISODE_COLUMNS} FROM episodes WHERE show_id = ?"
            " AND (? IS NULL OR season = ?) ORDER BY season, number",
            (show_id, season, season),
        )
        return [_episode(row) for row in rows]

    async def search_episodes(
        self, show_id: int, season: int | None, text: str, number: int | None, limit: int = 25
    ) -> list[Episode]:
        """Episodes in order, narrowed by season, by a piece of the title, by number."""
        rows = await self.db.fetchall(
            f"SELECT {_EPISODE_COLUMNS} FROM episodes WHERE show_id = ?"
            " AND (? IS NULL OR season = ?) AND (? IS NULL OR number = ?)"
            " AND (? = '' OR title LIKE ? ESCAPE '\\') ORDER BY season, number LIMIT ?",
            (show_id, season, season, number, number, text, _like(text), limit),
        )
        return [_episode(row) for row in rows]

    async def cast(
        self, show_id: int, season: int | None = None, number: int | None = None
    ) -> list[Credit]:
        """Show-wide credits plus those of the matching episodes, each actor once, in billing order."""
        rows = await self.db.fetchall(
            "SELECT c.actor, max(c.character) AS character, min(c.episode_id IS NOT NULL) AS ep,"
            " min(c.billing) AS billing FROM credits AS c"
            " LEFT JOIN episodes AS e ON e.id = c.episode_id"
            " WHERE c.show_id = ? AND (c.episode_id IS NULL OR ("
            "   (? IS NULL OR e.season = ?) AND (? IS NULL OR e.number = ?)))"
            " GROUP BY c.actor ORDER BY ep, billing, c.actor",
            (show_id, season, season, number, number),
        )
        return [from_row(Credit, row) for row in rows]

    async def preset_polls(self, episode_id: int) -> list[PresetPoll]:
        rows = await self.db.fetchall(
            "SELECT question, options FROM preset_polls WHERE episode_id = ? ORDER BY position",
            (episode_id,),
        )
        return [
            from_row(PresetPoll, row, options=tuple(json.loads(row["options"]))) for row in rows
        ]

    async def spoiler_terms(self, episode_id: int) -> list[str]:
        rows = await self.db.fetchall(
            "SELECT term FROM spoiler_terms WHERE episode_id = ? ORDER BY term", (episode_id,)
        )
        return [row["term"] for row in rows]

    async def _links(self, show_id: int, episode_id: int | None) -> tuple[Link, ...]:
        rows = await self.db.fetchall(
            "SELECT label, url FROM links WHERE show_id = ? AND episode_id IS ? ORDER BY position",
            (show_id, episode_id),
        )
        return tuple(from_row(Link, row) for row in rows)


async def _one(db: aiosqlite.Connection, sql: str, params: tuple) -> Any:
    async with db.execute(sql, params) as cursor:
        row = await cursor.fetchone()
    assert row is not None  # INSERT ... RETURNING always returns the row it wrote
    return row


async def _insert_links(
    db: aiosqlite.Connection, show_id: int, episode_id: int | None, links: tuple[Link, ...]
) -> None:
    await db.executemany(
        "INSERT INTO links (show_id, episode_id, position, label, url) VALUES (?, ?, ?, ?, ?)",
        [(show_id, episode_id, i, link.label, link.url) for i, link in enumerate(links)],
    )


async def _insert_credits(
    db: aiosqlite.Connection, show_id: int, episode_id: int | None, credits: tuple[Credit, ...]
) -> None:
    await db.executemany(
        "INSERT INTO credits (show_id, episode_id, billing, actor, character) VALUES (?, ?, ?, ?, ?)",
        [(show_id, episode_id, i, c.actor, c.character) for i, c in enumerate(credits)],
    )


async def catalog_listing(db: Database) -> list[tuple[Show, str, int]]:
    """Every show with its data file and its number of episodes, by title."""
    rows = await db.fetchall(
        "SELECT s.*, (SELECT count(*) FROM episodes AS e WHERE e.show_id = s.id) AS episode_count"
        " FROM shows AS s ORDER BY s.title COLLATE NOCASE"
    )
    return [(_show(row), row["source"], row["episode_count"]) for row in rows]
