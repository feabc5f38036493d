"""Renumbered episodes keep what members made: progress, the announced set, polls, threads.

TVmaze renumbers by inserting an episode; a person renumbers a hand-written file. Either way
"watched up to S1E3" keeps meaning the episode the member watched, and nothing old is news.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from bot.catalog import importer
from bot.catalog.datafiles import DataFileError
from bot.models import CatalogChange
from bot.settings import Settings
from bot.store import Store
from harness.faketvmaze import FakeTvmaze, episode
from tests.conftest import BotRunner, Scene, acked_in_time, watched
from tests.test_catalog_import import HEAD, members_use, store  # noqa: F401 (the fixture)
from tests.test_catalog_import import episode as entry
from tests.test_catalog_tvmaze import ORBITAL, add, tvmaze  # noqa: F401 (the fixture)
from tests.test_polls import _poll_id, eventually

PILOT, ROUNDS, FLOAT = entry(1, 1, "Pilot"), entry(1, 2, "Rounds"), entry(1, 3, "Night Float")


def was(text: str, code: str) -> str:
    """An entry with `was = "<code>"` declared under its number."""
    return text.replace("\ntitle =", f'\nwas = "{code}"\ntitle =', 1)


async def imported(store: Store, path: Path) -> CatalogChange:  # noqa: F811
    change = await importer.import_file(store, path)
    assert change is not None, "the file was new content"
    return change


async def ids(store: Store, show_id: int) -> dict[str, int]:  # noqa: F811
    return {e.code: e.id for e in await store.catalog.episodes(show_id)}


# --- the import's identity rule, on real files ------------------------------------------------


async def test_a_hand_moved_episode_keeps_its_id_and_the_report_says_so(
    store: Store,  # noqa: F811
    tmp_path: Path,
) -> None:
    path = tmp_path / "night-shift.toml"
    path.write_text(HEAD + PILOT + ROUNDS + FLOAT)
    await importer.import_file(store, path)
    show = await store.catalog.find_show("night-shift")
    assert show is not None
    before = await ids(store, show.id)
    await members_use(store, before["S1E3"], show.id)

    # Moved to a free place: it would have been "1 added, 1 retired".
    # Titles match in any case and spacing.
    path.write_text(HEAD + PILOT + ROUNDS + entry(1, 4, "night  FLOAT"))
    change = await imported(store, path)
    assert change == CatalogChange(
        updated=1, unchanged=2, renumbered=("S1E3 → S1E4 “night  FLOAT”",)
    )
    assert str(change).endswith("; 1 renumbered: S1E3 → S1E4 “night  FLOAT”")
    assert (await ids(store, show.id))["S1E4"] == before["S1E3"]

    # An episode inserted before it: the one that moved keeps its row, the new one is new.
    path.write_text(HEAD + PILOT + ROUNDS + entry(1, 3, "Cold Open") + entry(1, 5, "Night Float"))
    change = await imported(store, path)
    assert (change.added, change.retired, change.renumbered) == (
        1,
        0,
        ("S1E4 → S1E5 “Night Float”",),
    )
    now = await ids(store, show.id)
    assert now["S1E5"] == before["S1E3"] and now["S1E3"] not in before.values()
    polls = await store.fetchall("SELECT episode_id FROM polls")
    assert [r[0] for r in polls] == [before["S1E3"]]


async def test_an_ambiguous_renumbering_is_refused_in_one_line_until_declared(
    store: Store,  # noqa: F811
    tmp_path: Path,
) -> None:
    path = tmp_path / "night-shift.toml"
    path.write_text(HEAD + PILOT + entry(1, 2, "TBA") + entry(1, 3, "TBA"))
    await importer.import_file(store, path)
    show = await store.catalog.find_show("night-shift")
    assert show is not None
    before = await ids(store, show.id)

    # Both "TBA"s leave and two arrive: which is which is the file's to say.
    path.write_text(HEAD + PILOT + entry(1, 4, "TBA") + entry(1, 5, "TBA"))
    with pytest.raises(DataFileError) as refused:
        await importer.import_file(store, path)
    message = str(refused.value)
    assert "\n" not in message
    assert message == (
        "night-shift.toml: episodes[1]: “TBA” is the title of S1E4, S1E5 here and of S1E2,"
        ' S1E3 before, so I cannot tell which episode was renumbered: add `was = "S1E2"` to'
        " the entry that was S1E2"
    )
    assert await ids(store, show.id) == before  # nothing was written

    path.write_text(HEAD + PILOT + was(entry(1, 4, "TBA"), "S1E3") + entry(1, 5, "TBA"))
    change = await imported(store, path)
    assert change.renumbered == ("S1E3 → S1E4 “TBA”", "S1E2 → S1E5 “TBA”")
    after = await ids(store, show.id)
    assert (after["S1E4"], after["S1E5"]) == (before["S1E3"], before["S1E2"])

    # The key stays harmless once imported: a new S1E3 is not taken for the old one.
    path.write_text(
        HEAD + PILOT + entry(1, 3, "Locum") + was(entry(1, 4, "TBA"), "S1E3") + entry(1, 5, "TBA")
    )
    change = await imported(store, path)
    assert (change.added, change.renumbered) == (1, ())
    assert (await ids(store, show.id))["S1E4"] == before["S1E3"]


async def test_a_was_key_must_be_an_episode_code(store: Store, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "night-shift.toml"
    path.write_text(HEAD + was(PILOT, "E3"))
    with pytest.raises(DataFileError) as refused:
        await importer.import_file(store, path)
    assert str(refused.value) == (
        'night-shift.toml: episodes[0].was: must be an episode code like "S1E3"'
    )


async def test_progress_on_a_dropped_episode_does_not_cover_the_one_taking_its_place(
    store: Store,  # noqa: F811
    tmp_path: Path,
) -> None:
    path = tmp_path / "night-shift.toml"
    tvmaze_ids = [entry(1, n, t, 1000 + n) for n, t in ((1, "Pilot"), (2, "Rounds"))]
    path.write_text(HEAD + "".join(tvmaze_ids) + entry(1, 3, "Night Float", 1003))
    await importer.import_file(store, path)
    show = await store.catalog.find_show("night-shift")
    rounds = await store.catalog.episode(show.id, 1, 2) if show else None
    assert show is not None and rounds is not None
    await store.progress.set(10, 50, rounds)

    # Upstream drops Rounds; Night Float moves up into its place.
    path.write_text(HEAD + tvmaze_ids[0] + entry(1, 2, "Night Float", 1003))
    change = await imported(store, path)
    assert (change.retired, change.renumbered) == (1, ("S1E3 → S1E2 “Night Float”",))
    seen = await store.progress.watched(10, 50, show.id)
    night_float = await store.catalog.episode(show.id, 1, 2)
    pilot = await store.catalog.episode(show.id, 1, 1)
    assert seen is not None and night_float is not None and pilot is not None
    assert (seen.episode_id, seen.code) == (rounds.id, "S1E2")  # Rounds keeps its place
    assert seen.covers(pilot) and not seen.covers(night_float)
    assert await store.catalog.next_episode(show.id, seen) == night_float


# --- what members see, through the emulator ---------------------------------------------------


async def choices(world: Scene, member: Any, show: str) -> list[str]:
    """What /discuss offers with nothing typed: the member's next episodes first."""
    offered = await world.fd.autocomplete(
        member, world.channel, "discuss", focused="episode", show=show, episode=""
    )
    return [c["value"] for c in offered]


