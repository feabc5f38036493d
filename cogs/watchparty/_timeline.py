"""A watch party's timeline: the early reminder, the start reminder (and its DMs), the end.

Each step runs at least once and has its effect exactly once: it is marked done after it
acts, and everything it does is safe to repeat after a crash (see `run_due`).
"""

from __future__ import annotations

import logging
import time
from typing import NamedTuple

import aiohttp
import discord

from bot import metrics
from bot.app import Watchparty
from bot.models import Episode, Party, PartyStep, Show
from bot.render import parties as render
from bot.store import StoreBusy

log = logging.getLogger(__name__)


class Where(NamedTuple):
    """What a party's steps act on: its server, and the show and episode it watches."""

    guild: discord.Guild
    show: Show
    episode: Episode


def pinging(role_id: int | None) -> discord.AllowedMentions:
    """Mentions for an announcement or reminder: the server's reminder role, nothing else.

    Everything else in those messages is escaped, and users/everyone stay off, so member or
    data-file text cannot ping even here."""
    if role_id is None:
        return discord.AllowedMentions.none()
    return discord.AllowedMentions(
        everyone=False, users=False, replied_user=False, roles=[discord.Object(role_id)]
    )


def event_path(
    current: discord.EventStatus, target: discord.EventStatus
) -> list[discord.EventStatus]:
    """The statuses to set, in order, to bring an event from `current` to `target`."""
    scheduled, active = discord.EventStatus.scheduled, discord.EventStatus.active
    completed, cancelled = discord.EventStatus.completed, discord.EventStatus.cancelled
    if current in (completed, cancelled) or current == target:
        return []
    if target is cancelled:
        # A party that already started cannot be cancelled on Discord; it ends.
        return [cancelled] if current is scheduled else [completed]
    if target is completed:
        return [active, completed] if current is scheduled else [completed]
    return [active] if current is scheduled else []


# A step that meets a passing fault is tried this many times before it is given up.
TRANSIENT_TRIES = 5


class TransientStepError(Exception):
    """Some step will be tried again: the alarm waits a little before its next pass."""


