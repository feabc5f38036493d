"""Discord's sharding rules: which shard holds a server, which `shard` an IDENTIFY may ask
for, and how many shards `GET /gateway/bot` recommends."""

from __future__ import annotations

import math
from typing import Any

# Discord closes a session that would hold more servers than this with 4011 (sharding
# required); the emulator's is configurable (`Gateway.shard_guild_limit`) so tests stay small.
SHARD_GUILD_LIMIT = 2500
# Discord recommends about one shard per 1,000 servers in `GET /gateway/bot`.
GUILDS_PER_SHARD = 1000

INVALID_SHARD, SHARDING_REQUIRED = 4010, 4011


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard that receives a server's events (Discord's documented formula)."""
    return (guild_id >> 22) % shard_count


def parse_shard(value: Any) -> tuple[int, int] | None:
    """IDENTIFY's `shard` as (id, count): absent means (0, 1); None when Discord would close
    the connection with 4010 (not two integers, a count below 1, an id outside 0..count-1)."""
    if value is None:
        return (0, 1)
    if not isinstance(value, list) or len(value) != 2:
        return None
    shard_id, count = value
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in (shard_id, count)):
        return None
    if count < 1 or not 0 <= shard_id < count:
        return None
    return (shard_id, count)


def recommended_shards(guild_count: int, per_shard: int = GUILDS_PER_SHARD) -> int:
    return max(1, math.ceil(guild_count / per_shard))
