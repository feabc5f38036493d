"""The steps of /watchparty schedule: its start and length read, then the Discord scheduled
event and the announcement made, each recorded as soon as it exists, and the draft becoming a
party; the one line an organiser reads when a schedule failed and was undone."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import discord

from bot import limits
from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import _, public
from bot.models import Episode, GuildSettings, Party, Show
from bot.render import parties as render
from bot.render.text import one_line

from ..utils.times import StartTime, parse_span, read_start
from ._timeline import Timeline, pinging
from ._undo import left_behind
from .attend import attend_view

log = logging.getLogger(__name__)

Place = discord.TextChannel | discord.VoiceChannel | discord.StageChannel
SHORTEST, LONGEST = limits.PARTY_SECONDS


class PartyMaker:
    """What /watchparty schedule makes on Discord for a party drafted in the store."""

    def __init__(self, bot: Watchparty, timeline: Timeline) -> None:
        self.bot = bot
        self.store = bot.store
        self.timeline = timeline

    async def make(
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

    async def read_start(
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

    async def lock_thread(self, guild: discord.Guild, episode: Episode) -> None:
        """An existing discussion thread stays locked until the party ends."""
        thread_id = await self.store.threads.get(guild.id, episode.id)
        thread = guild.get_thread(thread_id) if thread_id else None
        if thread is not None and not thread.locked:
            try:
                await thread.edit(locked=True)
            except discord.HTTPException as error:
                # The party is made and stands: an open thread is the lesser harm.
                log.info("Thread %d stays open: it could not be locked (%s)", thread.id, error)


def not_scheduled(error: Exception, left: list[str]) -> UserError:
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


def party_length(text: str | None, show: Show, episode: Episode) -> int:
    if text is None:
        minutes = episode.runtime_minutes or show.runtime_max or 60
        return minutes * 60
    seconds = parse_span(text)
    if seconds is None or not SHORTEST <= seconds <= LONGEST:
        raise UserError(_("`length` takes a span like `45m` or `1h30m`, up to 12 hours."))
    return seconds
