"""Vote burst: 2,000 distinct members click one live poll within about 5 seconds.

The bot runs as its own process (`python -m bot`), the emulator and the clicking members
in this one, over loopback. Reports acknowledgement latency, tally edits, 429s and lost
votes. Run: `make bench` or `.venv/bin/python -m bench.vote_burst [--voters N --seconds S]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from harness.fakediscord import FakeDiscord
from harness.process import BotProcess


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def run(voters: int, seconds: float) -> dict[str, object]:
    fd = FakeDiscord()
    await fd.start()
    guild = fd.add_guild("Bench")
    channel = fd.add_channel(guild, "episodes")
    host = fd.add_member(guild, "host")
    members = [fd.add_member(guild, f"fan{i}") for i in range(voters)]
    folder = Path(tempfile.mkdtemp(prefix="watchparty-bench-"))
    database = folder / "bench.db"
    process = BotProcess(fd, database)
    try:
        await process.start()
        ix = await fd.slash(
            host,
            channel,
            "poll create",
            question="Is Ed sympathetic to the workers?",
            options="Yes; No; A bit of both; Too early to tell",
            duration="1h",
        )
        message = ix.reply
        ids = [b["custom_id"] for b in message.buttons()]
        edits_before = fd.message(message.id).edit_count
        started = time.monotonic()

        async def vote(i: int) -> float | None:
            # Spread the clicks evenly over the window, as a crowd would.
            await asyncio.sleep(started + seconds * i / voters - time.monotonic())
            click = await fd.click(members[i], message, ids[i % len(ids)])
            return click.acked_after if not click.callback_errors else None

        latencies = await asyncio.gather(*(vote(i) for i in range(voters)))
        burst = time.monotonic() - started
        expected = [sum(1 for i in range(voters) if i % len(ids) == k) for k in range(len(ids))]

        def shown() -> list[int]:
            text = fd.message(message.id).embeds[0]["description"]
            return [int(n) for n in re.findall(r"\d+% · (\d+)", text)]

        for _ in range(150):  # the last coalesced edit lands within a few seconds
            if shown() == expected:
                break
            await asyncio.sleep(0.1)
        settled = time.monotonic() - started
        acked = [lat for lat in latencies if lat is not None]
        with sqlite3.connect(database) as db:
            stored = db.execute("SELECT count(*) FROM votes").fetchone()[0]
        edits = fd.message(message.id).edit_count - edits_before
        return {
            "voters": voters,
            "burst_seconds": round(burst, 2),
            "acknowledged": len(acked),
            "within_3s": sum(1 for lat in acked if lat < 3.0),
            "ack_p50_ms": round(1000 * statistics.median(acked), 1),
            "ack_p99_ms": round(1000 * percentile(acked, 0.99), 1),
            "ack_max_ms": round(1000 * max(acked), 1),
            "stored_votes": stored,
            "lost_votes": len(acked) - stored,
            "final_tally_exact": shown() == expected,
            "tally_edits": edits,
            "edits_per_second": round(edits / settled, 2),
            "http_429": fd.rate_limited,
            "violations": len(fd.violations),
        }
    finally:
        await process.stop()
        await fd.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    result = asyncio.run(run(args.voters, args.seconds))
    print(
        f"vote burst on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    for key, value in result.items():
        print(f"  {key:18} {value}")


if __name__ == "__main__":
    main()
