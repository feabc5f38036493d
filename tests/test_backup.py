"""Backups: `python -m bot backup` run as an operator would, every failure one line and a
non-zero exit, and the copy taken before a migration written the same atomic way."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from bot.store import Store, StoreError, migrations
from tests.test_migrations import database_at
from tests.test_operations import one_line_error, run_bot


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


def test_a_backup_over_a_folder_says_to_name_a_file(tmp_path: Path) -> None:
    database(tmp_path / "watchparty.db")
    line = one_line_error(run_bot(tmp_path, "backup", str(tmp_path)))
    assert "no backup written" in line and "is a folder: name a file in it" in line
    assert leftovers(tmp_path) == []


def test_a_backup_in_a_read_only_place_is_one_line(tmp_path: Path) -> None:
    database(tmp_path / "watchparty.db")
    folder = read_only_folder(tmp_path)
    line = one_line_error(run_bot(tmp_path, "backup", str(folder / "nightly.db")))
    assert f"can't write in {folder}" in line and "Permission denied" in line


def test_a_backup_in_a_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    database(tmp_path / "watchparty.db")
    folder = read_only_folder(tmp_path) / "missing"
    line = one_line_error(run_bot(tmp_path, "backup", str(folder / "nightly.db")))
    assert f"can't create the folder {folder}" in line
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    line = one_line_error(run_bot(tmp_path, "backup", str(blocker / "nightly.db")))
    assert f"{blocker} is a file, not a folder" in line


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
