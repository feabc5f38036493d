"""One clock for every deadline: this machine's. Discord's timestamps are converted to it here.

The rule: every time the bot keeps (a poll's `closes_at`, reminders, watch-party steps, the
"too late to answer" cut-off) is on the host clock, `time.time()`. Discord stamps what it sends
with its own clock (an interaction's snowflake id, `Date` headers), and the two can differ by
seconds: a host a few seconds fast would judge every click "too late", a slow one would let
late clicks through. So no Discord timestamp is compared with `time.time()` directly; it goes
through `DiscordClock.to_host` first.

How the offset is measured: whatever Discord sends, the host receives after Discord stamped
it, so `host time received - Discord's stamp` is the clocks' offset plus a transport delay,
never less than the offset. The smallest such sample over a recent window is therefore the
offset plus the shortest delay seen (tens of milliseconds), from both kinds of stamp:
interaction snowflakes (to the millisecond, once members click) and the `Date` header of every
REST response (to the second, from the first request at start-up, so even the first click
after a start is judged against an estimate). Converted times are never earlier than the true
ones: an age can be underestimated by that shortest delay, never overestimated.

Clocks get stepped (NTP, a resumed VM). A step that lowers the offset shows in the next
sample. One that raises it would leave the minimum too low, and every click judged seconds
too old; but a REST exchange also bounds the offset from below (Discord wrote its `Date`
after the request left), so an estimate under that bound is dropped at once. Samples also
expire after WINDOW seconds, which lets slow drift through.
"""

from __future__ import annotations

import time
from collections import deque
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp
import discord

# Samples older than this are dropped, so a stepped host clock is followed within it.
WINDOW = 600.0
# Samples are kept as the minimum of each span this long, so the window holds at most
# WINDOW / BUCKET numbers however many interactions arrive.
BUCKET = 30.0


class DiscordClock:
    """The offset of the host clock from Discord's, estimated from what the bot receives."""

    def __init__(self) -> None:
        # (monotonic start of the bucket, smallest sample in it), oldest first.
        self._buckets: deque[tuple[float, float]] = deque()

    def observe(self, discord_time: float, received_at: float | None = None) -> None:
        """Something Discord stamped `discord_time` (unix seconds) arrived now (host clock)."""
        sample = (time.time() if received_at is None else received_at) - discord_time
        now = time.monotonic()
        while self._buckets and now - self._buckets[0][0] > WINDOW:
            self._buckets.popleft()
        if self._buckets and now - self._buckets[-1][0] < BUCKET:
            start, smallest = self._buckets[-1]
            self._buckets[-1] = (start, min(smallest, sample))
        else:
            self._buckets.append((now, sample))

    def at_least(self, lowest: float) -> None:
        """The offset is known to be at least `lowest`: an estimate below it is stale."""
        offset = self.offset
        if offset is not None and offset < lowest:
            self._buckets.clear()

    def received(self, snowflake: int) -> None:
        """An object with this snowflake id (an interaction) has just arrived."""
        self.observe(discord.utils.snowflake_time(snowflake).timestamp())

    def exchanged(self, sent_at: float, header: str) -> None:
        """A request sent at `sent_at` (host clock) has just been answered with this `Date`
        header (Discord's clock, whole seconds, rounded down)."""
        try:
            stamped = parsedate_to_datetime(header).timestamp()
        except (TypeError, ValueError):
            return  # a malformed header tells nothing
        # Discord wrote the header after the request left and before a second had passed.
        self.at_least(sent_at - (stamped + 1))
        self.observe(stamped)

    @property
    def offset(self) -> float | None:
        """Host time minus Discord time (plus the shortest delay), or None before any sample."""
        if not self._buckets:
            return None
        return min(smallest for _, smallest in self._buckets)

    def to_host(self, discord_time: float) -> float:
        """A Discord timestamp (unix seconds) on the host clock."""
        offset = self.offset
        return discord_time if offset is None else discord_time + offset

    def created(self, snowflake: int) -> float:
        """When Discord created the object with this id (an interaction: when it was clicked
        or sent), on the host clock."""
        return self.to_host(discord.utils.snowflake_time(snowflake).timestamp())

    def http_trace(self) -> aiohttp.TraceConfig:
        """A trace for discord.py's HTTP session that feeds every response's `Date` header."""
        config = aiohttp.TraceConfig()

        async def on_request_start(session: Any, context: Any, params: Any) -> None:
            context.sent_at = time.time()

        async def on_request_end(session: Any, context: Any, params: Any) -> None:
            header = params.response.headers.get("Date")
            sent_at = getattr(context, "sent_at", None)
            if header and sent_at is not None:
                self.exchanged(sent_at, header)

        config.on_request_start.append(on_request_start)
        config.on_request_end.append(on_request_end)
        return config
