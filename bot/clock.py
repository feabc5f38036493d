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
ones: an age can be underestimated by that shortest delay, never overestimated. The window
lets the estimate follow the host clock when it is stepped (NTP), within WINDOW seconds.
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

    def received(self, snowflake: int) -> None:
        """An object with this snowflake id (an interaction) has just arrived."""
        self.observe(discord.utils.snowflake_time(snowflake).timestamp())

    def received_date(self, header: str) -> None:
        """A response with this `Date` header has just arrived (whole seconds, rounded down)."""
        try:
            self.observe(parsedate_to_datetime(header).timestamp())
        except (TypeError, ValueError):
            return  # a malformed header tells nothing

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

        async def on_request_end(session: Any, context: Any, params: Any) -> None:
            header = params.response.headers.get("Date")
            if header:
                self.received_date(header)

        config.on_request_end.append(on_request_end)
        return config
