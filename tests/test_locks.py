"""Per-key locks that do not outlive their use: months of channels, polls and parties must not
leave one lock each behind."""

from __future__ import annotations

import asyncio

import pytest

from cogs.utils.locks import KeyedLocks


async def test_work_under_one_key_is_serialised_and_the_lock_then_goes() -> None:
    locks: KeyedLocks[int] = KeyedLocks()
    order: list[str] = []

    async def work(name: str, key: int) -> None:
        async with locks.hold(key):
            order.append(f"{name} in")
            await asyncio.sleep(0.01)
            order.append(f"{name} out")

    await asyncio.gather(work("a", 1), work("b", 1), work("c", 2))
    # a and b share key 1: never interleaved; c (key 2) ran beside them.
    assert order.index("a out") < order.index("b in")
    assert len(locks) == 0


async def test_a_waiter_keeps_the_lock_and_one_cancelled_while_waiting_does_not() -> None:
    locks: KeyedLocks[str] = KeyedLocks()
    release = asyncio.Event()

    async def hold() -> None:
        async with locks.hold("channel"):
            await release.wait()

    holder = asyncio.create_task(hold())
    await asyncio.sleep(0)
    waiter = asyncio.create_task(hold())
    await asyncio.sleep(0)
    assert len(locks) == 1
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert len(locks) == 1  # the holder still has it
    release.set()
    await holder
    assert len(locks) == 0


async def test_ten_thousand_keys_leave_nothing_behind() -> None:
    locks: KeyedLocks[int] = KeyedLocks()
    for key in range(10_000):
        async with locks.hold(key):
            pass
    assert len(locks) == 0


async def test_an_error_inside_releases_and_prunes() -> None:
    locks: KeyedLocks[int] = KeyedLocks()
    with pytest.raises(RuntimeError):
        async with locks.hold(7):
            raise RuntimeError("boom")
    assert len(locks) == 0
    async with locks.hold(7):  # and the key can be taken again
        assert len(locks) == 1
