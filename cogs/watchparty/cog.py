"""/watchparty schedule|list|cancel: a scheduled event, an announcement, and the timeline."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import limits
from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import _, public
from bot.models import Episode, PartyStep, Show
from bot.render import parties as render
from bot.render.text import one_line

from ..utils.alarm import Alarm
from ..utils.catalog import EpisodeArg, ShowArg
from ..utils.permissions import ORGANISERS, check_organiser, is_moderator
from ..utils.text import TextOption, clean, parse_ref
from ..utils.times import day_and_time
from ._making import PartyMaker, Place, not_scheduled, party_length
from ._timeline import Timeline

Start = app_commands.Transform[str, TextOption("start time", max_length=limits.START_TEXT)]
Length = app_commands.Transform[str, TextOption("length", max_length=40)]
PartyRef = app_commands.Transform[str, TextOption("party", max_length=limits.CHOICE_NAME)]
FINISHED = (discord.EventStatus.completed, discord.EventStatus.cancelled)


@app_commands.guild_only()
class WatchParties(
    commands.GroupCog, group_name="watchparty", group_description="Watch an episode together"
):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store
        self.timeline = Timeline(bot)
        self.maker = PartyMaker(bot, self.timeline)
        self.alarm = Alarm(bot, "watch parties", self.timeline.next_due, self.timeline.run_due)

    async def cog_load(self) -> None:
        self.alarm.start()
        self.bot.planner = self

    async def cog_unload(self) -> None:
        self.alarm.stop()
        self.bot.planner = None

    @commands.Cog.listener()
    async def on_scheduled_event_update(
        self, before: discord.ScheduledEvent, after: discord.ScheduledEvent
    ) -> None:
        """Forget a finished event. discord.py drops a cached event only on
        GUILD_SCHEDULED_EVENT_DELETE, but Discord completes or cancels one with an UPDATE: every
        party's event would stay in memory until the next IDENTIFY. Nothing reads a finished
        event from the cache (a party's steps fetch their event), and the cache has no public
        way to forget one."""
        if after.status in FINISHED and after.guild is not None:
            after.guild._scheduled_events.pop(after.id, None)

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
        read = await self.maker.read_start(interaction, start, settings)
        starts = read.moment.timestamp()
        seconds = party_length(length, found, chosen)
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
            party, event, link = await self.maker.make(
                interaction.guild, party, found, chosen, place, made
            )
        except Exception as error:
            # Never half made: what exists of it on Discord is deleted, its row too.
            stored = await self.store.parties.get(party.id) or party
            left = await self.timeline.undoing.unmake(dataclasses.replace(stored, **made))
            raise not_scheduled(error, left) from error
        await self.maker.lock_thread(interaction.guild, chosen)
        self.alarm.wake()
        at = int(party.starts_at)
        # A start a clock change moved or chose is said first: the member typed another time.
        note = f"🕒 {read.note}\n" if read.note else ""
        done = _("Scheduled watch party #{id} for {start} ({relative}): {url}").format(
            id=party.id, start=f"<t:{at}:F>", relative=f"<t:{at}:R>", url=event.url
        )
        await interaction.followup.send(f"{note}{done}{link}", ephemeral=True)

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
