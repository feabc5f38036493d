"""Writing and refreshing data/<slug>.toml from TVmaze, as a person editing the file sees it."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import tomlkit

from bot.catalog import importer
from bot.catalog.datafiles import parse
from bot.catalog.sources.tvmaze import TvmazeClient
from bot.catalog.sources.tvmaze.datafile import WriteReport, write
from bot.store import Store
from harness.faketvmaze import FakeTvmaze, episode, long_haul, orbital_relay
from tests.conftest import Databases

ORBITAL = 4401


@pytest.fixture
async def fake() -> AsyncIterator[FakeTvmaze]:
    async with FakeTvmaze([orbital_relay(), long_haul()]) as server:
        yield server


@pytest.fixture
async def client(fake: FakeTvmaze) -> AsyncIterator[TvmazeClient]:
    async with aiohttp.ClientSession() as session:
        yield TvmazeClient(session, base_url=fake.base_url)


async def refresh(client: TvmazeClient, folder: Path, show_id: int = ORBITAL) -> WriteReport:
    return write(await client.catalog(show_id), folder)


def read(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text("utf-8"))


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def by_id(doc: dict[str, Any], key: str = "episodes") -> dict[int, dict[str, Any]]:
    return {e["tvmaze_id"]: e for e in doc[key]}


async def test_a_new_file_holds_the_show_its_cast_episodes_and_specials_apart(
    client: TvmazeClient, tmp_path: Path
) -> None:
    report = await refresh(client, tmp_path)

    assert report.created and report.path == tmp_path / "orbital-relay.toml"
    assert listing(tmp_path) == ["orbital-relay.toml"]  # no temp file left
    doc = read(report.path)
    show = doc["show"]
    assert show["slug"] == "orbital-relay" and show["title"] == "Orbital Relay"
    assert (show["tvmaze_id"], show["imdb_id"], show["status"]) == (ORBITAL, "tt9900101", "Running")
    assert show["network"] == "Skyline One"
    assert show["runtime"] == {"min": 50, "max": 50}
    assert [(c["actor"], c["character"]) for c in doc["cast"]][:2] == [
        ("Maren Okafor", "Ines Varga"),
        ("Dev Castellano", "Tomas Reyes"),
    ]
    assert [(e["season"], e["number"]) for e in doc["episodes"]] == [
        (1, 1), (1, 2), (1, 3), (2, 1), (2, 2)
    ]  # fmt: skip
    first = doc["episodes"][0]
    assert first["air_date"] == dt.date(2021, 3, 4) and first["air_time"] == "21:00"
    # TVmaze's airstamp, the moment itself, in UTC whatever the network's zone.
    assert first["airs_at"] == dt.datetime(2021, 3, 4, 1, 0, tzinfo=dt.UTC)
    assert first["synopsis"] == (
        "Commander Ines Varga arrives on the relay to find the last crew's logbook missing "
        "three weeks of entries."
    )
    assert "recap" not in first and "ending" not in first  # not written yet
    assert set(first["upstream"]) == {
        "title",
        "air_date",
        "air_time",
        "airs_at",
        "runtime",
        "image",
        "synopsis",
    }
    tba = doc["episodes"][-1]
    assert set(tba) == {"tvmaze_id", "season", "number", "title", "upstream"}
    assert doc["specials"] == [
        {
            "tvmaze_id": 440190,
            "title": "Inside the Relay",
            "air_date": dt.date(2021, 3, 20),
            "runtime": 22,
            "synopsis": "The cast walks through the station set.",
            "upstream": doc["specials"][0]["upstream"],
        }
    ]
    assert report.added[-1] == "special 440190 “Inside the Relay”"


def edit_as_a_person(path: Path) -> None:
    doc = tomlkit.parse(path.read_text("utf-8"))
    episodes = {e["tvmaze_id"]: e for e in doc["episodes"]}
    episodes[440101]["synopsis"] = "Our own set-up: Ines lands, and the logbook has a hole in it."
    second = episodes[440102]
    second["recap"] = "Tomas rations the air while Ines rebuilds the antenna by hand."
    second["ending"] = "The link comes back, and the first message is not from Earth."
    second["spoiler_terms"] = ["not from earth"]
    poll = tomlkit.table()
    poll["question"] = "Who held it together?"
    poll["options"] = ["Ines", "Tomas"]
    second["polls"] = tomlkit.aot()
    second["polls"].append(poll)
    episodes[440103]["recap"] = "The voice on the line knows everything about them."
    text = tomlkit.dumps(doc).replace(
        "[[episodes]]\ntvmaze_id = 440201",
        "# Season two is on air now.\n[[episodes]]\ntvmaze_id = 440201",
    )
    path.write_text(text, "utf-8")


async def test_a_refresh_follows_upstream_and_keeps_what_people_wrote(
    client: TvmazeClient, fake: FakeTvmaze, tmp_path: Path
) -> None:
    path = (await refresh(client, tmp_path)).path
    edit_as_a_person(path)
    # Upstream, meanwhile: one episode added, one renumbered, one removed, two edited.
    fake.add_episode(ORBITAL, episode(440203, 2, 3, "Relay Race", summary="<p>Two crews race.</p>"))
    fake.renumber(440103, 1, 4)
    fake.remove_episode(440201)
    fake.episode(440101)["summary"] = "<p>A newer TVmaze text.</p>"
    fake.episode(440102).update(name="Dead Air, Part One", image=None)

    report = await refresh(client, tmp_path)

    assert not report.created
    assert report.added == ["S2E3 · Relay Race"]
    assert report.retired == ["S2E1 · Second Shift"]  # nobody wrote for it
    assert report.kept_human_edits == ["S1E1: synopsis"]
    assert report.updated == ["S1E2: title, image", "S1E4: renumbered from S1E3"]
    doc = read(path)
    episodes = by_id(doc)
    assert episodes[440101]["synopsis"].startswith("Our own set-up")
    second = episodes[440102]
    assert second["title"] == "Dead Air, Part One" and "image" not in second
    assert second["recap"].startswith("Tomas rations") and second["ending"].startswith("The link")
    assert second["spoiler_terms"] == ["not from earth"]
    assert second["polls"] == [{"question": "Who held it together?", "options": ["Ines", "Tomas"]}]
    renumbered = episodes[440103]
    assert (renumbered["season"], renumbered["number"]) == (1, 4)
    assert renumbered["recap"] == "The voice on the line knows everything about them."
    assert 440201 not in episodes  # the import retires it; the store keeps its row
    assert [(e["season"], e["number"]) for e in doc["episodes"]] == [
        (1, 1), (1, 2), (1, 4), (2, 2), (2, 3)
    ]  # fmt: skip
    assert "# Season two is on air now.\n[[episodes]]" in path.read_text("utf-8")

    # A second refresh with nothing new changes nothing, and still names the kept edit.
    before = path.read_bytes()
    again = await refresh(client, tmp_path)
    assert (again.added, again.updated, again.kept_human_edits) == ([], [], ["S1E1: synopsis"])
    assert path.read_bytes() == before


async def test_a_hand_written_file_of_the_same_name_is_linked_not_replaced(
    client: TvmazeClient, tmp_path: Path
) -> None:
    path = tmp_path / "orbital-relay.toml"
    path.write_text(
        "# Our file, written before the import.\n"
        '[show]\nslug = "orbital-relay"\ntitle = "Orbital Relay"\ngenres = ["Sci-fi"]\n\n'
        '[[episodes]]\nseason = 1\nnumber = 1\ntitle = "Pilot"\nsynopsis = "Ours."\n'
        'recap = "Our recap."\nending = "Our ending."\n',
        "utf-8",
    )

    report = await refresh(client, tmp_path)

    assert not report.created and report.path == path
    assert "show: genres" in report.kept_human_edits
    assert "S1E1: title" in report.kept_human_edits
    assert "S1E1: synopsis" in report.kept_human_edits
    doc = read(path)
    first = doc["episodes"][0]
    assert (first["tvmaze_id"], first["title"], first["recap"]) == (440101, "Pilot", "Our recap.")
    assert [(e["season"], e["number"]) for e in doc["episodes"]][:2] == [(1, 1), (1, 2)]
    assert doc["show"]["genres"] == ["Sci-fi"] and doc["show"]["tvmaze_id"] == ORBITAL
    assert path.read_text("utf-8").startswith("# Our file, written before the import.\n")


async def test_another_show_with_the_same_slug_gets_its_own_file(
    client: TvmazeClient, tmp_path: Path
) -> None:
    (tmp_path / "orbital-relay.toml").write_text(
        '[show]\nslug = "orbital-relay"\ntitle = "Orbital Relay"\ntvmaze_id = 7\n', "utf-8"
    )
    report = await refresh(client, tmp_path)
    assert report.created and report.path.name == "orbital-relay-2021.toml"
    assert read(report.path)["show"]["slug"] == "orbital-relay-2021"


async def test_awkward_text_survives_the_round_trip(
    client: TvmazeClient, fake: FakeTvmaze, tmp_path: Path
) -> None:
    awkward = 'Quotes """ and \\ backslashes, ' + "a long sentence that wraps " * 12
    fake.episode(440101)["summary"] = f"<p>{awkward}</p><p>Second\tparagraph.</p>"
    report = await refresh(client, tmp_path)
    synopsis = by_id(read(report.path))[440101]["synopsis"]
    assert synopsis == " ".join(awkward.split()) + "\n\nSecond paragraph."


