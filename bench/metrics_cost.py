"""What the metrics cost: /recap on the real bot with METRICS_ADDR set and without.

Two real bot processes (`python -m bot`, bench/stage.py), alike but for METRICS_ADDR, answer
the same /recap from distinct members, repeats alternating between them; the figure that
matters is the bot process's CPU per interaction. Afterwards the bot with metrics is scraped
once, to show it counted every /recap it was sent (any outcome: on a busy machine some
expire before they are answered, and are counted so).

Run: `.venv/bin/python -m bench.metrics_cost [--quick]`.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import socket
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from pathlib import Path
from types import SimpleNamespace

import aiohttp
import discord
from prometheus_client.parser import text_string_to_metric_families

from bot import metrics

from . import scenarios
from .load import Summary, machine
from .report import print_table
from .stage import BenchError, Stage, stage, validation

# The target the project set: metrics on costs at most 5 % more CPU per /recap.
TARGET = 1.05


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def recaps_counted(port: int) -> float:
    """Every /recap the bot counted, whatever its outcome."""
    url = f"http://127.0.0.1:{port}/metrics"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        text = await response.text()
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "watchparty_interactions_total" and sample.labels["command"] == "recap"
    )


async def compare(count: int, concurrency: int, repeats: int) -> dict[str, Summary]:
    folder = Path(tempfile.mkdtemp(prefix="watchparty-bench-metrics-"))
    port = free_port()
    async with AsyncExitStack() as stack:

        async def start(label: str, env: dict[str, str]) -> Stage:
            return await stack.enter_async_context(stage("real", folder, label=label, env=env))

        off = await start("metrics off", {"METRICS_ADDR": ""})
        on = await start("metrics on", {"METRICS_ADDR": f"127.0.0.1:{port}"})
        results = await scenarios.recap(
            [off, on], count=count, concurrency=concurrency, repeats=repeats
        )
        counted = await recaps_counted(port)
        expected = scenarios.WARM_UP + count * repeats
        if counted != expected:
            raise BenchError(f"the bot with metrics counted {counted:g} /recap, not {expected}")
    return results


def bookkeeping_us(rounds: int = 20_000) -> float:
    """Microseconds of metrics bookkeeping per /recap, in this process: receipt, the
    acknowledgement seen on the HTTP trace, and the count. Steadier than the CPU comparison on
    a shared machine, and what that comparison should differ by."""
    m = metrics.Metrics(discord.Client(intents=discord.Intents.none()))
    metrics.activate(m)
    data = {"name": "recap", "type": 1, "options": [{"name": "show", "type": 3, "value": "x"}]}
    interactions = [
        SimpleNamespace(id=i, type=discord.InteractionType.application_command, data=data)
        for i in range(rounds)
    ]
    try:
        started = time.perf_counter()
        for ix in interactions:
            metrics.received(ix)  # type: ignore[arg-type]
            m.acked(ix.id, 200)
            metrics.finished(ix)  # type: ignore[arg-type]
        return (time.perf_counter() - started) / rounds * 1e6
    finally:
        metrics.activate(None)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.metrics_cost", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer interactions and repeats")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=200,
        help="interactions in flight (lower it on a busy machine, where many would expire)",
    )
    args = parser.parse_args()
    count, repeats = (200, 3) if args.quick else (1000, 7)
    where = machine()
    results = asyncio.run(compare(count, args.concurrency, repeats))
    print(f"Command: python -m bench.metrics_cost {shlex.join(sys.argv[1:])}".rstrip())
    print(f"Machine: {where}")
    print(f"OpenAPI validation: {validation()}; rate limits: on")
    print()
    print_table([(f"/recap, public reply, concurrency {args.concurrency}", results)])
    ratio = results["metrics on"].cpu_ms / results["metrics off"].cpu_ms
    verdict = "within" if ratio <= TARGET else "OVER"
    print(f"\nBot CPU per /recap, metrics on / off: {ratio:.3f} ({verdict} the 5 % target)")
    print(f"Metrics bookkeeping per /recap, in-process: {bookkeeping_us():.1f} µs")


if __name__ == "__main__":
    main()
