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
import itertools
import random
import re
import shutil
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from bot import limits
from bot.catalog import importer
from bot.models import Viewer
from bot.store import Store
from bot.store.search import search_terms
from harness.fakediscord import Interaction, Member

from .catalog_import import write_catalog
from .load import Summary, machine, percentile
from .scenarios import TIMEOUT, alternate, caught_up, warm_up
from .stage import Stage, imported, stage, validation

# What members type into the text option's autocomplete: nothing, a letter, a few.
TYPED = ("", "o", "or", "win", "kelt", "silver b")


def queries(data: Path) -> list[str]:
    """Five searches on the generated catalog: its most common word, two common words, an
    episode title, a rare word, and a word nobody wrote."""
    words = common_words(data, 200)
    title = re.search(
        r'^title = "(.+)"$', (data / "show-7.toml").read_text().split("[[episodes]]")[1], re.M
    )
    assert title is not None
    return [words[0], f"{words[5]} {words[12]}", title[1], words[-1], "zebra"]


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


def uncached(store: Store, call: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[Any]]:
    """The query itself each time: what the search cache keeps is forgotten first."""

    async def run() -> Any:
        store.search.forget()
        return await call()

    return run


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
                uncached(store, partial(store.search.search, search_terms(q), who, None, limit))
                for q in queries(data)
            ]
            figures[f"search, {label}"] = await timed(calls, rounds)
        one_show = await store.catalog.find_show("show-7")
        assert one_show is not None
        calls = [
            uncached(
                store, partial(store.search.search, search_terms(q), BEHIND, one_show.id, limit)
            )
            for q in queries(data)
        ]
        figures["search, one show"] = await timed(calls, rounds)
        names = [
            uncached(store, partial(store.search.names, t, limits.AUTOCOMPLETE_CHOICES))
            for t in TYPED
        ]
        figures["names (autocomplete)"] = await timed(names, rounds)
        return figures
    finally:
        await store.close()


def common_words(data: Path, count: int = 40) -> list[str]:
    """The catalog's most common recap words: each pair of them matches many episodes."""
    text = " ".join(p.read_text() for p in sorted(data.glob("*.toml"))[:3])
    words = Counter(w.lower() for w in re.findall(r"[A-Za-z]{4,}", text))
    return [w for w, _ in words.most_common(count + 20) if w not in _KEYS][:count]


# Words of the data format itself, which every file repeats.
_KEYS = {
    "episodes",
    "cast",
    "actor",
    "character",
    "title",
    "synopsis",
    "recap",
    "ending",
    "season",
    "number",
    "runtime",
    "links",
    "label",
    "polls",
    "question",
    "options",
    "spoiler",
    "terms",
    "tvmaze",
    "show",
    "https",
    "example",
    "date",
    "time",
    "air_date",
}


def sender(st: Stage, texts: Sequence[str]) -> Callable[[Member, int], Awaitable[Interaction]]:
    """Sends `texts` in turn, each once per round through them, whatever the batch."""
    turn = itertools.count()

    async def send(member: Member, i: int) -> Interaction:
        text = texts[next(turn) % len(texts)]
        return await st.fd.slash(member, st.channel, "search", timeout=TIMEOUT, text=text)

    return send


async def end_to_end(
    data: Path, folder: Path, count: int, repeats: int, quick: bool
) -> dict[str, Summary]:
    """The real bot and the bare one, in turn, on the same texts; 1 and 20 in flight."""
    results: dict[str, Summary] = {}
    words = common_words(data, 80)
    # Every search a new pair of common words: nothing kept helps, each ranks many matches.
    fresh = [f"{a} {b}" for a in words for b in words if a < b]
    random.Random(5).shuffle(fresh)
    repeated = queries(data)
    per_case = count * repeats
    async with (
        stage("real", folder, data_dir=data, ready_timeout=IMPORT_TIMEOUT) as real,
        stage("bare", folder) as bare,
    ):
        await imported(real, data, IMPORT_TIMEOUT)
        stages = [bare, real]
        for st in stages:
            await warm_up(st, sender(st, repeated))
        cases: list[tuple[str, Sequence[str], int]] = [
            ("repeated words", repeated, 1),
            ("repeated words", repeated, 20),
            ("new words each time", fresh[:per_case], 1),
            ("new words each time", fresh[per_case : 2 * per_case], 20),
        ]
        for label, texts, concurrency in cases:
            senders = {st.label: sender(st, texts) for st in stages}
            found = await alternate(
                stages, senders, count=count, repeats=repeats, concurrency=concurrency
            )
            for bot, summary in found.items():
                results[f"/search, {label}, concurrency {concurrency}, {bot}"] = summary
        if not quick:
            await caught_up(real)
            senders = {real.label: sender(real, repeated)}
            found = await alternate([real], senders, count=count, repeats=repeats, concurrency=1)
            results["/search, caught up, concurrency 1, real"] = found[real.label]
        real.check()
        bare.check()
    return results


async def main(quick: bool) -> None:
    where = machine()
    folder = Path(tempfile.mkdtemp(prefix="watchparty-search-"))
    try:
        data = folder / "data"
        data.mkdir()
        size = write_catalog(data)
        print(f"Machine: {where}")
        print(f"OpenAPI validation: {validation()}; rate limits: on")
        print(f"Catalog: 20,000 episodes, {size / 1e6:.1f} MB of TOML")
        for label, (p50, p99) in (await query_only(data, folder, 3 if quick else 20)).items():
            print(f"  query only, {label:22} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms")
        count, repeats = (50, 1) if quick else (200, 3)
        found = await end_to_end(data, folder, count, repeats, quick)
        for label, s in found.items():
            print(
                f"  {label:56} {s.sent} x {s.repeats}: within 3 s {s.within_3s}, ack p50"
                f" {s.p50_ms:.1f} ms, p99 {s.p99_ms:.1f} ms, bot CPU {s.cpu_ms:.2f} ms each"
            )
        for label, s in found.items():
            floor = found.get(label.replace(", real", ", bare"))
            if label.endswith(", real") and floor is not None:
                print(
                    f"  {label[:-6]:50} real / bare: p50 {s.p50_ms / floor.p50_ms:.2f}x,"
                    f" p99 {s.p99_ms / floor.p99_ms:.2f}x, CPU {s.cpu_ms / floor.cpu_ms:.2f}x"
                )
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and interactions")
    asyncio.run(main(parser.parse_args().quick))
