"""Keeping poll messages in step with their votes without running into rate limits.

Votes can arrive by the hundred per second; Discord allows about five message edits per
five seconds in a channel. So edits are coalesced: at most one per poll every INTERVAL
seconds, always drawn from the store at the moment of the edit, and a vote that lands
during an edit schedules one more. The last edit therefore shows the exact final count.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

import discord

from bot import metrics
from bot.app import Watchparty
from bot.store import StoreBusy

from ..utils.locks import KeyedLocks

log = logging.getLogger(__name__)

INTERVAL = 2.0

# Draws a poll's message: returns (version drawn, channel id, message id, embed, view).
Drawer = Callable[[int], Awaitable[tuple[int, int, int, discord.Embed, discord.ui.View] | None]]


class TallyUpdater:
    def __init__(self, bot: Watchparty, draw: Drawer, interval: float = INTERVAL) -> None:
        self.bot = bot
        self.draw = draw
        self.interval = interval
        # Per-poll state, each pruned: a pending edit leaves when it runs, a lock when nobody
        # holds or waits on it, an edit time once it is older than the interval (from then on
        # it delays nothing), so months of polls leave nothing behind.
        self._pending: dict[int, asyncio.Task[None]] = {}
        self._last_edit: dict[int, float] = {}
        self._locks: KeyedLocks[int] = KeyedLocks()
        # Every edit task until it ends, drawing included (it leaves `_pending` before it
        # draws), so a shutdown can stop them before the store closes under them.
        self._running: dict[asyncio.Task[None], int] = {}
        self._stopped = False

    def touch(self, poll_id: int) -> None:
        """Votes changed: make sure an edit follows, no sooner than INTERVAL after the last."""
        if poll_id in self._pending or self._stopped:
            return
        task = self._pending[poll_id] = asyncio.create_task(self._later(poll_id))
        self._running[task] = poll_id
        task.add_done_callback(self._running.pop)

    async def _later(self, poll_id: int) -> None:
        # Measured again after each sleep: an edit may have finished meanwhile (Discord can
        # hold an edit for seconds when the channel's allowance is used up).
        for _ in range(10):  # bounded: each pass sleeps until the interval is over
            wait = self._last_edit.get(poll_id, 0.0) + self.interval - time.monotonic()
            if wait <= 0:
                break
            await asyncio.sleep(wait)
        # Claim this edit's slot before anything is awaited: a vote arriving from here on
        # starts a new wait of a full interval, rather than queueing straight behind this edit.
        self._mark_edit(poll_id)
        # Leave the pending slot before drawing: a vote arriving from here on needs a new edit.
        self._pending.pop(poll_id, None)
        await self.refresh(poll_id)

    async def refresh(self, poll_id: int) -> bool:
        """Edit the poll's message to what the store holds now; True if it was edited."""
        # One edit per poll at a time, so an older drawing can never land after a newer one.
        async with self._locks.hold(poll_id):
            drawn = await self.draw(poll_id)
            if drawn is None:
                return False
            version, channel_id, message_id, embed, view = drawn
            self._mark_edit(poll_id)
            message = self.bot.get_partial_messageable(channel_id).get_partial_message(message_id)
            try:
                await message.edit(embed=embed, view=view)
                metrics.tally_edited()
                self._mark_edit(poll_id)
            except discord.NotFound:
                log.info("Poll %d: its message is gone; nothing to update", poll_id)
            except discord.HTTPException as error:
                log.warning(
                    "Poll %d: could not update its message (%s); will retry", poll_id, error
                )
                self._retry_later(poll_id)
                return False
            try:
                await self.bot.store.polls.mark_shown(poll_id, version)
            except StoreBusy:
                # Another process held the database past the wait (shard processes share
                # it): the message is right, only the note of it is not; a retry notes it.
                self._retry_later(poll_id)
            return True

    def forget(self, poll_id: int) -> None:
        """The poll closed and its message shows the results: its edit time is of no more use."""
        self._last_edit.pop(poll_id, None)

    def _mark_edit(self, poll_id: int) -> None:
        at = self._last_edit[poll_id] = time.monotonic()
        asyncio.get_running_loop().call_later(self.interval, self._expire, poll_id, at)

    def _expire(self, poll_id: int, at: float) -> None:
        # Unless a later edit replaced it: that one has its own expiry.
        if self._last_edit.get(poll_id) == at:
            del self._last_edit[poll_id]

    @property
    def tracked(self) -> int:
        """How many polls this updater holds state for (pending edits, edit times, locks)."""
        polls = self._pending.keys() | self._last_edit.keys() | set(self._running.values())
        return len(polls) + len(self._locks)

    def _retry_later(self, poll_id: int) -> None:
        loop = asyncio.get_running_loop()
        loop.call_later(self.interval * 5, self.touch, poll_id)

    async def stop(self) -> None:
        """Finish the edits that are due, so a clean shutdown leaves messages exact."""
        self._stopped = True
        due = sorted(set(self._running.values()))
        tasks = list(self._running)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._pending.clear()
        for poll_id in due:
            await self.refresh(poll_id)
