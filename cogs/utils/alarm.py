"""A loop that sleeps until the next time the store says something is due, then runs it.

Times live in the store, not in the loop, so what fell due while the bot was down runs as
soon as it is back. Each feature claims its steps in the store, so a step never runs twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

import discord

from bot import metrics

log = logging.getLogger(__name__)

RETRY_AFTER_ERROR = 5.0
# Deadlines are on the wall clock (bot/clock.py), but asyncio sleeps on the monotonic one: a
# wall clock stepped meanwhile (NTP, a resumed VM) would shift a long sleep's end. Looking at
# the clock again at least this often bounds that error.
LONGEST_SLEEP = 60.0


class Alarm:
    def __init__(
        self,
        bot: discord.Client,
        name: str,
        next_due: Callable[[], Awaitable[float | None]],
        run_due: Callable[[float], Awaitable[None]],
    ) -> None:
        self.bot = bot
        self.name = name
        self.next_due = next_due
        self.run_due = run_due
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name=f"alarm-{self.name}")

    def wake(self) -> None:
        """Something new was scheduled: look at the store again."""
        self._wake.set()

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _loop(self) -> None:
        await self.bot.wait_until_ready()
        upcoming: float | None = None
        while not self.bot.is_closed() and not getattr(self.bot, "stopping", False):
            self._wake.clear()
            try:
                metrics.alarm_woke(self.name, upcoming, time.time())
                await self.run_due(time.time())
                upcoming = await self.next_due()
            except Exception:
                log.exception("%s: a pass failed; trying again shortly", self.name)
                upcoming = time.time() + RETRY_AFTER_ERROR
            wait = LONGEST_SLEEP if upcoming is None else upcoming - time.time()
            wait = min(max(0.0, wait), LONGEST_SLEEP)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)
