"""Each watch party makes a Discord scheduled event; once the party is over or cancelled, its
event is completed or cancelled on Discord, and the bot keeps nothing of it in memory.

discord.py caches every event of a server from GUILD_SCHEDULED_EVENT_CREATE and forgets one
only on GUILD_SCHEDULED_EVENT_DELETE. Discord sends an UPDATE, not a DELETE, when an event is
completed or cancelled through the API (a DELETE comes only for a deleted event), so without
the watchparty cog's pruning every party would leave its event in `guild.scheduled_events`
until the next IDENTIFY (a RESUME keeps the cache)."""

from __future__ import annotations

import discord

from bot.app import Watchparty
from tests.conftest import Scene, acked_in_time
from tests.test_polls import eventually
from tests.test_watchparty import schedule

COMPLETED, CANCELED = 3, 4


async def test_an_ended_and_a_cancelled_party_leave_no_event_in_the_bots_cache(
    bot: Watchparty, world: Scene
) -> None:
    fd = world.fd
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    await schedule(world, world.mod, "in 1s", "1s")
    await schedule(world, world.mod, "in 1h", "1h")
    cancel = await fd.slash(world.mod, world.channel, "watchparty cancel", party="2")
    assert acked_in_time(cancel)
    await cancel.wait_for_messages()
    assert "Cancelled watch party #2" in cancel.text(), cancel.text()

    def statuses() -> list[int]:
        return sorted(int(e.data["status"]) for e in fd.scheduled_events(world.guild))

    # On Discord the events stay, completed and cancelled (only a DELETE removes one).
    assert await eventually(lambda: statuses() == [COMPLETED, CANCELED], within=15)
    assert await eventually(lambda: len(guild.scheduled_events) == 0), [
        (e.id, e.status) for e in guild.scheduled_events
    ]


async def test_an_event_still_to_come_stays_in_the_cache(bot: Watchparty, world: Scene) -> None:
    # What undoing a half-made party reads first (cogs/watchparty/_undo.py).
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    await schedule(world, world.mod, "in 1h", "1h")
    assert await eventually(lambda: len(guild.scheduled_events) == 1)
    [event] = guild.scheduled_events
    assert event.status is discord.EventStatus.scheduled
