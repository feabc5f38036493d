"""Vote burst: 2,000 distinct members click one live poll within about 5 seconds.

The bare bot (answering each click of a persistent button with a fixed private reply) runs
first as the floor, then the real bot (`python -m bot`) on a real poll; each is its own
process, the emulator and the clicking members are in this one, over loopback. Reports
acknowledgement latency, CPU per click, tally edits, 429s and lost votes.
Run: `.venv/bin/python -m bench.vote_burst [--voters N --seconds S]` (or `make bench`, which
runs every benchmark).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from harness.fakediscord import Interaction, Member, Message

from .load import Batch, Summary, drive, machine
from .report import print_table
from .shard_stores import COUNTS
from .stage import BenchError, Stage, stage

TIMEOUT = 10.0


async def vote_message(st: Stage, channel: Any) -> Message:
    """A message with vote buttons: a real poll, or the bare bot's /ping."""
    if st.bot.kind == "real":
        ix = await st.fd.slash(
            st.moderator,
            channel,
            "poll create",
            question="Is Ed sympathetic to the workers?",
            options="Yes; No; A bit of both; Too early to tell",
            duration="1h",
        )
    else:
        ix = await st.fd.slash(st.moderator, channel, "ping")
    if not ix.reply.buttons():
        raise BenchError(f"{st.label} bot posted no buttons: {ix.text()}")
    return ix.reply


async def burst(
    st: Stage, voters: int, seconds: float, channel: Any
) -> tuple[Batch, dict[str, Any]]:
    """One poll (or the bare bot's buttons), clicked by `voters` new members over `seconds`."""
    message = await vote_message(st, channel)
    ids = [b["custom_id"] for b in message.buttons()]
    edits_before = st.fd.message(message.id).edit_count

    async def click(member: Member, i: int) -> Interaction:
        return await st.fd.click(member, message, ids[i % len(ids)], timeout=TIMEOUT)

    cpu_before, started = st.bot.cpu_seconds(), time.monotonic()
    stored_before = stored_votes(st) if st.bot.kind == "real" else 0
    batch = await drive(st.bot, st.members(voters), click, spread=seconds)
    extra: dict[str, Any] = {}
    if st.bot.kind == "real":
        extra = await settle_tally(st, message, edits_before, started)
        extra["lost_votes"] = batch.within_3s - (stored_votes(st) - stored_before)
    # The real bot's CPU includes the coalesced tally edits that follow the burst.
    batch = dataclasses.replace(batch, bot_cpu=st.bot.cpu_seconds() - cpu_before)
    st.check()
    return batch, extra


async def settle_tally(
    st: Stage, message: Message, edits_before: int, started: float
) -> dict[str, Any]:
    """Wait for the last coalesced tally edit; does the poll show what the store holds?

    The store, not every click: a click answered too late is not counted (cogs/polls/_votes.py),
    and `lost_votes` compares the store with the clicks answered in time."""

    def shown() -> list[int]:
        text = st.fd.message(message.id).embeds[0]["description"]
        return [int(n) for n in re.findall(r"\d+% · (\d+)", text)]

    for _ in range(150):  # the last coalesced edit lands within a few seconds
        if shown() == stored_counts(st, message.id):
            break
        await asyncio.sleep(0.1)
    settled = time.monotonic() - started
    edits = st.fd.message(message.id).edit_count - edits_before
    return {
        "final_tally_exact": shown() == stored_counts(st, message.id),
        "tally_edits": edits,
        "edits_per_second": round(edits / settled, 2),
    }


def stored_counts(st: Stage, message_id: int) -> list[int]:
    """The poll's stored votes per option, in the options' order."""
    with sqlite3.connect(st.bot.env["DATABASE_PATH"]) as db:
        return [n for _, n in db.execute(COUNTS, (message_id,)).fetchall()]


def stored_votes(st: Stage) -> int:
    with sqlite3.connect(st.bot.env["DATABASE_PATH"]) as db:
        count: int = db.execute("SELECT count(*) FROM votes").fetchone()[0]
    return count


@contextmanager
def competitor(on: bool) -> Iterator[None]:
    """A CPU-bound process beside the bots (a busy neighbour on a small VPS), for at most
    ten minutes: the burst must degrade gracefully, not collapse."""
    if not on:
        yield
        return
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time\nend = time.time() + 600\nwhile time.time() < end: pass",
        ]
    )
    try:
        yield
    finally:
        process.kill()
        process.wait()


async def run(
    voters: int, seconds: float, repeats: int = 1, *, compete: bool = False
) -> tuple[dict[str, Summary], dict[str, Any]]:
    """Bursts on the bare bot and the real bot in turn, each on its own emulator with the
    same settings; a new poll for each burst; `compete` adds a CPU-bound process."""
    folder = Path(tempfile.mkdtemp(prefix="watchparty-bench-"))
    batches: dict[str, list[Batch]] = {"bare": [], "real": []}
    checks: list[dict[str, Any]] = []
    # Each burst in a channel of its own: Discord's edit limit (5 per 5 s) is per channel, and
    # the tally edits of the poll before would share it (see docs/benchmarks.md).
    spares = repeats - 1
    async with (
        stage("bare", folder, spare_channels=spares) as bare,
        stage("real", folder, spare_channels=spares) as real,
    ):
        for n in range(repeats):
            for st in (bare, real):
                channel = [st.channel, *st.spare_channels][n]
                with competitor(compete):
                    batch, extra = await burst(st, voters, seconds, channel)
                batches[st.label].append(batch)
                checks += [extra] if extra else []
        details = {
            "every final tally exact": all(c["final_tally_exact"] for c in checks),
            "lost votes": sum(c["lost_votes"] for c in checks),
            "tally edits per burst": [c["tally_edits"] for c in checks],
            "tally edits per second": [c["edits_per_second"] for c in checks],
            "HTTP 429 (bare, real)": (bare.fd.rate_limited, real.fd.rate_limited),
        }
    return {label: Summary.of(runs) for label, runs in batches.items()}, details


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    results, details = asyncio.run(run(args.voters, args.seconds, args.repeats))
    print(machine())
    print_table([(f"vote burst, {args.voters:,} clicks over {args.seconds:g} s", results)])
    for key, value in details.items():
        print(f"  {key:24} {value}")


if __name__ == "__main__":
    main()
