"""Full-text search over the episodes (the FTS5 index of migration 0007), spoiler-aware.

What members type is never handed to FTS5 as a query: it is cut into words, and each word
goes in as a quoted string, so `"`, `*`, `NEAR(`, `OR` or `-` are only ever text.
"""

from __future__ import annotations

import re
from typing import Any

import aiosqlite

from .. import limits
from ..models import MATCH_END, MATCH_START, DeepMatch, Episode, SearchResults, Viewer
from .db import Cache, Database, from_row
from .dialect import both
from .recap_sources import recap_source
from .search_index import BULK

_WORD = re.compile(r"\w+")

# What in the title and synopsis alone is fine to show anyone: the safe-card columns.
_SAFE = "{title synopsis} : "

# Episode columns, qualified: the queries join the index, episodes and progress.
_COLUMNS = (
    "e.id, e.show_id, e.season, e.number, e.title, e.synopsis, e.recap, e.ending,"
    " e.runtime_minutes, e.air_date, e.tvmaze_id, e.air_time, e.image,"
    " e.recap_site, e.recap_article, e.recap_revision, e.airs_at"
)

# Whether the viewer has not watched the episode yet: the rule of
# cogs/utils/spoilers.behind() and models.Watched.covers, in SQL, so past-progress matches
# can be counted without reading them.
_AHEAD = (
    "CASE WHEN :guild IS NULL THEN 0"
    " WHEN w.id IS NULL THEN :unset_is_behind"
    " ELSE e.id != w.id AND (e.season, e.number) >= (w.season, w.number) END"
)
_FROM = (
    " FROM episode_text JOIN episodes AS e ON e.id = episode_text.rowid"
    " LEFT JOIN progress AS p"
    "   ON p.guild_id = :guild AND p.user_id = :user AND p.show_id = e.show_id"
    " LEFT JOIN episodes AS w ON w.id = p.episode_id"
    " WHERE episode_text MATCH :query AND (:show IS NULL OR e.show_id = :show)"
)


# PostgreSQL (bot/store/dialect.py): the same statements over the tsvector column of its
# baseline migration, where the title and synopsis carry weights A and B, so the safe-card
# match is the column filtered to those two weights. `:terms` is the member's words, parsed
# by plainto_tsquery: every word must match, and nothing typed is query syntax.
_PG_QUERY = "plainto_tsquery('english', :terms)"
_PG_SAFE = f"ts_filter(e.search_text, '{{a,b}}') @@ {_PG_QUERY}"
_PG_AHEAD = (
    "CASE WHEN CAST(:guild AS BIGINT) IS NULL THEN 0"
    " WHEN w.id IS NULL THEN CAST(:unset_is_behind AS INTEGER)"
    " ELSE (e.id != w.id AND (e.season, e.number) >= (w.season, w.number))::INTEGER END"
)
_PG_FROM = (
    " FROM episodes AS e LEFT JOIN progress AS p"
    "   ON p.guild_id = :guild AND p.user_id = :user AND p.show_id = e.show_id"
    " LEFT JOIN episodes AS w ON w.id = p.episode_id"
    " WHERE e.retired_at IS NULL AND (CAST(:show AS BIGINT) IS NULL OR e.show_id = :show)"
)
_PG_RANK = f" ORDER BY ts_rank(e.search_text, {_PG_QUERY}) DESC, e.id"
_SAFE_ROWS = both(
    sqlite=f"SELECT {_COLUMNS}{_FROM} ORDER BY episode_text.rank LIMIT :limit",
    postgresql=f"SELECT {_COLUMNS}{_PG_FROM} AND {_PG_SAFE}{_PG_RANK} LIMIT :limit",
)
_SAFE_COUNT = both(
    sqlite=f"SELECT count(*) AS n{_FROM}",
    postgresql=f"SELECT count(*) AS n{_PG_FROM} AND {_PG_SAFE}",
)
_PG_DEEP = f" AND e.search_text @@ {_PG_QUERY} AND NOT ({_PG_SAFE})"
_DEEP_COUNT = both(
    sqlite="SELECT count(*) AS n, coalesce(sum(ahead), 0) AS ahead"
    f" FROM (SELECT {_AHEAD} AS ahead{_FROM})",
    postgresql="SELECT count(*) AS n, coalesce(sum(ahead), 0) AS ahead"
    f" FROM (SELECT {_PG_AHEAD} AS ahead{_PG_FROM}{_PG_DEEP}) AS found",
)
_DEEP_ROWS = both(
    sqlite=f"SELECT {_COLUMNS},"
    " snippet(episode_text, 2, :start, :end, '…', :words) AS recap_hit,"
    " snippet(episode_text, 3, :start, :end, '…', :words) AS ending_hit"
    f"{_FROM} AND NOT ({_AHEAD}) ORDER BY episode_text.rank LIMIT :limit",
    postgresql=f"SELECT {_COLUMNS},"
    f" ts_headline('english', e.recap, {_PG_QUERY}, :headline) AS recap_hit,"
    f" ts_headline('english', e.ending, {_PG_QUERY}, :headline) AS ending_hit"
    f"{_PG_FROM}{_PG_DEEP} AND ({_PG_AHEAD}) = 0{_PG_RANK} LIMIT :limit",
)
# ts_headline's options: the markers of models.MATCH_START/END, about as many words as
# FTS5's snippet gives.
_HEADLINE = (
    f'StartSel="{MATCH_START}", StopSel="{MATCH_END}", MaxWords={limits.SNIPPET_WORDS},'
    f" MinWords={max(1, limits.SNIPPET_WORDS // 2)}, ShortWord=0, MaxFragments=1,"
    ' FragmentDelimiter="…"'
)


