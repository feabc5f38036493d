"""A process's resident memory over a long run, and whether it stops growing.

Sampled from VmRSS in /proc/PID/status (Linux): the memory the process holds in RAM, what an
operator's `top` shows and what the kernel's out-of-memory killer weighs.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

SAMPLE_EVERY = 1.0  # seconds
BASELINE_SHARE = 0.10  # the RSS once this share of the work is done is the reference:
# start-up, imports and caches filling up are over by then
TOLERANCE = 0.10  # how far above the reference RSS may go and still pass


def rss_kib(pid: int) -> int:
    """The process's resident memory in KiB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


@dataclass(frozen=True)
class Sample:
    done: int  # units of work finished when it was taken
    at: float  # seconds since sampling began
    rss_kib: int


@dataclass
class Sampler:
    """Samples `pid`'s RSS every second while `running()`, with how much work was done."""

    pid: int
    done: Callable[[], int]
    samples: list[Sample] = field(default_factory=list)

    def take(self, started: float) -> None:
        self.samples.append(Sample(self.done(), time.monotonic() - started, rss_kib(self.pid)))

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        started = time.monotonic()

        async def loop() -> None:
            while True:
                self.take(started)
                await asyncio.sleep(SAMPLE_EVERY)

        task = asyncio.create_task(loop())
        try:
            yield
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            self.take(started)  # the last word: after everything the run waited for


@dataclass(frozen=True)
class Memory:
    samples: list[Sample]
    planned: int  # the work the run planned: BASELINE_SHARE of it marks the reference

    def baseline(self) -> Sample:
        wanted = BASELINE_SHARE * self.planned
        return next((s for s in self.samples if s.done >= wanted), self.samples[-1])

    def after_baseline(self) -> list[Sample]:
        return self.samples[self.samples.index(self.baseline()) :]

    def growth(self, rss: int) -> float:
        return rss / self.baseline().rss_kib - 1

    @property
    def within(self) -> bool:
        """Every sample from the reference to the end within TOLERANCE of it."""
        return all(self.growth(s.rss_kib) <= TOLERANCE for s in self.after_baseline())

    def at_share(self, share: float) -> Sample:
        return next((s for s in self.samples if s.done >= share * self.planned), self.samples[-1])

    def lines(self) -> list[str]:
        base, end = self.baseline(), self.samples[-1]
        peak = max(self.after_baseline(), key=lambda s: s.rss_kib)
        marks = ", ".join(f"{self.at_share(x).rss_kib / 1024:.1f}" for x in (0.25, 0.5, 0.75, 1))

        def mib(sample: Sample) -> str:
            return f"{sample.rss_kib / 1024:.1f} MiB"

        return [
            f"RSS at {BASELINE_SHARE:.0%}: {mib(base)} (after {base.done:,}); "
            f"at 25/50/75/100 %: {marks} MiB; at the end: {mib(end)}",
            f"Peak after {BASELINE_SHARE:.0%}: {mib(peak)} ({self.growth(peak.rss_kib):+.1%}); "
            f"end: {self.growth(end.rss_kib):+.1%}",
            f"Verdict: RSS {'stays' if self.within else 'does NOT stay'} within "
            f"{TOLERANCE:.0%} of the {BASELINE_SHARE:.0%} mark to the end "
            f"({len(self.samples)} samples, one a second)",
        ]
