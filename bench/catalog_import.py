"""A 20,000-episode catalog in the documented data-file format, imported cold and warm.

Writes 100 shows x 10 seasons x 20 episodes as real TOML (recaps of ~1,500 characters, 10-16
cast, links, spoiler terms, one poll each) to a temporary folder, then measures the first
import (through `bot.importer.import_folder` and through `python -m bot import`), a re-start
with nothing changed, the process's peak RSS, and the autocomplete queries on the result.
Run: `.venv/bin/python -m bench.catalog_import`.
"""

from __future__ import annotations

import asyncio
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot import importer
from bot.store import Store
from cogs.utils.catalog import episode_choices, show_choices

SHOWS, SEASONS, EPISODES = 100, 10, 20

# Invented words, so the text is the project's own.
_TEXT = {
    "words": """
        night station orbit signal harbor winter quiet empire north glass river engine letter
        captain mother archive tunnel garden silver border witness storm bridge theory market
        doctor island mirror shadow promise crown ladder summer lantern valley council""",
    "verbs": "finds loses hides breaks follows warns trusts leaves answers buries",
    "names": "Orvan Keltrin Mirasol Dabney Isolde Pecos Tamsin Varga Quillon Ebbe Rusk",
}
WORDS, VERBS, NAMES = (_TEXT[key].split() for key in ("words", "verbs", "names"))


def sentence(rng: random.Random) -> str:
    words = [rng.choice(NAMES), rng.choice(VERBS), "the", rng.choice(WORDS)]
    words += [rng.choice(WORDS) for _ in range(rng.randint(4, 9))]
    return " ".join(words) + "."


def prose(rng: random.Random, chars: int) -> str:
    """About `chars` characters of text, wrapped the way the shipped files wrap it."""
    text = ""
    while len(text) < chars:
        text += sentence(rng) + " "
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) > 88:
            lines.append(line)
            line = ""
        line += word + " "
    lines.append(line.rstrip())
    return '"""\n' + "\\\n".join(lines) + '"""'


def episode(rng: random.Random, show: int, season: int, number: int) -> str:
    cast = "".join(
        f'\n[[episodes.cast]]\nactor = "{rng.choice(NAMES)} {rng.choice(NAMES)}son {i}"\n'
        f'character = "{rng.choice(NAMES)}"\n'
        for i in range(rng.randint(10, 16))
    )
    tvmaze = 100_000 + show * 1_000 + season * 50 + number
    return f"""
[[episodes]]
season = {season}
number = {number}
title = "{rng.choice(WORDS).title()} {rng.choice(WORDS).title()}"
tvmaze_id = {tvmaze}
runtime = {rng.randint(40, 62)}
air_date = 20{10 + season:02d}-0{1 + number % 9}-{1 + number:02d}
air_time = "21:00"
synopsis = {prose(rng, 250)}
recap = {prose(rng, 1500)}
ending = {prose(rng, 300)}
spoiler_terms = ["{rng.choice(NAMES).lower()} dies", "{rng.choice(WORDS)} {rng.choice(NAMES).lower()}*"]
{cast}
[[episodes.links]]
label = "TVmaze"
url = "https://www.tvmaze.com/episodes/{tvmaze}"

[[episodes.polls]]
question = "Did {rng.choice(NAMES)} make the right call?"
options = ["Yes", "No", "Too soon to say"]
"""


def write_catalog(folder: Path, shows: int = SHOWS) -> int:
    """Writes the data files; returns their total size in bytes."""
    rng = random.Random(20)
    total = 0
    for s in range(shows):
        title = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {s}"
        parts = [
            f'[show]\nslug = "show-{s}"\ntitle = "{title}"\ngenres = ["Drama"]\n'
            f"tvmaze_id = {s + 1}\nruntime = {{ min = 40, max = 62 }}\n"
            f'network = "Channel {s % 7}"\nstatus = "Running"\n'
            f'\n[[show.links]]\nlabel = "TVmaze"\nurl = "https://www.tvmaze.com/shows/{s + 1}"\n'
        ]
        parts += [
            episode(rng, s, season, number)
            for season in range(1, SEASONS + 1)
            for number in range(1, EPISODES + 1)
        ]
        path = folder / f"show-{s}.toml"
        path.write_text("".join(parts), encoding="utf-8")
        total += path.stat().st_size
    return total


async def timed(calls: list, rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        for call in calls:
            started = time.perf_counter()
            await call()
            samples.append(1000 * (time.perf_counter() - started))
    samples.sort()
    return statistics.median(samples), samples[int(0.99 * (len(samples) - 1))]


def cli_import(folder: Path, database: Path) -> tuple[float, float]:
    """`python -m bot import` of every file on a fresh database: seconds and the child's peak RSS."""
    env = {**os.environ, "DATABASE_PATH": str(database), "DATA_DIR": str(folder)}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", "import", *map(str, sorted(folder.glob("*.toml")))],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    took = time.perf_counter() - started
    return took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


async def autocomplete(store: Store) -> tuple[tuple[float, float], tuple[float, float]]:
    typed = ["", "n", "ni", "nig", "night", "orb", "zzz", "Station 4"]
    shows = await timed([lambda t=t: show_choices(store, t) for t in typed], rounds=25)
    episode_calls = [
        lambda k=k, t=t: episode_choices(store, k, None, t)
        for k in (f"show-{i}" for i in range(0, SHOWS, 5))
        for t in ("", "S3E4", "7", "winter", "S10E20")
    ]
    return shows, await timed(episode_calls, rounds=5)


async def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="watchparty-catalog-"))
    (folder / "data").mkdir()
    size = write_catalog(folder / "data")
    store = await Store.open(folder / "cold.db")
    started = time.perf_counter()
    report = await importer.import_folder(store, folder / "data")
    cold = time.perf_counter() - started
    assert len(report.loaded) == SHOWS and not report.errors, report.errors
    started = time.perf_counter()
    report = await importer.import_folder(store, folder / "data")
    warm = time.perf_counter() - started
    assert len(report.unchanged) == SHOWS
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    (show_p50, show_p99), (ep_p50, ep_p99) = await autocomplete(store)
    await store.close()
    end_to_end, cli_rss = cli_import(folder / "data", folder / "cli.db")
    shutil.rmtree(folder)  # 70 MB of TOML and two databases
    episodes = SHOWS * SEASONS * EPISODES
    print(f"catalog import on {platform.machine()}, {os.cpu_count()} cores, {cpu_model()}")
    print(f"  catalog                 {SHOWS} shows, {episodes:,} episodes, {size / 1e6:.1f} MB")
    print(f"  cold import_folder      {cold:.2f} s")
    print(f"  cold python -m bot import {end_to_end:.2f} s (peak RSS {cli_rss:.0f} MiB)")
    print(f"  restart, nothing new    {warm:.2f} s")
    print(f"  peak RSS (this process) {rss:.0f} MiB")
    print(f"  show choices            p50 {show_p50:.2f} ms  p99 {show_p99:.2f} ms")
    print(f"  episode choices         p50 {ep_p50:.2f} ms  p99 {ep_p99:.2f} ms")


def cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or "unknown CPU"
    return next((line.split(":", 1)[1].strip() for line in lines if "model name" in line), "?")


if __name__ == "__main__":
    asyncio.run(main())
