"""Votes that arrive together are written together, and a vote stays stored only if its member
was told it counted.

**Group commit.** At a burst of clicks, one transaction per vote would make each wait its turn
for the one write lock; instead every click waiting while a batch commits goes into the next
batch, and each member is answered only after the batch holding their vote has committed.

**The budget: not written when it cannot be answered in time.** Discord takes an answer only
within 3 s of the click; a member whose answer comes later sees "This interaction failed", so
the store must not hold their vote. A click is written only while it is younger than the
budget: 3 s, minus how long answers have lately taken once their batch was decided (the 90th
percentile of the last 50 answers of the last 20 s, from the start of the batch to Discord's
answer to the callback or its failure), minus a margin of 0.25 s; never below 1 s nor above 2.5 s (2.5 s
while answers are quick, or when none was sent lately). Under overload answers queue behind
the busy event loop and the HTTP queue, the delay grows and the budget shrinks, so a click that
could not be answered in time is refused before it is written (the member sees the failure
and nothing is stored) rather than written and undone. A refused click is not answered at all:
an answer would only add a late request to the queue that made it late.

**The undo: when Discord refuses the answer anyway.** The budget is a forecast. When Discord
refuses a vote's answer as too late (404 code 10062 Unknown interaction) or does not act on it
(503), or the answer never left (no connection to Discord could be made), the vote is undone through the same queue, in the next batch and before that batch's
clicks: the member's row goes back to what their click found (no vote, or their previous
choice). It is a compare-and-set twice over. The store undoes a ballot only while the
member's row is still what that ballot wrote and the poll is open (a deletion of the member's
data, or a poll closed meanwhile with its counts frozen, is never overwritten). The queue keeps
each member's ballots until every answer is settled, and undoes only the trailing run of
refused ones, latest first: a refused click followed by an answered one stays replaced by it,
and two refused clicks in a row both go. The poll's message is then redrawn from the store.
An undo whose batch fails (the store busy) goes again in the next one, up to five times.
Another failure of the answer (a connection lost or a read timing out once the request was
sent, a 500 Discord may have acted on) keeps the vote: the member may have seen it counted.

**Crashes.** A vote is committed before its answer is sent, and undone only after Discord
refused that answer, so a restart never loses an acknowledged vote. A crash between a write
and its undo leaves that vote stored although its member saw the click fail: accepted, as the
window is a second or two and the member can click again to see their vote.

Every time here is on the host clock: a click's time is Discord's, converted by the bot's
`DiscordClock` (bot/clock.py) before it gets here, so its age and the poll's deadline are
judged on the same clock as `time.time()`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import discord

from bot import limits, metrics
from bot.errors import is_expired
from bot.models import Ballot, VoteOutcome
from bot.store import Store

log = logging.getLogger(__name__)

# The budget's bounds (see the docstring), the margin kept below Discord's window, and the
# answers it is measured from.
BUDGET_FLOOR, BUDGET_CEILING = 1.0, 2.5
MARGIN = 0.25
RECENT_ANSWERS, RECENT_SECONDS = 50, 20.0
# Batches an undo may fail with (the store busy) before it is given up, and logged.
UNDO_TRIES = 5
# A member's ballots whose answer never settled (a handler cancelled at shutdown) go after this:
# an interaction's token lives 15 minutes, so no answer settles later.
FORGET_AFTER = 15 * 60.0


class AnswerDelays:
    """How long answers took from the start of their batch to Discord's answer, lately."""

    def __init__(self) -> None:
        self._recent: deque[tuple[float, float]] = deque(maxlen=RECENT_ANSWERS)

    def add(self, now: float, delay: float) -> None:
        self._recent.append((now, delay))

    def budget(self, now: float) -> float:
        """How old a click may be and still be written."""
        recent = sorted(d for at, d in self._recent if now - at <= RECENT_SECONDS)
        if not recent:
            return BUDGET_CEILING
        p90 = recent[math.ceil(0.9 * len(recent)) - 1]
        return min(BUDGET_CEILING, max(BUDGET_FLOOR, limits.ANSWER_WINDOW - MARGIN - p90))


@dataclass(eq=False)
class Cast:
    """A committed ballot waiting for its answer to settle."""

    ballot: Ballot
    decided_at: float
    answered: bool = False
    refused: bool = False
    queued: bool = False  # its undo waits in the queue or is being written
    undone: bool = False
    tries: int = 0

    @property
    def outcome(self) -> VoteOutcome:
        return self.ballot.outcome

    @property
    def key(self) -> tuple[int, int]:
        return (self.ballot.poll_id, self.ballot.user_id)


