"""Polls recorded but without their message id: posted, then the bot died (or the store
refused the write) before it noted where. Such a poll's deadline would never fire, since the
closer edits a message it does not know; so its message is looked for in the channel.

A poll is written to the store before it is posted (its buttons carry its id), so a crash
leaves either a poll whose message exists (found here and noted) or one that was never posted
(no message: discarded, as a failed post is). The polls this process is posting right now are
left alone: `registering()` makes creating one and marking it as being posted one step, which
each pass reads under the same lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import discord

from bot import limits
from bot.app import Watchparty
from bot.models import Mode, Poll

from ..utils.locks import KeyedLocks

log = logging.getLogger(__name__)

# A channel whose history cannot be read now (a 5xx, a missing permission) is asked again no
# sooner than this; the deadline closer runs a pass at least once a minute.
RETRY_AFTER = 60.0
# Discord's clock can run ahead of the host's: its history is read from a little earlier.
CLOCK_MARGIN = 5.0
# A poll without a message is discarded only once it is older than this: another process
# (an old one still stopping while its successor starts) may be posting it, and discord.py
# retries a send for up to about 25 s before giving up.
DISCARD_AFTER = 120.0


def is_poll_message(message: discord.Message, poll: Poll, me: int) -> bool:
    """Whether `message` is this bot's post of `poll`: its vote buttons carry the poll's id,
    a native poll its question."""
    if message.author.id != me:
        return False
    if poll.mode is Mode.NATIVE:
        return message.poll is not None and message.poll.question == poll.question
    prefix = f"wp:vote:{poll.id}:"
    return any(
        getattr(child, "custom_id", None) and str(child.custom_id).startswith(prefix)
        for row in message.components
        for child in getattr(row, "children", ())
    )


class Unposted:
    """Finds the messages of polls that lost their message id, for the deadline closer."""

    def __init__(
        self,
        bot: Watchparty,
        posting: KeyedLocks[tuple[int, int]],
        found: Callable[[Poll], None],
        close: Callable[[Poll], Awaitable[bool]],
    ) -> None:
        self.bot = bot
        self.store = bot.store
        # The lock an episode poll is posted under (PollKeeper._post_episode_poll): a thread's
        # poll re-sent after a crash is found or re-sent, never both at once.
        self.posting = posting
        self.found = found
        self.close = close
        # The polls this process is posting now (between their creation and their message
        # id's write): their message may not exist yet.
        self.sending: set[int] = set()
        self._registering = asyncio.Lock()
        # Polls whose channel could not be read, and when to try again; only ids still
        # unposted are kept.
        self._retry_at: dict[int, float] = {}

    @contextlib.asynccontextmanager
    async def registering(self) -> AsyncIterator[None]:
        """Held while a poll is created and added to `sending`, so no pass sees it between."""
        async with self._registering:
            yield

    async def settle(self) -> None:
        """Note the message of every poll of this process's servers that lacks one."""
        async with self._registering:
            waiting = await self.store.polls.unposted(self.bot.owned)
            candidates = [p for p in waiting if p not in self.sending]
        now = time.monotonic()
        self._retry_at = {p: t for p, t in self._retry_at.items() if p in waiting}
        for poll_id in candidates:
            if self._retry_at.get(poll_id, 0.0) <= now:
                await self._settle_one(poll_id)

    async def _settle_one(self, poll_id: int) -> None:
        poll = await self.store.polls.get(poll_id)
        if poll is None or poll.episode_id is None:
            await self._settle(poll)
            return
        async with self.posting.hold((poll.channel_id, poll.episode_id)):
            await self._settle(await self.store.polls.get(poll_id))

    async def _settle(self, poll: Poll | None) -> None:
        if poll is None or poll.message_id is not None or not poll.is_open:
            return
        if poll.id in self.sending:
            return  # re-sent by the watch party's step while this pass waited for its lock
        try:
            message = await self._find(poll)
        except discord.HTTPException as error:
            log.warning(
                "Poll %d: could not look for its message in channel %d (%s); trying again later",
                poll.id,
                poll.channel_id,
                error,
            )
            self._retry_at[poll.id] = time.monotonic() + RETRY_AFTER
            return
        if message is not None:
            await self.store.polls.set_message(poll.id, message.channel.id, message.id)
            log.info("Poll %d: found its message %d after a restart", poll.id, message.id)
            stored = await self.store.polls.get(poll.id)
            if stored is not None:
                self.found(stored)
            return
        tally = await self.store.polls.tally(poll.id)
        if tally is not None and tally.total:
            # Votes came through its buttons, so it was posted; its message is gone since (a
            # moderator deleted it): close it, keeping the votes for /poll results.
            log.info("Poll %d: its message is gone; closing it with its votes", poll.id)
            await self.close(poll)
            return
        if time.time() - poll.created_at < DISCARD_AFTER:
            self._retry_at[poll.id] = time.monotonic() + RETRY_AFTER
            return
        log.info("Poll %d: never posted (a crash came first); discarding it", poll.id)
        await self.store.polls.discard(poll.id)

    async def _find(self, poll: Poll) -> discord.Message | None:
        """The poll's message, among the first posted in its channel after it was created."""
        me = self.bot.user
        if me is None:
            return None
        cached = self.bot.get_channel(poll.channel_id)
        channel = (
            cached
            if isinstance(cached, discord.abc.Messageable)
            else self.bot.get_partial_messageable(poll.channel_id)
        )
        # The poll was stored (host clock) before it was posted (Discord's clock).
        offset = self.bot.clock.offset or 0.0
        since = poll.created_at - offset - CLOCK_MARGIN
        after = dt.datetime.fromtimestamp(since, dt.UTC)
        async for message in channel.history(after=after, limit=limits.HISTORY_PAGE):
            if is_poll_message(message, poll, me.id):
                if poll.mode is not Mode.NATIVE:
                    return message
                # Two native polls may ask the same question: take one no poll holds yet.
                if await self.store.polls.by_message(message.id) is None:
                    return message
        return None