async def test_a_long_show_writes_every_season_and_the_whole_cast(
    client: TvmazeClient, tmp_path: Path
) -> None:
    report = await refresh(client, tmp_path, 4402)
    doc = read(report.path)
    assert report.path.name == "the-long-haul-almanac.toml"
    assert len(doc["cast"]) == 60 and doc["cast"][-1]["actor"] == "Driver 59"
    assert {e["season"] for e in doc["episodes"]} == set(range(1, 31))
    assert doc["show"]["network"] == "Roadside Stream"


async def test_the_written_file_passes_the_data_file_check(
    client: TvmazeClient, tmp_path: Path
) -> None:
    report = await refresh(client, tmp_path)
    show_file = parse(report.path.read_bytes(), report.path)
    assert show_file.show.slug == "orbital-relay"
    assert len(show_file.episodes) == 5


async def test_a_refresh_that_moves_an_air_time_moves_it_in_the_store(
    client: TvmazeClient, fake: FakeTvmaze, tmp_path: Path, databases: Databases
) -> None:
    path = (await refresh(client, tmp_path)).path
    store = await Store.open(await databases())
    try:
        await importer.import_file(store, path)
        show = await store.catalog.find_show("orbital-relay")
        assert show is not None
        first = await store.catalog.episode(show.id, 1, 2)
        assert first is not None
        assert first.airs_at == dt.datetime(2021, 3, 11, 1, 0, tzinfo=dt.UTC).timestamp()

        # TVmaze moves the episode a day and a half later (a schedule change).
        fake.episode(440102)["airstamp"] = "2021-03-12T13:30:00-05:00"
        report = await refresh(client, tmp_path)
        assert report.updated == ["S1E2: airs_at"]
        assert read(path)["episodes"][1]["airs_at"] == dt.datetime(
            2021, 3, 12, 18, 30, tzinfo=dt.UTC
        )
        await importer.import_file(store, path)
        moved = await store.catalog.episode(show.id, 1, 2)
        assert moved is not None and moved.id == first.id
        assert moved.airs_at == dt.datetime(2021, 3, 12, 18, 30, tzinfo=dt.UTC).timestamp()

        # TVmaze forgets the time: the key leaves the file and the store holds NULL.
        fake.episode(440102)["airstamp"] = None
        assert (await refresh(client, tmp_path)).updated == ["S1E2: airs_at"]
        await importer.import_file(store, path)
        cleared = await store.catalog.episode(show.id, 1, 2)
        assert cleared is not None and cleared.airs_at is None
    finally:
        await store.close()
