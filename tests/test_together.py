"""Choosing together through the emulator: suggestions, a vote among them across a restart,
the winner's "Schedule a watch party" form, /watched, and polls only a role may vote in."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import Watchparty
from bot.settings import Settings
from harness.faketvmaze import FakeShow, FakeTvmaze, episode, long_haul, orbital_relay, show
from tests.conftest import ROOT, BotRunner, Scene, acked_in_time
from tests.test_polls import eventually, eventually_rows, vote_ids

ORBITAL, LONG_HAUL, HARBOUR = 4401, 4402, 7701


def quiet_harbour() -> FakeShow:
    return FakeShow(
        show=show(HARBOUR, "Quiet Harbour", summary="<p>A ferry town in winter.</p>"),
        episodes=[episode(770101, 1, 1, "Low Tide"), episode(770102, 1, 2, "Fog Bell")],
    )


def extras(count: int) -> list[FakeShow]:
    """Small shows to fill a suggestion list past one poll's ten options."""
    return [FakeShow(show=show(8800 + n, f"Filler Show {n:02d}")) for n in range(count)]


@pytest.fixture
async def tvmaze() -> AsyncIterator[FakeTvmaze]:
    shows = [orbital_relay(), long_haul(seasons=1), quiet_harbour(), *extras(9)]
    async with FakeTvmaze(shows) as server:
        yield server


@pytest.fixture
def chosen(settings: Settings, tvmaze: FakeTvmaze, tmp_path: Path) -> Settings:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(ROOT / "data" / "for-all-mankind.toml", folder)
    return dataclasses.replace(
        settings, data_dir=folder, tvmaze_api_base=tvmaze.base_url, tvmaze_refresh_hours=0
    )


async def suggest(world: Scene, who: Any, show: str, **more: Any) -> Any:
    ix = await world.fd.slash(who, world.channel, "suggest add", show=show, **more)
    assert acked_in_time(ix) and ix.ephemeral
    await ix.wait_for(lambda i: not i.thinking, timeout=10)
    return ix


def winners(world: Scene) -> list[Any]:
    return [
        m
        for m in world.fd.messages(world.channel)
        if not m.ephemeral and m.embeds and m.embeds[0].get("title") == "🏆 We have a winner"
    ]


