"""Shard processes: 8 servers, each with a live poll, each clicked by N new members within 5 s,
against the bot as one process running 4 shards, then as 2 processes running 2 shards each
(one SQLite store). Reports acknowledgement latency, exact counts, tally edits per second, CPU
per vote and acknowledged votes missing from the store.
Run: `.venv/bin/python -m bench.shards [--voters N --seconds S]`.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from harness.fakediscord import FakeDiscord
from harness.process import BotProcess

from .load import machine
from .proc import cpu_seconds

SERVERS = 8
SHARDS = 4
LAYOUTS = {"1 process × 4 shards": ["0-3"], "2 processes × 2 shards": ["0-1", "2-3"]}
OPTIONS = "Yes; No"


async def post(fd: FakeDiscord, server: Any) -> Any:
    ix = await fd.slash(
        server.members[0],
        server.channel,
        "poll create",
        question=f"Does {server.guild.name} like the finale?",
        options=OPTIONS,
        duration="1h",
    )
    if not ix.reply or not ix.reply.buttons():
        raise RuntimeError(f"no poll posted: {ix.text()}")
    return ix.reply


def shown(fd: FakeDiscord, message: Any) -> list[int]:
    text = fd.message(message.id).embeds[0]["description"]
    return [int(n) for n in re.findall(r"\d+% · (\d+)", text)]


def stored_counts(database: Path, message: Any) -> list[int]:
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT o.position, (SELECT count(*) FROM votes AS v WHERE v.poll_id = o.poll_id"
            " AND v.position = o.position) FROM poll_options AS o JOIN polls AS p"
            " ON p.id = o.poll_id WHERE p.message_id = ? ORDER BY o.position",
            (message.id,),
        ).fetchall()
    return [n for _, n in rows]


async def settle(fd: FakeDiscord, database: Path, messages: list[Any]) -> bool:
    """Whether every poll message shows exactly the stored votes within 30 s."""
    for _ in range(300):
        if all(shown(fd, m) == stored_counts(database, m) for m in messages):
            return True
        await asyncio.sleep(0.1)
    return False


async def measure(layout: list[str], voters: int, seconds: float, folder: Path) -> dict[str, Any]:
    fd = FakeDiscord()
    await fd.start()
    database = folder / f"{len(layout)}-processes.db"
    processes = [BotProcess(fd, database) for _ in layout]
    try:
        servers = fd.add_guilds(SERVERS, shard_count=SHARDS, members=1)
        crowds = [
            [fd.add_member(s.guild, f"{s.guild.name}-fan{i}") for i in range(voters)]
            for s in servers
        ]
        for process, ids in zip(processes, layout, strict=True):
            process.env.update(SHARD_COUNT=str(SHARDS), SHARD_IDS=ids)
            low, _, high = ids.partition("-")
            await process.start_shards(range(int(low), int(high) + 1), SHARDS)
        messages = [await post(fd, s) for s in servers]
        edits_before = [fd.message(m.id).edit_count for m in messages]
        pids = [p.process.pid for p in processes if p.process is not None]
        cpu_before = sum(cpu_seconds(pid) for pid in pids)
        clicks = [
            (message, member, message.buttons()[n % 2]["custom_id"])
            for n in range(voters)
            for message, crowd in zip(messages, crowds, strict=True)
            for member in crowd[n : n + 1]
        ]
        started = time.monotonic()

        async def click(k: int, message: Any, member: Any, custom_id: str) -> Any:
            await asyncio.sleep(max(0.0, started + k * seconds / len(clicks) - time.monotonic()))
            return await fd.click(member, message, custom_id, timeout=10)

        done = await asyncio.gather(*(click(k, *c) for k, c in enumerate(clicks)))
        counted = [ix for ix in done if "Your vote" in ix.text()]
        # The poll messages show what the store holds once the last coalesced edit landed.
        settled = await settle(fd, database, messages)
        elapsed = time.monotonic() - started
        cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
        latencies = sorted(ix.acked_after for ix in done if ix.acked_after is not None)
        acked = sum(1 for ix in counted if ix.acked_after is not None and ix.acked_after < 3.0)
        with sqlite3.connect(database) as db:
            stored = db.execute("SELECT count(*) FROM votes").fetchone()[0]
        edits = sum(
            fd.message(m.id).edit_count - e for m, e in zip(messages, edits_before, strict=True)
        )
        return {
            "clicks": len(clicks),
            "votes acknowledged within 3 s": acked,
            "told busy (nothing saved)": sum(1 for ix in done if "busy" in ix.text()),
            "answered at all": len(latencies),
            "ack p50 ms": round(1000 * statistics.median(latencies)),
            "ack p99 ms": round(1000 * statistics.quantiles(latencies, n=100)[98]),
            "every count exact": settled,
            "tally edits per second": round(edits / elapsed, 2),
            "CPU ms per vote": round(1000 * cpu / len(clicks), 3),
            "acknowledged votes not stored": max(0, len(counted) - stored),
            "HTTP 429": fd.rate_limited,
            "invalid requests": len([v for v in fd.violations if v.kind != "late_ack"]),
        }
    finally:
        for process in processes:
            await process.stop()
        await fd.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--voters", type=int, default=1000, help="per server")
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="watchparty-bench-"))
    print(machine())
    print(f"{SERVERS} servers × {args.voters:,} voters within {args.seconds:g} s, one SQLite store")
    for name, layout in LAYOUTS.items():
        result = asyncio.run(measure(layout, args.voters, args.seconds, folder))
        print(f"\n{name}")
        for key, value in result.items():
            print(f"  {key:30} {value}")


if __name__ == "__main__":
    main()
