"""Autocomplete on a large catalog: 1,000 shows of 60 episodes (60,000 episodes).

Times the store queries behind the show and episode autocompletes, alone: no Discord, no bot
process, no rendering. A diagnostic for a query's share, not what a member waits for; that is
`python -m bench` (docs/benchmarks.md). Run: `.venv/bin/python -m bench.autocomplete`.
"""

from __future__ import annotations

import asyncio
import os
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path

from bot.models import Episode, EpisodeFile, Show, ShowFile
from bot.store import Store
from cogs.utils.catalog import episode_choices, show_choices

WORDS = [
    "night",
    "long",
    "station",
    "orbit",
    "signal",
    "harbor",
    "winter",
    "quiet",
    "empire",
    "red",
    "north",
    "glass",
]


def catalog(shows: int, episodes: int) -> list[ShowFile]:
    rng = random.Random(7)
    files = []
    for s in range(shows):
        title = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {s}"
        eps = tuple(
            EpisodeFile(
                Episode(
                    season=1 + e // 10,
                    number=1 + e % 10,
                    title=f"{rng.choice(WORDS).title()} {e}",
                    synopsis="A set-up.",
                    recap="What happens. " * 40,
                    ending="How it ends. " * 20,
                )
            )
            for e in range(episodes)
        )
        files.append(ShowFile(show=Show(slug=f"show-{s}", title=title), episodes=eps))
    return files


async def timed(calls: list, rounds: int = 1) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        for call in calls:
            started = time.perf_counter()
            await call()
            samples.append(1000 * (time.perf_counter() - started))
    samples.sort()
    return statistics.median(samples), samples[int(0.99 * (len(samples) - 1))]


async def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="watchparty-bench-"))
    store = await Store.open(folder / "catalog.db")
    started = time.perf_counter()
    for i, data in enumerate(catalog(1000, 60)):
        await store.catalog.import_show(data, f"show-{i}.toml")
    load = time.perf_counter() - started
    typed = ["", "n", "ni", "nig", "night", "orb", "zzz", "Station 4"]
    show_p50, show_p99 = await timed([lambda t=t: show_choices(store, t) for t in typed], rounds=25)
    keys = [f"show-{i}" for i in range(0, 1000, 50)]
    episode_calls = [
        lambda k=k, t=t: episode_choices(store, k, None, t)
        for k in keys
        for t in ("", "S3E4", "7", "winter")
    ]
    ep_p50, ep_p99 = await timed(episode_calls, rounds=5)
    await store.close()
    print(
        f"autocomplete on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print("  catalog            1000 shows, 60000 episodes")
    print(f"  import             {load:.1f} s")
    print(f"  show choices       p50 {show_p50:.2f} ms  p99 {show_p99:.2f} ms")
    print(f"  episode choices    p50 {ep_p50:.2f} ms  p99 {ep_p99:.2f} ms")


if __name__ == "__main__":
    asyncio.run(main())
