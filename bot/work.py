"""Every task started on the bot's behalf, so that closing the bot can wait for them.

discord.py starts a task for each event, interaction and view callback, and the features start
their own (timers, start DMs, vote writes); `Client.close()` waits for none of them. Those still
running once Discord's session and the store were closed failed there: asyncpg's "pool is
closing", aiosqlite's closed connection, aiohttp's "Session is closed", each logged as an error.

`Work.track()` marks the current task's context: from then on, a task created in it, or in a
task created from it (the gateway's, every handler's), joins the bot's set through the event
loop's task factory, and leaves it when it ends. Another bot in the same loop (the tests' shard
processes) has its own set; a task of no bot's (a test's, the emulator's) joins none.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import Coroutine, Generator
from typing import Any

_OWNER: contextvars.ContextVar[Work | None] = contextvars.ContextVar(
    "watchparty_work", default=None
)

# After `finish`'s wait, what is left is cancelled and given this long to unwind.
UNWIND = 2.0


class Work:
    """The tasks started on one bot's behalf that are still running."""

    def __init__(self) -> None:
        self.running: set[asyncio.Task[Any]] = set()

    def track(self) -> None:
        """From now on, count every task the current task creates (and those create, on down)."""
        _OWNER.set(self)
        loop = asyncio.get_running_loop()
        if not isinstance(loop.get_task_factory(), _Factory):
            loop.set_task_factory(_Factory(loop.get_task_factory()))

    def _add(self, task: asyncio.Task[Any]) -> None:
        self.running.add(task)
        task.add_done_callback(self.running.discard)

    async def finish(self, within: float) -> list[str]:
        """Wait up to `within` seconds for every task to end, the caller's own aside (also
        those started meanwhile); then cancel what is left and let it unwind. The names of the
        tasks that had to be cancelled."""
        me = asyncio.current_task()
        deadline = time.monotonic() + within
        while (left := self.running - {me}) and time.monotonic() < deadline:
            await asyncio.wait(left, timeout=deadline - time.monotonic())
        left = self.running - {me}
        for task in left:
            task.cancel()
        if left:
            await asyncio.wait(left, timeout=UNWIND)
        return sorted(task.get_name() for task in left)


class _Factory:
    """The loop's task factory: makes the task as before, then gives it to its bot's `Work`."""

    def __init__(self, previous: Any) -> None:
        self.previous = previous

    def __call__(
        self,
        loop: asyncio.AbstractEventLoop,
        coro: Coroutine[Any, Any, Any] | Generator[Any, None, Any],
        context: contextvars.Context | None = None,
    ) -> asyncio.Task[Any]:
        if self.previous is not None:
            # As the loop calls a factory: without `context` unless one was given.
            extra = {} if context is None else {"context": context}
            task = self.previous(loop, coro, **extra)
        else:
            task = asyncio.Task(coro, loop=loop, context=context)
        owner = _OWNER.get() if context is None else context.get(_OWNER)
        if owner is not None:
            owner._add(task)
        return task