@dataclass
class _Click:
    poll_id: int
    user_id: int
    position: int
    clicked_at: float
    result: asyncio.Future[Cast | None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


def refused_answer(error: BaseException) -> bool:
    """The member cannot have seen the answer: Discord refused it as too late (10062) or did
    nothing with it (503), or it never left (no connection to Discord could be made, as under
    overload: the request was never sent). A read timeout or a connection reset after sending
    are not enough: Discord may have shown it."""
    if isinstance(error, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError):
        return True
    return is_expired(error) or (isinstance(error, discord.HTTPException) and error.status == 503)


class VoteQueue:
    def __init__(self, store: Store, redraw: Callable[[int], None]) -> None:
        self.store = store
        self.redraw = redraw
        self.delays = AnswerDelays()
        self._waiting: list[_Click] = []
        self._undoing: list[Cast] = []
        # Each member's committed ballots, oldest first, until every answer has settled.
        self._casts: dict[tuple[int, int], list[Cast]] = {}
        self._writer: asyncio.Task[None] | None = None
        self._pruned = time.time()
        self.batches = 0

    async def vote(
        self, poll_id: int, user_id: int, position: int, clicked_at: float
    ) -> Cast | None:
        """The committed ballot, to answer with `answer`; None when the click came too late
        to be answered (not written). `clicked_at`: when the member clicked, on the host clock."""
        click = _Click(poll_id, user_id, position, clicked_at)
        self._waiting.append(click)
        self._wake()
        return await click.result

    async def answer(self, cast: Cast, interaction: discord.Interaction[Any], text: str) -> None:
        """Tell the member privately; if Discord refuses the answer, undo the vote (and raise)."""
        try:
            await interaction.response.send_message(text, ephemeral=True)
        except BaseException as error:
            refused = refused_answer(error)
            # Discord's error or a failed connection took time to come too; a cancel did not.
            self._settled(cast, refused, heard=isinstance(error, Exception))
            if not refused and cast.outcome.counted:
                # Kept (cancelled, a lost connection, a 500: Discord may have shown it): the
                # caller's redraw will not come, and the message follows the store anyway.
                self.redraw(cast.ballot.poll_id)
            raise
        self._settled(cast, False, heard=True)

    def _settled(self, cast: Cast, refused: bool, *, heard: bool) -> None:
        now = time.time()
        if heard:
            self.delays.add(now, now - cast.decided_at)
        if not cast.outcome.counted:
            return
        cast.answered, cast.refused = not refused, refused
        self._queue_undos(cast.key)
        self._forget(cast.key)

    def _queue_undos(self, key: tuple[int, int]) -> None:
        """Queue the undo of the member's trailing run of refused ballots, latest first."""
        run: list[Cast] = []
        for cast in reversed(self._casts.get(key, [])):
            if not cast.refused:
                break
            if not cast.queued and not cast.undone:
                run.append(cast)
        for cast in run:
            cast.queued = True
        if run:
            self._undoing.extend(run)
            self._wake()

    def _forget(self, key: tuple[int, int]) -> None:
        casts = self._casts.get(key, [])
        if all((c.answered or c.refused) and not c.queued for c in casts):
            self._casts.pop(key, None)

    def _wake(self) -> None:
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="poll-votes")

    async def _write(self) -> None:
        batch: list[_Click] = []
        try:
            while self._waiting or self._undoing:
                batch, self._waiting = self._waiting, []
                undo, self._undoing = self._undoing, []
                await self._commit(batch, undo)
        finally:
            # Cancelled (a shutdown) or failed: nobody may wait for an answer forever.
            for click in [*batch, *self._waiting]:
                _settle(click, None)

    async def _commit(self, batch: list[_Click], undo: list[Cast]) -> None:
        now = time.time()
        budget = self.delays.budget(now)
        live = [c for c in batch if c.clicked_at + budget > now]
        for late in (c for c in batch if c.clicked_at + budget <= now):
            _settle(late, None)
        if not live and not undo:
            return
        try:
            ballots, applied = await self.store.polls.ballots(
                [(c.poll_id, c.user_id, c.position) for c in live],
                [c.clicked_at + budget for c in live],
                [c.clicked_at for c in live],
                [cast.ballot for cast in undo],
            )
        except Exception as error:  # StoreBusy, or a bug: every member of the batch hears
            for click in live:
                if not click.result.done():
                    click.result.set_exception(error)
            self._retry(undo, error)
            return
        self._undone(undo, applied)
        if live:
            self.batches += 1
            metrics.votes_committed(len(live))
        for click, ballot in zip(live, ballots, strict=True):
            self._committed(click, ballot, now)
        self._prune(now)

    def _committed(self, click: _Click, ballot: Ballot | None, decided_at: float) -> None:
        if ballot is None:
            _settle(click, None)
            return
        cast = Cast(ballot, decided_at)
        if _settle(click, cast) and ballot.outcome.counted:
            self._casts.setdefault(cast.key, []).append(cast)

    def _retry(self, undo: list[Cast], error: Exception) -> None:
        # The batch failed as a whole (the store busy): its undos go first in the next one.
        for cast in undo:
            cast.tries += 1
        again = [cast for cast in undo if cast.tries < UNDO_TRIES]
        given_up = [cast for cast in undo if cast.tries >= UNDO_TRIES]
        self._undoing[:0] = again
        if given_up:
            log.warning(
                "Could not undo %d vote(s) Discord refused to confirm: %s", len(given_up), error
            )
            self._undone(given_up, [False] * len(given_up))

    def _undone(self, undo: list[Cast], applied: list[bool]) -> None:
        for cast, done in zip(undo, applied, strict=True):
            cast.queued, cast.undone = False, done
            if done:
                metrics.votes_undone()
                self.redraw(cast.ballot.poll_id)
                # An earlier refused ballot of the member's is the row now: undo it too.
                self._queue_undos(cast.key)
            self._forget(cast.key)

    def _prune(self, now: float) -> None:
        if now - self._pruned < FORGET_AFTER:
            return
        self._pruned = now
        for key, casts in list(self._casts.items()):
            if casts[-1].decided_at < now - FORGET_AFTER:
                del self._casts[key]


def _settle(click: _Click, cast: Cast | None) -> bool:
    # A member's handler may have been cancelled meanwhile; its future is then done already.
    if click.result.done():
        return False
    click.result.set_result(cast)
    return True
