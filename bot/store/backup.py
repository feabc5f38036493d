"""Copies of the database that are safe to take while the bot runs.

The store is in WAL mode: recent writes may sit in the -wal file, so copying the .db file
alone can miss them. SQLite's online backup API copies a consistent snapshot instead.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path


def _copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise FileNotFoundError(f"there is no database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    # Read-only: a backup must never create or change the database it copies.
    with (
        sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True) as src,
        sqlite3.connect(partial) as dst,
    ):
        src.backup(dst)
    # A sqlite3 connection's `with` commits but does not close; close before renaming.
    src.close()
    dst.close()
    partial.replace(target)


async def backup_database(source: Path, target: Path) -> None:
    """Copy the database at `source` to `target`, consistently, without stopping the bot."""
    await asyncio.to_thread(_copy, source, target)
