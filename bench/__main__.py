"""Every benchmark, each against the bare discord.py bot and the real bot, in one table.

Run: `make bench` (or `.venv/bin/python -m bench [--quick] [--data-dir FOLDER]`).
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
import tempfile
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import scenarios, vote_burst
from .load import Summary, machine
from .report import print_table
from .stage import Stage, imported, stage, validation

# A first start on a large catalog imports every file before the bot connects.
CATALOG_READY_TIMEOUT = 600


@dataclass(frozen=True)
class Plan:
    repeats: int
    recap: int
    recap_concurrency: int
    autocomplete: int
    autocomplete_serial: int
    voters: int
    vote_seconds: float


# 2,000 votes in 2 s: 1,000 a second offered, the target the project set itself.
FULL = Plan(5, 1000, 200, 500, 200, 2000, 2.0)
# Same concurrency and pace, fewer interactions: to try a change without hogging the machine.
QUICK = Plan(2, 200, 200, 100, 50, 400, 1.0)

Sections = list[tuple[str, dict[str, Summary]]]


async def interactive(plan: Plan, data_dir: Path | None) -> Sections:
    folder = Path(tempfile.mkdtemp(prefix="watchparty-bench-"))
    sections: Sections = []
    async with AsyncExitStack() as stack:

        async def start(kind: str, **options: Any) -> Stage:
            return await stack.enter_async_context(stage(kind, folder, **options))

        real = await start("real")
        # The floor offers as many episode choices as the real bot, so the emulator checks
        # answers of the same size from both.
        bare = await start("bare", env={"BARE_CHOICES": str(await scenarios.offered(real))})
        c = plan.recap_concurrency
        results = await scenarios.recap(
            [bare, real], count=plan.recap, concurrency=c, repeats=plan.repeats
        )
        sections.append((f"/recap, public reply, concurrency {c}", results))
        stages = [bare, real]
        if data_dir is not None:
            big = await start(
                "real",
                data_dir=data_dir,
                label=f"real, {data_dir.name}",
                ready_timeout=CATALOG_READY_TIMEOUT,
            )
            await imported(big, data_dir, CATALOG_READY_TIMEOUT)
            n = await scenarios.offered(big)
            stages += [await start("bare", label=f"bare, {n}", env={"BARE_CHOICES": str(n)}), big]
        for count, concurrency in ((plan.autocomplete, 20), (plan.autocomplete_serial, 1)):
            results = await scenarios.autocomplete(
                stages, count=count, concurrency=concurrency, repeats=plan.repeats
            )
            sections.append((f"episode autocomplete, concurrency {concurrency}", results))
    return sections


async def everything(
    plan: Plan, data_dir: Path | None, with_votes: bool = True
) -> tuple[Sections, dict[str, Any]]:
    sections = await interactive(plan, data_dir)
    if not with_votes:
        return sections, {}
    votes, details = await vote_burst.run(plan.voters, plan.vote_seconds, plan.repeats)
    title = f"vote burst, {plan.voters:,} clicks over {plan.vote_seconds:g} s"
    sections.append((title, votes))
    # The same burst while a CPU-bound process competes for the machine's two cores.
    busy, busy_details = await vote_burst.run(
        plan.voters, plan.vote_seconds, plan.repeats, compete=True
    )
    sections.append((f"{title}, beside a CPU-bound process", busy))
    details.update({f"{key} (beside a busy process)": v for key, v in busy_details.items()})
    return sections, details


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer interactions and repeats")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="also time autocomplete on the real bot with this folder of data files",
    )
    parser.add_argument(
        "--no-votes", action="store_true", help="only /recap and autocomplete, no vote bursts"
    )
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    # Before the run: how busy the shared machine already was (the load average).
    where = machine()
    sections, details = asyncio.run(everything(plan, args.data_dir, not args.no_votes))
    print(f"Command: python -m bench {shlex.join(sys.argv[1:])}".rstrip())
    print(f"Machine: {where}")
    print(f"OpenAPI validation: {validation()}; rate limits: on")
    print()
    print_table(sections)
    if details:
        print()
        print("Vote burst, the real bot:")
    for key, value in details.items():
        print(f"  {key:24} {value}")


if __name__ == "__main__":
    main()
