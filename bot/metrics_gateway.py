"""What Prometheus reads from the bot itself at each scrape (gateway latency and servers per
shard, readiness), and the readiness `/ready` answers with."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord
from prometheus_client.core import GaugeMetricFamily


class GatewayCollector:
    """Gateway latency and servers per shard, read from the bot when Prometheus scrapes."""

    def __init__(self, bot: discord.Client, sweep: Callable[[], None]) -> None:
        self.bot = bot
        # The metrics' own sweep of interactions never finished, run at each scrape.
        self.sweep = sweep

    def collect(self) -> Any:
        latency = GaugeMetricFamily(
            "watchparty_gateway_latency_seconds",
            "Heartbeat round trip per shard (NaN until the first ACK)",
            labels=["shard"],
        )
        guilds = GaugeMetricFamily(
            "watchparty_guilds", "Servers on each of this process's shards", labels=["shard"]
        )
        per_shard: dict[int, int] = {}
        for guild in self.bot.guilds:
            per_shard[guild.shard_id] = per_shard.get(guild.shard_id, 0) + 1
        for shard_id, seconds in _latencies(self.bot):
            latency.add_metric([str(shard_id)], seconds)
            guilds.add_metric([str(shard_id)], per_shard.get(shard_id, 0))
        self.sweep()
        yield latency
        yield guilds
        yield GaugeMetricFamily(
            "watchparty_ready",
            "1 while /ready says ready: connected on every shard, the database open",
            value=1 if readiness(self.bot) is None else 0,
        )


def _latencies(bot: discord.Client) -> list[tuple[int, float]]:
    if isinstance(bot, discord.AutoShardedClient):
        return bot.latencies
    return [(bot.shard_id or 0, bot.latency)]


def readiness(bot: discord.Client) -> str | None:
    """Why the bot is not ready to answer members, or None when it is."""
    if bot.is_closed():
        return "closing"
    if not bot.is_ready():
        return "connecting to Discord"
    if isinstance(bot, discord.AutoShardedClient):
        down = sorted(i for i, shard in bot.shards.items() if shard.is_closed())
        if down:
            return "shard(s) reconnecting: " + ", ".join(map(str, down))
    return None
