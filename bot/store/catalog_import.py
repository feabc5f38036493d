"""Writing a data file into the catalog: one transaction, a handful of statements per file.

An import never deletes an episode. It reads the show's episodes once, matches each entry of
the file to a row (episode_match.py: by TVmaze id, a declared `was`, season and number, or
title), and works out in Python what was added, changed, left alone or retired; then it
writes each kind with one `executemany`. Polls, parties, threads, progress and the follows'
announced set refer to episode ids, so an episode keeps its id through renumbering and
through retirement.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from ..models import CatalogChange, EpisodeFile, Link, ShowFile, Special
from .dialect import both
from .edits import keep_edits
from .episode_match import Row, plan
from .import_prepare import Prepared, prepare
from .recap_sources import write_recap_sources

if TYPE_CHECKING:
    import aiosqlite


# The actors and characters of one show's credits, each with its number of uses: only while
# the show is in the catalog, and only of its show-wide cast and its current episodes, so a
# removed show's or a retired episode's names are not suggested. Whatever changes one of
# those takes the names out before and counts them back in after (migration 0012).
_SHOWN_CREDITS = (
    "SELECT actor, character FROM credits WHERE show_id = :show"
    " AND (SELECT retired_at FROM shows WHERE id = :show) IS NULL"
    " AND (episode_id IS NULL OR episode_id IN"
    " (SELECT id FROM episodes WHERE show_id = :show AND retired_at IS NULL))"
)
_CREDIT_NAMES = (
    f"SELECT name, count(*) AS n FROM (SELECT actor AS name FROM ({_SHOWN_CREDITS}) AS a"
    f" UNION ALL SELECT character FROM ({_SHOWN_CREDITS}) AS c WHERE character IS NOT NULL)"
    " AS names WHERE name != '' GROUP BY name COLLATE NOCASE"
)
# PostgreSQL wants the grouped name spelled as one of the group's: the first, by code point.
_PG_CREDIT_NAMES = _CREDIT_NAMES.replace(
    "SELECT name, count(*)", "SELECT min(name) AS name, count(*)"
)
_COUNT_IN = "SELECT name, n FROM ({names}) AS counted WHERE true"
_ADD_NAMES = both(
    sqlite=f"INSERT INTO catalog_names (name, uses) {_COUNT_IN.format(names=_CREDIT_NAMES)}"
    " ON CONFLICT (name) DO UPDATE SET uses = catalog_names.uses + excluded.uses",
    postgresql=f"INSERT INTO catalog_names (name, uses) {_COUNT_IN.format(names=_PG_CREDIT_NAMES)}"
    " ON CONFLICT (name) DO UPDATE SET uses = catalog_names.uses + excluded.uses",
)
_TAKE_NAMES = both(
    sqlite=f"UPDATE catalog_names SET uses = uses - c.n FROM ({_CREDIT_NAMES}) AS c"
    " WHERE catalog_names.name = c.name",
    postgresql=f"UPDATE catalog_names SET uses = uses - c.n FROM ({_PG_CREDIT_NAMES}) AS c"
    " WHERE catalog_names.name = c.name",
)


# One cast (import_prepare.py's JSON list of [actor, character]) as rows, billed in its order.
_INSERT_CAST = both(
    sqlite="INSERT INTO credits (show_id, episode_id, billing, actor, character)"
    " SELECT ?, ?, key, json_extract(value, '$[0]'), json_extract(value, '$[1]')"
    " FROM json_each(?)",
    postgresql="INSERT INTO credits (show_id, episode_id, billing, actor, character)"
    " SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(c.n - 1 AS INTEGER), c.line ->> 0,"
    " c.line ->> 1 FROM json_array_elements(CAST(? AS json)) WITH ORDINALITY AS c (line, n)",
)
_UPSERT_NAME = (
    "INSERT INTO catalog_names (name, uses) VALUES (?, ?)"
    " ON CONFLICT (name) DO UPDATE SET uses = catalog_names.uses + excluded.uses"
)


async def names_of_credits(db: aiosqlite.Connection, show_id: int, sign: int) -> None:
    """Count a show's credit names into /search's suggestions (+1), or out of them (-1)."""
    if sign > 0:
        await db.execute(_ADD_NAMES, {"show": show_id})
        return
    await db.execute(_TAKE_NAMES, {"show": show_id})
    await db.execute("DELETE FROM catalog_names WHERE uses <= 0")


async def write_show(
    db: aiosqlite.Connection,
    data: ShowFile,
    source: str,
    digest: str,
    prepared: Prepared | None = None,
) -> CatalogChange:
    """Write one parsed file inside the caller's transaction."""
    prepared = prepared or prepare(data)
    # Credits are rewritten below: their names leave the suggestions first, and return after.
    async with db.execute("SELECT id FROM shows WHERE slug = ?", (data.show.slug,)) as cursor:
        known = await cursor.fetchone()
    if known is not None:
        await names_of_credits(db, int(known[0]), -1)
    show_id = await _upsert_show(db, data, source, prepared.cast_of(None))
    async with db.execute(
        "SELECT id, season, number, tvmaze_id, digest, retired_at, title FROM episodes"
        " WHERE show_id = ?",
        (show_id,),
    ) as cursor:
        rows = [Row(*r) for r in await cursor.fetchall()]
    todo = plan(rows, data.episodes, prepared.digests)
    now = time.time()
    # Retire the rows that left the file, and park the rows about to move, so no current
    # episode holds a (season, number) another one is about to take.
    await db.executemany(
        "UPDATE episodes SET retired_at = ? WHERE id = ?",
        [(now, r.id) for r in todo.retired]
        + [(now, r.id) for _, r, _ in todo.updated if r.retired_at is None],
    )
    await db.executemany(
        "UPDATE episodes SET season = ?, number = ?, title = ?, synopsis = ?, recap = ?,"
        " ending = ?, runtime_minutes = ?, air_date = ?, tvmaze_id = ?, air_time = ?, image = ?,"
        " airs_at = ?, digest = ?, retired_at = NULL WHERE id = ?",
        [(*_episode_values(item), digest, row.id) for item, row, digest in todo.updated],
    )
    async with db.execute("SELECT coalesce(max(id), 0) FROM episodes") as cursor:
        top = await cursor.fetchone()
    # Ids are given here rather than read back one INSERT at a time: the write transaction
    # holds SQLite's lock, so nothing else can take them meanwhile.
    first = int(top[0]) + 1 if top else 1
    added = [(first + i, item, digest) for i, (item, digest) in enumerate(todo.added)]
    await db.executemany(
        "INSERT INTO episodes (id, show_id, season, number, title, synopsis, recap, ending,"
        " runtime_minutes, air_date, tvmaze_id, air_time, image, airs_at, digest)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(id_, show_id, *_episode_values(item), digest) for id_, item, digest in added],
    )
    rewritten = [(row.id, item) for item, row, _ in todo.updated]
    casts = _casts_by_entry(data, prepared)
    await _replace_episode_rows(db, show_id, rewritten, [(i, item) for i, item, _ in added], casts)
    await write_recap_sources(db, rewritten + [(i, item) for i, item, _ in added])
    if known is None:
        # A new show's credits are exactly the file's: counted without reading them back.
        await db.executemany(_UPSERT_NAME, prepared.names)
    else:
        await names_of_credits(db, show_id, +1)
    # Fields written in Discord override the file's text (see edits.py).
    kept = await keep_edits(db, todo.matched, {row.id for _, row, _ in todo.updated})
    await _forget_digest_of_old_source(db, source)
    await db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (f"datafile:{source}", digest),
    )
    return todo.change(kept)


