"""The load driver: interactions from distinct members, at a fixed concurrency or an even pace.

Latency is what the emulator records per interaction (`acked_after`: from dispatching
INTERACTION_CREATE on the gateway to the bot's callback arriving), the figure Discord's
3-second rule is about. CPU is the bot process's own (user + system), so the emulator and
the members, which run in this process on the same cores, are not counted against the bot.
"""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version

from harness.fakediscord import Interaction, Member

from .proc import BenchBot

# Discord's rule: the first response within 3 seconds of the interaction, or it fails.
ACK_WINDOW = 3.0
# How long after the last answer the bot may still be working for the batch (it receives
# MESSAGE_CREATE for every public reply it sent); counted in its CPU time.
SETTLE = 0.3

Send = Callable[[Member, int], Awaitable[Interaction]]


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def answered_in_time(ix: Interaction) -> bool:
    return ix.acked_after is not None and ix.acked_after < ACK_WINDOW and not ix.callback_errors


@dataclass(frozen=True)
class Batch:
    sent: int
    latencies: list[float]  # seconds, of the interactions answered within 3 s
    wall: float  # first send to last answer
    bot_cpu: float  # seconds of the bot process's CPU over the batch
    load_cpu: float  # seconds of this process's CPU: the emulator and the members
    choices: float = 0.0  # autocomplete choices per answer, on average

    @property
    def within_3s(self) -> int:
        return len(self.latencies)

    @property
    def p50_ms(self) -> float:
        return 1000 * statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p99_ms(self) -> float:
        return 1000 * percentile(self.latencies, 0.99) if self.latencies else float("nan")

    @property
    def per_second(self) -> float:
        return self.sent / self.wall

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.bot_cpu / self.sent


async def drive(
    bot: BenchBot,
    members: Sequence[Member],
    send: Send,
    *,
    concurrency: int | None = None,
    spread: float | None = None,
) -> Batch:
    """One interaction per member: at most `concurrency` waiting at once, or started evenly
    over `spread` seconds (a crowd clicking), whichever is given."""
    count = len(members)
    results: list[Interaction] = []
    cpu_before, load_before = bot.cpu_seconds(), time.process_time()
    started = time.monotonic()
    if spread is not None:

        async def paced(i: int) -> Interaction:
            await asyncio.sleep(started + spread * i / count - time.monotonic())
            return await send(members[i], i)

        results = list(await asyncio.gather(*(paced(i) for i in range(count))))
    else:
        queue = iter(range(count))

        async def worker() -> None:
            for i in queue:
                results.append(await send(members[i], i))

        await asyncio.gather(*(worker() for _ in range(concurrency or 1)))
    wall = time.monotonic() - started
    await asyncio.sleep(SETTLE)
    return Batch(
        sent=count,
        latencies=[ix.acked_after or 0.0 for ix in results if answered_in_time(ix)],
        wall=wall,
        bot_cpu=bot.cpu_seconds() - cpu_before,
        load_cpu=time.process_time() - load_before,
        choices=statistics.mean(len(ix.choices) for ix in results),
    )


@dataclass(frozen=True)
class Summary:
    """Medians over repeated batches."""

    repeats: int
    sent: int
    within_3s: int  # the fewest of any repeat
    p50_ms: float
    p50_range: tuple[float, float]  # the fastest and slowest repeat's p50: how noisy the run was
    p99_ms: float
    per_second: float
    cpu_ms: float
    load_cpu_ms: float
    choices: float

    @classmethod
    def of(cls, batches: Sequence[Batch]) -> Summary:
        def median(values: list[float]) -> float:
            return statistics.median(values)

        return cls(
            repeats=len(batches),
            sent=batches[0].sent,
            within_3s=min(b.within_3s for b in batches),
            p50_ms=median([b.p50_ms for b in batches]),
            p50_range=(min(b.p50_ms for b in batches), max(b.p50_ms for b in batches)),
            p99_ms=median([b.p99_ms for b in batches]),
            per_second=median([b.per_second for b in batches]),
            cpu_ms=median([b.cpu_ms for b in batches]),
            load_cpu_ms=median([1000 * b.load_cpu / b.sent for b in batches]),
            choices=median([b.choices for b in batches]),
        )


def machine() -> str:
    """Where and when: architecture, cores, CPU model, Python, discord.py, date (UTC)."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            model = next(
                (line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")),
                model,
            )
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0))  # what `nproc` says: the cores this run may use
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    return (
        f"{datetime.now(UTC):%Y-%m-%d}, {platform.machine()}, {cores} cores ({model}), "
        f"Python {platform.python_version()}, discord.py {version('discord.py')}; "
        f"load average {load}"
    )
