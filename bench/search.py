"""/search on a 20,000-episode catalog: the query alone, and end to end through the emulator.

The catalog is bench/catalog_import.py's (100 shows x 200 episodes in real TOML, recaps of
~1,500 characters from a small invented vocabulary, so a common word matches nearly every
episode: the worst case for ranking and counting). Two figures:

* the store's `search.search` and `search.names` alone, in this process, for a member behind
  (every recap and ending match only counted) and one caught up (snippets read);
* `/search` through the emulator against the real bot process (`python -m bot`, bench/stage.py),
  acknowledgement latency as Discord's 3-second rule counts it, and the bot's CPU.

Run: `.venv/bin/python -m bench.search [--quick]`.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from bot import importer, limits
from bot.models import Viewer
from bot.store import Store
from bot.store.search import search_terms
from harness.fakediscord import Interaction, Member

from .catalog_import import write_catalog
from .load import Summary, drive, machine, percentile
from .scenarios import TIMEOUT, caught_up
from .stage import BenchError, Stage, stage

# Common words (in nearly every recap), a name and a word, a title's two words, one show, and
# a word nobody wrote.
QUERIES = ("harbor", "Orvan lantern", "Winter Signal", "captain mirror", "zebra")
TYPED = ("", "o", "or", "win", "kelt", "silver b")
BEHIND = Viewer(1, 2, unset_is_behind=True)
CAUGHT_UP = Viewer(None, 2, unset_is_behind=False)
IMPORT_TIMEOUT = 600


async def timed(calls: Sequence[Callable[[], Awaitable[Any]]], rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        for call in calls:
            started = time.perf_counter()
            await call()
            samples.append(1000 * (time.perf_counter() - started))
    return statistics.median(samples), percentile(samples, 0.99)


async def query_only(data: Path, folder: Path, rounds: int) -> dict[str, tuple[float, float]]:
    store = await Store.open(folder / "query.db")
    try:
        started = time.perf_counter()
        await importer.import_folder(store, data)
        print(f"  import with the search index  {time.perf_counter() - started:.1f} s")
        limit = limits.EMBEDS_PER_MESSAGE
        figures = {}
        for label, who in (("behind", BEHIND), ("caught up", CAUGHT_UP)):
            calls = [
                partial(store.search.search, search_terms(q), who, None, limit) for q in QUERIES
            ]
            figures[f"search, {label}"] = await timed(calls, rounds)
        one_show = await store.catalog.find_show("show-7")
        assert one_show is not None
        calls = [
            partial(store.search.search, search_terms(q), BEHIND, one_show.id, limit)
            for q in QUERIES
        ]
        figures["search, one show"] = await timed(calls, rounds)
        names = [partial(store.search.names, t, limits.AUTOCOMPLETE_CHOICES) for t in TYPED]
        figures["names (autocomplete)"] = await timed(names, rounds)
        return figures
    finally:
        await store.close()


async def imported(st: Stage) -> None:
    """Wait for the bot's background import of the catalog: the last file's show answers."""
    deadline = time.monotonic() + IMPORT_TIMEOUT
    while time.monotonic() < deadline:
        shows = await st.fd.autocomplete(
            st.moderator, st.channel, "recap", focused="show", show="show-99"
        )
        if shows:
            return
        await asyncio.sleep(2)
    raise BenchError("the bot did not import the catalog in time")


def sender(st: Stage) -> Callable[[Member, int], Awaitable[Interaction]]:
    async def send(member: Member, i: int) -> Interaction:
        text = QUERIES[i % len(QUERIES)]
        return await st.fd.slash(member, st.channel, "search", timeout=TIMEOUT, text=text)

    return send


async def end_to_end(data: Path, folder: Path, count: int, repeats: int) -> dict[str, Summary]:
    results: dict[str, Summary] = {}
    async with stage("real", folder, data_dir=data, ready_timeout=IMPORT_TIMEOUT) as st:
        await imported(st)
        send = sender(st)
        for i, member in enumerate(st.members(20)):  # warm-up, untimed
            await send(member, i)
        for label, concurrency in (("behind", 1), ("behind", 20)):
            batches = [
                await drive(st.bot, st.members(count), send, concurrency=concurrency)
                for _ in range(repeats)
            ]
            results[f"/search, {label}, concurrency {concurrency}"] = Summary.of(batches)
        await caught_up(st)
        batches = [
            await drive(st.bot, st.members(count), send, concurrency=1) for _ in range(repeats)
        ]
        results["/search, caught up, concurrency 1"] = Summary.of(batches)
        st.check()
    return results


async def main(quick: bool) -> None:
    where = machine()
    folder = Path(tempfile.mkdtemp(prefix="watchparty-search-"))
    try:
        data = folder / "data"
        data.mkdir()
        size = write_catalog(data)
        print(f"Machine: {where}")
        print(f"Catalog: 20,000 episodes, {size / 1e6:.1f} MB of TOML")
        for label, (p50, p99) in (await query_only(data, folder, 3 if quick else 20)).items():
            print(f"  query only, {label:22} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms")
        count, repeats = (50, 1) if quick else (200, 3)
        for label, s in (await end_to_end(data, folder, count, repeats)).items():
            print(
                f"  {label:34} {s.sent} x {s.repeats}: within 3 s {s.within_3s}, ack p50"
                f" {s.p50_ms:.1f} ms, p99 {s.p99_ms:.1f} ms, bot CPU {s.cpu_ms:.2f} ms each"
            )
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and interactions")
    asyncio.run(main(parser.parse_args().quick))
