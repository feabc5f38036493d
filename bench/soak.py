"""Soak: months of a busy server, compressed into minutes, watching the bot's memory.

The real bot (`python -m bot`, its own process) gets 100,000 interactions over 2,000 polls and
200 watch parties: votes, /recap, episode autocomplete, /discuss, polls created and closed,
parties scheduled. Time is compressed: polls stay open seconds, not days, and parties start
and end within the run, so the bot's deadlines (polls closing, party reminders and ends) fire
throughout, as they would over months. Its resident memory (VmRSS in /proc/PID/status) is
sampled every second; the verdict is whether, after the first 10 % of the interactions, it
stays within 10 % of what it was then: state kept per poll, party or channel and never
dropped would show as steady growth.

Run: `.venv/bin/python -m bench.soak [--scale 0.01]` (a scale of 0.01 takes under a minute).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.fakediscord import CommandError

from . import scenarios
from .load import answered_in_time, machine
from .memory import Memory, Sampler
from .soak_actions import ACTIONS, FAILED, Deadlines, Soak
from .stage import BenchError, Stage, stage

FULL_INTERACTIONS, FULL_POLLS, FULL_PARTIES = 100_000, 2_000, 200
SETTLE_MOST = 60.0  # how late a deadline may fire before it counts as missed
# The rest of the interactions, after poll creates, closes and party schedules.
MIX = {"vote": 60, "recap": 15, "autocomplete": 15, "discuss": 10}


@dataclass(frozen=True)
class Plan:
    interactions: int
    polls: int
    parties: int
    members: int
    channels: int
    concurrency: int = 20
    seed: int = 14
    deadlines: Deadlines = field(default_factory=Deadlines)

    @classmethod
    def scaled(cls, scale: float, concurrency: int = 20, seed: int = 14) -> Plan:
        def of(full: int, least: int) -> int:
            return max(least, round(full * scale))

        return cls(
            interactions=of(FULL_INTERACTIONS, 200),
            polls=of(FULL_POLLS, 4),
            parties=of(FULL_PARTIES, 1),
            members=of(2_000, 50),
            # Spread so that per-channel rate limits, met a hundred times sooner than on a real
            # server, do not decide every figure.
            channels=of(50, 2),
            concurrency=concurrency,
            seed=seed,
        )


def steps(plan: Plan, rng: random.Random) -> list[str]:
    """What each interaction is, shuffled; a poll's create comes before votes can reach it."""
    closes = plan.polls // 4
    fixed = ["poll"] * plan.polls + ["close"] * closes + ["party"] * plan.parties
    rest = plan.interactions - len(fixed)
    if rest < 0:
        raise BenchError("more polls and parties than interactions: raise the scale")
    kinds = list(MIX)
    fixed += rng.choices(kinds, weights=[MIX[k] for k in kinds], k=rest)
    rng.shuffle(fixed)
    first_poll = fixed.index("poll") if "poll" in fixed else 0
    fixed.insert(0, fixed.pop(first_poll))
    return fixed


async def drive(soak: Soak, kinds: list[str], concurrency: int) -> None:
    queue = iter(kinds)

    async def worker() -> None:
        for kind in queue:
            try:
                ix = await ACTIONS[kind](soak)
            except CommandError:
                soak.refused[kind] += 1
                ix = None
            soak.done += 1
            soak.kinds[kind] += 1
            if ix is not None and not answered_in_time(ix):  # late, or an error
                soak.late += 1
            if ix is not None and FAILED in ix.text():
                soak.failed += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))


def missed(st: Stage) -> tuple[int, int]:
    """Polls past their deadline still open, and parties past their end not ended (nor
    cancelled), from the bot's store. (A party's end posts the episode's poll for a day:
    that one is not due.)"""
    uri = f"{Path(st.bot.env['DATABASE_PATH']).resolve().as_uri()}?mode=ro"
    now = time.time()
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        polls = db.execute(
            "SELECT count(*) FROM polls WHERE closed_at IS NULL AND closes_at <= ?", (now,)
        ).fetchone()[0]
        parties = db.execute(
            "SELECT count(*) FROM watch_parties"
            " WHERE ended_at IS NULL AND cancelled_at IS NULL AND ends_at <= ?",
            (now,),
        ).fetchone()[0]
    return int(polls), int(parties)


