"""The data file stays valid and people's work stays reachable when TVmaze's data is odd:
over-long fields, two episodes with one number, episodes that disappear."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import tomlkit

from bot import limits
from bot.catalog.datafiles import DataFileError, load
from bot.catalog.sources.tvmaze import TvmazeClient
from bot.catalog.sources.tvmaze.datafile import write
from harness.faketvmaze import FakeTvmaze, episode, orbital_relay

ORBITAL = 4401


@pytest.fixture
async def fake() -> AsyncIterator[FakeTvmaze]:
    async with FakeTvmaze([orbital_relay()]) as server:
        yield server


@pytest.fixture
async def client(fake: FakeTvmaze) -> AsyncIterator[TvmazeClient]:
    async with aiohttp.ClientSession() as session:
        yield TvmazeClient(session, base_url=fake.base_url)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def episodes(path: Path) -> dict[int, dict[str, Any]]:
    return {e["tvmaze_id"]: e for e in tomllib.loads(path.read_text("utf-8"))["episodes"]}


async def test_values_past_the_formats_limits_are_clipped_or_dropped(
    client: TvmazeClient, fake: FakeTvmaze, tmp_path: Path
) -> None:
    show = fake.shows[ORBITAL].show
    show["network"]["name"] = "The Very Long Name of a Broadcasting Corporation " * 4
    show["status"] = "Running, with a break while the studio rebuilds the set " * 2
    show["officialSite"] = "example.org/no-scheme"
    show["externals"]["imdb"] = "not an id"
    first = fake.episode(440101)
    first.update(runtime=0, airtime="9pm", name="A title that goes on " * 10)
    first["image"] = {"medium": "ftp://images.invalid/1.jpg", "original": None}

    report = await write_from(client, tmp_path)

    parsed = load(report.path)  # what `python -m bot check` runs: it accepts the file
    assert parsed.show.network is not None and len(parsed.show.network) <= limits.NETWORK
    assert parsed.show.network.endswith("…")
    assert parsed.show.status is not None and len(parsed.show.status) <= limits.STATUS
    assert (parsed.show.official_site, parsed.show.imdb_id) == (None, None)
    pilot = next(e.episode for e in parsed.episodes if e.episode.tvmaze_id == 440101)
    assert (pilot.runtime_minutes, pilot.air_time, pilot.image) == (None, None, None)
    assert len(pilot.title) <= limits.TITLE_MAX


async def write_from(client: TvmazeClient, folder: Path, keep: frozenset[int] = frozenset()) -> Any:
    return write(await client.catalog(ORBITAL), folder, keep)


async def test_a_file_the_reader_would_refuse_is_never_written(
    client: TvmazeClient, tmp_path: Path
) -> None:
    path = (await write_from(client, tmp_path)).path
    before = path.read_bytes()
    catalog = await client.catalog(ORBITAL)
    # What the converter never makes, to show the last line of defence holds.
    wrong = dataclasses.replace(catalog, show=dataclasses.replace(catalog.show, network="N" * 150))
    with pytest.raises(DataFileError, match=r"show\.network: is 150 characters long"):
        write(wrong, tmp_path)
    assert path.read_bytes() == before
    assert listing(tmp_path) == ["orbital-relay.toml"]  # no temporary file left


async def test_two_episodes_with_one_number_are_both_reachable_until_tvmaze_fixes_it(
    client: TvmazeClient, fake: FakeTvmaze, tmp_path: Path
) -> None:
    fake.add_episode(ORBITAL, episode(440109, 1, 2, "Dead Air (Extended)"))
    report = await write_from(client, tmp_path)
    assert report.conflicts == [
        "TVmaze numbers both “Dead Air” and “Dead Air (Extended)” S1E2: "
        "“Dead Air (Extended)” is S1E4 here until TVmaze fixes it"
    ]
    assert "S1E4 · Dead Air (Extended)" in report.added
    found = episodes(report.path)
    assert (found[440102]["number"], found[440109]["number"]) == (2, 4)
    assert found[440109]["title"] == "Dead Air (Extended)"

    fake.renumber(440109, 1, 5)  # TVmaze fixes it: the episode follows, by its id
    report = await write_from(client, tmp_path)
    assert report.conflicts == [] and report.updated == ["S1E5: renumbered from S1E4"]

    fake.remove_episode(440109)  # or drops the duplicate: it leaves the file
    report = await write_from(client, tmp_path)
    assert report.retired == ["S1E5 · Dead Air (Extended)"]
    assert 440109 not in episodes(report.path)


async def test_an_episode_tvmaze_dropped_stays_if_people_wrote_for_it(
    client: TvmazeClient, fake: FakeTvmaze, tmp_path: Path
) -> None:
    path = (await write_from(client, tmp_path)).path
    doc = tomlkit.parse(path.read_text("utf-8"))
    for table in doc["episodes"]:
        if table["tvmaze_id"] == 440102:
            table["recap"] = "Written by a member of the server."
        if table["tvmaze_id"] == 440103:
            table["spoiler_terms"] = ["frequency"]
    path.write_text(tomlkit.dumps(doc), "utf-8")
    for gone in (440101, 440102, 440103, 440201):
        fake.remove_episode(gone)

    # 440201's recap was written in Discord: the caller says so with `keep`.
    report = await write_from(client, tmp_path, keep=frozenset({440201}))

    assert report.retired == ["S1E1 · First Light"]
    assert report.gone_upstream == ["S1E2 · Dead Air", "S1E3 · Handshake", "S2E1 · Second Shift"]
    assert sorted(episodes(path)) == [440102, 440103, 440201, 440202]
    assert episodes(path)[440102]["recap"] == "Written by a member of the server."
    load(path)


async def test_a_special_tvmaze_dropped_leaves_the_file(
    client: TvmazeClient, fake: FakeTvmaze, tmp_path: Path
) -> None:
    await write_from(client, tmp_path)
    fake.remove_episode(440190)
    report = await write_from(client, tmp_path)
    assert report.retired == ["special 440190 “Inside the Relay”"]
    assert load(report.path).specials == ()


async def test_a_new_file_never_takes_a_slug_another_file_uses(
    client: TvmazeClient, tmp_path: Path
) -> None:
    (tmp_path / "relay.toml").write_text(
        '[show]\nslug = "orbital-relay"\ntitle = "A Different Relay"\n', "utf-8"
    )
    report = await write_from(client, tmp_path)
    assert report.path.name == "orbital-relay-2021.toml"
    assert load(report.path).show.slug == "orbital-relay-2021"
