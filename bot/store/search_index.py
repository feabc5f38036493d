"""Filling /search's indexes in bulk: a large import writes its rows first, the index after.

Migration 0013's triggers keep episode_text and catalog_names_text in step row by row, unless
the meta key BULK exists. A large import sets it (committed, so a crash leaves it), imports its
files one transaction each, then `rebuild` fills both indexes from the tables in one
transaction that also removes the key. Until then /search reads the index as it was before
the import: the import's new and changed episodes are found once it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Callable

from .db import Database

log = logging.getLogger(__name__)

BULK = "search:bulk"

# While a bulk import writes (SQLite): no checkpoint after every few megabytes of WAL (each
# copies the pages into the database file and waits for the disk twice: a third of a cold
# 20,000-episode import's time), one after the index instead; and a page cache big enough for
# the names' and credits' indexes, which an import inserts into all over.
_BULK_PRAGMAS = ("PRAGMA wal_autocheckpoint = 0", "PRAGMA cache_size = -65536")
_USUAL_PRAGMAS = ("PRAGMA wal_autocheckpoint = 1000", "PRAGMA cache_size = -2000")


@contextlib.asynccontextmanager
async def bulk(db: Database, *, then: Callable[[], None] | None = None) -> AsyncIterator[None]:
    """Writes inside the block leave the search indexes alone; they are rebuilt after it
    (also when it fails: the rows written so far are committed and must be found; when it is
    cancelled, at the next start)."""
    # `then` here too: /search says at once that it is catching up (SearchQueries.indexing).
    async with db.transaction(then=then) as connection:
        await connection.execute(
            "INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) DO NOTHING", (BULK,)
        )
    await _pragmas(db, _BULK_PRAGMAS)
    stopping = False
    try:
        yield
    except asyncio.CancelledError:
        # The bot is stopping: the key stays and the next start rebuilds, rather than the
        # stop waiting seconds for it.
        stopping = True
        raise
    finally:
        try:
            if not stopping:
                await rebuild(db, then=then)
        finally:
            await asyncio.shield(_pragmas(db, _USUAL_PRAGMAS))
            if not stopping and db.dialect == "sqlite":
                # Members are served from the WAL as well: nobody waits for the copy.
                db.chore(_checkpoint(db), name="checkpoint after a bulk import")


async def _pragmas(db: Database, pragmas: tuple[str, ...]) -> None:
    """The write connection's settings for a bulk import, or back to the usual ones (SQLite;
    PostgreSQL has neither)."""
    if db.dialect != "sqlite":
        return
    for pragma in pragmas:
        await db.connection.execute(pragma)


async def _checkpoint(db: Database) -> None:
    """Copy the import's WAL into the database file now, in one pass, rather than in the
    commit of whichever write comes next (a vote's); on a read connection, since a checkpoint
    that waits for nobody (PASSIVE) needs no write lock, and the bot's writes go on beside it."""
    started = time.perf_counter()
    try:
        await db.fetchone("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.Error as error:  # the next automatic checkpoint does it instead
        log.warning("Could not checkpoint after the import: %s", error)
        return
    log.debug("Checkpointed the import in %.2f s", time.perf_counter() - started)


async def pending(db: Database) -> bool:
    """Whether a bulk import ended without its rebuild (the process stopped mid-import)."""
    row = await db.fetchone("SELECT 1 FROM meta WHERE key = ?", (BULK,))
    return row is not None


async def rebuild(db: Database, *, then: Callable[[], None] | None = None) -> None:
    """Both indexes made anew from the tables, and the bulk key removed, in one transaction."""
    async with db.transaction(then=then) as connection:
        if db.dialect == "postgresql":
            # Its search columns are generated with each row: nothing was left behind.
            await connection.execute("DELETE FROM meta WHERE key = ?", (BULK,))
            return
        # 'delete-all' then only the current episodes: 'rebuild' would index every row of the
        # content table, retired episodes included, and a retired episode is never found.
        await connection.execute("INSERT INTO episode_text (episode_text) VALUES ('delete-all')")
        await connection.execute(
            "INSERT INTO episode_text (rowid, title, synopsis, recap, ending)"
            " SELECT id, title, synopsis, recap, ending FROM episodes WHERE retired_at IS NULL"
        )
        # Every name of catalog_names is offered, so here 'rebuild' is exactly right.
        await connection.execute(
            "INSERT INTO catalog_names_text (catalog_names_text) VALUES ('rebuild')"
        )
        await connection.execute("DELETE FROM meta WHERE key = ?", (BULK,))
    log.info("Rebuilt the search index")
