"""/watchparty schedule|list|cancel: a scheduled event, an announcement, and the timeline."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from typing import Any
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot import limits
from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import _, public
from bot.models import Episode, GuildSettings, Party, PartyStep, Show
from bot.render import parties as render
from bot.render.text import one_line

from ..utils.alarm import Alarm
from ..utils.catalog import EpisodeArg, ShowArg
from ..utils.permissions import ORGANISERS, check_organiser, is_moderator
from ..utils.text import TextOption, clean, parse_ref
from ..utils.times import StartTime, day_and_time, parse_span, read_start
from ._timeline import Timeline, pinging
from ._undo import left_behind
from .attend import attend_view

log = logging.getLogger(__name__)

Place = discord.TextChannel | discord.VoiceChannel | discord.StageChannel
Start = app_commands.Transform[str, TextOption("start time", max_length=limits.START_TEXT)]
Length = app_commands.Transform[str, TextOption("length", max_length=40)]
PartyRef = app_commands.Transform[str, TextOption("party", max_length=limits.CHOICE_NAME)]
SHORTEST, LONGEST = limits.PARTY_SECONDS


@app_commands.guild_only()
class WatchParties(
    commands.GroupCog, group_name="watchparty", group_description="Watch an episode together"
):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store
        self.timeline = Timeline(bot)
        self.alarm = Alarm(bot, "watch parties", self.timeline.next_due, self.timeline.run_due)

    async def cog_load(self) -> None:
        self.alarm.start()
        self.bot.planner = self

    async def cog_unload(self) -> None:
        self.alarm.stop()
        self.bot.planner = None

    async def plan(
        self,
        interaction: discord.Interaction[Watchparty],
        show: Show,
        episode: Episode,
        start: str,
        length: str | None,
    ) -> None:
        """The schedule form (a suggestion vote's winner): every step of /watchparty schedule,
        in the channel the form was opened from."""
        # A command's callback is the plain function (discord.py binds the cog when invoking);
        # its declared type says otherwise.
        schedule: Any = self.schedule.callback
        await schedule(self, interaction, show, episode, start, None, length)

    # --- commands -------------------------------------------------------------------------

    @app_commands.command(
        name="schedule",
        extras={
            "example": "/watchparty schedule show:For All Mankind episode:S4E6 start:friday 8pm",
            "audience": ORGANISERS,
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
        """Schedule a watch party: an event, reminders, then the discussion thread and poll."""
        await check_organiser(self.store, interaction)
        assert interaction.guild is not None
        found, chosen = show, episode
        settings = await self.store.servers.settings(interaction.guild.id)
        read = await self._read_start(interaction, start, settings)
        starts = read.moment.timestamp()
        seconds = _length(length, found, chosen)
        place = channel or interaction.channel
        if not isinstance(place, Place):
            raise UserError(_("Pick a text, voice or stage channel for the party with `channel`."))
        await interaction.response.defer(ephemeral=True, thinking=True)
        lead = settings.reminder_lead_minutes * 60
        # A party sooner than the lead time gets no early reminder: it would come at once.
        early = starts - lead if lead and starts - lead > time.time() else None
        party = await self.store.parties.create(
            guild_id=interaction.guild.id,
            episode_id=chosen.id,
            channel_id=place.id,
            creator_id=interaction.user.id,
            starts_at=starts,
            ends_at=starts + seconds,
            early_at=early,
            draft=True,
        )
        made: dict[str, int] = {}  # ids of what exists on Discord, even if the store is busy
        try:
            party, event, link = await self._make(
                interaction.guild, party, found, chosen, place, made
            )
        except Exception as error:
            # Never half made: what exists of it on Discord is deleted, its row too.
            stored = await self.store.parties.get(party.id) or party
            left = await self.timeline.undoing.unmake(dataclasses.replace(stored, **made))
            raise _not_scheduled(error, left) from error
        await self._lock_thread(interaction.guild, chosen)
        self.alarm.wake()
        at = int(party.starts_at)
        # A start a clock change moved or chose is said first: the member typed another time.
        note = f"🕒 {read.note}\n" if read.note else ""
        done = _("Scheduled watch party #{id} for {start} ({relative}): {url}").format(
            id=party.id, start=f"<t:{at}:F>", relative=f"<t:{at}:R>", url=event.url
        )
        await interaction.followup.send(f"{note}{done}{link}", ephemeral=True)

    async def _make(
        self,
        guild: discord.Guild,
        party: Party,
        show: Show,
        episode: Episode,
        place: Place,
        made: dict[str, int],
    ) -> tuple[Party, discord.ScheduledEvent, str]:
        """The party's event and announcement, each id recorded as soon as it exists; then the
        draft becomes a party whose steps may come due."""
        try:
            # The event is the server's to read: its language, not the organiser's.
            with public():
                event = await self._create_event(guild, party, show, episode, place)
        except discord.Forbidden as error:
            raise UserError(
                _("I need the Create Events permission to schedule a watch party.")
            ) from error
        made["event_id"] = event.id
        await self.store.parties.set_event(party.id, event.id)
        party = await self.store.parties.get(party.id) or party
        link = await self._announce(guild, party, show, episode, event, made)
        await self.store.parties.scheduled(party.id)
        return party, event, link

    async def _read_start(
        self, interaction: discord.Interaction[Watchparty], text: str, settings: GuildSettings
    ) -> StartTime:
        """The start, read in the member's own time zone, else the server's."""
        own = await self.store.members.time_zone(interaction.user.id)
        zone, label = (
            (own, _("your time zone ({zone}, `/timezone`)").format(zone=own))
            if own
            else (
                settings.time_zone,
                _("this server's time zone ({zone})").format(zone=settings.time_zone),
            )
        )
        now = dt.datetime.now(dt.UTC)
        return read_start(text, ZoneInfo(zone), now, zone_label=label)

    async def _announce(
        self,
        guild: discord.Guild,
        party: Party,
        show: Show,
        episode: Episode,
        event: discord.ScheduledEvent,
        made: dict[str, int],
    ) -> str:
        """Post the announcement (pinging the reminder role); a link to it for the organiser."""
        announced = await self.timeline.announcements(guild, party)
        if announced is None:
            return ""
        role_id = (await self.store.servers.settings(guild.id)).reminder_role_id
        with public():
            embed = render.announcement(show, episode, party, f"<#{party.channel_id}>", event.url)
            view = attend_view(party.id)
        message = await announced.send(
            content=render.with_ping("", role_id).strip() or None,
            embed=embed,
            allowed_mentions=pinging(role_id),
            view=view,
        )
        made["announcement_id"] = message.id
        await self.store.parties.set_announcement(party.id, message.id)
        return " " + _("Announced: {url}").format(url=message.jump_url)

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
            except discord.HTTPException as error:
                # The party is made and stands: an open thread is the lesser harm.
                log.info("Thread %d stays open: it could not be locked (%s)", thread.id, error)

    @app_commands.command(name="list", extras={"example": "/watchparty list"})
    async def list_(self, interaction: discord.Interaction[Watchparty]) -> None:
        """Upcoming watch parties in this server."""
        assert interaction.guild_id is not None
        lines = []
        for party in (await self.store.parties.upcoming(interaction.guild_id))[:20]:
            where = await self.timeline.where(party)
            if where is not None:
                lines.append(render.party_line(where.show, where.episode, party))
        text = "\n".join(lines) or _(
            "No watch parties are scheduled. Start one with `/watchparty schedule`."
        )
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="cancel", extras={"example": "/watchparty cancel party:#2"})
    @app_commands.describe(party="The watch party to cancel")
    async def cancel(self, interaction: discord.Interaction[Watchparty], party: PartyRef) -> None:
        """Cancel a watch party (its organiser, or moderators)."""
        number = parse_ref(party)
        found = await self.store.parties.get(number) if number is not None else None
        if found is None or found.guild_id != interaction.guild_id:
            raise UserError(
                _("I can't find that watch party in this server: pick one from the list.")
            )
        if interaction.user.id != found.creator_id and not is_moderator(interaction):
            raise UserError(_("Only the party's organiser or a moderator can cancel it."))
        if not await self.store.parties.claim(found.id, PartyStep.CANCELLED):
            raise UserError(_("That watch party is already over or cancelled."))
        await interaction.response.defer(ephemeral=True, thinking=True)
        where = await self.timeline.where(found)
        if where is not None:
            # The struck-out announcement is the server's to read.
            with public():
                await self.timeline.undoing.cancel(found, *where)
        await interaction.followup.send(
            _("Cancelled watch party #{id}.").format(id=found.id), ephemeral=True
        )

    @cancel.autocomplete("party")
    async def _party_autocomplete(
        self, interaction: discord.Interaction[Watchparty], current: str
    ) -> list[app_commands.Choice[str]]:
        choices = []
        upcoming = await self.store.parties.upcoming(interaction.guild_id or 0)
        for party in upcoming[: limits.AUTOCOMPLETE_CHOICES]:
            where = await self.timeline.where(party)
            if where is None:
                continue
            show, episode = where.show, where.episode
            wanted = clean(current).strip().lower()
            if wanted in f"#{party.id} {show.title} {episode.label}".lower():
                starts = dt.datetime.fromtimestamp(party.starts_at, dt.UTC)
                name = f"#{party.id} · {show.title} {episode.code} · {day_and_time(starts)} UTC"
                choices.append(
                    app_commands.Choice(
                        name=one_line(name, limits.CHOICE_NAME), value=str(party.id)
                    )
                )
        return choices


def _not_scheduled(error: Exception, left: list[str]) -> UserError:
    """The organiser's one line for a schedule that failed and was undone."""
    if isinstance(error, UserError):
        text = str(error)
    else:
        log.warning("A watch party could not be scheduled; undone (%r)", error)
        text = _(
            "Discord had trouble creating the watch party's event or announcement, so I did "
            "not schedule it. Try again in a moment."
        )
    if left:
        text += " " + left_behind(left)
    return UserError(text)


def _length(text: str | None, show: Show, episode: Episode) -> int:
    if text is None:
        minutes = episode.runtime_minutes or show.runtime_max or 60
        return minutes * 60
    seconds = parse_span(text)
    if seconds is None or not SHORTEST <= seconds <= LONGEST:
        raise UserError(_("`length` takes a span like `45m` or `1h30m`, up to 12 hours."))
    return seconds
