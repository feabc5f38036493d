"""A watch party's timeline: the early reminder, the start reminder (and its DMs), the end.

Each step acts once (its parts are recorded as they happen, `_parts.py`) and is retried
through passing faults for as long as it still makes sense; then it is settled in the store
as done, or as skipped with the reason. How long each step makes sense:

- the early reminder: until the party starts (from then on the start reminder says it all);
- the start reminder and the event's "active" state: until the party ends; a party that
  ended first gets the "happened while I was offline" note instead, up to `LATE_NOTES` after;
- the end: opening the discussion thread, unlocking it, its poll and completing the event
  always make sense (a thread left locked shuts the discussion for good); the "is over"
  announcement, up to `LATE_NOTES` after the end.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import NamedTuple

import discord

from bot import metrics
from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import server
from bot.models import Episode, Party, PartyStep, Show
from bot.render import parties as render

from ._parts import TRANSIENT, Parts
from ._retries import Retries
from ._undo import Undo
from .attend import attend_view

log = logging.getLogger(__name__)

# Announcements that are still news this long after a party's end, and stale after it.
LATE_NOTES = 12 * 3600

# A draft older than this is a /watchparty schedule that will never finish: its interaction
# token (15 minutes) is gone, so nobody is waiting for it.
DRAFT_LIFETIME = 15 * 60


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


Step = Callable[["Timeline", Party, Where, float], Awaitable[str | None]]


class Timeline:
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store
        self.parts = Parts(bot)
        self.retries = Retries()
        self.undoing = Undo(bot, self.announcements)
        # Drafts older than this process were cut short by a crash of an earlier one.
        self.started = time.time()

    async def run_due(self, now: float) -> None:
        cutoff = max(self.started, now - DRAFT_LIFETIME)
        for party in await self.store.parties.abandoned(cutoff, self.bot.owned):
            log.warning("Watch party %d was being scheduled when the bot stopped: undone", party.id)
            await self.undoing.unmake(party)
        due = await self.store.parties.due(now, self.bot.owned)
        metrics.scheduled_due("watch party steps", len(due))
        self.retries.keep(due)
        waiting: set[int] = set()
        for party_id, step in due:
            if getattr(self.bot, "stopping", False):
                return  # the next start runs what is left (bot/app.py: stopping)
            key = (party_id, step)
            # A party's steps run in order: one waiting to retry holds back the later ones.
            if party_id in waiting or not self.retries.ready(key, now):
                waiting.add(party_id)
            elif await self._run(party_id, step):
                self.retries.settled(key)
            else:
                retry = self.retries.failed(key, time.time())
                log.warning(
                    "Watch party %d: the %s step will be tried again in %.0f s (try %d)",
                    party_id,
                    step,
                    retry.at - time.time(),
                    retry.tries,
                )
                waiting.add(party_id)

    async def next_due(self) -> float | None:
        """When the next pass is needed: a step's time, or a waiting step's next try."""
        times = []
        for party_id, at in await self.store.parties.next_times(self.bot.owned):
            retry = self.retries.not_before(party_id)
            times.append(at if retry is None else max(at, retry))
        return min(times, default=None)

    async def _run(self, party_id: int, step: PartyStep) -> bool:
        """Do the step and settle it; False when it met a passing fault and waits to retry."""
        party = await self.store.parties.get(party_id)
        if party is None:
            return True
        if not self.bot.owns(party.guild_id):
            # Another shard's server: `get_guild` knows nothing of it here, and settling the
            # step would mark it done unrun. Its own process runs it.
            return True
        try:
            where = await self.where(party)
            reason: str | None
            if where is None:
                reason = "its server or episode is gone"
            else:
                # No interaction causes a step: what it posts is in the server's language.
                with server(where.guild):
                    reason = await STEPS[step](self, party, where, time.time())
        except TRANSIENT as error:
            log.warning(
                "Watch party %d: the %s step met a passing fault (%r)", party.id, step, error
            )
            return False
        except Exception as error:
            # Not retried: a bug must not post the same thing every few seconds. The log has
            # the traceback, the store the reason.
            log.exception("Watch party %d: the %s step failed", party.id, step)
            reason = f"it failed ({type(error).__name__}); see the log"
        try:
            await self.store.parties.settle(party.id, step, reason)
        except TRANSIENT:
            return False  # every part is recorded: the retry only settles it
        if reason is not None:
            log.warning("Watch party %d: skipped its %s step: %s", party.id, step, reason)
        return True

    async def where(self, party: Party) -> Where | None:
        guild = self.bot.get_guild(party.guild_id)
        episode = await self.store.catalog.episode_by_id(party.episode_id)
        show = await self.store.catalog.show_by_id(episode.show_id) if episode else None
        if guild is None or episode is None or show is None:
            log.warning("Watch party %d: its server or episode is gone", party.id)
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

    async def _say(
        self,
        guild: discord.Guild,
        party: Party,
        part: str,
        text: str,
        *,
        key: str | None = None,
        until: float | None = None,
        view: discord.ui.View = discord.utils.MISSING,
    ) -> bool:
        """Post once in the announcements channel, pinging the server's reminder role if any."""
        channel = await self.announcements(guild, party)
        role_id = (await self.store.servers.settings(guild.id)).reminder_role_id
        return await self.parts.send(
            party,
            part,
            channel,
            render.with_ping(text, role_id),
            key=render.with_ping(key, role_id) if key else None,
            until=until,
            allowed_mentions=pinging(role_id),
            view=view,
        )

    # --- the steps: each returns None when it acted, or why it was skipped ---------------

    async def _early(self, party: Party, where: Where, now: float) -> str | None:
        if now >= party.starts_at:
            return "the party started first; the start reminder says it all"
        text = render.early_reminder(where.show, where.episode, party, f"<#{party.channel_id}>")
        await self._say(where.guild, party, "early", text, until=party.starts_at)
        return None

    async def _remind(self, party: Party, where: Where, now: float) -> str | None:
        guild, show, episode = where
        started = await self.store.parties.part(party.id, "start")
        if now >= party.ends_at and started is None:
            # Start and end both passed (the bot was down, or Discord was): no "starting
            # now", no DMs; one note, while it is still news.
            if now > party.ends_at + LATE_NOTES:
                return "the party ended long before its start could be announced"
            text = render.missed(show, episode, party)
            await self._say(guild, party, "missed", text, until=party.ends_at + LATE_NOTES)
            return None
        text = render.reminder(show, episode, party, f"<#{party.channel_id}>", time.time())
        head = render.reminder_head(show, episode)
        said = await self._say(
            guild, party, "start", text, key=head, until=party.ends_at, view=attend_view(party.id)
        )
        if said and self.bot.reminders is not None:
            self.bot.reminders.party_started(party.id)
        active = discord.EventStatus.active
        await self.parts.event(party, "active", guild, active, until=party.ends_at)
        return None

    async def _finish(self, party: Party, where: Where, now: float) -> str | None:
        guild, show, episode = where
        thread = await self._thread(party, where)
        no_thread = None if thread is not None else "there is no discussion thread"

        async def unlock() -> None:
            if thread is not None and thread.locked:
                await thread.edit(locked=False)

        async def poll() -> int | None:
            polls = self.bot.polls
            posted = (
                await polls.post_episode_poll(thread, show, episode) if polls and thread else None
            )
            stored = await self.store.polls.get(posted.id) if posted else None
            return stored.message_id if stored else None

        await self.parts.act(party, "unlock", unlock, missing=no_thread)
        await self.parts.act(party, "poll", poll, missing=no_thread)
        channel = await self.announcements(guild, party)
        if thread is not None:
            text = render.finished(show, episode, thread.id)
            await self.parts.send(party, "over", channel, text, until=party.ends_at + LATE_NOTES)
        else:
            await self.parts.act(party, "over", _nothing, missing=no_thread)
        await self.parts.event(party, "completed", guild, discord.EventStatus.completed)
        # Progress that follows the party (cogs/together/follow.py) listens here; its moves
        # are claimed in the store, so a finish repeated after a crash moves nobody twice.
        self.bot.dispatch("party_ended", party.id)
        return None

    async def _thread(self, party: Party, where: Where) -> discord.Thread | None:
        """The episode's discussion thread, opened now if it was not (and recorded)."""
        threads = self.bot.threads
        if threads is None:
            await self.parts.act(party, "thread", _nothing, missing="discussions are off")
            return None
        channel = await self.announcements(where.guild, party)
        fallback = (
            channel if isinstance(channel, discord.TextChannel | discord.ForumChannel) else None
        )
        found: list[discord.Thread] = []

        async def ensure() -> int:
            thread, _ = await threads.ensure_thread(
                where.guild, where.show, where.episode, fallback=fallback, party_ending=True
            )
            found.append(thread)
            return thread.id

        try:
            done = await self.parts.act(party, "thread", ensure)
        except UserError as error:  # nowhere to open a thread
            await self.parts.skip(party, "thread", str(error))
            return None
        if done and not found:
            # Recorded by an earlier try of the step: the same lookup finds it, makes none.
            await ensure()
        return found[0] if found else None


async def _nothing() -> None:
    return None


STEPS: dict[PartyStep, Step] = {
    PartyStep.EARLY: Timeline._early,
    PartyStep.REMINDED: Timeline._remind,
    PartyStep.ENDED: Timeline._finish,
}