async def test_suggest_vote_across_restart_and_schedule_the_winner(
    runner: BotRunner, chosen: Settings, world: Scene
) -> None:
    fd = world.fd
    bot = await runner.start(chosen)
    # Three members suggest four shows: one from the catalog, three found on TVmaze.
    assert (
        "Suggested **For All Mankind**"
        in (
            await suggest(world, world.alice, "for-all-mankind", note="Moon <@&1> @everyone")
        ).text()
    )
    assert "from TVmaze" in (await suggest(world, world.bob, f"tvmaze:{ORBITAL}")).text()
    await suggest(world, world.bob, "The Long Haul Almanac")
    await suggest(world, world.mod, f"tvmaze:{HARBOUR}")
    again = await suggest(world, world.alice, "Orbital Relay")
    assert "on the list already" in again.text(), again.text()
    rows = await bot.store.fetchall("SELECT title, suggested_by FROM suggestions")
    assert len(rows) == 4

    listing = await fd.slash(world.bob, world.channel, "suggest list")
    text = listing.text()
    assert listing.ephemeral and "Orbital Relay" in text and "Quiet Harbour" in text
    assert "\\<\\@&1\\>" in text and "\\@everyone" in text  # the note is inert

    # A member cannot take someone else's suggestion back.
    refused = await fd.slash(
        world.alice, world.channel, "suggest remove", suggestion="Quiet Harbour"
    )
    assert refused.ephemeral and "your own" in refused.text()

    ix = await fd.slash(world.mod, world.channel, "suggest vote", duration="5s")
    assert acked_in_time(ix)
    message = ix.reply
    ids = vote_ids(message)
    assert len(ids) == 4 and "Orbital Relay" in message.text()
    await fd.click(world.alice, message, ids[1])
    await fd.click(world.bob, message, ids[1])
    await fd.click(world.mod, message, ids[0])
    await runner.stop()
    await asyncio.sleep(5.5)  # the deadline passes while the bot is down
    bot = await runner.start(chosen)

    assert await eventually(lambda: winners(world), within=10)
    (announced,) = winners(world)
    assert "**Orbital Relay** with 2 votes of 3" in announced.embeds[0]["description"]
    store = bot.store
    # The winner leaves the list once its announcement is posted.
    assert await eventually_rows(bot, "SELECT count(*) FROM suggestions", 3) == 3
    left = [r["title"] for r in await store.fetchall("SELECT title FROM suggestions")]
    assert sorted(left) == ["For All Mankind", "Quiet Harbour", "The Long Haul Almanac"]

    # Not in the catalog yet: a member without Manage Server is told who can add it.
    button = next(
        b["custom_id"] for b in announced.buttons() if b["custom_id"].startswith("wp:plan:")
    )
    member = await fd.click(world.alice, announced, button)
    assert member.ephemeral and "Manage Server" in member.text()
    added = await fd.click(world.mod, announced, button)
    await added.wait_for(lambda i: not i.thinking, timeout=15)
    assert "Added **Orbital Relay** to the catalog" in added.text(), added.text()

    # The server watches S1E1 together; the form then offers S1E2.
    party = await fd.slash(
        world.mod,
        world.channel,
        "watchparty schedule",
        show="orbital-relay",
        episode="S1E1",
        start="in 1s",
        length="1s",
    )
    await party.wait_for_messages()
    assert await eventually(
        lambda: [m for m in fd.messages(world.channel) if "is over" in m.text()], within=10
    )
    # The party counts as watched once its end step is settled, just after "is over".
    ended = "SELECT count(*) FROM watch_parties WHERE ended_at IS NOT NULL"
    assert await eventually_rows(bot, ended, 1) == 1
    opened = await fd.click(world.mod, announced, button)
    assert opened.response_type == 9 and opened.response is not None, opened.text()
    inputs = [
        item
        for row in opened.response["components"]
        for item in [*(row.get("components") or []), row.get("component") or {}]
        if item.get("custom_id")
    ]
    assert {i["custom_id"]: i.get("value") for i in inputs}["episode"] == "S1E2"
    form = str(opened.response["custom_id"])
    await runner.stop()
    bot = await runner.start(chosen)  # the form is answered after a restart too
    submitted = await fd.submit_modal(
        world.mod, world.channel, form, {"episode": "S1E2", "start": "in 2h", "length": ""}
    )
    await submitted.wait_for_messages()
    assert "Scheduled watch party #2" in submitted.text(), submitted.text()
    row = await bot.store.fetchone(
        "SELECT e.season, e.number FROM watch_parties AS p JOIN episodes AS e"
        " ON e.id = p.episode_id WHERE p.id = 2"
    )
    assert row is not None and (row["season"], row["number"]) == (1, 2)

    watched = await fd.slash(world.bob, world.channel, "watched")
    assert watched.ephemeral and "Orbital Relay" in watched.text()
    assert "S1E1 · First Light" in watched.text() and "S1E2" not in watched.text()


async def test_more_than_ten_suggestions_says_which_wait(
    runner: BotRunner, chosen: Settings, world: Scene
) -> None:
    await runner.start(chosen)
    for value in [ORBITAL, LONG_HAUL, HARBOUR, *(8800 + n for n in range(9))]:
        await suggest(world, world.alice, f"tvmaze:{value}")
    ix = await world.fd.slash(world.mod, world.channel, "suggest vote", duration="1h")
    assert len(vote_ids(ix.reply)) == 10
    await ix.wait_for(lambda i: len(i.messages) >= 2)
    note = ix.followups[0].content
    assert "wait for the next vote" in note
    assert "Filler Show 07" in note and "Filler Show 08" in note and "Orbital" not in note


async def test_withdrawing_and_too_few_to_vote(
    runner: BotRunner, chosen: Settings, world: Scene
) -> None:
    fd = world.fd
    bot = await runner.start(chosen)
    await suggest(world, world.alice, "for-all-mankind")
    few = await fd.slash(world.mod, world.channel, "suggest vote")
    assert few.ephemeral and "at least two" in few.text()
    own = await fd.slash(world.alice, world.channel, "suggest remove", suggestion="For All Mankind")
    assert own.ephemeral and "Withdrew" in own.text()
    assert await bot.store.fetchall("SELECT id FROM suggestions") == []


async def test_a_poll_for_a_role(runner: BotRunner, settings: Settings, world: Scene) -> None:
    fd = world.fd
    critics = fd.add_role(world.guild, "Critics")
    world.bob.role_ids.append(critics.id)
    bot = await runner.start(settings)
    ix = await fd.slash(
        world.mod,
        world.channel,
        "poll create",
        question="Best episode?",
        options="One; Two",
        voters=critics.id,
    )
    message = ix.reply
    assert f"Only members with <@&{critics.id}> can vote" in message.text()
    a, _ = vote_ids(message)
    refused = await fd.click(world.alice, message, a)
    assert acked_in_time(refused) and refused.ephemeral
    assert "not counted" in refused.reply.content
    counted = await fd.click(world.bob, message, a)
    assert "Your vote: **One**" in counted.reply.content
    rows = await bot.store.fetchall("SELECT user_id FROM votes")
    assert [r["user_id"] for r in rows] == [world.bob.id]

    native = await fd.slash(
        world.mod,
        world.channel,
        "poll create",
        question="Native?",
        options="Yes; No",
        mode="native",
        voters=critics.id,
    )
    assert "cannot be limited to a role" in native.reply.content


