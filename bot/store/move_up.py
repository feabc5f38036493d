"""`python -m bot migrate-store --to postgresql://...`: an SQLite store copied into PostgreSQL.

All in one PostgreSQL transaction, with each table's row count checked before it commits, so
a failed copy leaves the target as it was. A target that holds rows is refused unless
`force`, which empties it first: running the copy again gives the same database.
"""

from __future__ import annotations

import sqlite3
from graphlib import TopologicalSorter
from pathlib import Path

import asyncpg

from .db import StoreError

# Filled by triggers while shows and episodes are copied: emptied, then copied as it was.
_COUNTED = "catalog_names"


async def copy_store(source: Path, url: str, *, force: bool = False) -> dict[str, int]:
    """Copy every table; returns each table's row count. The target must have the schema
    (Store.open(url) made it)."""
    if not source.is_file():  # noqa: ASYNC240 (a one-off command, before anything runs)
        raise StoreError(f"There is no SQLite database at {source} to copy (DATABASE_PATH).")
    lite = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target = await asyncpg.connect(url)
    try:
        tables = await _tables_in_order(target)
        async with target.transaction():
            filled = [t for t in tables if await target.fetchval(f"SELECT count(*) FROM {t}")]
            if filled and not force:
                raise StoreError(
                    f"The PostgreSQL database already holds rows (in {', '.join(filled[:3])}):"
                    " give --force to replace them with the SQLite store's."
                )
            await target.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
            counts = {t: await _copy(lite, target, t) for t in tables if t != _COUNTED}
            await target.execute(f"DELETE FROM {_COUNTED}")
            counts[_COUNTED] = await _copy(lite, target, _COUNTED)
            for table, expected in counts.items():
                found = await target.fetchval(f"SELECT count(*) FROM {table}")
                if found != expected:
                    raise StoreError(
                        f"{table}: {expected} rows in SQLite but {found} in PostgreSQL after the"
                        " copy; nothing was written."
                    )
            await _advance_identities(target)
        return counts
    finally:
        lite.close()
        await target.close()


async def _tables_in_order(target: asyncpg.Connection) -> list[str]:
    """The schema's tables, each after the tables its foreign keys point at."""
    names = await target.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        " AND tablename != 'schema_version'"
    )
    edges = await target.fetch(
        "SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent"
        " FROM pg_constraint WHERE contype = 'f' AND conrelid != confrelid"
    )
    graph: dict[str, set[str]] = {row["tablename"]: set() for row in names}
    for row in edges:
        graph.setdefault(row["child"], set()).add(row["parent"])
    return list(TopologicalSorter(graph).static_order())


async def _copy(lite: sqlite3.Connection, target: asyncpg.Connection, table: str) -> int:
    kinds = {
        row["column_name"]: row["data_type"]
        for row in await target.fetch(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_name = $1 AND is_generated = 'NEVER'",
            table,
        )
    }
    # Table names come from PostgreSQL's catalog, column names from both schemas.
    present = [r[1] for r in lite.execute(f"SELECT * FROM pragma_table_info('{table}')")]
    columns = [c for c in present if c in kinds]
    rows = lite.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
    floats = [kinds[c] == "double precision" for c in columns]
    # SQLite keeps 1.0 as the integer 1 in a REAL column; PostgreSQL's binary COPY wants floats.
    records = [
        tuple(float(v) if f and v is not None else v for v, f in zip(row, floats, strict=True))
        for row in rows
    ]
    if records:
        await target.copy_records_to_table(table, records=records, columns=columns)
    return len(records)


async def _advance_identities(target: asyncpg.Connection) -> None:
    # Rows copied with their ids: the next id a table hands out must come after them.
    rows = await target.fetch(
        "SELECT table_name FROM information_schema.columns"
        " WHERE table_schema = 'public' AND column_name = 'id' AND is_identity = 'YES'"
    )
    for row in rows:
        table = row["table_name"]
        sequence = await target.fetchval("SELECT pg_get_serial_sequence($1, 'id')", table)
        await target.execute(
            f"SELECT setval($1, coalesce((SELECT max(id) FROM {table}), 0) + 1, false)",
            sequence,
        )
