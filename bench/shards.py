"""Shard processes: 8 servers, each with a live poll, each clicked by N new members within 5 s,
against the bot as one process running 4 shards and as 2 processes running 2 shards each, on
one SQLite store, with the bare bot (bench/barebot.py) in each layout as the floor. Reports
acknowledgement latency, exact counts, tally edits per second, CPU per vote and acknowledged
votes missing from the store. `python -m bench.postgres` runs the same on PostgreSQL.
Run: `.venv/bin/python -m bench.shards [--voters N --seconds S]`.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.fakediscord import FakeDiscord, Interaction

from .load import ACK_WINDOW, machine
from .proc import BenchBot
from .shard_stores import SqliteVotes, VoteStore
from .stage import validation

SERVERS = 8
SHARDS = 4
ONE, TWO = ("0-3",), ("0-1", "2-3")
OPTIONS = "Yes; No"
TIMEOUT = 10.0
# Longer than the bot's interval between two tally edits of one poll (2 s).
QUIET = 2.5


@dataclass(frozen=True)
class Run:
    """One measurement: which bot, as how many processes (each a SHARD_IDS), on which store
    (None: the bare bot, which stores nothing)."""

    label: str
    layout: tuple[str, ...]
    store: VoteStore | None = None


async def post(fd: FakeDiscord, server: Any, bare: bool) -> Any:
    """A live poll in the server (the bare bot: its /ping with vote buttons)."""
    if bare:
        ix = await fd.slash(server.members[0], server.channel, "ping")
    else:
        ix = await fd.slash(
            server.members[0],
            server.channel,
            "poll create",
            question=f"Does {server.guild.name} like the finale?",
            options=OPTIONS,
            duration="1h",
        )
    if not ix.reply or not ix.reply.buttons():
        raise RuntimeError(f"no buttons posted: {ix.text()}")
    return ix.reply


def shown(fd: FakeDiscord, message: Any) -> list[int]:
    text = fd.message(message.id).embeds[0]["description"]
    return [int(n) for n in re.findall(r"\d+% · (\d+)", text)]


async def settle(fd: FakeDiscord, store: VoteStore, messages: list[Any]) -> tuple[bool, float]:
    """Whether every poll message shows exactly the stored votes within 30 s, and when they
    last changed. The store is read only once the messages have stopped changing for a tally
    edit's interval (the benchmark's own queries would otherwise add to the server's CPU)."""
    deadline = time.monotonic() + 30
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        now = [shown(fd, m) for m in messages]
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= QUIET:
            if now == [await store.counts(m.id) for m in messages]:
                return True, since
            since = time.monotonic()  # not yet: look again after another quiet interval
        await asyncio.sleep(0.1)
    return False, since


def processes(run: Run, fd: FakeDiscord, folder: Path) -> list[BenchBot]:
    """The run's bot processes, not started yet (each SHARD_IDS a process)."""
    kind = "bare" if run.store is None else "real"
    env = {"SHARD_COUNT": str(SHARDS), **(run.store.env() if run.store else {})}
    return [BenchBot(fd, folder, kind, env={**env, "SHARD_IDS": ids}) for ids in run.layout]


async def start(bots: list[BenchBot], run: Run) -> None:
    for bot, ids in zip(bots, run.layout, strict=True):
        low, _, high = ids.partition("-")
        await bot.start_shards(range(int(low), int(high) + 1), SHARDS)


async def burst(
    fd: FakeDiscord, messages: list[Any], crowds: list[list[Any]], seconds: float
) -> tuple[list[Interaction], float]:
    """Every member of each crowd clicks its server's message once, the clicks of all servers
    interleaved and spread evenly over `seconds`."""
    clicks = [
        (message, crowd[n], message.buttons()[n % 2]["custom_id"])
        for n in range(len(crowds[0]))
        for message, crowd in zip(messages, crowds, strict=True)
    ]
    started = time.monotonic()

    async def click(k: int, message: Any, member: Any, custom_id: str) -> Interaction:
        await asyncio.sleep(max(0.0, started + k * seconds / len(clicks) - time.monotonic()))
        return await fd.click(member, message, custom_id, timeout=TIMEOUT)

    done = await asyncio.gather(*(click(k, *c) for k, c in enumerate(clicks)))
    return list(done), started


async def measure(run: Run, voters: int, seconds: float, folder: Path) -> dict[str, Any]:
    """Start the run's bots on a new emulator with the servers and their crowds, post a poll
    in each server, and time the burst."""
    fd = FakeDiscord()
    await fd.start()
    bots: list[BenchBot] = []
    try:
        servers = fd.add_guilds(SERVERS, shard_count=SHARDS, members=1)
        crowds = [
            [fd.add_member(s.guild, f"{s.guild.name}-fan{i}") for i in range(voters)]
            for s in servers
        ]
        # Made before starting, so a start that times out still stops the ones running.
        bots = processes(run, fd, Path(tempfile.mkdtemp(dir=folder)))
        await start(bots, run)
        messages = [await post(fd, s, run.store is None) for s in servers]
        result = await clicked(run, fd, bots, messages, crowds, seconds)
        return result | {
            "HTTP 429": fd.rate_limited,
            "invalid requests": len([v for v in fd.violations if v.kind != "late_ack"]),
        }
    finally:
        for bot in bots:
            await bot.stop()
        if run.store is not None:
            await run.store.close()
        await fd.close()


