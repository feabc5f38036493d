"""Backups: `python -m bot backup` run as an operator would, every failure one line and a
non-zero exit, and the copy taken before a migration written the same atomic way."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from pathlib import Path

import asyncpg
import pytest

from bot.catalog import importer
from bot.cli.admin import backup
from bot.settings import Settings
from bot.store import Store, StoreError, migrations, pg_backup
from harness.postgres import find_bin_dir
from tests.conftest import ROOT, Databases
from tests.stores import empty, sqlite_only
from tests.test_catalog_import import members_use
from tests.test_migrations import database_at
from tests.test_operations import one_line_error, run_bot

# SQLite's backup copies its file (through the backup API); the PostgreSQL tests are below.
SQLITE_FILE = sqlite_only("the backup and the copy before a migration of an SQLite file")


def database(path: Path) -> Path:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
        db.execute("INSERT INTO notes VALUES ('kept')")
    db.close()
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name)


def read_only_folder(tmp_path: Path) -> Path:
    """A folder this process cannot write in. Root ignores permission bits, so as root the
    kernel's sysfs stands in: nobody may create a file at its top."""
    if os.geteuid() == 0:
        return Path("/sys")
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


@SQLITE_FILE
def test_a_backup_into_a_new_folder_is_a_whole_copy(tmp_path: Path) -> None:
    database(tmp_path / "watchparty.db")
    target = tmp_path / "backups" / "nightly.db"
    result = run_bot(tmp_path, "backup", str(target))
    assert result.returncode == 0, result.stderr
    assert f"to {target}" in result.stdout
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT text FROM notes").fetchall() == [("kept",)]
    copy.close()
    assert leftovers(target.parent) == []


@SQLITE_FILE
def test_a_backup_over_a_folder_says_to_name_a_file(tmp_path: Path) -> None:
    database(tmp_path / "watchparty.db")
    line = one_line_error(run_bot(tmp_path, "backup", str(tmp_path)))
    assert "no backup written" in line and "is a folder: name a file in it" in line
    assert leftovers(tmp_path) == []


@SQLITE_FILE
def test_a_backup_in_a_read_only_place_is_one_line(tmp_path: Path) -> None:
    database(tmp_path / "watchparty.db")
    folder = read_only_folder(tmp_path)
    line = one_line_error(run_bot(tmp_path, "backup", str(folder / "nightly.db")))
    assert f"can't write in {folder}" in line and "Permission denied" in line


@SQLITE_FILE
def test_a_backup_in_a_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    database(tmp_path / "watchparty.db")
    folder = read_only_folder(tmp_path) / "missing"
    line = one_line_error(run_bot(tmp_path, "backup", str(folder / "nightly.db")))
    assert f"can't create the folder {folder}" in line
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    line = one_line_error(run_bot(tmp_path, "backup", str(blocker / "nightly.db")))
    assert f"{blocker} is a file, not a folder" in line


@SQLITE_FILE
def test_a_database_sqlite_cannot_read_is_one_line_and_keeps_the_old_backup(
    tmp_path: Path,
) -> None:
    (tmp_path / "watchparty.db").write_text("this is not an SQLite database, only text\n" * 40)
    target = tmp_path / "nightly.db"
    target.write_bytes(b"yesterday's backup")
    line = one_line_error(run_bot(tmp_path, "backup", str(target)))
    assert "can't read the database" in line and "file is not a database" in line
    # The failed copy replaced nothing and left nothing behind.
    assert target.read_bytes() == b"yesterday's backup"
    assert leftovers(tmp_path) == []


@SQLITE_FILE
async def test_the_copy_before_a_migration_is_whole_and_atomic(tmp_path: Path) -> None:
    path = tmp_path / "watchparty.db"
    database_at(path, 3)
    store = await Store.open(path)
    await store.close()
    backup = tmp_path / "watchparty.db.before-0004.bak"
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA user_version").fetchone()[0] == 3
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    assert leftovers(tmp_path) == []


@SQLITE_FILE
async def test_no_migration_without_its_copy(tmp_path: Path) -> None:
    path = tmp_path / "watchparty.db"
    database_at(path, 3)
    (tmp_path / "watchparty.db.before-0004.bak").mkdir()  # in the way of the copy
    with pytest.raises(StoreError, match="Can't copy the database aside before migrating"):
        await Store.open(path)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3
    db.close()
    assert leftovers(tmp_path) == []
    assert len(migrations()) > 3


# --- PostgreSQL: pg_dump --------------------------------------------------------------------


async def table_contents(url: str) -> dict[str, tuple[int, str]]:
    """Every table of the database: its row count and a digest of all its rows."""
    connection = await asyncpg.connect(url)
    try:
        tables = await connection.fetch(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        found = {}
        for (table,) in tables:
            row = await connection.fetchrow(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                f' FROM "{table}" AS t'
            )
            found[table] = (row[0], row[1])
        return found
    finally:
        await connection.close()


async def test_a_postgresql_backup_restores_with_every_row(
    tmp_path: Path, databases: Databases
) -> None:
    if databases.kind != "postgresql":
        pytest.skip("PostgreSQL's backup (pg_dump); SQLite's is tested above")
    url = await databases()
    store = await Store.open(url)
    try:
        await importer.import_file(store, ROOT / "data" / "for-all-mankind.toml")
        show = await store.catalog.find_show("for-all-mankind")
        assert show is not None
        await members_use(store, 1, show.id)
        await store.set_meta("fresh", "written a moment ago")
        # Taken while the store is open, as beside a running bot.
        target = tmp_path / "backups" / "nightly.dump"
        result = run_bot(tmp_path, "backup", str(target), DATABASE_URL=url)
    finally:
        await store.close()
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"backed up the PostgreSQL database to {target}\n"
    assert leftovers(target.parent) == []

    # Restored as docs/operations.md says, into an empty database: every table, every row.
    restored = await databases("restored")
    empty(restored)
    bin_dir = find_bin_dir()
    assert bin_dir is not None
    restore = await asyncio.create_subprocess_exec(
        *(str(bin_dir / "pg_restore"), "--no-owner", "--exit-on-error"),
        *(f"--dbname={restored}", str(target)),
        stderr=asyncio.subprocess.PIPE,
    )
    _, errors = await restore.communicate()
    assert restore.returncode == 0, errors.decode()
    original = await table_contents(url)
    assert original["shows"][0] == 1 and original["polls"][0] == 1
    assert await table_contents(restored) == original
    # The bot opens the copy as it is: the schema is current, nothing to migrate.
    copy = await Store.open(restored)
    try:
        assert await copy.get_meta("fresh") == "written a moment ago"
    finally:
        await copy.close()


async def test_a_postgresql_backup_without_pg_dump_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A machine with PostgreSQL's server elsewhere and no client tools: pg_dump is not found.
    monkeypatch.setattr(pg_backup, "pg_dump", lambda: None)
    target = tmp_path / "nightly.dump"
    settings = Settings(token="t", database_url="postgresql://bot@db.invalid/watchparty")
    assert await backup(settings, target) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "error: no backup written: pg_dump was not found: install PostgreSQL's client tools"
        " (Debian: postgresql-client) of the server's major version or newer."
    ]
    assert not target.exists()
