"""Watch parties and /discuss when Discord is not kind: outages of 5xx answers, a schedule that
fails half-way, restarts hours later when Discord has forgotten every nonce."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.models import PartyStep
from bot.settings import Settings
from cogs.watchparty._retries import Retries
from harness.fakediscord import FakeDiscord
from harness.process import BotProcess
from tests.conftest import BotRunner, Scene, everyone_caught_up
from tests.stores import hold_writes, query
from tests.test_party_crash import COMPLETED, has
from tests.test_polls import eventually
from tests.test_watchparty import EPISODE, polls_in, reminders, said, schedule

MESSAGES = "/channels/{channel_id}/messages"
EVENTS = "/guilds/{guild_id}/scheduled-events"
TWO_HOURS = 2 * 3600


@pytest.fixture
async def process(fd: FakeDiscord, settings: Settings) -> AsyncIterator[BotProcess]:
    bot = BotProcess(fd, settings.store_target)
    try:
        yield bot
    finally:
        await bot.stop()


def two_hours_pass(database: Path | str) -> None:
    """The store as a restart two hours later finds it: every time in it is two hours older."""
    query(
        database,
        "UPDATE watch_parties SET starts_at = starts_at - :ago, ends_at = ends_at - :ago,"
        " created_at = created_at - :ago, early_at = early_at - :ago,"
        " reminded_at = reminded_at - :ago, ended_at = ended_at - :ago",
        {"ago": TWO_HOURS},
    )
    query(database, "UPDATE party_parts SET at = at - ?", (TWO_HOURS,))


def parts(database: Path | str) -> dict[str, tuple[str, int | None]]:
    rows = query(database, "SELECT part, outcome, sent_id FROM party_parts WHERE party_id = 1")
    return {part: (outcome, sent_id) for part, outcome, sent_id in rows}


def posted(fd: FakeDiscord) -> int:
    """Requests that create something on Discord and that Discord carried out."""
    creating = [r for r in fd.requests if r.method == "POST" and r.status < 300]
    return len([r for r in creating if not r.route.startswith("/interactions/")])


async def test_an_outage_at_the_end_delays_the_thread_and_poll_and_a_late_restart_repeats_nothing(
    runner: BotRunner, settings: Settings, world: Scene, tmp_path: Path
) -> None:
    fd = world.fd
    await runner.start(settings)
    opened = await fd.slash(world.alice, world.channel, "discuss", **EPISODE)
    await opened.wait_for_messages()
    thread = fd.threads(world.guild)[0]
    await schedule(world, world.mod, "in 2s", "3s")
    assert fd.channel(thread.id).locked
    assert await eventually(lambda: reminders(world), within=6)
    # Ninety seconds of 503s from just before the end: well past the 25 s after which the
    # steps used to be given up, and marked done, with the thread left locked.
    outage = fd.outage(503, seconds=90)
    await asyncio.sleep(60)
    assert outage.hits >= 4, outage.hits  # the end was tried again and again
    assert fd.channel(thread.id).locked and not said(world, "is over")
    assert await eventually(lambda: said(world, "is over"), within=70)
    assert not fd.channel(thread.id).locked
    assert len(polls_in(world, thread)) == 1 and len(said(world, "is over")) == 1
    # The event is completed by the same step, just after "is over" is posted.
    assert await eventually(
        lambda: [e.data["status"] for e in fd.scheduled_events(world.guild)] == [COMPLETED],
        within=10,
    )
    database = settings.store_target
    recorded = parts(database)
    assert recorded["ended"] == ("done", None)
    assert recorded["thread"] == ("done", thread.id)
    assert recorded["poll"][0] == "done" and recorded["over"][0] == "done"

    await runner.stop()
    two_hours_pass(database)
    fd.forget_nonces()
    before = posted(fd)
    await runner.start(settings)
    await asyncio.sleep(3)
    assert posted(fd) == before  # nothing sent again
    assert len(fd.threads(world.guild)) == 1 and len(polls_in(world, thread)) == 1
    assert len(reminders(world)) == 1 and len(said(world, "is over")) == 1


async def test_a_send_lost_to_a_crash_is_found_hours_later_not_repeated(
    process: BotProcess, world: Scene, settings: Settings
) -> None:
    fd = world.fd
    await process.start()
    await schedule(world, world.mod, "in 2s", "2s")
    # Discord posts "is over", but the bot dies before it hears so and records it.
    held = fd.hold("POST", MESSAGES, has("is over"))
    await asyncio.wait_for(held.reached.wait(), 15)
    await process.kill()
    held.release.set()
    await asyncio.sleep(0.2)
    database = settings.store_target
    assert parts(database)["over"] == ("sending", None)
    two_hours_pass(database)
    fd.forget_nonces()  # Discord no longer recognises the send's nonce
    await process.start()
    assert await eventually(lambda: parts(database).get("ended") == ("done", None), within=10)
    over = said(world, "is over")
    assert len(over) == 1 and parts(database)["over"] == ("done", over[0].id)
    assert len(fd.threads(world.guild)) == 1 and len(reminders(world)) == 1
    assert [e.data["status"] for e in fd.scheduled_events(world.guild)] == [COMPLETED]


def is_announcement(body: Any) -> bool:
    return isinstance(body, dict) and any(
        embed.get("title") == "🍿 Watch party" for embed in body.get("embeds") or []
    )


@pytest.mark.parametrize(
    ("status", "route", "match"),
    [(503, EVENTS, None), (503, MESSAGES, is_announcement), (500, MESSAGES, is_announcement)],
    ids=["event", "announcement", "announcement-500"],
)
async def test_a_failed_schedule_leaves_no_party_behind(
    runner: BotRunner, settings: Settings, world: Scene, status: int, route: str, match: Any
) -> None:
    fd = world.fd
    bot = await runner.start(settings)
    # A 500 is retried by discord.py itself for about 25 s before the bot hears of it.
    outage = fd.outage(status, seconds=40, method="POST", route=route, match=match)
    ix = await fd.slash(
        world.mod, world.channel, "watchparty schedule", start="in 2s", length="2s", **EPISODE
    )
    await ix.wait_for_messages(timeout=40)
    assert outage.hits >= 1
    assert ix.ephemeral and "did not schedule it" in ix.text(), ix.text()
    assert await bot.store.fetchall("SELECT id FROM watch_parties") == []
    assert fd.scheduled_events(world.guild) == []  # the event made before the failure is gone
    await asyncio.sleep(5)  # past the party's start and end: nothing fires
    assert not [m for m in fd.messages(world.channel) if not m.ephemeral]
    assert fd.threads(world.guild) == []


# --- /discuss cut short between the thread's creation and its record ---------------------

THREADS = "/channels/{channel_id}/threads"


async def test_discuss_after_a_kill_mid_creation_finds_the_thread(
    process: BotProcess, world: Scene
) -> None:
    fd = world.fd
    await process.start()
    await everyone_caught_up(world)
    held = fd.hold("POST", THREADS)
    asking = asyncio.create_task(fd.slash(world.alice, world.channel, "discuss", **EPISODE))
    await asyncio.wait_for(held.reached.wait(), 15)
    await process.kill()
    held.release.set()  # Discord makes the thread; nobody records it
    await asyncio.sleep(0.2)
    await asking
    assert len(fd.threads(world.guild)) == 1
    await process.start()
    again = await fd.slash(world.bob, world.channel, "discuss", **EPISODE)
    await again.wait_for_messages()
    threads = fd.threads(world.guild)
    assert len(threads) == 1, [t.name for t in threads]
    assert f"<#{threads[0].id}>" in again.text(), again.text()


async def test_discuss_after_a_busy_database_mid_creation_finds_the_thread(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    bot = await runner.start(settings)
    # Members who set no progress are answered privately, the error included.
    held = fd.hold("POST", THREADS)
    asking = asyncio.create_task(fd.slash(world.alice, world.channel, "discuss", **EPISODE))
    await asyncio.wait_for(held.reached.wait(), 15)
    store = settings.store_target
    locker = asyncio.create_task(asyncio.to_thread(hold_writes, store, 4))
    await asyncio.sleep(0.3)
    held.release.set()  # the thread is made while the database cannot record it
    first = await asking
    await first.wait_for(lambda ix: "the database is busy" in ix.text(), timeout=10)
    assert first.ephemeral
    await locker
    assert len(fd.threads(world.guild)) == 1
    again = await fd.slash(world.bob, world.channel, "discuss", **EPISODE)
    await again.wait_for_messages()
    threads = fd.threads(world.guild)
    assert len(threads) == 1, [t.name for t in threads]
    links = [b["url"] for m in again.messages for b in m.buttons() if b.get("url")]
    assert links and links[0].endswith(f"/{threads[0].id}"), (links, again.text())
    stored = await bot.store.fetchall("SELECT thread_id FROM discussion_threads")
    assert [row[0] for row in stored] == [threads[0].id]
    assert await bot.store.fetchall("SELECT * FROM thread_claims") == []


# --- the owners of per-party and per-episode state ----------------------------------------


def test_retries_back_off_and_forget_steps_no_longer_due() -> None:
    retries = Retries()
    first, second = (1, PartyStep.ENDED), (2, PartyStep.REMINDED)
    waits = [retries.failed(first, 100.0).at - 100.0 for _ in range(7)]
    assert waits == [2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]  # capped, never given up
    assert not retries.ready(first, 110.0) and retries.ready(first, 130.0)
    retries.failed(second, 100.0)
    assert retries.not_before(2) == 102.0 and retries.not_before(3) is None
    retries.keep([second])  # party 1 was cancelled, or settled by another pass
    assert len(retries) == 1 and retries.ready(first, 100.0)
    retries.settled(second)
    assert len(retries) == 0


async def test_start_dms_wait_out_an_outage_and_arrive_once(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    await runner.start(settings)
    await schedule(world, world.mod, "in 3s", "1h")
    await fd.mark_interested(fd.scheduled_events(world.guild)[0], world.alice)
    # Opening the DM channel fails for 15 s from before the start: the first tries meet 503s.
    outage = fd.outage(503, seconds=15, method="POST", route="/users/@me/channels")
    assert await eventually(lambda: fd.dms(world.alice), within=30)
    assert outage.hits >= 2
    await asyncio.sleep(1.5)  # nothing more may follow
    assert len(fd.dms(world.alice)) == 1
    assert runner.bot is not None
    rows = await runner.bot.store.fetchall("SELECT user_id, outcome FROM party_dms")
    assert [tuple(row) for row in rows] == [(world.alice.id, "sent")]