async def clicked(
    run: Run,
    fd: FakeDiscord,
    bots: list[BenchBot],
    messages: list[Any],
    crowds: list[list[Any]],
    seconds: float,
) -> dict[str, Any]:
    """The burst, then (the real bot) until every poll shows what the store holds."""
    edits_before = [fd.message(m.id).edit_count for m in messages]
    bot_before, load_before = sum(b.cpu_seconds() for b in bots), time.process_time()
    server_before = run.store.server_cpu() if run.store else 0.0
    done, started = await burst(fd, messages, crowds, seconds)
    # The poll messages show what the store holds once the last coalesced edit landed; the
    # CPU counted includes those edits.
    exact, settled = await settle(fd, run.store, messages) if run.store else (None, 0.0)
    elapsed = (settled if run.store else time.monotonic()) - started
    cpu = (
        sum(b.cpu_seconds() for b in bots) - bot_before,
        run.store.server_cpu() - server_before if run.store else 0.0,
        time.process_time() - load_before,
    )
    edits = sum(
        fd.message(m.id).edit_count - e for m, e in zip(messages, edits_before, strict=True)
    )
    stored = await run.store.voters() if run.store else set()
    return figures(run, done, exact, edits / elapsed, cpu, stored)


def figures(
    run: Run,
    done: list[Interaction],
    exact: bool | None,
    edits_per_second: float,
    cpu: tuple[float, float, float],
    stored: set[int],
) -> dict[str, Any]:
    """What one burst showed: what members were told, how fast, at what CPU, and whether the
    store holds exactly what they were told."""
    n = len(done)
    told = [ix for ix in done if "Your vote" in ix.text()]
    in_time = [ix for ix in told if ix.acked_after is not None and ix.acked_after < ACK_WINDOW]
    latencies = sorted(ix.acked_after for ix in done if ix.acked_after is not None)
    told_ids = {ix.user.id for ix in told}
    bot_cpu, server_cpu, load_cpu = cpu
    result: dict[str, Any] = {
        "clicks": n,
        "votes acknowledged within 3 s": len(in_time),
        "told busy (nothing saved)": sum(1 for ix in done if "busy" in ix.text()),
        "answered at all": len(latencies),
        "ack p50 ms": round(1000 * statistics.median(latencies)) if latencies else None,
        "ack p99 ms": round(1000 * statistics.quantiles(latencies, n=100)[98])
        if len(latencies) > 1
        else None,
        "bot CPU ms per vote": round(1000 * bot_cpu / n, 3),
    }
    if run.store is None:
        return result | {"emulator + members CPU ms per vote": round(1000 * load_cpu / n, 3)}
    if run.store.has_server:
        result[f"{run.store.name} server CPU ms per vote"] = round(1000 * server_cpu / n, 3)
    return result | {
        "bot + store CPU ms per vote": round(1000 * (bot_cpu + server_cpu) / n, 3),
        "emulator + members CPU ms per vote": round(1000 * load_cpu / n, 3),
        "every count exact (message = store)": exact,
        "tally edits per second": round(edits_per_second, 2),
        "acknowledged votes not stored": len(told_ids - stored),
        "stored votes not acknowledged": len(stored - told_ids),
    }


def sqlite_runs(folder: Path) -> list[Run]:
    return [
        Run("bare, 1 process × 4 shards", ONE),
        Run("SQLite, 1 process × 4 shards", ONE, SqliteVotes(folder / "one.db")),
        Run("bare, 2 processes × 2 shards", TWO),
        Run("SQLite, 2 processes × 2 shards", TWO, SqliteVotes(folder / "two.db")),
    ]


def print_results(results: list[tuple[str, dict[str, Any]]]) -> None:
    """One Markdown table: a column per run, a row per figure (blank where it does not apply)."""
    keys = list(dict.fromkeys(k for _, r in results for k in r))
    print("| | " + " | ".join(label for label, _ in results) + " |")
    print("|---|" + "---|" * len(results))
    for key in keys:
        print(f"| {key} | " + " | ".join(_cell(r.get(key)) for _, r in results) + " |")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    return f"{value:,}" if isinstance(value, int) else str(value)


def arguments(doc: str | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--voters", type=int, default=1000, help="per server")
    parser.add_argument("--seconds", type=float, default=5.0)
    return parser.parse_args()


def main() -> None:
    args = arguments(__doc__)
    folder = Path(tempfile.mkdtemp(prefix="watchparty-bench-"))
    print(f"Machine: {machine()}; OpenAPI validation: {validation()}")
    print(f"{SERVERS} servers × {args.voters:,} voters within {args.seconds:g} s\n")
    results = []
    for run in sqlite_runs(folder):
        results.append((run.label, asyncio.run(measure(run, args.voters, args.seconds, folder))))
    print_results(results)


if __name__ == "__main__":
    main()
