"""Stopping `python -m bot` with SIGTERM (as systemd does) while it is busy: what is under way
finishes, with Discord and the store still open, then the process exits with status 0 and logs
no error, on SQLite and on PostgreSQL (whose pool answered "pool is closing" to the queries of
tasks still running when it closed)."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from harness.process import BotProcess
from tests.conftest import Databases, Scene, acked_in_time
from tests.stores import query
from tests.test_polls import create, eventually
from tests.test_watchparty import EPISODE

CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"


async def test_sigterm_lets_work_under_way_finish_and_logs_no_error(
    world: Scene, databases: Databases, tmp_path: Path
) -> None:
    fd = world.fd
    target = await databases()
    process = BotProcess(fd, target)
    process.log = tmp_path / "bot.log"
    try:
        await process.start()
        # Every timer has work: a poll's deadline, a watch party's steps (it has started).
        await create(world, duration="1h")
        party = await fd.slash(
            world.mod, world.channel, "watchparty schedule", start="in 1s", length="1h", **EPISODE
        )
        assert acked_in_time(party), party.text()
        started = "SELECT count(*) FROM watch_parties WHERE reminded_at IS NOT NULL"
        assert await eventually(lambda: query(target, started) == [(1,)], within=10)
        # A /poll create under way when the stop comes: Discord is still taking its answer,
        # and the poll's message id is written after it.
        held = fd.hold("POST", CALLBACK)
        asking = asyncio.create_task(
            fd.slash(world.alice, world.channel, "poll create", question="Stay?", options="Yes; No")
        )
        await asyncio.wait_for(held.reached.wait(), 10)
        assert process.process is not None
        process.process.send_signal(signal.SIGTERM)
        # Long enough for the stop to reach Discord's session and the store, were it not to
        # wait; short enough that the answer still comes within Discord's 3 seconds.
        await asyncio.sleep(0.5)
        held.release.set()
        ix = await asking
        code = await asyncio.wait_for(process.process.wait(), 30)
    finally:
        await process.stop()
    log = process.log.read_text(encoding="utf-8")
    assert code == 0, log
    assert "ERROR" not in log and "Traceback" not in log, log
    assert acked_in_time(ix) and "Stay?" in ix.text(), ix.text()
    # The handler ran to its end before the store closed: the poll knows its message.
    assert query(target, "SELECT message_id FROM polls WHERE question = 'Stay?'") == [
        (ix.reply.id,)
    ]