async def recap(world: Scene, member: Any, show: str, code: str) -> Any:
    season = int(code[1 : code.index("E")])
    ix = await world.fd.slash(
        member, world.channel, "recap", show=show, season=season, episode=code
    )
    assert acked_in_time(ix), ix.text()
    return ix


async def progress_line(world: Scene, member: Any) -> str:
    ix = await world.fd.slash(member, world.channel, "progress show")
    return ix.reply.content.split("\n")[0]


async def test_tvmaze_inserting_an_episode_leaves_progress_and_follows_on_theirs(
    runner: BotRunner,
    settings: Settings,
    world: Scene,
    tvmaze: FakeTvmaze,  # noqa: F811
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    await runner.start(
        dataclasses.replace(
            settings, data_dir=folder, tvmaze_api_base=tvmaze.base_url, tvmaze_refresh_hours=0
        )
    )
    fd, alice, bob = world.fd, world.alice, world.bob
    await add(world, str(ORBITAL))
    followed = await fd.slash(alice, world.channel, "follow show", show="orbital-relay")
    assert "Following" in followed.reply.content
    await watched(world, alice, show="orbital-relay", episode="S1E3")  # Handshake
    await watched(world, bob, show="orbital-relay", episode="S1E2")  # Dead Air

    # TVmaze inserts an episode before S1E3: Handshake becomes S1E4.
    tvmaze.add_episode(ORBITAL, episode(440150, 1, 3, "Interference", summary="<p>Static.</p>"))
    tvmaze.renumber(440103, 1, 4)
    refreshed = await fd.slash(world.mod, world.channel, "catalog refresh", show="orbital-relay")
    await refreshed.wait_for(lambda i: "⏳" not in i.reply.content and not i.thinking, timeout=15)
    assert "1 new" in refreshed.reply.content, refreshed.text()

    # Alice watched Handshake: /progress show, the recap gate and autocomplete all agree.
    assert await progress_line(world, alice) == "• Orbital Relay: up to **S1E4**"
    mine = await recap(world, alice, "orbital-relay", "S1E4")
    assert not mine.ephemeral and mine.reply.embeds[0]["title"] == "S1E4 · Handshake — Recap"
    assert (await choices(world, alice, "orbital-relay"))[0] == "S2E1"
    # Bob is still before both: the new episode is his next, and Handshake is held back.
    assert await progress_line(world, bob) == "• Orbital Relay: up to **S1E2**"
    assert await choices(world, bob, "orbital-relay") == ["S1E3", "S1E4", "S2E1", "S2E2"]
    held = await recap(world, bob, "orbital-relay", "S1E4")
    assert held.ephemeral and "Show anyway" in [b["label"] for b in held.reply.buttons()]
    assert "The next one for you is **S1E3 · Interference**" in held.reply.content

    # Followers hear about the inserted episode only: Handshake is not news.
    assert await eventually(lambda: fd.dms(alice))
    [news] = [m.content for m in fd.dms(alice)]
    assert "• S1E3 · Interference" in news and "Handshake" not in news and "S1E4" not in news


@pytest.fixture
def hand_written(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "night-shift.toml").write_text(HEAD + PILOT + ROUNDS + FLOAT)
    return folder


async def test_a_hand_renumbering_keeps_polls_thread_and_progress(
    runner: BotRunner, settings: Settings, world: Scene, hand_written: Path
) -> None:
    chosen = dataclasses.replace(settings, data_dir=hand_written)
    await runner.start(chosen)
    fd, alice, bob = world.fd, world.alice, world.bob
    await watched(world, alice, show="night-shift", episode="S1E3")
    await watched(world, bob, show="night-shift", episode="S1E2")
    poll = await fd.slash(
        alice,
        world.channel,
        "poll create",
        question="Was the night float fair?",
        options="Yes; No",
        show="night-shift",
        episode="S1E3",
    )
    assert acked_in_time(poll), poll.text()
    closing = await fd.slash(alice, world.channel, "poll close", poll=str(_poll_id(poll.reply)))
    await closing.wait_for_messages()
    opened = await fd.slash(alice, world.channel, "discuss", show="night-shift", episode="S1E3")
    await opened.wait_for_messages()
    [thread] = fd.threads(world.guild)
    await runner.stop()

    # Someone inserts an episode by hand; Night Float moves to S1E4.
    (hand_written / "night-shift.toml").write_text(
        HEAD + PILOT + ROUNDS + entry(1, 3, "Cold Open") + entry(1, 4, "Night Float")
    )
    await runner.start(chosen)
    results = await fd.slash(alice, world.channel, "poll results", show="night-shift", season=1)
    assert acked_in_time(results) and not results.ephemeral, results.text()
    text = results.reply.embeds[0]["description"]
    assert "**S1E4 · Night Float** · 1 poll(s)" in text and "Was the night float fair?" in text
    again = await fd.slash(alice, world.channel, "discuss", show="night-shift", episode="S1E4")
    await again.wait_for_messages()
    assert f"<#{thread.id}>" in again.text() and len(fd.threads(world.guild)) == 1
    assert await progress_line(world, alice) == "• Night Shift: up to **S1E4**"
    assert await choices(world, bob, "night-shift") == ["S1E3", "S1E4"]
    behind = await recap(world, bob, "night-shift", "S1E4")
    assert behind.ephemeral and "you've told me you watched up to **S1E2**" in behind.reply.content
