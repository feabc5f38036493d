"""Votes that arrive together are written together (group commit).

At a burst of clicks, one transaction per vote would make each wait its turn for the one
write lock; instead every click waiting while a batch commits goes into the next batch, and
each member is answered only after the batch holding their vote has committed. A click that
waited so long that Discord has given up on it (3 s to answer) is not written at all: the
member saw "This interaction failed", so the store must not hold their vote either.

Every time here is on the host clock: a click's time is Discord's, converted by the bot's
`DiscordClock` (bot/clock.py) before it gets here, so its age and the poll's deadline are
judged on the same clock as `time.time()`.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from bot import metrics
from bot.models import VoteOutcome
from bot.store import Store

# Votes are written only while they can still be answered within Discord's 3 seconds.
ANSWER_WITHIN = 2.5


@dataclass
class _Click:
    poll_id: int
    user_id: int
    position: int
    clicked_at: float
    deadline: float
    result: asyncio.Future[VoteOutcome | None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class VoteQueue:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._waiting: list[_Click] = []
        self._writer: asyncio.Task[None] | None = None
        self.batches = 0

    async def vote(
        self, poll_id: int, user_id: int, position: int, clicked_at: float
    ) -> VoteOutcome | None:
        """The vote's outcome once committed; None when it came too late to be answered.
        `clicked_at`: when the member clicked, on the host clock."""
        click = _Click(poll_id, user_id, position, clicked_at, clicked_at + ANSWER_WITHIN)
        self._waiting.append(click)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="poll-votes")
        return await click.result

    async def _write(self) -> None:
        batch: list[_Click] = []
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                await self._commit(batch)
        finally:
            # Cancelled (a shutdown) or failed: nobody may wait for an answer forever.
            for click in [*batch, *self._waiting]:
                _settle(click, None)

    async def _commit(self, batch: list[_Click]) -> None:
        now = time.time()
        live = [c for c in batch if c.deadline > now]
        for late in (c for c in batch if c.deadline <= now):
            _settle(late, None)
        if not live:
            return
        try:
            outcomes = await self.store.polls.votes(
                [(c.poll_id, c.user_id, c.position) for c in live],
                [c.deadline for c in live],
                [c.clicked_at for c in live],
            )
        except Exception as error:  # StoreBusy, or a bug: every member of the batch hears
            for click in live:
                if not click.result.done():
                    click.result.set_exception(error)
            return
        self.batches += 1
        metrics.votes_committed(len(live))
        for click, outcome in zip(live, outcomes, strict=True):
            _settle(click, outcome)


def _settle(click: _Click, outcome: VoteOutcome | None) -> None:
    # A member's handler may have been cancelled meanwhile; its future is then done already.
    if not click.result.done():
        click.result.set_result(outcome)