def _casts_by_entry(data: ShowFile, prepared: Prepared) -> dict[int, str]:
    """Each episode entry's JSON cast, by the entry's id(): the plan hands back the entries."""
    return {id(item): prepared.cast_of(i) for i, item in enumerate(data.episodes)}


def _special_values(s: Special) -> tuple[Any, ...]:
    return (s.title, s.tvmaze_id, s.air_date, s.air_time, s.runtime_minutes, s.synopsis, s.image)


def _episode_values(item: EpisodeFile) -> tuple[Any, ...]:
    e = item.episode
    return (
        e.season,
        e.number,
        e.title,
        e.synopsis,
        e.recap,
        e.ending,
        e.runtime_minutes,
        e.air_date,
        e.tvmaze_id,
        e.air_time,
        e.image,
        e.airs_at,
    )


async def _upsert_show(db: aiosqlite.Connection, data: ShowFile, source: str, cast: str) -> int:
    """The show's row, found by slug (the file's name may change), with the file's fields."""
    show = data.show
    async with db.execute(
        "INSERT INTO shows (slug, title, genres, runtime_min, runtime_max, source, tvmaze_id,"
        " imdb_id, network, official_site, image, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (slug) DO UPDATE SET title = excluded.title, genres = excluded.genres,"
        " runtime_min = excluded.runtime_min, runtime_max = excluded.runtime_max,"
        " source = excluded.source, tvmaze_id = excluded.tvmaze_id, imdb_id = excluded.imdb_id,"
        " network = excluded.network, official_site = excluded.official_site,"
        " image = excluded.image, status = excluded.status, retired_at = NULL"
        " RETURNING id",
        (
            show.slug,
            show.title,
            "\n".join(show.genres),
            show.runtime_min,
            show.runtime_max,
            source,
            show.tvmaze_id,
            show.imdb_id,
            show.network,
            show.official_site,
            show.image,
            show.status,
        ),
    ) as cursor:
        row = await cursor.fetchone()
    assert row is not None  # INSERT ... RETURNING always returns the row it wrote
    show_id = int(row[0])
    await db.execute("DELETE FROM links WHERE show_id = ? AND episode_id IS NULL", (show_id,))
    await db.execute("DELETE FROM credits WHERE show_id = ? AND episode_id IS NULL", (show_id,))
    await _insert_links(db, [(show_id, None, show.links)])
    await db.execute(_INSERT_CAST, (show_id, None, cast))
    await db.execute("DELETE FROM specials WHERE show_id = ?", (show_id,))
    await db.executemany(
        "INSERT INTO specials (show_id, position, title, tvmaze_id, air_date, air_time,"
        " runtime_minutes, synopsis, image) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(show_id, i, *_special_values(special)) for i, special in enumerate(data.specials)],
    )
    return show_id


