"""Watch-party reminders that reach people: the role ping, the early reminder, start DMs to
members interested in the party's event, and each member's own time zone."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from bot.settings import Settings
from tests.conftest import BotRunner, Scene
from tests.test_polls import eventually
from tests.test_watchparty import EPISODE, said, schedule


async def configure(world: Scene, **options: Any) -> None:
    ix = await world.fd.slash(world.mod, world.channel, "config reminders", **options)
    assert ix.ephemeral and "Saved" in ix.reply.content, ix.text()


def early_reminders(world: Scene) -> list[Any]:
    return said(world, "🍿 Starting <t:")


async def test_only_the_reminder_role_is_pinged(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    role = fd.add_role(world.guild, "Movie night")
    await runner.start(settings)
    await configure(world, role=role.id)
    await schedule(world, world.alice, "in 2s", "2s")
    assert await eventually(lambda: said(world, "is starting now"), within=6)
    assert await eventually(lambda: said(world, "is over"), within=6)
    announcement = said(world, "🍿 Watch party")[0]
    reminder = said(world, "is starting now")[0]
    assert reminder.content.startswith(f"<@&{role.id}> 🍿 The watch party for For All Mankind")
    # Exactly these two messages pinged, and only the role: no member, no @everyone.
    pinged = sorted((msg.id, ids) for msg, ids in fd.pinged())
    assert pinged == [(announcement.id, [role.id]), (reminder.id, [role.id])]
    # The party started sooner than the 15-minute default lead: no early reminder.
    assert early_reminders(world) == []


async def test_a_role_that_is_not_mentionable_is_named_with_a_warning(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    role = world.fd.add_role(world.guild, "Quiet", mentionable=False)
    await runner.start(settings)
    ix = await world.fd.slash(world.mod, world.channel, "config reminders", role=role.id)
    assert "is not mentionable" in ix.reply.content
    cleared = await world.fd.slash(
        world.mod, world.channel, "config reminders", **{"role-clear": True}
    )
    assert "Saved" in cleared.reply.content
    assert runner.bot is not None
    assert (await runner.bot.store.servers.settings(world.guild.id)).reminder_role_id is None


async def test_early_reminder_once_then_none_after_a_restart(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    await runner.start(settings)
    await configure(world, before="1m")
    await schedule(world, world.alice, "in 63s", "1h")  # the early reminder is due in ~3 s
    assert early_reminders(world) == []
    assert await eventually(lambda: early_reminders(world), within=8)
    text = early_reminders(world)[0].content
    assert "the watch party for For All Mankind **S4E6 · Leningrad** in <#" in text
    await runner.stop()
    await runner.start(settings)
    await asyncio.sleep(1.5)
    assert len(early_reminders(world)) == 1
    assert world.fd.pinged() == []  # no role set: nobody is pinged


async def test_lead_time_refusals(runner: BotRunner, settings: Settings, world: Scene) -> None:
    await runner.start(settings)
    for before in ("soon", "2d", "90s"):
        ix = await world.fd.slash(world.mod, world.channel, "config reminders", before=before)
        assert ix.ephemeral and "`before` takes whole minutes" in ix.reply.content
    ix = await world.fd.slash(world.mod, world.channel, "config reminders")
    assert "Give a `role`" in ix.reply.content
    await configure(world, before="0")
    assert runner.bot is not None
    assert (await runner.bot.store.servers.settings(world.guild.id)).reminder_lead_minutes == 0


def dm_texts(world: Scene, member: Any) -> list[str]:
    return [m.content for m in world.fd.dms(member)]


async def test_interested_members_get_one_dm_each_across_a_restart(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    carol, dave = fd.add_member(world.guild, "carol"), fd.add_member(world.guild, "dave")
    fd.close_dms(carol)
    await runner.start(settings)
    off = await fd.slash(dave, world.channel, "reminders dm", setting="off")
    assert "I won't DM you" in off.reply.content
    await schedule(world, world.mod, "in 3s", "1h")
    event = fd.scheduled_events(world.guild)[0]
    for member in (world.alice, world.bob, carol, dave):
        await fd.mark_interested(event, member)
    # Stop as soon as the first DM is out: the rest of the batch waits for the restart.
    first = await eventually(lambda: dm_texts(world, world.alice) + dm_texts(world, world.bob))
    assert len(first) == 1
    await runner.stop()
    await runner.start(settings)
    assert await eventually(lambda: dm_texts(world, world.alice) and dm_texts(world, world.bob))
    await asyncio.sleep(1.5)  # nothing more may follow
    for member in (world.alice, world.bob):
        texts = dm_texts(world, member)
        assert len(texts) == 1, texts
        assert "For All Mankind **S4E6 · Leningrad** in Watchers is starting now" in texts[0]
        assert f"https://discord.com/channels/{world.guild.id}/{world.channel.id}" in texts[0]
    assert dm_texts(world, carol) == [] and dm_texts(world, dave) == []
    assert dm_texts(world, world.mod) == []  # not interested
    assert runner.bot is not None
    rows = await runner.bot.store.fetchall("SELECT user_id, outcome FROM party_dms")
    outcomes = {row["user_id"]: row["outcome"] for row in rows}
    # The DM sent before the stop may still read "pending" (claimed before sending, so a
    # restart never repeats it: the stop can land between Discord taking it and the outcome's
    # write); the one sent after the restart is "sent".
    assert outcomes.pop(carol.id) == "closed"
    assert sorted(outcomes) == sorted([world.alice.id, world.bob.id])
    assert set(outcomes.values()) <= {"sent", "pending"} and "sent" in outcomes.values()
    assert fd.pinged() == []


async def test_start_is_read_in_the_members_own_time_zone(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    await runner.start(settings)
    ix = await fd.slash(world.alice, world.channel, "timezone set", zone="america/new_york")
    assert "**America/New_York**" in ix.reply.content
    choices = await fd.autocomplete(
        world.alice, world.channel, "timezone set", focused="zone", zone="new_y"
    )
    assert [c["value"] for c in choices] == ["America/New_York"]
    shown = await fd.slash(world.alice, world.channel, "timezone show")
    assert "America/New_York" in shown.reply.content
    bad = await fd.slash(
        world.alice, world.channel, "watchparty schedule", start="soonish", **EPISODE
    )
    assert "read in your time zone (America/New_York" in bad.reply.content
    ix = await schedule(world, world.alice, "tomorrow 20:00", "1h")
    new_york = ZoneInfo("America/New_York")
    tomorrow = dt.datetime.now(new_york).date() + dt.timedelta(days=1)
    expected = int(dt.datetime.combine(tomorrow, dt.time(20), new_york).timestamp())
    assert f"for <t:{expected}:F> (<t:{expected}:R>)" in ix.text()
    bad = await fd.slash(
        world.bob, world.channel, "watchparty schedule", start="soonish", **EPISODE
    )
    assert "this server's time zone (UTC)" in bad.reply.content
    cleared = await fd.slash(world.alice, world.channel, "timezone clear")
    assert "Cleared" in cleared.reply.content
    again = await fd.slash(world.alice, world.channel, "timezone clear")
    assert again.ephemeral and "no time zone set" in again.reply.content
