"""Upgrading real databases: every row kept, keys intact, a copy made first, newer ones refused."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store import Store, StoreError, migrations
from tests.stores import sqlite_only

ROOT = Path(__file__).resolve().parents[1]

# PostgreSQL's schema starts at its baseline (16), and its migrations are tested in
# tests/test_pg_store.py; these upgrade SQLite files written by every earlier version.
pytestmark = sqlite_only("upgrades of SQLite files from every schema since the first")

# Rows for every table each migration creates, written with that migration's own columns.
ROWS = {
    1: [
        "INSERT INTO shows VALUES (1, 'night-shift', 'Night Shift', 'Drama', 40, 50, 'n.toml')",
        "INSERT INTO episodes VALUES (1, 1, 1, 1, 'Pilot', 'Set-up.', 'Recap.', 'End.', 42,"
        " '2021-03-04')",
        "INSERT INTO episodes VALUES (2, 1, 1, 2, 'Rounds', 'Set-up.', '', '', NULL, NULL)",
        "INSERT INTO links VALUES (1, NULL, 0, 'Site', 'https://example.org/show')",
        "INSERT INTO links VALUES (1, 1, 0, 'Still', 'https://example.org/1x01')",
        "INSERT INTO credits VALUES (1, NULL, 0, 'Ada Marsh', 'Head nurse')",
        "INSERT INTO credits VALUES (1, 1, 0, 'Tom Reyes', NULL)",
        "INSERT INTO preset_polls VALUES (1, 0, 'Good start?', '[\"Yes\", \"No\"]')",
        "INSERT INTO spoiler_terms VALUES (1, 'coma patient')",
        "INSERT INTO meta VALUES ('datafile:n.toml', 'abc123')",
    ],
    2: [
        "INSERT INTO polls (id, guild_id, channel_id, message_id, creator_id, question, mode,"
        " episode_id, created_at, closes_at) VALUES (1, 10, 20, 30, 40, 'Best?', 'live', 1,"
        " 100.0, 200.0)",
        "INSERT INTO polls (id, guild_id, channel_id, creator_id, question, mode, created_at,"
        " closes_at, closed_at) VALUES (2, 10, 20, 40, 'Any?', 'blind', 100.0, 200.0, 150.0)",
        "INSERT INTO poll_options VALUES (1, 0, 'Ada', NULL)",
        "INSERT INTO poll_options VALUES (1, 1, 'Tom', NULL)",
        "INSERT INTO poll_options VALUES (2, 0, 'Yes', 1)",
        "INSERT INTO poll_options VALUES (2, 1, 'No', 0)",
        "INSERT INTO votes VALUES (1, 50, 1, 150.0)",
        "INSERT INTO votes VALUES (2, 51, 0, 120.0)",
    ],
    3: [
        "INSERT INTO guild_settings (guild_id, discussion_channel_id) VALUES (10, 21)",
        "INSERT INTO guarded_channels VALUES (10, 20)",
        "INSERT INTO progress VALUES (10, 50, 1, 1, 2, 150.0)",
        "INSERT INTO discussion_threads VALUES (10, 1, 60, 21, 150.0)",
        "INSERT INTO watch_parties (id, guild_id, episode_id, channel_id, creator_id, starts_at,"
        " ends_at, event_id, announcement_id, created_at) VALUES (1, 10, 1, 20, 40, 1000.0,"
        " 4000.0, 70, 80, 150.0)",
    ],
}


# Tables a later migration rebuilt with other columns, and a query giving their old rows'
# meaning now: 0009 stores progress by episode id, read back here as its season and number.
REWRITTEN = {
    "progress": "SELECT p.guild_id, p.user_id, p.show_id, e.season, e.number, p.updated_at"
    " FROM progress AS p JOIN episodes AS e ON e.id = p.episode_id",
}


def database_at(path: Path, version: int) -> dict[str, list[tuple]]:
    """A database built by the first `version` migrations and filled; returns its rows."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    for number, _, sql in migrations()[:version]:
        db.executescript(sql)
        for statement in ROWS.get(number, []):
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {version}")
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")]
    rows = {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    db.close()
    return rows


@pytest.mark.parametrize("version", [1, 2, 3])
async def test_upgrade_keeps_every_row(tmp_path: Path, version: int) -> None:
    path = tmp_path / "watchparty.db"
    before = database_at(path, version)
    assert all(before.values()), "every table starts with rows"
    store = await Store.open(path)
    try:
        assert (await store.fetchone("PRAGMA user_version"))[0] == len(migrations())  # type: ignore[index]
        assert await store.fetchall("PRAGMA foreign_key_check") == []
        assert (await store.fetchone("PRAGMA integrity_check"))[0] == "ok"  # type: ignore[index]
        for table, rows in before.items():
            width = len(rows[0])
            query = REWRITTEN.get(table, f"SELECT * FROM {table}")
            async with store.connection.execute(query) as cursor:
                # Old columns keep their order; the migration only adds new ones after them.
                after = sorted((tuple(row)[:width] for row in await cursor.fetchall()), key=repr)
            assert after == rows, table
        # Still joined up as before: the thread, party and poll point at S1E1 of Night Shift.
        episode = await store.catalog.episode_by_id(1)
        assert episode is not None and (episode.code, episode.title) == ("S1E1", "Pilot")
        assert (await store.fetchone("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]
    finally:
        await store.close()
    backup = tmp_path / f"watchparty.db.before-{version + 1:04d}.bak"
    copy = sqlite3.connect(backup)
    assert copy.execute("PRAGMA user_version").fetchone()[0] == version
    assert copy.execute("SELECT count(*) FROM episodes").fetchone()[0] == 2
    copy.close()


async def test_a_new_database_needs_no_backup(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "fresh.db")
    await store.close()
    assert not (tmp_path / "fresh.db.before-0001.bak").exists()


async def test_deleting_a_show_members_used_is_refused_by_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "watchparty.db"
    database_at(path, 3)
    store = await Store.open(path)
    try:
        assert await store.catalog.remove_show("night-shift") is False
        assert (await store.fetchone("SELECT count(*) FROM watch_parties"))[0] == 1  # type: ignore[index]
        assert await store.catalog.show_source("night-shift") == "n.toml"
    finally:
        await store.close()


def newer_database(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {len(migrations()) + 1}")
    db.close()


async def test_newer_database_is_refused_in_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "watchparty.db"
    newer_database(path)
    with pytest.raises(StoreError, match="written by a newer version of Watchparty"):
        await Store.open(path)


@pytest.mark.parametrize("command", [["import", "data/for-all-mankind.toml"], ["run"]])
def test_cli_refuses_newer_database_with_one_line(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "watchparty.db"
    newer_database(path)
    env = {**os.environ, "DATABASE_PATH": str(path), "DISCORD_TOKEN": "x" * 60}
    env.pop("DISCORD_API_BASE", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot", *command],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert result.stderr.startswith("error: The database") and "newer version" in result.stderr


# A database at schema 8 whose stored codes no longer all name one current episode: S1E3 was
# retired and another episode took its place, S1E4 was retired with nothing after it, and
# S1E5 is gone altogether (deleted before 0004).
AT_8 = [
    "INSERT INTO shows (id, slug, title, source) VALUES (2, 'empty', 'Empty', 'e.toml')",
    "INSERT INTO episodes (id, show_id, season, number, title, synopsis, recap, ending,"
    " retired_at) VALUES (3, 1, 1, 3, 'Night Float', '', '', '', 500.0),"
    " (4, 1, 1, 3, 'Code Blue', '', '', '', NULL), (5, 1, 1, 4, 'Handover', '', '', '', 600.0),"
    " (6, 1, 1, 6, 'Discharge', '', '', '', NULL)",
    "INSERT INTO progress VALUES (10, 51, 1, 1, 3, 160.0), (10, 52, 1, 1, 4, 170.0),"
    " (10, 53, 1, 1, 5, 180.0), (10, 54, 2, 1, 1, 190.0)",
    "INSERT INTO follows VALUES (10, 50, 1, 100.0)",
    "INSERT INTO known_episodes VALUES (1, 1, 1), (1, 1, 3), (1, 9, 9)",
]


def covered_at_8(path: Path) -> dict[tuple[int, int, int], set[int]]:
    """The current episodes each stored progress row covered by the schema-8 rule (by code)."""
    db = sqlite3.connect(path)
    rows = db.execute(
        "SELECT p.guild_id, p.user_id, p.show_id, e.id FROM progress AS p"
        " JOIN episodes AS e ON e.show_id = p.show_id AND e.retired_at IS NULL"
        " AND (e.season, e.number) <= (p.season, p.number)"
    ).fetchall()
    db.close()
    out: dict[tuple[int, int, int], set[int]] = {}
    for guild, user, show, episode in rows:
        out.setdefault((guild, user, show), set()).add(episode)
    return out


async def test_upgrade_from_8_keeps_progress_and_follows_on_the_same_episodes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "watchparty.db"
    database_at(path, 8)
    db = sqlite3.connect(path)
    for statement in AT_8:
        db.execute(statement)
    db.commit()
    db.close()
    before = covered_at_8(path)
    store = await Store.open(path)
    try:
        stored = await store.fetchall("SELECT user_id, episode_id FROM progress ORDER BY user_id")
        # The same code's current episode; else its latest retired one; else the last before.
        assert [tuple(r) for r in stored] == [(50, 2), (51, 4), (52, 5), (53, 5)]
        for (guild, user, show), episodes in before.items():
            watched = await store.progress.watched(guild, user, show)
            assert watched is not None
            now = {e.id for e in await store.catalog.episodes(show) if watched.covers(e)}
            assert now == episodes, user
        # Nothing at or before its code: kept aside, unread, and cleared with the rest.
        unmapped = await store.fetchall("SELECT * FROM progress_unmapped")
        assert [tuple(r) for r in unmapped] == [(10, 54, 2, 1, 1, 190.0)]
        assert await store.progress.watched(10, 54, 2) is None
        assert await store.progress.clear(10, 54, None) == 1
        assert await store.fetchall("SELECT * FROM progress_unmapped") == []
        # Every episode at a known code stays known, the retired S1E3 and its successor
        # alike; S1E2 and S1E6 were never announced, and still will be.
        known = await store.fetchall("SELECT episode_id FROM known_episodes ORDER BY 1")
        assert [r[0] for r in known] == [1, 3, 4]
        assert await store.follows.claim_new_episodes() == {1: [2, 6]}
        assert await store.fetchall("PRAGMA foreign_key_check") == []
    finally:
        await store.close()