async def _replace_episode_rows(
    db: aiosqlite.Connection,
    show_id: int,
    rewritten: list[tuple[int, EpisodeFile]],
    added: list[tuple[int, EpisodeFile]],
    casts: dict[int, str],
) -> None:
    """Links, cast, preset polls and spoiler terms of the episodes that changed or are new
    (`casts`: each entry's JSON cast, by the entry's id())."""
    gone = [(episode_id,) for episode_id, _ in rewritten]
    await db.executemany("DELETE FROM links WHERE episode_id = ?", gone)
    await db.executemany("DELETE FROM credits WHERE episode_id = ?", gone)
    await db.executemany("DELETE FROM preset_polls WHERE episode_id = ?", gone)
    await db.executemany("DELETE FROM spoiler_terms WHERE episode_id = ?", gone)
    items = rewritten + added
    await _insert_links(db, [(show_id, i, item.episode.links) for i, item in items])
    await db.executemany(_INSERT_CAST, [(show_id, i, casts[id(item)]) for i, item in items])
    await db.executemany(
        "INSERT INTO preset_polls (episode_id, position, question, options) VALUES (?, ?, ?, ?)",
        [
            (episode_id, n, p.question, json.dumps(list(p.options)))
            for episode_id, item in items
            for n, p in enumerate(item.polls)
        ],
    )
    await db.executemany(
        "INSERT INTO spoiler_terms (episode_id, term) VALUES (?, ?)",
        [(episode_id, term) for episode_id, item in items for term in item.spoiler_terms],
    )


async def _forget_digest_of_old_source(db: aiosqlite.Connection, source: str) -> None:
    """A renamed file: the old name's digest would only go stale."""
    await db.execute(
        "DELETE FROM meta WHERE key LIKE 'datafile:%' AND substr(key, 10) != ?"
        " AND substr(key, 10) NOT IN (SELECT source FROM shows)",
        (source,),
    )


async def _insert_links(
    db: aiosqlite.Connection, groups: list[tuple[int, int | None, tuple[Link, ...]]]
) -> None:
    await db.executemany(
        "INSERT INTO links (show_id, episode_id, position, label, url) VALUES (?, ?, ?, ?, ?)",
        [
            (show_id, episode_id, n, link.label, link.url)
            for show_id, episode_id, links in groups
            for n, link in enumerate(links)
        ],
    )
