"""Air-time threads: when an episode of a show a server follows airs, its discussion thread
opens with the spoiler-free card and the episode's poll, and the chosen channel is told,
pinging only the chosen role. `/config airing` chooses the shows (cogs/config.py).

Each step is claimed in the store before Discord is asked (bot/store/airing.py), so an
episode is announced once per server across restarts; one that aired while the bot was
offline is caught up once, marked late. Only the process holding the server's shard acts.
"""

from __future__ import annotations

import logging
import time

import discord
from discord.ext import commands

from bot.app import Watchparty
from bot.i18n import server
from bot.models import AiringDue, Episode, Show
from bot.render import airing as render

from .utils.alarm import Alarm
from .utils.faults import TRANSIENT
from .utils.sent import NONCE_MEMORY, find_sent

log = logging.getLogger(__name__)

# Aired longer ago than this when first seen: the bot was offline, so the post says so.
LATE_AFTER = 3600.0
# Older than this is not caught up at all: the discussion has moved on without the bot.
CATCH_UP = 7 * 24 * 3600.0
# After a passing fault (Discord's 5xx, a busy database), the next try.
RETRY_AFTER = 30.0


class AirTimes(commands.Cog):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store
        self.alarm = Alarm(bot, "air times", self.next_due, self.run_due)
        self._paused_until = 0.0

    async def cog_load(self) -> None:
        self.alarm.start()

    async def cog_unload(self) -> None:
        self.alarm.stop()

    # A refresh may move an air time; /config airing may follow a show: look again.
    @commands.Cog.listener()
    async def on_catalog_updated(self) -> None:
        self.alarm.wake()

    @commands.Cog.listener()
    async def on_airing_changed(self) -> None:
        self.alarm.wake()

    async def next_due(self) -> float | None:
        times = await self.store.airing.next_times(oldest=time.time() - CATCH_UP)
        mine = [at for guild_id, at in times if self.bot.owns(guild_id)]
        if not mine:
            return None
        return max(min(mine), self._paused_until)

    async def run_due(self, now: float) -> None:
        if now < self._paused_until:
            return
        for due in await self.store.airing.due(now, oldest=now - CATCH_UP):
            if not self.bot.owns(due.airing.guild_id):
                continue
            try:
                await self._announce(due)
            except TRANSIENT as error:
                log.warning("Air time of episode %d: a passing fault (%r)", due.episode_id, error)
                self._paused_until = time.time() + RETRY_AFTER
                return
            except Exception:
                # A bug must not hold back every later episode and server: this one is
                # settled as skipped, with the traceback in the log.
                log.exception("Air time of episode %d failed", due.episode_id)
                await self._skip(due, "of an unexpected error (logged above)")

    async def _announce(self, due: AiringDue) -> None:
        guild_id, episode_id = due.airing.guild_id, due.episode_id
        guild = self.bot.get_guild(guild_id)
        show = await self.store.catalog.show_by_id(due.airing.show_id)
        episode = await self.store.catalog.episode_by_id(episode_id)
        channel = guild.get_channel(due.airing.channel_id) if guild else None
        late = time.time() - due.airs_at > LATE_AFTER
        record = await self.store.airing.claim(guild_id, episode_id, late=late)
        if guild is None or show is None or episode is None or self.bot.threads is None:
            return await self._skip(due, "its server, show or episode is gone")
        if not isinstance(channel, discord.TextChannel):
            return await self._skip(due, "its announcement channel is gone")
        # No interaction causes any of it: the thread, its poll and the post are in the
        # server's language.
        with server(guild):
            return await self._open(due, guild, show, episode, channel, late=record.late)

    async def _open(
        self,
        due: AiringDue,
        guild: discord.Guild,
        show: Show,
        episode: Episode,
        channel: discord.TextChannel,
        *,
        late: bool,
    ) -> None:
        assert self.bot.threads is not None
        guild_id, episode_id = due.airing.guild_id, due.episode_id
        try:
            thread, _ = await self.bot.threads.ensure_thread(guild, show, episode, fallback=channel)
            if not thread.locked and self.bot.polls is not None:
                # ensure_thread posts it with a new thread; this covers a crash in between.
                await self.bot.polls.post_episode_poll(thread, show, episode)
            text = render.announcement(show, episode, thread.id, due.airing.role_id, late=late)
            message = await self._send(due, channel, thread.id, text)
        except discord.HTTPException as error:
            if isinstance(error, TRANSIENT):
                raise
            return await self._skip(due, f"Discord refused it ({error.status}: {error.text})")
        await self.store.airing.settle(guild_id, episode_id, message_id=message.id)
        self.bot.dispatch("episode_thread_opened", guild_id, show, episode, thread)

    async def _send(
        self, due: AiringDue, channel: discord.TextChannel, thread_id: int, text: str
    ) -> discord.Message:
        guild_id, episode_id = due.airing.guild_id, due.episode_id
        record = await self.store.airing.record(guild_id, episode_id)
        if record is not None and record.state == "sending":
            if time.time() - record.at > NONCE_MEMORY:
                found = await find_sent(self.bot, channel, record.at, render.KEY)
                if found is not None and f"<#{thread_id}>" in found.content:
                    return found
        else:
            await self.store.airing.sending(guild_id, episode_id, thread_id)
        role = due.airing.role_id
        # The chosen role alone may be pinged: titles are escaped, and nothing else is allowed.
        mentions = discord.AllowedMentions(
            everyone=False, users=False, roles=[discord.Object(role)] if role else False
        )
        # Discord returns the first message for a nonce repeated within its memory.
        nonce = f"air-{episode_id}-{guild_id % 10**12}"
        return await channel.send(text, nonce=nonce, allowed_mentions=mentions)

    async def _skip(self, due: AiringDue, reason: str) -> None:
        log.warning(
            "Air time of episode %d in %d: skipped, %s", due.episode_id, due.airing.guild_id, reason
        )
        await self.store.airing.settle(
            due.airing.guild_id, due.episode_id, message_id=None, state="skipped"
        )


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(AirTimes(bot))
