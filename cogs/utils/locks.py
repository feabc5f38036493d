"""Per-id locks that do not outlive their use.

A bot that runs for months sees millions of ids (polls, threads, episodes); a plain
`dict[id, asyncio.Lock]` keeps one lock for each for ever. `KeyedLocks` keeps a lock only
while someone holds it or waits on it, so its size is the number of ids busy right now.
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
    users: int = 0  # holding or waiting


class KeyedLocks(Generic[K]):
    def __init__(self) -> None:
        self._entries: dict[K, _Entry] = {}

    @asynccontextmanager
    async def hold(self, key: K) -> AsyncIterator[None]:
        """One holder per key at a time; the lock goes once nobody holds or waits on it."""
        entry = self._entries.setdefault(key, _Entry())
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            # Also when cancelled while waiting: a waiter that left is no longer a user.
            entry.users -= 1
            if entry.users == 0:
                del self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)