class Timeline:
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store
        self._tries: dict[tuple[int, PartyStep], int] = {}

    async def run_due(self, now: float) -> None:
        retry = False
        due = await self.store.parties.due(now)
        metrics.scheduled_due("watch party steps", len(due))
        for party_id, step in due:
            party = await self.store.parties.get(party_id)
            where = await self.where(party) if party else None
            if (
                party is not None
                and where is not None
                and not await self._run(step, party, where, now)
            ):
                tries = self._tries.get((party_id, step), 0) + 1
                self._tries[(party_id, step)] = tries
                if tries < TRANSIENT_TRIES:
                    retry = True
                    continue
            # Marked done after acting, not before: a crash in the middle of a step repeats
            # the step at the next start, and every step is safe to repeat (each message
            # carries a nonce, the thread and the poll are looked up before they are made,
            # and the event moves only forward). A step Discord refused is not retried; one
            # that met a passing fault (a busy database, a network error, Discord's 5xx) is,
            # a few times.
            await self.store.parties.claim(party_id, step)
        if retry:
            # The alarm tries again after a pause rather than at once (cogs/utils/alarm.py).
            raise TransientStepError("a watch-party step met a passing fault")

    async def _run(self, step: PartyStep, party: Party, where: Where, now: float) -> bool:
        """Do the step; False when it met a passing fault and should be tried again."""
        try:
            if step is PartyStep.EARLY:
                await self._early(party, *where)
            elif step is PartyStep.REMINDED:
                await self._remind(party, *where, now=now)
            else:
                await self._finish(party, *where)
        except (StoreBusy, aiohttp.ClientError, TimeoutError, discord.DiscordServerError) as error:
            log.warning(
                "Watch party %d: the %s step will be tried again (%s)", party.id, step, error
            )
            return False
        except discord.HTTPException:
            log.exception("Watch party %d: the %s step failed on Discord's side", party.id, step)
        except Exception:
            # Not repeated forever either: a bug here must not post the same message every
            # few seconds. The log has the traceback.
            log.exception("Watch party %d: the %s step failed", party.id, step)
        return True

    async def where(self, party: Party) -> Where | None:
        guild = self.bot.get_guild(party.guild_id)
        episode = await self.store.catalog.episode_by_id(party.episode_id)
        show = await self.store.catalog.show_by_id(episode.show_id) if episode else None
        if guild is None or episode is None or show is None:
            log.warning("Watch party %d: its server or episode is gone; skipping", party.id)
            return None
        return Where(guild, show, episode)

    async def announcements(
        self, guild: discord.Guild, party: Party
    ) -> discord.abc.Messageable | None:
        settings = await self.store.servers.settings(guild.id)
        channel = guild.get_channel(settings.announcement_channel_id or 0) or guild.get_channel(
            party.channel_id
        )
        return channel if isinstance(channel, discord.abc.Messageable) else None

    async def _say_with_ping(
        self, guild: discord.Guild, party: Party, text: str, *, step: str
    ) -> None:
        """Post in the announcements channel, pinging the server's reminder role if it has one.

        The nonce names the party and the step: Discord creates one message per nonce, so a
        step repeated after a crash does not post twice."""
        channel = await self.announcements(guild, party)
        if channel is None:
            return
        role_id = (await self.store.servers.settings(guild.id)).reminder_role_id
        await channel.send(
            render.with_ping(text, role_id),
            allowed_mentions=pinging(role_id),
            nonce=f"wp-{party.id}-{step}",
        )

    async def _early(
        self, party: Party, guild: discord.Guild, show: Show, episode: Episode
    ) -> None:
        text = render.early_reminder(show, episode, party, f"<#{party.channel_id}>")
        await self._say_with_ping(guild, party, text, step="early")

    async def _remind(
        self, party: Party, guild: discord.Guild, show: Show, episode: Episode, *, now: float
    ) -> None:
        if now >= party.ends_at:
            # Start and end both passed while the bot was down: no "starting now", no DMs.
            await self._say_with_ping(
                guild, party, render.missed(show, episode, party), step="missed"
            )
            return
        text = render.reminder(show, episode, party, f"<#{party.channel_id}>", time.time())
        await self._say_with_ping(guild, party, text, step="start")
        if self.bot.reminders is not None:
            self.bot.reminders.party_started(party.id)
        await self.set_event_status(guild, party, discord.EventStatus.active)

    async def _finish(
        self, party: Party, guild: discord.Guild, show: Show, episode: Episode
    ) -> None:
        channel = await self.announcements(guild, party)
        threads, polls = self.bot.threads, self.bot.polls
        if threads is None:
            log.warning("Watch party %d ended, but discussions are switched off", party.id)
            return
        fallback = (
            channel if isinstance(channel, discord.TextChannel | discord.ForumChannel) else None
        )
        thread, _ = await threads.ensure_thread(
            guild, show, episode, fallback=fallback, party_ending=True
        )
        if thread.locked:
            await thread.edit(locked=False)
        if polls is not None:
            await polls.post_episode_poll(thread, show, episode)
        if channel is not None:
            await channel.send(
                render.finished(show, episode, thread.id), nonce=f"wp-{party.id}-end"
            )
        await self.set_event_status(guild, party, discord.EventStatus.completed)

    async def set_event_status(
        self, guild: discord.Guild, party: Party, status: discord.EventStatus
    ) -> None:
        """Move the party's event forward to `status`, through the transitions Discord allows:
        scheduled → active → completed, or scheduled → cancelled. Already there (a repeated
        step), or past it: nothing to do."""
        if party.event_id is None:
            return
        try:
            event = await guild.fetch_scheduled_event(party.event_id)
            for step in event_path(event.status, status):
                await event.edit(status=step)
        except discord.HTTPException as error:
            log.warning(
                "Watch party %d: could not mark its event %s (%s)", party.id, status.name, error
            )

    async def undo(self, party: Party, guild: discord.Guild, show: Show, episode: Episode) -> None:
        """A cancelled party: its event cancelled, its announcement struck, its thread reopened."""
        await self.set_event_status(guild, party, discord.EventStatus.cancelled)
        channel = await self.announcements(guild, party)
        if party.announcement_id and isinstance(channel, discord.abc.Messageable):
            message = channel.get_partial_message(party.announcement_id)  # type: ignore[attr-defined]
            try:
                await message.edit(content=None, embed=render.cancelled(show, episode, party))
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
