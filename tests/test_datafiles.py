"""Data files on real SQLite files: idempotent loads, and malformed files that change nothing."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from bot.catalog import exporter, importer
from bot.catalog.datafiles import DataFileError, parse
from bot.store import Store, migrations
from tests.conftest import Databases

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
async def store(tmp_path: Path, databases: Databases):
    opened = await Store.open(await databases())
    yield opened
    await opened.close()


async def test_migrations_set_user_version(store: Store) -> None:
    if store.dialect == "postgresql":
        pytest.skip("SQLite only: its PRAGMAs (PostgreSQL's schema_version: test_pg_store.py)")
    row = await store.fetchone("PRAGMA user_version")
    assert row is not None and row[0] == len(migrations())
    assert (await store.fetchone("PRAGMA journal_mode"))[0] == "wal"  # type: ignore[index]
    assert (await store.fetchone("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]


async def test_seed_loads_once_and_reloads_identically(store: Store) -> None:
    assert await importer.import_file(store, SEED) is not None
    assert await importer.import_file(store, SEED) is None  # unchanged content is skipped
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
        (lambda t: t.replace("[show]", "[shw]"), "shw"),
        (lambda t: t + t[t.index("[[episodes]]") :], "episodes[1]"),
    ],
)
def test_malformed_file_names_the_field(mutation, where: str) -> None:
    with pytest.raises(DataFileError) as caught:
        parse(mutation(SMALL).encode(), "night-shift.toml")
    assert caught.value.where == where
    assert str(caught.value).startswith(f"night-shift.toml: {where}: ")


@pytest.mark.parametrize(
    ("mutation", "where", "problem"),
    [
        (
            lambda t: t.replace("recap =", "spoiler_term = []\nrecap ="),
            "episodes[0].spoiler_term",
            "is not a known key; did you mean `spoiler_terms`?",
        ),
        (
            lambda t: t.replace("recap =", "airdate = 2022-02-03\nrecap ="),
            "episodes[0].airdate",
            "is not a known key; did you mean `air_date`?",
        ),
        (
            lambda t: t.replace('genres = ["Drama"]', "runtme = { min = 40 }"),
            "show.runtme",
            "is not a known key; did you mean `runtime`?",
        ),
        (
            lambda t: t.replace("[[episodes]]", '[[show.cast]]\nactor = "A"\n\n[[episodes]]'),
            "show.cast",
            "is not a known key; did you mean [[cast]]?",
        ),
        (
            lambda t: t.replace("[[episodes]]", "[[episode]]"),
            "episode",
            "is not a known key; did you mean [[episodes]]?",
        ),
        (
            lambda t: t + '[[episode.cast]]\nactor = "A"\n',
            "episode",
            "is not a known key; did you mean [[episodes]]?",
        ),
        (
            lambda t: t.replace(
                "[[episodes.polls]]",
                '[[episodes.links]]\nlabel = "x"\n'
                'url = "https://example.org"\nposition = 1\n[[episodes.polls]]',
            ),
            "episodes[0].links[0].position",
            "is not a known key",
        ),
        (
            lambda t: t.replace("recap =", 'air_date = "2022-02-31"\nrecap ='),
            "episodes[0].air_date",
            "2022-02-31 is not a real date",
        ),
        (
            lambda t: t.replace("recap =", 'air_time = "24:30"\nrecap ='),
            "episodes[0].air_time",
            'must be a time of day like "21:00" (24 h)',
        ),
        (
            lambda t: t.replace("recap =", 'spoiler_terms = ["coma", "the"]\nrecap ='),
            "episodes[0].spoiler_terms[1]",
            "“the” is only common words, so it would hide ordinary messages",
        ),
        (
            lambda t: t.replace("recap =", 'spoiler_terms = ["Out of the"]\nrecap ='),
            "episodes[0].spoiler_terms[0]",
            "“Out of the” is only common words, so it would hide ordinary messages",
        ),
        (
            # Without an offset the moment depends on a zone the file does not name.
            lambda t: t.replace("recap =", "airs_at = 2021-03-05T02:30:00\nrecap ="),
            "episodes[0].airs_at",
            "must be a date-time with its offset like 2026-01-05T02:00:00Z",
        ),
        (
            lambda t: t.replace("recap =", 'airs_at = "next Tuesday"\nrecap ='),
            "episodes[0].airs_at",
            "must be a date-time with its offset like 2026-01-05T02:00:00Z",
        ),
        (
            lambda t: t.replace("recap =", 'spoiler_terms = ["coma", "ER"]\nrecap ='),
            "episodes[0].spoiler_terms[1]",
            "“ER” is too short (at least 3 letters)",
        ),
        (
            lambda t: t.replace("recap =", 'spoiler_terms = ["dr. kim*"]\nrecap ='),
            "episodes[0].spoiler_terms[0]",
            "“dr. kim*” needs at least 4 letters before its `*`",
        ),
        (
            lambda t: t.replace("recap =", 'spoiler_terms = ["un*mask"]\nrecap ='),
            "episodes[0].spoiler_terms[0]",
            "“un*mask” may have a `*` only at its very end",
        ),
        (
            lambda t: (
                t.replace("number = 1", "number = 1\ntvmaze_id = 77")
                + '[[specials]]\ntitle = "Behind the scenes"\ntvmaze_id = 77\n'
            ),
            "specials[0].tvmaze_id",
            "repeats TVmaze id 77, already used by episodes[0].tvmaze_id",
        ),
    ],
)
def test_strict_reader_names_file_key_and_problem(mutation, where: str, problem: str) -> None:
    with pytest.raises(DataFileError) as caught:
        parse(mutation(SMALL).encode(), "night-shift.toml")
    assert str(caught.value) == f"night-shift.toml: {where}: {problem}"


EXTENDED = """
[show]
slug = "night-shift"
title = "Night Shift"
tvmaze_id = 101
imdb_id = "tt0000101"
network = "Channel Nine"
official_site = "https://example.org/night-shift"
image = "https://example.org/night-shift.jpg"
status = "Ended"
upstream = { show = "a1b2" }

