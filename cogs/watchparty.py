"""/watchparty: from a scheduled event to a reminder, then an open thread with the episode's poll."""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import NamedTuple
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot import limits
from bot.app import Watchparty
from bot.errors import UserError
from bot.models import Episode, Party, PartyStep, Show
from bot.render import parties as render
from bot.render.text import one_line

from .utils.alarm import Alarm
from .utils.catalog import EpisodeArg, ShowArg
from .utils.permissions import check_organiser, is_moderator
from .utils.text import TextOption, clean, parse_ref
from .utils.times import parse_span, parse_start

log = logging.getLogger(__name__)

Place = discord.TextChannel | discord.VoiceChannel | discord.StageChannel
Start = app_commands.Transform[str, TextOption("start time", max_length=100)]
Length = app_commands.Transform[str, TextOption("length", max_length=40)]
PartyRef = app_commands.Transform[str, TextOption("party", max_length=limits.CHOICE_NAME)]
SHORTEST, LONGEST = 1, 12 * 3600


class Where(NamedTuple):
    """What a party's steps act on: its server, and the show and episode it watches."""

    guild: discord.Guild
    show: Show
    episode: Episode


@app_commands.guild_only()
class WatchParties(
    commands.GroupCog, group_name="watchparty", group_description="Watch an episode together"
):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store
        self.alarm = Alarm(bot, "watch parties", self.store.parties.next_due, self._run_due)

    async def cog_load(self) -> None:
        self.alarm.start()

    async def cog_unload(self) -> None:
        self.alarm.stop()

    # --- the timeline ---------------------------------------------------------------------

    async def _run_due(self, now: float) -> None:
        for party_id, step in await self.store.parties.due(now):
            # Claimed before acting: each step happens once, never twice, across restarts.
            if not await self.store.parties.claim(party_id, step):
                continue
            party = await self.store.parties.get(party_id)
            where = await self._where(party) if party else None
            if party is None or where is None:
                continue
            try:
                if step is PartyStep.REMINDED:
                    await self._remind(party, *where)
                else:
                    await self._finish(party, *where)
            except discord.HTTPException:
                log.exception(
                    "Watch party %d: the %s step failed on Discord's side", party_id, step
                )

    async def _where(self, party: Party) -> Where | None:
        guild = self.bot.get_guild(party.guild_id)
        episode = await self.store.catalog.episode_by_id(party.episode_id)
        show = await self.store.catalog.show_by_id(episode.show_id) if episode else None
        if guild is None or episode is None or show is None:
            log.warning("Watch party %d: its server or episode is gone; skipping", party.id)
            return None
        return Where(guild, show, episode)

    async def _announcements(
        self, guild: discord.Guild, party: Party
    ) -> discord.abc.Messageable | None:
        settings = await self.store.servers.settings(guild.id)
        channel = guild.get_channel(settings.announcement_channel_id or 0) or guild.get_channel(
            party.channel_id
        )
        return channel if isinstance(channel, discord.abc.Messageable) else None

    async def _remind(
        self, party: Party, guild: discord.Guild, show: Show, episode: Episode
    ) -> None:
        channel = await self._announcements(guild, party)
        if channel is not None:
            await channel.send(
                render.reminder(show, episode, party, f"<#{party.channel_id}>", time.time())
            )
        await self._set_event_status(guild, party, discord.EventStatus.active)

    async def _finish(
        self, party: Party, guild: discord.Guild, show: Show, episode: Episode
    ) -> None:
        channel = await self._announcements(guild, party)
        threads, polls = self.bot.threads, self.bot.polls
        if threads is None:
            log.warning("Watch party %d ended, but discussions are switched off", party.id)
            return
        fallback = (
            channel if isinstance(channel, discord.TextChannel | discord.ForumChannel) else None
        )
        thread, _ = await threads.ensure_thread(
            guild, show, episode, fallback=fallback, with_polls=False
        )
        if thread.locked:
            await thread.edit(locked=False)
        if polls is not None:
            await polls.post_episode_poll(thread, show, episode)
        if channel is not None:
            await channel.send(render.finished(show, episode, thread.id))
        await self._set_event_status(guild, party, discord.EventStatus.completed)

    async def _set_event_status(
        self, guild: discord.Guild, party: Party, status: discord.EventStatus
    ) -> None:
        if party.event_id is None:
            return
        try:
            event = guild.get_scheduled_event(party.event_id) or await guild.fetch_scheduled_event(
                party.event_id
            )
            await event.edit(status=status)
        except discord.HTTPException as error:
            log.info(
                "Watch party %d: could not mark its event %s (%s)", party.id, status.name, error
            )

    # --- commands -------------------------------------------------------------------------

    @app_commands.command(
        name="schedule",
        extras={
            "example": "/watchparty schedule show:For All Mankind episode:S4E6 start:friday 8pm"
        },
    )
    @app_commands.describe(
        show="The show",
        episode="The episode (e.g. S4E6)",
        start="When: tomorrow 20:00, friday 8pm, in 2h, 20:30 Europe/Paris or a Discord timestamp",
        channel="Where to gather (default: here)",
        length="How long (default: the episode's runtime), e.g. 1h",
    )
    async def schedule(
        self,
        interaction: discord.Interaction[Watchparty],
        show: ShowArg,
        episode: EpisodeArg,
        start: Start,
        channel: Place | None = None,
        length: Length | None = None,
    ) -> None:
        """Schedule a watch party: an event, a reminder, then the discussion thread and poll."""
        await check_organiser(self.store, interaction)
        assert interaction.guild is not None
        found, chosen = show, episode
        settings = await self.store.servers.settings(interaction.guild.id)
        starts = parse_start(start, ZoneInfo(settings.time_zone), dt.datetime.now(dt.UTC))
        seconds = _length(length, found, chosen)
        place = channel or interaction.channel
        if not isinstance(place, Place):
            raise UserError("Pick a text, voice or stage channel for the party with `channel`.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        party = await self.store.parties.create(
            guild_id=interaction.guild.id,
            episode_id=chosen.id,
            channel_id=place.id,
            creator_id=interaction.user.id,
            starts_at=starts.timestamp(),
            ends_at=starts.timestamp() + seconds,
        )
        try:
            event = await self._create_event(interaction.guild, party, found, chosen, place)
        except discord.Forbidden as error:
            await self.store.parties.claim(party.id, PartyStep.CANCELLED)
            raise UserError(
                "I need the Create Events permission to schedule a watch party."
            ) from error
        await self.store.parties.set_event(party.id, event.id)
        party = await self.store.parties.get(party.id) or party
        where = f"<#{place.id}>"
        announced = await self._announcements(interaction.guild, party)
        link = ""
        if announced is not None:
            message = await announced.send(
                embed=render.announcement(found, chosen, party, where, event.url)
            )
            await self.store.parties.set_announcement(party.id, message.id)
            link = f" Announced: {message.jump_url}"
        await self._lock_thread(interaction.guild, chosen)
        self.alarm.wake()
        await interaction.followup.send(
            f"Scheduled watch party #{party.id}: {event.url}{link}", ephemeral=True
        )

    async def _create_event(
        self, guild: discord.Guild, party: Party, show: Show, episode: Episode, place: Place
    ) -> discord.ScheduledEvent:
        name = render.event_name(show, episode)
        description = render.event_description(show, episode, f"#{place.name}")
        starts = dt.datetime.fromtimestamp(party.starts_at, dt.UTC)
        ends = dt.datetime.fromtimestamp(party.ends_at, dt.UTC)
        if isinstance(place, discord.VoiceChannel | discord.StageChannel):
            return await guild.create_scheduled_event(
                name=name,
                description=description,
                start_time=starts,
                end_time=ends,
                channel=place,
                privacy_level=discord.PrivacyLevel.guild_only,
            )
        # A text channel is not an event location Discord knows: the event is "external".
        return await guild.create_scheduled_event(
            name=name,
            description=description,
            start_time=starts,
            end_time=ends,
            entity_type=discord.EntityType.external,
            location=one_line(f"#{place.name}", limits.EVENT_LOCATION),
            privacy_level=discord.PrivacyLevel.guild_only,
        )

    async def _lock_thread(self, guild: discord.Guild, episode: Episode) -> None:
        """An existing discussion thread stays locked until the party ends."""
        thread_id = await self.store.threads.get(guild.id, episode.id)
        thread = guild.get_thread(thread_id) if thread_id else None
        if thread is not None and not thread.locked:
            try:
                await thread.edit(locked=True)
            except discord.Forbidden:
                log.info("No Manage Threads permission: thread %d stays open", thread.id)

    @app_commands.command(name="list", extras={"example": "/watchparty list"})
    async def list_(self, interaction: discord.Interaction[Watchparty]) -> None:
        """Upcoming watch parties in this server."""
        assert interaction.guild_id is not None
        lines = []
        for party in (await self.store.parties.upcoming(interaction.guild_id))[:20]:
            where = await self._where(party)
            if where is not None:
                lines.append(render.party_line(where.show, where.episode, party))
        text = (
            "\n".join(lines)
            or "No watch parties are scheduled. Start one with `/watchparty schedule`."
        )
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="cancel", extras={"example": "/watchparty cancel party:#2"})
    @app_commands.describe(party="The watch party to cancel")
    async def cancel(self, interaction: discord.Interaction[Watchparty], party: PartyRef) -> None:
        """Cancel a watch party (its organiser, or moderators)."""
        number = parse_ref(party)
        found = await self.store.parties.get(number) if number is not None else None
        if found is None or found.guild_id != interaction.guild_id:
            raise UserError("I can't find that watch party in this server: pick one from the list.")
        if interaction.user.id != found.creator_id and not is_moderator(interaction):
            raise UserError("Only the party's organiser or a moderator can cancel it.")
        if not await self.store.parties.claim(found.id, PartyStep.CANCELLED):
            raise UserError("That watch party is already over or cancelled.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        where = await self._where(found)
        if where is not None:
            await self._undo(found, *where)
        await interaction.followup.send(f"Cancelled watch party #{found.id}.", ephemeral=True)

    async def _undo(self, party: Party, guild: discord.Guild, show: Show, episode: Episode) -> None:
        await self._set_event_status(guild, party, discord.EventStatus.cancelled)
        channel = await self._announcements(guild, party)
        if party.announcement_id and isinstance(channel, discord.abc.Messageable):
            message = channel.get_partial_message(party.announcement_id)  # type: ignore[attr-defined]
            try:
                await message.edit(embed=render.cancelled(show, episode, party))
            except discord.HTTPException:
                log.info("Watch party %d: its announcement could not be edited", party.id)
        thread_id = await self.store.threads.get(guild.id, episode.id)
        thread = guild.get_thread(thread_id) if thread_id else None
        if (
            thread
            and thread.locked
            and await self.store.parties.pending_end(guild.id, episode.id) is None
        ):
            await thread.edit(locked=False)

    @cancel.autocomplete("party")
    async def _party_autocomplete(
        self, interaction: discord.Interaction[Watchparty], current: str
    ) -> list[app_commands.Choice[str]]:
        choices = []
        upcoming = await self.store.parties.upcoming(interaction.guild_id or 0)
        for party in upcoming[: limits.AUTOCOMPLETE_CHOICES]:
            where = await self._where(party)
            if where is None:
                continue
            show, episode = where.show, where.episode
            wanted = clean(current).strip().lower()
            if wanted in f"#{party.id} {show.title} {episode.label}".lower():
                starts = dt.datetime.fromtimestamp(party.starts_at, dt.UTC)
                name = f"#{party.id} · {show.title} {episode.code} · {starts:%d %b %H:%M} UTC"
                choices.append(
                    app_commands.Choice(
                        name=one_line(name, limits.CHOICE_NAME), value=str(party.id)
                    )
                )
        return choices


def _length(text: str | None, show: Show, episode: Episode) -> int:
    if text is None:
        minutes = episode.runtime_minutes or show.runtime_max or 60
        return minutes * 60
    seconds = parse_span(text)
    if seconds is None or not SHORTEST <= seconds <= LONGEST:
        raise UserError("`length` takes a span like `45m` or `1h30m`, up to 12 hours.")
    return seconds


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(WatchParties(bot))
