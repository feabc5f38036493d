"""Catalog queries: shows, episodes, cast, links, preset polls, specials.

Retired shows and episodes (gone from their data files) are left out of every list, search
and lookup by name or number; by id they still resolve, for the polls, parties and threads
that refer to them.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from .. import limits
from ..models import (
    CatalogChange,
    Credit,
    Episode,
    EpisodeRef,
    Link,
    PresetPoll,
    Show,
    ShowDependents,
    ShowFile,
    Special,
    Watched,
)
from . import search_index
from .catalog_import import names_of_credits, write_show
from .db import Cache, Database, from_row
from .import_prepare import Prepared
from .recap_sources import recap_source

_EPISODE_COLUMNS = (
    "id, show_id, season, number, title, synopsis, recap, ending, runtime_minutes, air_date,"
    " tvmaze_id, air_time, image, recap_site, recap_article, recap_revision, airs_at"
)


def _show(row: Any, links: tuple[Link, ...] = ()) -> Show:
    genres = tuple(g for g in row["genres"].split("\n") if g)
    return from_row(Show, row, genres=genres, links=links)


def _episode(row: Any, links: tuple[Link, ...] = ()) -> Episode:
    return from_row(Episode, row, links=links, recap_source=recap_source(row))


def _like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class CatalogQueries:
    """Shows, episodes, cast, links and preset polls."""

    def __init__(self, db: Database, on_change: Callable[[], None] | None = None) -> None:
        self.db = db
        # Readers of the catalog elsewhere that cache (the search results) forget with this.
        self._on_change = on_change
        # Only this class writes the catalog, and every write forgets these (see `forget`).
        self._show_keys: Cache[str, Show] = db.cache()
        self._shows: Cache[int, Show] = db.cache()
        self._episode_keys: Cache[tuple[int, int, int], Episode] = db.cache()
        self._episodes: Cache[int, Episode] = db.cache()
        # Every autocomplete keystroke filters one show's episodes: kept per show, without
        # their text, so a 200-episode show costs no read and no sort per keystroke.
        self._refs: Cache[int, tuple[EpisodeRef, ...]] = db.cache(limits.CHOICE_SHOWS)

    def forget(self) -> None:
        """The catalog changed: drop every cached read."""
        for cache in (self._show_keys, self._shows, self._episode_keys, self._episodes, self._refs):
            cache.forget()
        if self._on_change is not None:
            self._on_change()

    def bulk(self) -> contextlib.AbstractAsyncContextManager[None]:
        """Imports inside this block fill the search index once, at its end (search_index.py)."""
        return search_index.bulk(self.db, then=self.forget)

    # --- loading data files -------------------------------------------------------------

    async def import_show(
        self, data: ShowFile, source: str, digest: str = "", prepared: Prepared | None = None
    ) -> CatalogChange:
        """Bring one show up to date with its data file; says what changed.

        One transaction, the file's digest included: all of it or nothing. Episodes are never
        deleted (polls, parties, threads and progress refer to them): one the file no longer
        lists is retired. See catalog_import.py (and its `prepare`, for `prepared`).
        """
        async with self.db.transaction(then=self.forget) as db:
            return await write_show(db, data, source, digest, prepared)

    async def file_digest(self, source: str) -> str | None:
        """The digest of a data file's content when it was last imported."""
        row = await self.db.fetchone(
            "SELECT value FROM meta WHERE key = ?", (f"datafile:{source}",)
        )
        return row["value"] if row else None

    async def show_source(self, slug: str) -> str | None:
        """The data file a show was last loaded from, or None for a new show."""
        row = await self.db.fetchone("SELECT source FROM shows WHERE slug = ?", (slug,))
        return row["source"] if row else None

    async def dependents(self, slug: str) -> ShowDependents | None:
        """What members made that refers to the show; None when no show has this slug."""
        row = await self.db.fetchone(
            # `IN (SELECT id FROM e)`: SQLite also takes `IN e`, PostgreSQL does not.
            "WITH e AS (SELECT e.id FROM episodes AS e JOIN shows AS s ON s.id = e.show_id"
            "   WHERE s.slug = ?)"
            " SELECT (SELECT count(*) FROM polls WHERE episode_id IN (SELECT id FROM e))"
            "   AS polls,"
            " (SELECT count(*) FROM watch_parties WHERE episode_id IN (SELECT id FROM e))"
            "   AS parties,"
            " (SELECT count(*) FROM discussion_threads WHERE episode_id IN (SELECT id FROM e))"
            "   AS threads,"
            " (SELECT count(*) FROM progress WHERE show_id = s.id) AS progress"
            " FROM shows AS s WHERE s.slug = ?",
            (slug, slug),
        )
        return from_row(ShowDependents, row) if row else None

    async def remove_show(self, slug: str) -> bool:
        """Delete a show that nothing members made refers to; False when something does.

        Catalog rows cascade from the show; members' rows refer to it with RESTRICT keys, so
        the check and the delete are one statement and nothing can slip in between.
        """
        async with self.db.transaction(then=self.forget) as db:
            # The show's credits go with it (a cascade), so their names leave first.
            async with db.execute("SELECT id FROM shows WHERE slug = ?", (slug,)) as cursor:
                found = await cursor.fetchone()
            if found is not None:
                await names_of_credits(db, int(found[0]), -1)
            # A savepoint: after a failed statement PostgreSQL takes no more in its transaction.
            await db.execute("SAVEPOINT remove_show")
            try:
                async with db.execute(
                    "DELETE FROM shows WHERE slug = ? RETURNING source", (slug,)
                ) as cursor:
                    row = await cursor.fetchone()
            except sqlite3.IntegrityError:  # a RESTRICT key: members' rows refer to it
                await db.execute("ROLLBACK TO remove_show")
                if found is not None:
                    await names_of_credits(db, int(found[0]), +1)  # the show stays
                return False
            if row is not None:
                await db.execute("DELETE FROM meta WHERE key = ?", (f"datafile:{row[0]}",))
        return True

    async def retire_show(self, slug: str) -> None:
        """Hide a show and its episodes, keeping every row members' things refer to.

        Its file's digest is forgotten, so the show returns when its file is imported again.
        """
        now = time.time()
        async with self.db.transaction(then=self.forget) as db:
            async with db.execute("SELECT id FROM shows WHERE slug = ?", (slug,)) as cursor:
                found = await cursor.fetchone()
            if found is not None:
                # A hidden show's cast leaves /search's suggestions (its titles go by trigger).
                await names_of_credits(db, int(found[0]), -1)
            await db.execute(
                "DELETE FROM meta WHERE key = 'datafile:' || (SELECT source FROM shows"
                " WHERE slug = ?)",
                (slug,),
            )
            await db.execute(
                "UPDATE episodes SET retired_at = ? WHERE retired_at IS NULL"
                " AND show_id = (SELECT id FROM shows WHERE slug = ?)",
                (now, slug),
            )
            await db.execute("UPDATE shows SET retired_at = ? WHERE slug = ?", (now, slug))

    async def specials(self, show_id: int) -> list[Special]:
        """The show's specials, in file order."""
        rows = await self.db.fetchall(
            "SELECT * FROM specials WHERE show_id = ? ORDER BY position", (show_id,)
        )
        return [from_row(Special, row) for row in rows]

    # --- shows ------------------------------------------------------------------------

    async def find_show(self, key: str) -> Show | None:
        """The show whose slug or title is `key` (any case), or the only one containing it."""
        key = key.strip()
        if not key:
            return None
        if cached := self._show_keys.get(key.casefold()):
            return cached
        since = self._show_keys.generation
        rows = await self.db.fetchall(
            "SELECT * FROM shows WHERE retired_at IS NULL"
            " AND (slug = lower(?) OR title = ? COLLATE NOCASE) LIMIT 1",
            (key, key),
        )
        if not rows:
            rows = await self.db.fetchall(
                "SELECT * FROM shows WHERE title LIKE ? ESCAPE '\\' AND retired_at IS NULL LIMIT 2",
                (_like(key),),
            )
            if len(rows) != 1:
                return None
        show = await self._with_show_links(rows[0])
        return self._show_keys.put(key.casefold(), show, since=since)

    async def show_by_id(self, show_id: int) -> Show | None:
        if cached := self._shows.get(show_id):
            return cached
        since = self._shows.generation
        row = await self.db.fetchone("SELECT * FROM shows WHERE id = ?", (show_id,))
        if row is None:
            return None
        return self._shows.put(show_id, await self._with_show_links(row), since=since)

    async def _with_show_links(self, row: Any) -> Show:
        links = await self._links(row["id"], None)
        return _show(row, links)

    async def search_shows(self, text: str, limit: int = 25) -> list[Show]:
        """Shows whose title contains `text`, titles starting with it first (autocomplete)."""
        rows = await self.db.fetchall(
            "SELECT * FROM shows WHERE (title LIKE ? ESCAPE '\\' OR slug LIKE ? ESCAPE '\\')"
            " AND retired_at IS NULL"
            " ORDER BY title NOT LIKE ? ESCAPE '\\', title COLLATE NOCASE LIMIT ?",
            (_like(text), _like(text), _like(text)[1:], limit),
        )
        return [_show(row) for row in rows]

    async def listing(self) -> list[tuple[Show, str, int]]:
        """Every current show with its data file and its number of current episodes, by title."""
        rows = await self.db.fetchall(
            "SELECT s.*, (SELECT count(*) FROM episodes AS e WHERE e.show_id = s.id"
            " AND e.retired_at IS NULL) AS episode_count"
            " FROM shows AS s WHERE s.retired_at IS NULL ORDER BY s.title COLLATE NOCASE"
        )
        return [(_show(row), row["source"], row["episode_count"]) for row in rows]

    async def show_titles(self) -> list[str]:
        """Every show title, for suggesting the closest ones to a name nobody knows."""
        rows = await self.db.fetchall(
            "SELECT title FROM shows WHERE retired_at IS NULL ORDER BY title COLLATE NOCASE"
        )
        return [row["title"] for row in rows]

    async def seasons(self, show_id: int) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT DISTINCT season FROM episodes WHERE show_id = ? AND retired_at IS NULL"
            " ORDER BY season",
            (show_id,),
        )
        return [row["season"] for row in rows]

    # --- episodes ---------------------------------------------------------------------

    async def episode(self, show_id: int, season: int, number: int) -> Episode | None:
        if cached := self._episode_keys.get((show_id, season, number)):
            return cached
        since = self._episode_keys.generation
        row = await self.db.fetchone(
            f"SELECT {_EPISODE_COLUMNS} FROM episodes WHERE show_id = ? AND season = ? AND number = ?"
            " AND retired_at IS NULL",
            (show_id, season, number),
        )
        if row is None:
            return None
        episode = await self._with_episode_links(row)
        return self._episode_keys.put((show_id, season, number), episode, since=since)

    async def episode_by_id(self, episode_id: int) -> Episode | None:
        if cached := self._episodes.get(episode_id):
            return cached
        since = self._episodes.generation
        row = await self.db.fetchone(
            f"SELECT {_EPISODE_COLUMNS} FROM episodes WHERE id = ?", (episode_id,)
        )
        if row is None:
            return None
        return self._episodes.put(episode_id, await self._with_episode_links(row), since=since)

    async def _with_episode_links(self, row: Any) -> Episode:
        links = await self._links(row["show_id"], row["id"])
        return _episode(row, links)

    async def episodes(self, show_id: int, season: int | None = None) -> list[Episode]:
        """A show's episodes in order, or one season's."""
        rows = await self.db.fetchall(
            f"SELECT {_EPISODE_COLUMNS} FROM episodes WHERE show_id = ? AND retired_at IS NULL"
            " AND (? IS NULL OR season = ?) ORDER BY season, number",
            (show_id, season, season),
        )
        return [_episode(row) for row in rows]

    async def search_episodes(
        self,
        show_id: int,
        season: int | None,
        text: str,
        number: int | None,
        limit: int = 25,
        after: Watched | None = None,
    ) -> list[Episode]:
        """Episodes in order, narrowed by season, by a piece of the title, by number, and to
        those `after` does not cover (what a member has not watched: models.Watched.covers)."""
        low = (after.season, after.number, after.episode_id) if after else (-1, -1, 0)
        rows = await self.db.fetchall(
            f"SELECT {_EPISODE_COLUMNS} FROM episodes WHERE show_id = ? AND retired_at IS NULL"
            " AND (? IS NULL OR season = ?) AND (? IS NULL OR number = ?)"
            " AND (season, number) >= (?, ?) AND id != ?"
            " AND (? = '' OR title LIKE ? ESCAPE '\\') ORDER BY season, number LIMIT ?",
            (show_id, season, season, number, number, *low, text, _like(text), limit),
        )
        return [_episode(row) for row in rows]

    async def choose_episodes(
        self,
        show_id: int,
        season: int | None,
        text: str,
        number: int | None,
        limit: int = 25,
        after: Watched | None = None,
    ) -> list[EpisodeRef]:
        """What `search_episodes` finds, as choices: from the show's kept list, no query.

        A title matches when it contains `text` in any case (casefolded, so beyond ASCII too)."""
        # models.Watched.covers, as search_episodes has it: the watched episode itself and
        # everything before its place are covered; another at its very place is not.
        low, seen = ((after.season, after.number), after.episode_id) if after else ((-1, -1), 0)
        wanted = text.casefold()
        found = [
            e
            for e in await self._episode_refs(show_id)
            if (season is None or e.season == season)
            and (number is None or e.number == number)
            and (e.season, e.number) >= low
            and e.id != seen
            and wanted in e.title.casefold()
        ]
        return found[:limit]

    async def _episode_refs(self, show_id: int) -> tuple[EpisodeRef, ...]:
        if (cached := self._refs.get(show_id)) is not None:
            return cached
        since = self._refs.generation
        rows = await self.db.fetchall(
            "SELECT id, show_id, season, number, title FROM episodes"
            " WHERE show_id = ? AND retired_at IS NULL ORDER BY season, number",
            (show_id,),
        )
        return self._refs.put(show_id, tuple(from_row(EpisodeRef, r) for r in rows), since=since)

    async def next_episode(self, show_id: int, after: Watched | None) -> Episode | None:
        """The first episode past what a member has watched (the first of all if nothing)."""
        found = await self.search_episodes(show_id, None, "", None, limit=1, after=after)
        return found[0] if found else None

    async def cast(
        self, show_id: int, season: int | None = None, number: int | None = None
    ) -> list[Credit]:
        """Show-wide credits plus those of the matching episodes, each actor once, in billing order."""
        rows = await self.db.fetchall(
            "SELECT c.actor, max(c.character) AS character, min(c.episode_id IS NOT NULL) AS ep,"
            " min(c.billing) AS billing FROM credits AS c"
            " LEFT JOIN episodes AS e ON e.id = c.episode_id"
            " WHERE c.show_id = ? AND (c.episode_id IS NULL OR (e.retired_at IS NULL AND"
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
