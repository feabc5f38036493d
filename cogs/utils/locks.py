"""One asyncio lock per key (a channel, a poll, a party) that lasts only while it is used.

A dict of locks filled with `setdefault` keeps one entry for every key ever seen: over months
of running, a lock per channel, poll or party the bot ever touched. Here an entry lives while
someone holds the lock or waits for it, and goes when the last of them leaves.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass
class _Entry:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0  # holding it or waiting for it


class KeyedLocks(Generic[K]):
    """`async with locks.hold(key):` serialises the work done under one key."""

    def __init__(self) -> None:
        self._entries: dict[K, _Entry] = {}

    @asynccontextmanager
    async def hold(self, key: K) -> AsyncIterator[None]:
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry()
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            # Also when cancelled while waiting: a waiter that leaves must not keep it alive.
            entry.users -= 1
            if entry.users == 0:
                del self._entries[key]

    def __len__(self) -> int:
        """How many keys are held or waited on now."""
        return len(self._entries)