async def settle(st: Stage, last_deadline: float) -> tuple[int, int]:
    """Wait for the last deadlines to pass and fire: every poll closed, every party ended."""
    await asyncio.sleep(max(0.0, last_deadline - time.time()))
    give_up = time.monotonic() + SETTLE_MOST
    left = missed(st)
    while left != (0, 0) and time.monotonic() < give_up:
        await asyncio.sleep(1.0)
        left = missed(st)
    return left


@dataclass(frozen=True)
class Report:
    plan: Plan
    seconds: float
    done: int
    late: int
    failed: int
    kinds: dict[str, int]
    refused: dict[str, int]
    missed: tuple[int, int]  # polls past their deadline still open, parties not ended
    memory: Memory
    rate_limited: int

    def lines(self) -> list[str]:
        plan = self.plan
        return [
            f"Plan: {plan.interactions:,} interactions, {plan.polls:,} polls, "
            f"{plan.parties:,} watch parties, {plan.members:,} members, {plan.channels} "
            f"channels, concurrency {plan.concurrency}",
            f"Done: {self.done:,} in {self.seconds:.0f} s ({self.done / self.seconds:.0f}/s); "
            f"answered late or not at all: {self.late:,}; with an error: {self.failed:,}; "
            f"HTTP 429: {self.rate_limited:,}",
            f"Mix: {dict(sorted(self.kinds.items()))}; refused by the client: "
            f"{dict(self.refused) or 'none'}",
            f"Deadlines missed: polls past due still open {self.missed[0]}, parties not ended "
            f"{self.missed[1]}",
            *self.memory.lines(),
        ]


async def prepare(st: Stage) -> dict[str, Any]:
    """Members without progress count as caught up (every /recap public), no early party
    reminders (parties start seconds after they are scheduled); /recap's options."""
    await scenarios.caught_up(st)
    ix = await st.fd.slash(st.moderator, st.channel, "config reminders", before="0")
    if "Saved" not in ix.text():
        raise BenchError(f"/config reminders failed: {ix.text()}")
    return await scenarios.recap_options(st)


async def run(plan: Plan) -> Report:
    folder = Path(tempfile.mkdtemp(prefix="watchparty-soak-"))
    rng = random.Random(plan.seed)
    async with stage("real", folder, spare_channels=plan.channels - 1) as st:
        recap = await prepare(st)
        members = [st.fd.add_member(st.guild, f"viewer{n}") for n in range(plan.members)]
        channels = [st.channel, *st.spare_channels]
        soak = Soak(st, rng, recap, channels, members, plan.deadlines)
        assert st.bot.process is not None
        sampler = Sampler(st.bot.process.pid, lambda: soak.done)
        started = time.monotonic()
        async with sampler.running():
            await drive(soak, steps(plan, rng), plan.concurrency)
            seconds = time.monotonic() - started
            left = await settle(st, time.time() + plan.deadlines.longest)
        st.check()
        return Report(
            plan,
            seconds,
            soak.done,
            soak.late,
            soak.failed,
            dict(soak.kinds),
            dict(soak.refused),
            left,
            Memory(sampler.samples, plan.interactions),
            st.fd.rate_limited,
        )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument(
        "--scale", type=float, default=1.0, help="share of the full run (0.01: under a minute)"
    )
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    plan = Plan.scaled(args.scale, args.concurrency, args.seed)
    print(f"Machine: {machine()}")
    report = asyncio.run(run(plan))
    for line in report.lines():
        print(line)


if __name__ == "__main__":
    main()
