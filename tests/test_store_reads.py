"""Reads see what was committed before them, however many other reads are under way: each
read runs to its end at once, so none holds the reader on an older snapshot."""

from __future__ import annotations

import asyncio

from bot.store import Store
from tests.conftest import Databases


async def test_a_write_reads_back_at_once_among_concurrent_reads(
    databases: Databases,
) -> None:
    store = await Store.open(await databases("watchparty.db"))
    try:
        for n in range(50):
            await store.set_meta(f"filler:{n}", "x" * 100)
        missing = []

        async def browse() -> None:
            for _ in range(20):
                await store.fetchone("SELECT key FROM meta ORDER BY key")
                await store.fetchall("SELECT key, value FROM meta")

        # A few writers at a time: a hundred queued at once would test the write queue (whose
        # wait is short, by design: StoreBusy on a slow machine), not what reads see.
        writers = asyncio.Semaphore(5)

        async def write_then_read(n: int) -> None:
            async with writers:
                await store.set_meta(f"fresh:{n}", "written")
                if await store.get_meta(f"fresh:{n}") != "written":
                    missing.append(n)

        await asyncio.gather(
            *(browse() for _ in range(5)), *(write_then_read(n) for n in range(100))
        )
        assert missing == []
    finally:
        await store.close()
