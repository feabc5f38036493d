"""Copies of the database that are safe to take while the bot runs, written atomically.

The store is in WAL mode: recent writes may sit in the -wal file, so copying the .db file
alone can miss them. SQLite's online backup API copies a consistent snapshot instead.

Both copies (`python -m bot backup` and the one taken before a migration) go through
`write_copy`: the copy is written to a temporary file in the target's folder, synced to disk,
then renamed over the target, so a crash or a full disk never leaves a half-written file under
the target's name (a rename within one folder is atomic).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from .db import StoreError

# Writes a consistent copy of a database into the open (empty) connection it is given.
Copier = Callable[[sqlite3.Connection], Awaitable[None]]


class BackupError(StoreError):
    """No copy was written; the message says why, in one sentence."""


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _check_target(target: Path) -> None:
    if target.is_dir():
        raise BackupError(
            f"{target} is a folder: name a file in it, e.g. {target / 'watchparty.db'}"
        )
    if target.parent.exists() and not target.parent.is_dir():
        raise BackupError(f"{target.parent} is a file, not a folder")
    # A missing folder is created: the nightly backup in docs/operations.md writes into a
    # `backups/` folder nobody made beforehand.
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"can't create the folder {target.parent} ({_reason(error)})") from error


def _sync(path: Path) -> None:
    """Flush a file (or a folder's entries, after a rename) to disk."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if path.is_dir() else os.O_RDONLY
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _open_partial(target: Path) -> tuple[Path, sqlite3.Connection]:
    _check_target(target)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    except OSError as error:
        raise BackupError(f"can't write in {target.parent} ({_reason(error)})") from error
    os.close(fd)
    partial = Path(name)
    try:
        # check_same_thread off: the copier fills it from a worker thread (aiosqlite's, or ours).
        return partial, sqlite3.connect(partial, check_same_thread=False)
    except sqlite3.Error:
        partial.unlink()
        raise


def _commit(partial: Path, target: Path) -> None:
    _sync(partial)
    os.replace(partial, target)
    _sync(target.parent)


def _discard(partial: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()


async def write_copy(target: Path, copy: Copier) -> None:
    """Write a copy through `copy` to `target` atomically, or raise a BackupError."""
    try:
        partial, connection = await asyncio.to_thread(_open_partial, target)
    except sqlite3.Error as error:
        raise BackupError(f"can't write {target} ({_reason(error)})") from error
    try:
        try:
            await copy(connection)
        finally:
            await asyncio.to_thread(connection.close)
        await asyncio.to_thread(_commit, partial, target)
    except BackupError:
        raise
    except (OSError, sqlite3.Error) as error:
        raise BackupError(f"can't write {target} ({_reason(error)})") from error
    finally:
        await asyncio.to_thread(_discard, partial)


def _read_only_copy(source: Path, target: sqlite3.Connection) -> None:
    # Read-only: a backup must never create or change the database it copies.
    try:
        with contextlib.closing(
            sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        ) as src:
            src.backup(target)
    except sqlite3.Error as error:
        raise BackupError(f"can't read the database {source} ({_reason(error)})") from error


async def backup_database(source: Path, target: Path) -> None:
    """Copy the database at `source` to `target`, consistently, without stopping the bot."""
    if not await asyncio.to_thread(source.is_file):
        raise BackupError(f"there is no database at {source}")
    await write_copy(target, lambda copy: asyncio.to_thread(_read_only_copy, source, copy))