def search_terms(text: str) -> tuple[str, ...]:
    """The words of `text`, at most SEARCH_TERMS of them: what a search looks for."""
    return tuple(_WORD.findall(text))[: limits.SEARCH_TERMS]


def _quoted(word: str) -> str:
    # \w never matches `"`, but a quote doubled is FTS5's escape, should that ever change.
    return '"' + word.replace('"', '""') + '"'


def match_all(terms: tuple[str, ...]) -> str:
    """An FTS5 query for episodes containing every term (each a plain word)."""
    return "(" + " ".join(_quoted(t) for t in terms) + ")"


def match_prefix(terms: tuple[str, ...]) -> str:
    """Every term, the last one as the start of a word (what someone is still typing)."""
    return " ".join(_quoted(t) for t in terms) + "*"


def pg_prefix(terms: tuple[str, ...]) -> str:
    """match_prefix for PostgreSQL's to_tsquery: each word quoted, the last a prefix."""
    quoted = [f"'{t.lower()}'" for t in terms]  # \w+ holds no quote
    return " & ".join(quoted) + ":*"


class SearchQueries:
    """Episodes by what is written about them; names for autocomplete."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # Ranking thousands of matches costs tens of milliseconds, and the same words are
        # searched again and again (what just aired, a name). Results are kept by the words and
        # the viewer's progress (the only thing of the viewer they depend on: members without
        # progress share one entry), least recently used out first; the catalog forgets them
        # all on every write (Store wires `forget` to CatalogQueries).
        self._results: Cache[tuple[Any, ...], SearchResults] = db.cache(limits.SEARCH_CACHE)
        self._names: Cache[tuple[str, int], list[str]] = db.cache(limits.SEARCH_CACHE)
        # Whether a bulk import is filling the index: asked by every search, changed only by
        # catalog writes (which forget it, as they forget results) or another process's.
        self._indexing: Cache[str, bool] = db.cache(1)

    @property
    def kept(self) -> int:
        """How many results and suggestion lists are kept now."""
        return len(self._results) + len(self._names)

    async def indexing(self) -> bool:
        """Whether a large import is still to fill the index (search_index.py): until then
        what it imported is not found. PostgreSQL indexes each row as it is written."""
        if self.db.dialect != "sqlite":
            return False
        if (known := self._indexing.get(BULK)) is not None:
            return known
        since = self._indexing.generation
        row = await self.db.fetchone("SELECT 1 FROM meta WHERE key = ?", (BULK,))
        return self._indexing.put(BULK, row is not None, since=since)

    def forget(self) -> None:
        """The catalog changed: drop every kept result and name."""
        self._results.forget()
        self._names.forget()
        self._indexing.forget()

    async def search(
        self, terms: tuple[str, ...], viewer: Viewer, show_id: int | None, limit: int
    ) -> SearchResults:
        """The best `limit` safe and deep matches of `terms` (see SearchResults)."""
        if not terms:
            return SearchResults()
        since = self._results.generation
        # A kept answer needs one statement (the progress it depends on); a new one reads the
        # progress again in the read transaction of its queries, so the key it is kept under
        # is the progress they used.
        key = await self._key(self.db, terms, viewer, show_id, limit)
        if cached := self._results.get(key):
            return cached
        async with self.db.reading() as reader:
            reads = _Reads(reader)
            key = await self._key(reads, terms, viewer, show_id, limit)
            found = await self._search(reads, terms, viewer, show_id, limit)
        return self._results.put(key, found, since=since)

    @staticmethod
    async def _key(
        reads: Database | _Reads,
        terms: tuple[str, ...],
        viewer: Viewer,
        show_id: int | None,
        limit: int,
    ) -> tuple[Any, ...]:
        """What an answer depends on: the words, the show, and the viewer's progress rows."""
        progress: tuple[Any, ...] = ()
        if viewer.guild_id is not None:  # in DMs progress is not consulted
            rows = await reads.fetchall(
                "SELECT * FROM progress WHERE guild_id = :guild AND user_id = :user"
                " ORDER BY show_id",
                {"guild": viewer.guild_id, "user": viewer.user_id},
            )
            progress = tuple(tuple(row) for row in rows)
        return (terms, show_id, limit, viewer.guild_id is None, viewer.unset_is_behind, progress)

    async def _search(
        self,
        reads: _Reads,
        terms: tuple[str, ...],
        viewer: Viewer,
        show_id: int | None,
        limit: int,
    ) -> SearchResults:
        wanted = match_all(terms)
        safe_query = _SAFE + wanted
        # Found only with the recap or ending: these are what progress must guard.
        deep_query = f"{wanted} NOT ({safe_query})"
        params: dict[str, Any] = {
            "guild": viewer.guild_id,
            "user": viewer.user_id,
            "unset_is_behind": int(viewer.unset_is_behind),
            "show": show_id,
            "limit": limit,
            "terms": " ".join(terms),  # PostgreSQL's statements take the words instead
        }
        safe = await reads.fetchall(_SAFE_ROWS, {**params, "query": safe_query})
        safe_total = await reads.fetchone(_SAFE_COUNT, {**params, "query": safe_query})
        # Past-progress matches are only counted: no text of theirs is read.
        counts = await reads.fetchone(_DEEP_COUNT, {**params, "query": deep_query})
        assert safe_total is not None and counts is not None  # count(*) returns a row
        deep: list[Any] = []
        if counts["n"] > counts["ahead"]:  # else ranking them all would find none to show
            deep = await reads.fetchall(
                _DEEP_ROWS,
                {
                    **params,
                    "query": deep_query,
                    "start": MATCH_START,
                    "end": MATCH_END,
                    "words": limits.SNIPPET_WORDS,
                    "headline": _HEADLINE,
                },
            )
        return SearchResults(
            safe=tuple(from_row(Episode, row) for row in safe),
            safe_total=safe_total["n"],
            deep=tuple(_deep(row) for row in deep),
            deep_total=counts["n"] - counts["ahead"],
            unwatched=counts["ahead"],
        )

    async def names(self, typed: str, limit: int) -> list[str]:
        """Show titles, episode titles and cast names with a word starting as `typed` does,
        the most used first; with nothing typed, the most used of all."""
        if cached := self._names.get((typed.casefold(), limit)):
            return cached
        since = self._names.generation
        terms = search_terms(typed)
        if not terms:
            rows = await self.db.fetchall(
                "SELECT name FROM catalog_names ORDER BY uses DESC, name LIMIT ?", (limit,)
            )
        elif self.db.dialect == "postgresql":
            rows = await self.db.fetchall(
                "SELECT name FROM catalog_names WHERE name_words @@ to_tsquery('simple', ?)"
                " ORDER BY uses DESC, name LIMIT ?",
                (pg_prefix(terms), limit),
            )
        else:
            rows = await self.db.fetchall(
                "SELECT n.name FROM catalog_names_text"
                " JOIN catalog_names AS n ON n.id = catalog_names_text.rowid"
                " WHERE catalog_names_text MATCH ? ORDER BY n.uses DESC, n.name LIMIT ?",
                (match_prefix(terms), limit),
            )
        return self._names.put(
            (typed.casefold(), limit), [row["name"] for row in rows], since=since
        )


class _Reads:
    """fetchone and fetchall on one connection, as Database offers them on any."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection

    async def fetchone(self, sql: str, params: dict[str, Any]) -> aiosqlite.Row | None:
        async with self.connection.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: dict[str, Any]) -> list[aiosqlite.Row]:
        async with self.connection.execute(sql, params) as cursor:
            return list(await cursor.fetchall())


def _deep(row: Any) -> DeepMatch:
    return DeepMatch(
        from_row(Episode, row, recap_source=recap_source(row)),
        recap=_hit(row["recap_hit"]),
        ending=_hit(row["ending_hit"]),
    )


def _hit(snippet: str | None) -> str:
    """The snippet when it holds a match: FTS5 returns a column's opening words otherwise."""
    return snippet if snippet and MATCH_START in snippet else ""
