"""/reminders dm on|off, and the DMs a watch party's start sends to members interested in it.

Each DM is written in its member's language if the bot has it, else the server's
(cogs/utils/dms.py): most of these members only clicked "Interested" on Discord's event.

The members are those who clicked "Interested" on the party's Discord scheduled event. Each
DM is claimed in the store before it is sent, so nobody gets two, even across a restart in
the middle of a batch; a batch cut short by a restart resumes when the bot is back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import limits
from bot.app import Watchparty
from bot.i18n import _, using
from bot.models import Episode, Party, Show
from bot.render import parties as render

from .utils.dms import dm_locale, remember_locale
from .utils.faults import TRANSIENT

log = logging.getLogger(__name__)

# Start DMs that met a passing fault are tried again after 2 s, then twice as long, up to 30 s.
DM_RETRY_FIRST, DM_RETRY_LONGEST = 2.0, 30.0


@app_commands.guild_only()
class Reminders(
    commands.GroupCog, group_name="reminders", group_description="Reminders I send you"
):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store
        self._batches: dict[int, asyncio.Task[None]] = {}
        self._resume: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self.bot.reminders = self
        self._resume = asyncio.create_task(self._resume_batches())

    async def cog_unload(self) -> None:
        self.bot.reminders = None
        for task in [self._resume, *self._batches.values()]:
            if task is not None:
                task.cancel()

    @app_commands.command(name="dm", extras={"example": "/reminders dm setting:off"})
    @app_commands.describe(setting="on: a DM when a watch party you're interested in starts")
    async def dm(
        self, interaction: discord.Interaction[Watchparty], setting: Literal["on", "off"]
    ) -> None:
        """Whether I DM you when a watch party you marked "Interested" starts (default: on)."""
        assert interaction.guild_id is not None
        wanted = setting == "on"
        await self.store.members.set_wants_dms(interaction.guild_id, interaction.user.id, wanted)
        if wanted:
            await remember_locale(interaction)
        text = (
            _("I'll DM you when a watch party you marked “Interested” starts in this server.")
            if wanted
            else _(
                "I won't DM you about watch parties in this server. `/reminders dm on` undoes it."
            )
        )
        await interaction.response.send_message(text, ephemeral=True)

    # --- the start DMs (bot.reminders) ----------------------------------------------------

    def party_started(self, party_id: int) -> None:
        """Start DMing the party's interested members in the background, unless under way."""
        if party_id in self._batches:
            return
        task = asyncio.create_task(self._dm_batch(party_id), name=f"party-dms-{party_id}")
        self._batches[party_id] = task
        task.add_done_callback(lambda _: self._batches.pop(party_id, None))

    async def _resume_batches(self) -> None:
        await self.bot.wait_until_ready()
        for party_id in await self.store.parties.dms_pending(time.time(), self.bot.owned):
            self.party_started(party_id)

    async def _dm_batch(self, party_id: int) -> None:
        """DM the party's interested members; through Discord's outages, until it ends."""
        party, delay = None, DM_RETRY_FIRST
        while True:
            try:
                party = party or await self.store.parties.get(party_id)
                if party is None or not self.bot.owns(party.guild_id):
                    # Another shard's server: its process sends these (and marks them done).
                    return
                audience = await self._interested(party)
                if audience is not None:
                    await self._send_all(party, audience)
                await self.store.parties.finish_dms(party_id)
                return
            except TRANSIENT as error:
                # A start DM makes sense while the party is on, as the start reminder does.
                if party is not None and time.time() + delay >= party.ends_at:
                    log.warning("Watch party %d: start DMs given up, the party is over", party_id)
                    return
                log.warning("Watch party %d: start DMs wait %.0f s (%r)", party_id, delay, error)
                await asyncio.sleep(delay)
                delay = min(DM_RETRY_LONGEST, delay * 2)
            except Exception:
                # Left pending: the next start of the bot tries the members not yet claimed.
                log.exception(
                    "Watch party %d: its start DMs stopped; resuming at next start", party_id
                )
                return

    async def _interested(self, party: Party) -> list[discord.User] | None:
        """The members interested in the party's event; None when there is none to ask."""
        guild = self.bot.get_guild(party.guild_id)
        if guild is None or party.event_id is None:
            return None
        try:
            # Fetched, not cached: the count discord.py pages by must be today's.
            event = await guild.fetch_scheduled_event(party.event_id, with_counts=True)
        except discord.NotFound:
            return None
        return [user async for user in event.users(limit=None) if not user.bot]

    async def _send_all(self, party: Party, audience: list[discord.User]) -> None:
        found = await self._what(party)
        if found is None:
            return
        guild, show, episode = found
        sent = closed = 0
        for user in audience:
            if not await self.store.members.wants_dms(party.guild_id, user.id):
                continue
            if not await self.store.parties.claim_dm(party.id, user.id):
                continue  # sent before a restart
            try:
                # Each DM in its member's language (cogs/utils/dms.py).
                with using(await dm_locale(self.store, user.id, guild)):
                    text = _dm_text(guild, party, show, episode)
                await user.send(text)
                outcome, sent = "sent", sent + 1
            except discord.Forbidden:
                # The member closed DMs from server members: their choice, not an error.
                outcome, closed = "closed", closed + 1
            except TRANSIENT:
                await self.store.parties.unclaim_dm(party.id, user.id)  # due again on retry
                raise
            await self.store.parties.dm_outcome(party.id, user.id, outcome)
            await asyncio.sleep(limits.DM_INTERVAL)
        log.info(
            "Watch party %d: start DMs sent to %d member(s); %d had DMs closed",
            party.id,
            sent,
            closed,
        )

    async def _what(self, party: Party) -> tuple[discord.Guild, Show, Episode] | None:
        """The party's server, show and episode; None when one is gone."""
        guild = self.bot.get_guild(party.guild_id)
        episode = await self.store.catalog.episode_by_id(party.episode_id)
        show = await self.store.catalog.show_by_id(episode.show_id) if episode else None
        if guild is None or episode is None or show is None:
            return None
        return guild, show, episode


def _dm_text(guild: discord.Guild, party: Party, show: Show, episode: Episode) -> str:
    # A channel mention does not resolve in a DM; a link to the channel does.
    where = f"https://discord.com/channels/{guild.id}/{party.channel_id}"
    return render.reminder_dm(show, episode, party, guild.name, where)


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(Reminders(bot))