def attend_button(message: Any) -> str:
    return next(
        b["custom_id"] for b in message.buttons() if b["custom_id"].startswith("wp:attend:")
    )


async def test_taking_part_counts_only_while_the_party_runs(bot: Watchparty, world: Scene) -> None:
    fd = world.fd
    ix = await fd.slash(
        world.mod,
        world.channel,
        "watchparty schedule",
        show="for-all-mankind",
        episode="S4E6",
        start="in 2s",
        length="5s",
    )
    await ix.wait_for_messages()
    (announcement,) = [m for m in fd.messages(world.channel) if "🍿 Watch party" in m.text()]
    early = await fd.click(world.alice, announcement, attend_button(announcement))
    assert early.ephemeral and "once it has started" in early.text()
    assert await eventually(
        lambda: [m for m in fd.messages(world.channel) if "is starting now" in m.text()], within=6
    )
    (reminder,) = [m for m in fd.messages(world.channel) if "is starting now" in m.text()]
    joined = await fd.click(world.alice, reminder, attend_button(reminder))
    assert acked_in_time(joined) and "You're watching along" in joined.text()
    again = await fd.click(world.alice, announcement, attend_button(announcement))
    assert "already counted" in again.text()
    await fd.click(world.bob, announcement, attend_button(announcement))
    assert await eventually(
        lambda: [m for m in fd.messages(world.channel) if "is over" in m.text()], within=8
    )
    late = await fd.click(world.mod, reminder, attend_button(reminder))
    assert "is over" in late.text()
    # /watched lists parties whose end step is settled, which follows "is over" by a moment.
    ended = "SELECT count(*) FROM watch_parties WHERE ended_at IS NOT NULL"
    assert await eventually_rows(bot, ended, 1) == 1
    watched = await fd.slash(world.bob, world.channel, "watched")
    assert "S4E6 · Leningrad · 2 took part" in watched.text(), watched.text()


# A small show of the test's own: every recap and ending carries words found nowhere else,
# so a catch-up that leaked one would be caught.
HARBOUR_LIGHTS = {
    (1, 1): (
        "Lamp Oil",
        "Wren takes the keeper post.",
        "Wren finds a ledger marked zephyrine.",
        "The ledger burns: quillfeather.",
    ),
    (1, 2): (
        "Tide Tables",
        "A supply boat is late.",
        "The boat arrives carrying marrowbind crates.",
        "Wren hides one crate: obsidianthrush.",
    ),
    (1, 3): (
        "Foghorn Sonata",
        "A storm closes the harbour.",
        "The storm wrecks the pier: calvanite.",
        "Wren leaves the island: hollowmere.",
    ),
    (1, 4): (
        "Last Light",
        "The lamp goes dark.",
        "A stranger relights it: tessaract.",
        "The stranger is Wren's brother: umbervale.",
    ),
}


def write_show(folder: Path) -> None:
    lines = ["[show]", 'slug = "harbour-lights"', 'title = "Harbour Lights"', ""]
    for (season, number), (title, synopsis, recap, ending) in HARBOUR_LIGHTS.items():
        lines += [
            "[[episodes]]",
            f"season = {season}",
            f"number = {number}",
            f'title = "{title}"',
            f'synopsis = "{synopsis}"',
            f'recap = "{recap}"',
            f'ending = "{ending}"',
            "",
        ]
    (folder / "harbour-lights.toml").write_text("\n".join(lines), encoding="utf-8")


def later_words(after: tuple[int, int]) -> list[str]:
    """Every recap and ending word (and title) of the episodes past `after`, and every ending
    word of the ones up to it."""
    words = []
    for key, (title, _, recap, ending) in HARBOUR_LIGHTS.items():
        words += ending.rstrip(".").split(": ")[1:]
        if key > after:
            words += [title, *recap.rstrip(".").split(": ")[1:]]
    return words


