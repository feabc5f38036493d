"""Watch parties from scheduled event to poll, driven through the emulator, restarts included."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UserError
from bot.settings import Settings
from cogs.utils.times import parse_start
from tests.conftest import BotRunner, Scene, acked_in_time
from tests.test_polls import eventually

EPISODE: dict[str, Any] = {"show": "for-all-mankind", "episode": "S4E6"}


async def schedule(world: Scene, who: Any, start: str, length: str) -> Any:
    ix = await world.fd.slash(
        who, world.channel, "watchparty schedule", start=start, length=length, **EPISODE
    )
    assert acked_in_time(ix)
    return await ix.wait_for_messages()


def said(world: Scene, words: str) -> list[Any]:
    """Public messages in the party's channel containing `words`."""
    return [m for m in world.fd.messages(world.channel) if not m.ephemeral and words in m.text()]


def reminders(world: Scene) -> list[Any]:
    # "is starting now", or "started <t:…:R>" when the bot comes back more than 2 minutes late.
    return said(world, "is starting now") + said(world, "started <t:")


def polls_in(world: Scene, thread: Any) -> list[Any]:
    return [
        m
        for m in world.fd.messages(thread)
        if any(b["custom_id"].startswith("wp:vote:") for b in m.buttons())
    ]


async def test_full_timeline_event_reminder_thread_poll(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    await runner.start(settings)
    ix = await schedule(world, world.alice, "in 2s", "2s")
    assert "Scheduled watch party #1" in ix.text()
    events = fd.scheduled_events(world.guild)
    assert [e.name for e in events] == ["Watch party: For All Mankind S4E6 · Leningrad"]
    description = events[0].data["description"]
    assert "M7 treaty" in description and "Margo" not in description  # the safe synopsis only
    assert len(said(world, "🍿 Watch party")) == 1
    assert await eventually(lambda: said(world, "is starting now"), within=6)
    assert await eventually(lambda: fd.threads(world.guild), within=8)
    thread = fd.threads(world.guild)[0]
    assert await eventually(lambda: polls_in(world, thread), within=4)
    assert await eventually(lambda: said(world, "is over"), within=4)
    await asyncio.sleep(1.5)  # nothing more may follow
    assert len(fd.scheduled_events(world.guild)) == 1
    assert len(reminders(world)) == 1
    assert len(fd.threads(world.guild)) == 1 and not thread.locked
    assert [m.embeds[0]["description"].split("\n")[0] for m in polls_in(world, thread)] == [
        "**Is Ed sympathetic to the workers?**"
    ]
    assert fd.scheduled_events(world.guild)[0].data["status"] == 3  # completed


async def test_restart_between_start_and_end(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    await runner.start(settings)
    await schedule(world, world.alice, "in 2s", "4s")
    assert await eventually(lambda: said(world, "is starting now"), within=6)
    await runner.stop()
    await asyncio.sleep(4)  # the party ends while the bot is down
    await runner.start(settings)
    assert await eventually(lambda: fd.threads(world.guild), within=6)
    thread = fd.threads(world.guild)[0]
    assert await eventually(lambda: polls_in(world, thread), within=4)
    await asyncio.sleep(1)
    assert len(reminders(world)) == 1
    assert len(fd.threads(world.guild)) == 1 and len(polls_in(world, thread)) == 1
    assert len(said(world, "is over")) == 1


async def test_a_party_missed_entirely_is_handled_once_on_start(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    await runner.start(settings)
    await schedule(world, world.alice, "in 2s", "2s")
    await runner.stop()
    await asyncio.sleep(4.5)
    await runner.start(settings)
    assert await eventually(lambda: said(world, "is over"), within=6)
    await runner.stop()
    await runner.start(settings)  # and a second restart changes nothing
    await asyncio.sleep(1)
    thread = fd.threads(world.guild)[0]
    # Reported as missed, never as "starting now" right before "is over".
    assert reminders(world) == [] and len(said(world, "happened while I was offline")) == 1
    assert len(said(world, "is over")) == 1
    assert len(fd.threads(world.guild)) == 1 and len(polls_in(world, thread)) == 1


async def test_existing_thread_is_locked_until_the_party_ends(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    await runner.start(settings)
    await (await fd.slash(world.mod, world.channel, "discuss", **EPISODE)).wait_for_messages()
    thread = fd.threads(world.guild)[0]
    await schedule(world, world.mod, "in 1s", "2s")
    assert fd.channel(thread.id).locked
    assert await eventually(lambda: not fd.channel(thread.id).locked, within=8)
    assert len(fd.threads(world.guild)) == 1


async def test_list_and_cancel_rights(runner: BotRunner, settings: Settings, world: Scene) -> None:
    fd = world.fd
    await runner.start(settings)
    await schedule(world, world.alice, "in 2h", "1h")
    listed = await fd.slash(world.bob, world.channel, "watchparty list")
    assert listed.ephemeral and "**#1** · For All Mankind S4E6 · Leningrad" in listed.reply.content
    choices = await fd.autocomplete(
        world.bob, world.channel, "watchparty cancel", focused="party", party=""
    )
    assert choices and choices[0]["value"] == "1"
    denied = await fd.slash(world.bob, world.channel, "watchparty cancel", party="1")
    assert denied.ephemeral and "Only the party's organiser or a moderator" in denied.reply.content
    done = await fd.slash(world.mod, world.channel, "watchparty cancel", party="1")
    await done.wait_for_messages()
    assert "Cancelled watch party #1" in done.text()
    assert fd.scheduled_events(world.guild)[0].data["status"] == 4  # cancelled
    assert said(world, "Watch party cancelled")
    again = await fd.slash(world.mod, world.channel, "watchparty cancel", party="1")
    assert "already over or cancelled" in again.reply.content


async def test_schedule_refusals(runner: BotRunner, settings: Settings, world: Scene) -> None:
    fd = world.fd
    await runner.start(settings)
    for start, words in [("yesterday", "can't read"), ("2000-01-01 20:00", "already passed")]:
        ix = await fd.slash(
            world.alice, world.channel, "watchparty schedule", start=start, **EPISODE
        )
        assert ix.ephemeral and words in ix.reply.content
    await fd.slash(world.mod, world.channel, "config organisers", who="moderators")
    ix = await fd.slash(world.alice, world.channel, "watchparty schedule", start="in 1h", **EPISODE)
    assert "only moderators" in ix.reply.content
    fd.set_bot_permissions(world.guild, 0x4_0000_0C00)  # no Manage/Create Events
    ix = await fd.slash(world.mod, world.channel, "watchparty schedule", start="in 1h", **EPISODE)
    await ix.wait_for_messages()
    assert "Create Events permission" in ix.text()
    assert runner.bot is not None
    sql = "SELECT id FROM watch_parties WHERE cancelled_at IS NULL"
    assert await runner.bot.store.fetchall(sql) == []


NOW = dt.datetime(2026, 11, 24, 18, 0, tzinfo=dt.UTC)
PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 2h", NOW + dt.timedelta(hours=2)),
        ("in 1h30m", NOW + dt.timedelta(minutes=90)),
        ("20:30", dt.datetime(2026, 11, 24, 19, 30, tzinfo=dt.UTC)),  # Paris is UTC+1 in November
        ("8pm", dt.datetime(2026, 11, 24, 19, 0, tzinfo=dt.UTC)),
        ("18:30", dt.datetime(2026, 11, 25, 17, 30, tzinfo=dt.UTC)),  # already past today: tomorrow
        ("2026-12-01 20:00", dt.datetime(2026, 12, 1, 19, 0, tzinfo=dt.UTC)),
        ("2026-12-01T20:00+00:00", dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.UTC)),
        ("<t:1796400000:F>", dt.datetime.fromtimestamp(1796400000, dt.UTC)),
    ],
)
def test_start_times(text: str, expected: dt.datetime) -> None:
    assert parse_start(text, PARIS, NOW) == expected


@pytest.mark.parametrize(
    "text", ["soon", "in forever", "25:00", "13pm", "2020-01-01 10:00", "in 400d"]
)
def test_start_times_refused(text: str) -> None:
    with pytest.raises(UserError):
        parse_start(text, PARIS, NOW)
