"""Shards: which process answers which server.

Discord sends each server's events to one shard, `(guild_id >> 22) % shard_count`, and a bot
may run its shards in several processes (SHARD_COUNT and SHARD_IDS). Work that is not started
by an event (timers, reminders, refreshes) must ask `Watchparty.owns(guild_id)` so that one
process, not every process, does it.
"""

from __future__ import annotations

import json


class ShardSpecError(ValueError):
    """SHARD_COUNT or SHARD_IDS is malformed; the message is one line for the operator."""


def shard_for(guild_id: int, shard_count: int) -> int:
    """The shard that holds a server (Discord's formula: the id's timestamp, modulo)."""
    return (guild_id >> 22) % shard_count


def parse_shard_count(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdecimal() or int(value) < 1:
        raise ShardSpecError(
            f"SHARD_COUNT={value!r} is not a number of shards (1 or more, the total across "
            "every process)."
        )
    return int(value)


def parse_shard_ids(value: str, shard_count: int | None) -> tuple[int, ...] | None:
    """'0-3', '0,2' or '0-1,4' as sorted shard ids; None when empty (every shard)."""
    value = value.strip()
    if not value:
        return None
    if shard_count is None:
        raise ShardSpecError(
            f"SHARD_IDS={value!r} needs SHARD_COUNT, the total number of shards across every "
            "process (e.g. SHARD_COUNT=4 with SHARD_IDS=0-1 here and 2-3 in another process)."
        )
    ids: list[int] = []
    for part in value.split(","):
        first, dash, last = part.strip().partition("-")
        if not first.isdecimal() or (dash and not last.isdecimal()):
            raise ShardSpecError(
                f"SHARD_IDS={value!r}: {part.strip()!r} is not a shard id or a range like 0-3."
            )
        low, high = int(first), int(last) if dash else int(first)
        if low > high:
            raise ShardSpecError(f"SHARD_IDS={value!r}: the range {low}-{high} runs backwards.")
        ids.extend(range(low, high + 1))
    outside = sorted({i for i in ids if i >= shard_count})
    if outside:
        raise ShardSpecError(
            f"SHARD_IDS={value!r} names shard {outside[0]}, but with SHARD_COUNT={shard_count} "
            f"the shards are 0-{shard_count - 1}."
        )
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ShardSpecError(f"SHARD_IDS={value!r} names shard {twice[0]} twice.")
    return tuple(sorted(ids))


def describe(shard_ids: tuple[int, ...] | None, shard_count: int | None) -> str:
    """'shards 0-1 of 4', 'shards 0, 2 of 4', or 'every shard' for the log line at start-up."""
    if shard_count is None:
        return "every shard Discord recommends"
    ids = shard_ids if shard_ids is not None else tuple(range(shard_count))
    contiguous = list(ids) == list(range(ids[0], ids[-1] + 1))
    if len(ids) == 1:
        named = f"shard {ids[0]}"
    elif contiguous:
        named = f"shards {ids[0]}-{ids[-1]}"
    else:
        named = "shards " + ", ".join(map(str, ids))
    return f"{named} of {shard_count}"


class Owned:
    """The shards one process runs, as the store's bulk queries take them: a server is this
    process's when `(guild_id >> 22) % count` is one of `ids` (SQL computes the same)."""

    def __init__(self, count: int = 1, ids: tuple[int, ...] | None = None) -> None:
        self.count = count
        self.ids = ids if ids is not None else tuple(range(count))

    def __contains__(self, guild_id: int) -> bool:
        return shard_for(guild_id, self.count) in self.ids

    def params(self) -> tuple[int, str]:
        """(count, ids as a JSON list) for `store.sharding.OWNED`."""
        return self.count, json.dumps(list(self.ids))


EVERY = Owned()  # one process with every server: the CLI, and the tests of one bot