[[episodes]]
season = 1
number = 1
title = "Pilot"
synopsis = "A hospital at night."
tvmaze_id = 1001
air_date = "2021-03-04"
air_time = "21:30"
airs_at = 2021-03-05T02:30:00Z
image = "https://example.org/1x01.jpg"
upstream = { episode = "c3d4", cast = "e5f6" }
spoiler_terms = ["Coma patient", "coma  PATIENT", "defibrillat*"]

[[specials]]
title = "Behind the Night"
tvmaze_id = 1002
air_date = 2021-05-01
air_time = "20:00"
runtime = 44
synopsis = "The cast looks back."
image = "https://example.org/special.jpg"
upstream = { episode = "0a0b" }
"""


def test_extended_keys_are_read_and_recap_may_wait() -> None:
    parsed = parse(EXTENDED.encode(), "night-shift.toml")
    show = parsed.show
    assert (show.tvmaze_id, show.imdb_id, show.network, show.status) == (
        101,
        "tt0000101",
        "Channel Nine",
        "Ended",
    )
    assert show.official_site == "https://example.org/night-shift"
    assert show.image == "https://example.org/night-shift.jpg"
    item = parsed.episodes[0]
    episode = item.episode
    assert (episode.recap, episode.ending) == ("", "")  # not written yet
    assert (episode.tvmaze_id, episode.air_date, episode.air_time) == (1001, "2021-03-04", "21:30")
    assert episode.image == "https://example.org/1x01.jpg"
    assert episode.airs_at == dt.datetime(2021, 3, 5, 2, 30, tzinfo=dt.UTC).timestamp()
    assert item.spoiler_terms == ("coma patient", "defibrillat*")  # one spelling per term
    (special,) = parsed.specials
    assert special.title == "Behind the Night" and special.tvmaze_id == 1002
    assert (special.air_date, special.air_time, special.runtime_minutes) == (
        "2021-05-01",
        "20:00",
        44,
    )
    assert special.synopsis == "The cast looks back."


def test_an_air_time_survives_export_in_utc() -> None:
    episode = parse(EXTENDED.encode(), "night-shift.toml").episodes[0].episode
    shifted = EXTENDED.replace("2021-03-05T02:30:00Z", "2021-03-04T21:30:00-05:00")
    assert parse(shifted.encode(), "night-shift.toml").episodes[0].episode.airs_at == (
        episode.airs_at
    )
    written = exporter.render(parse(shifted.encode(), "night-shift.toml"))
    assert "airs_at = 2021-03-05T02:30:00Z" in written
    assert parse(written.encode(), "night-shift.toml").episodes[0].episode.airs_at == (
        episode.airs_at
    )


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
