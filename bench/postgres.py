"""PostgreSQL against SQLite, each beside the bare bot (issue 15).

1. Shard processes: 8 servers, each with a live poll clicked by N new members within S
   seconds, on (a) one process running 4 shards on SQLite, (b) two processes running 2 shards
   each on one PostgreSQL server; the bare bot (bench/barebot.py) in each layout is the floor,
   and two processes on SQLite are run too, so the store is the only difference from (b).
2. /recap from distinct members, 200 at a time: the bare bot, the real bot on SQLite and on
   PostgreSQL, repeats alternating (bench/scenarios.py).

The PostgreSQL server is a throwaway one (harness/postgres.py) with PostgreSQL's default
durability (every commit flushed to disk), on the same disk as the SQLite files; its CPU is
read from /proc (the postmaster and every connection's process) and shown beside the bots'.
Run: `.venv/bin/python -m bench.postgres [--voters N --seconds S --recap N --repeats R]`.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.postgres import PostgresServer

from . import scenarios
from .load import Summary, machine
from .report import print_table
from .shard_stores import PostgresVotes, SqliteVotes
from .shards import ONE, SERVERS, TWO, Run, measure, print_results
from .stage import stage, validation

RECAP_CONCURRENCY = 200


async def shard_runs(server: PostgresServer, folder: Path, name: str) -> list[Run]:
    """The floor and the real bot in each layout; a new database for each real run."""
    return [
        Run("bare, 1 process × 4 shards", ONE),
        Run("SQLite, 1 process × 4 shards", ONE, SqliteVotes(folder / f"{name}-one.db")),
        Run("bare, 2 processes × 2 shards", TWO),
        Run("SQLite, 2 processes × 2 shards", TWO, SqliteVotes(folder / f"{name}-two.db")),
        Run(
            "PostgreSQL, 2 processes × 2 shards",
            TWO,
            await PostgresVotes.create(server, f"{name}_two"),
        ),
    ]


async def shards(
    server: PostgresServer, folder: Path, voters: int, seconds: float
) -> list[tuple[str, dict[str, Any]]]:
    results = []
    for run in await shard_runs(server, folder, "shards"):
        results.append((run.label, await measure(run, voters, seconds, folder)))
    return results


async def recap(
    server: PostgresServer, folder: Path, count: int, repeats: int
) -> tuple[dict[str, Summary], float]:
    """/recap on the three bots; and the PostgreSQL server's CPU per /recap sent to the bot
    on it (over the whole section: it idles while the other two bots' repeats run)."""
    database = await PostgresVotes.create(server, "recap")
    async with (
        stage("bare", folder) as bare,
        stage("real", folder, label="real, SQLite") as lite,
        stage("real", folder, label="real, PostgreSQL", env=database.env()) as pg,
    ):
        before = database.server_cpu()
        results = await scenarios.recap(
            [bare, lite, pg], count=count, concurrency=RECAP_CONCURRENCY, repeats=repeats
        )
        used = database.server_cpu() - before
    sent = count * repeats + scenarios.WARM_UP
    return results, 1000 * used / sent


@dataclass
class Report:
    shards: list[tuple[str, dict[str, Any]]]
    recap: dict[str, Summary] = field(default_factory=dict)
    recap_server_ms: float = 0.0  # the PostgreSQL server's CPU per /recap


async def everything(voters: int, seconds: float, recaps: int, repeats: int) -> Report:
    """Both sections on one throwaway PostgreSQL server, started and removed here."""
    folder = Path(tempfile.mkdtemp(prefix="watchparty-bench-"))
    server = PostgresServer(database="watchparty_bench", durable=True)
    await asyncio.to_thread(server.start)
    try:
        report = Report(await shards(server, folder, voters, seconds))
        if recaps:
            report.recap, report.recap_server_ms = await recap(server, folder, recaps, repeats)
        return report
    finally:
        await asyncio.to_thread(server.stop)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.postgres", description=__doc__)
    parser.add_argument("--voters", type=int, default=1000, help="per server")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--recap", type=int, default=1000, help="/recaps per repeat; 0: none")
    parser.add_argument("--repeats", type=int, default=5, help="of the /recap section")
    args = parser.parse_args()
    print(f"Command: python -m bench.postgres {shlex.join(sys.argv[1:])}".rstrip())
    print(f"Machine at the start: {machine()}")
    print(f"OpenAPI validation: {validation()}; rate limits: on\n")
    report = asyncio.run(everything(args.voters, args.seconds, args.recap, args.repeats))
    title = f"{SERVERS} servers × {args.voters:,} voters within {args.seconds:g} s"
    print(f"## Shard processes: {title}\n")
    print_results(report.shards)
    if report.recap:
        print(f"\n## /recap, public reply, concurrency {RECAP_CONCURRENCY}\n")
        print_table([(f"/recap, concurrency {RECAP_CONCURRENCY}", report.recap)])
        print(f"\nPostgreSQL server CPU per /recap: {report.recap_server_ms:.3f} ms")
    print(f"\nMachine at the end: {machine()}")


if __name__ == "__main__":
    main()
