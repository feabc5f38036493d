"""Data files on real SQLite files: idempotent loads, and malformed files that change nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot import importer
from bot.datafiles import DataFileError, parse
from bot.store import Store, migrations

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "for-all-mankind.toml"

SMALL = """
[show]
slug = "night-shift"
title = "Night Shift"
genres = ["Drama"]

[[episodes]]
season = 1
number = 1
title = "Pilot"
synopsis = "A hospital at night."
recap = "Things happen."
ending = "It ends."
[[episodes.polls]]
question = "Good start?"
options = ["Yes", "No"]
"""


@pytest.fixture
async def store(tmp_path: Path):
    opened = await Store.open(tmp_path / "watchparty.db")
    yield opened
    await opened.close()


async def test_migrations_set_user_version(store: Store) -> None:
    row = await store.fetchone("PRAGMA user_version")
    assert row is not None and row[0] == len(migrations())
    assert (await store.fetchone("PRAGMA journal_mode"))[0] == "wal"  # type: ignore[index]
    assert (await store.fetchone("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]


async def test_seed_loads_once_and_reloads_identically(store: Store) -> None:
    assert await importer.import_file(store, SEED) is True
    assert await importer.import_file(store, SEED) is False  # unchanged content is skipped
    first = await store.fetchall("SELECT * FROM episodes")
    await importer.import_file(store, SEED, force=True)
    assert [tuple(r) for r in await store.fetchall("SELECT * FROM episodes")] == [
        tuple(r) for r in first
    ]
    show = await store.catalog.find_show("For All Mankind")
    assert show is not None and show.genres == ("Drama", "Sci-fi") and show.runtime == "46–82 min"
    assert [link.label for link in show.links] == ["IMDb", "Rotten Tomatoes", "Wikipedia"]
    episode = await store.catalog.episode(show.id, 4, 6)
    assert episode is not None and episode.title == "Leningrad"
    assert len(await store.catalog.cast(show.id, 4, 6)) == 16
    polls = await store.catalog.preset_polls(episode.id)
    assert polls[0].question == "Is Ed sympathetic to the workers?"


@pytest.mark.parametrize(
    ("mutation", "where"),
    [
        (lambda t: t.replace('slug = "night-shift"', 'slug = "Night Shift!"'), "show.slug"),
        (lambda t: t.replace("season = 1", 'season = "one"'), "episodes[0].season"),
        (lambda t: t.replace('recap = "Things happen."', 'recap = ""'), "episodes[0].recap"),
        (lambda t: t.replace('["Yes", "No"]', '["Yes", "yes"]'), "episodes[0].polls[0].options[1]"),
        (lambda t: t.replace('["Yes", "No"]', '["Yes"]'), "episodes[0].polls[0].options"),
        (
            lambda t: t.replace('["Yes", "No"]', '["Yes", "' + "n" * 56 + '"]'),
            "episodes[0].polls[0].options[1]",
        ),
        (lambda t: t.replace("[show]", "[shw]"), "show"),
        (lambda t: t + t[t.index("[[episodes]]") :], "episodes[1]"),
    ],
)
def test_malformed_file_names_the_field(mutation, where: str) -> None:
    with pytest.raises(DataFileError) as caught:
        parse(mutation(SMALL).encode(), "night-shift.toml")
    assert caught.value.where == where
    assert str(caught.value).startswith(f"night-shift.toml: {where}: ")


async def test_malformed_file_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "night-shift.toml"
    path.write_text(SMALL)
    await importer.import_file(store, path)
    before = [tuple(r) for r in await store.fetchall("SELECT * FROM episodes")]
    path.write_text(
        SMALL.replace('title = "Pilot"', 'title = "Pilot 2"').replace("number = 1", "number = -1")
    )
    report = await importer.import_folder(store, tmp_path)
    assert [e.where for e in report.errors] == ["episodes[0].number"]
    assert [tuple(r) for r in await store.fetchall("SELECT * FROM episodes")] == before
    path.write_text("this is = not [toml")
    with pytest.raises(DataFileError, match=r"night-shift\.toml: is not valid TOML"):
        await importer.import_file(store, path)


async def test_two_files_cannot_claim_one_show(store: Store, tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(SMALL)
    (tmp_path / "b.toml").write_text(SMALL.replace("Night Shift", "Other"))
    report = await importer.import_folder(store, tmp_path)
    assert report.loaded == ["a.toml"]
    assert "already used by a.toml" in str(report.errors[0])


async def test_episode_removed_from_file_leaves_catalog(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "night-shift.toml"
    path.write_text(
        SMALL + SMALL[SMALL.index("[[episodes]]") :].replace("number = 1", "number = 2")
    )
    await importer.import_file(store, path)
    show = await store.catalog.find_show("night-shift")
    assert show is not None and len(await store.catalog.episodes(show.id)) == 2
    path.write_text(SMALL)
    await importer.import_file(store, path)
    assert [e.code for e in await store.catalog.episodes(show.id)] == ["S1E1"]


def test_check_command_reports_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(SMALL.replace('title = "Pilot"', "title = 3"))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check", str(SEED), str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert "ok: for-all-mankind.toml: For All Mankind, 1 episode(s)" in result.stdout
    assert "bad.toml: episodes[0].title: is missing or empty" in result.stderr
