"""bot/work.py: the tasks started on the bot's behalf, which a shutdown waits for (the whole
shutdown, as a process: tests/test_shutdown.py)."""

from __future__ import annotations

import asyncio

from bot.work import Work


async def test_finish_waits_for_the_bots_tasks_and_cancels_what_outlasts_it() -> None:
    work = Work()
    finished: list[str] = []
    started: list[asyncio.Task[None]] = []

    async def brief(name: str) -> None:
        await asyncio.sleep(0.05)
        finished.append(name)

    async def endless() -> None:
        await asyncio.sleep(3600)

    async def spawner() -> None:
        started.append(asyncio.create_task(brief("grandchild")))

    async def the_bot() -> None:
        # As setup_hook does: from here on, this task's children (and theirs) are the bot's.
        work.track()
        started.append(asyncio.create_task(brief("child")))
        started.append(asyncio.create_task(spawner()))
        started.append(asyncio.create_task(endless(), name="a timer nobody stopped"))

    await asyncio.create_task(the_bot())
    outsider = asyncio.create_task(endless())  # the test's own task: no bot's
    cut = await work.finish(0.5)
    assert cut == ["a timer nobody stopped"]
    assert sorted(finished) == ["child", "grandchild"]
    assert not work.running
    assert not outsider.done()
    outsider.cancel()


async def test_finish_does_not_wait_for_its_caller() -> None:
    work = Work()

    async def closing() -> list[str]:
        work.track()
        return await work.finish(5.0)

    # A task of the bot's that closes it (as discord.py does on a fatal gateway error).
    task = asyncio.create_task(closing())
    assert await asyncio.wait_for(task, 1.0) == []