async def test_catchup_tells_only_what_the_member_has_watched(
    runner: BotRunner, chosen: Settings, world: Scene
) -> None:
    write_show(chosen.data_dir)
    await runner.start(chosen)
    fd = world.fd
    unset = await fd.slash(world.alice, world.channel, "catchup", show="harbour-lights")
    assert unset.ephemeral and "/progress set" in unset.text(), unset.text()

    ix = await fd.slash(
        world.alice, world.channel, "progress set", show="harbour-lights", episode="S1E2"
    )
    assert "Got it" in ix.text()
    for target in (None, "S1E4", "S1E3"):
        options: dict[str, Any] = {"episode": target} if target else {}
        caught = await fd.slash(
            world.alice, world.channel, "catchup", show="harbour-lights", **options
        )
        assert acked_in_time(caught) and caught.ephemeral
        text = caught.text()
        assert "Previously on Harbour Lights" in text
        # Newest first: the boat (S1E2) before the ledger (S1E1).
        assert text.index("marrowbind") < text.index("zephyrine"), text
        leaked = [w for w in later_words((1, 2)) if w.lower() in text.lower()]
        assert leaked == [], (target, leaked, text)
    assert "Before **S1E3**" in text


async def progress_of(bot: Watchparty, world: Scene, member: Any) -> tuple[int, int] | None:
    show = await bot.store.catalog.find_show("harbour-lights")
    assert show is not None
    seen = await bot.store.progress.watched(world.guild.id, member.id, show.id)
    return (seen.season, seen.number) if seen else None


async def test_progress_follows_the_party_for_those_who_opted_in(
    runner: BotRunner, chosen: Settings, world: Scene
) -> None:
    write_show(chosen.data_dir)
    bot = await runner.start(chosen)
    fd = world.fd
    carol = fd.add_member(world.guild, "carol")
    for member, code in ((world.alice, "S1E1"), (world.bob, "S1E1"), (world.mod, "S1E4")):
        await fd.slash(member, world.channel, "progress set", show="harbour-lights", episode=code)
    for member in (world.alice, world.mod, carol):
        on = await fd.slash(member, world.channel, "progress follow-parties", setting="on")
        assert on.ephemeral and "On:" in on.text()
    ix = await fd.slash(
        world.mod,
        world.channel,
        "watchparty schedule",
        show="harbour-lights",
        episode="S1E3",
        start="in 2s",
        length="4s",
    )
    await ix.wait_for_messages()
    assert await eventually(
        lambda: [m for m in fd.messages(world.channel) if "is starting now" in m.text()], within=6
    )
    (reminder,) = [m for m in fd.messages(world.channel) if "is starting now" in m.text()]
    for member in (world.alice, world.bob, world.mod):  # carol opted in but does not take part
        await fd.click(member, reminder, attend_button(reminder))
    assert await eventually(lambda: fd.dms(world.alice), within=10)
    await asyncio.sleep(0.5)  # nothing more may follow
    assert await progress_of(bot, world, world.alice) == (1, 3)  # opted in, took part
    assert await progress_of(bot, world, world.bob) == (1, 1)  # took part, did not opt in
    assert await progress_of(bot, world, world.mod) == (1, 4)  # never backwards
    assert await progress_of(bot, world, carol) is None  # opted in, did not take part
    assert [len(fd.dms(m)) for m in (world.alice, world.bob, world.mod, carol)] == [1, 0, 0, 0]
    (note,) = fd.dms(world.alice)
    assert "from S1E1 to it" in note.content and "S1E3 · Foghorn Sonata" in note.content

    undo = next(b["custom_id"] for b in note.buttons() if b["custom_id"].startswith("wp:unmove:"))
    await runner.stop()
    bot = await runner.start(chosen)  # the undo button outlives a restart
    undone = await fd.click(world.alice, note, undo)
    assert acked_in_time(undone) and "is **S1E1** again" in undone.text(), undone.text()
    assert await progress_of(bot, world, world.alice) == (1, 1)
    twice = await fd.click(world.alice, note, undo)
    assert "Already undone" in twice.text()


async def test_a_moderator_adding_the_show_links_the_suggestion(
    runner: BotRunner, chosen: Settings, world: Scene
) -> None:
    fd = world.fd
    await runner.start(chosen)
    await suggest(world, world.bob, f"tvmaze:{ORBITAL}")
    before = await fd.slash(world.bob, world.channel, "suggest list")
    assert "not in the catalog yet" in before.text()
    added = await fd.slash(world.mod, world.channel, "catalog add", show=str(ORBITAL))
    await added.wait_for(lambda i: not i.thinking and "⏳" not in i.reply.content, timeout=15)
    after = await fd.slash(world.bob, world.channel, "suggest list")
    assert "Orbital Relay" in after.text() and "not in the catalog yet" not in after.text()
