"""A 20,000-episode catalog in the documented data-file format, imported cold and warm.

Writes 100 shows x 10 seasons x 20 episodes as real TOML to a temporary folder, from a seeded
generator that varies what matters to the import (text we did not tune for): an invented
vocabulary of 6,000 words drawn by Zipf's law, synopses of 80-700 characters, recaps of
300-6,000 and endings of 100-2,000 (as often short as long), casts of 5-40 long names from a
show's company plus guests, up to 12 spoiler terms, 1-3 links and 0-3 polls per episode (about
130 MB). Then it measures the first import (through `bot.catalog.importer.import_folder`, once
filling the search index after the rows and once row by row, and through `python -m bot
import`), a re-start with nothing changed, the process's peak RSS, and the autocomplete calls on the
result. Run: `.venv/bin/python -m bench.catalog_import [--catalog wide] [--quick]`: `wide` imports
bench/catalog_wide.py's differently shaped catalog instead, `--quick` only the cold and the
unchanged import.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import math
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot import limits
from bot.catalog import importer, parsers
from bot.catalog.datafiles import term_problem
from bot.spoiler_terms import normal_term
from bot.store import Store
from cogs.utils.catalog import episode_choices, show_choices

from . import catalog_wide
from .load import machine

SHOWS, SEASONS, EPISODES = 100, 10, 20
SEED = 20


class Vocabulary:
    """Invented words, names and titles, drawn as real text draws them: a few words very
    often, most rarely (Zipf), so a search's common word matches many episodes and a rare one
    few. Everything comes from syllables and a seed, so the text is the project's own."""

    def __init__(self, rng: random.Random, words: int = 6000, names: int = 600) -> None:
        onsets = re.findall(
            r"\w+", "b br c ch d dr f g gr h j k kl l m n p pr qu r s sh st t th tr v w z"
        )
        nuclei = re.findall(r"\w+", "a e i o u ai ea ie ou y")
        codas = ["", "", "n", "r", "l", "s", "th", "nd", "x", "m", "rk", "st"]

        def word(syllables: int) -> str:
            return "".join(
                rng.choice(onsets) + rng.choice(nuclei) + rng.choice(codas)
                for _ in range(syllables)
            )

        def distinct(count: int, low: int, high: int) -> list[str]:
            found: dict[str, None] = {}
            while len(found) < count:
                found[word(rng.randint(low, high))] = None
            return list(found)

        self.words = distinct(words, 1, 4)
        # Zipf's law: the k-th most common word is used about 1/k as often as the first.
        self._weights = list(itertools.accumulate(1 / (k + 1) for k in range(words)))
        self.first = [n.title() for n in distinct(names, 2, 3)]
        self.last = [n.title() for n in distinct(names, 2, 5)]

    def some(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self._weights, k=count)

    def person(self, rng: random.Random) -> str:
        """A name of two to four parts, some of them long ("Teodora Brashkalind-Quoravey")."""
        parts = [rng.choice(self.first) for _ in range(rng.randint(1, 2))]
        parts.append("-".join(rng.choice(self.last) for _ in range(rng.randint(1, 2))))
        return " ".join(parts)[: limits.ACTOR]

    def title(self, rng: random.Random, words: tuple[int, int] = (1, 4)) -> str:
        return " ".join(w.title() for w in self.some(rng, rng.randint(*words)))

    def sentence(self, rng: random.Random, people: list[str]) -> str:
        words = self.some(rng, rng.randint(5, 22))
        for _ in range(rng.randint(0, 2)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(people))
        return " ".join(words).capitalize() + rng.choice(".....?!")


def spread(rng: random.Random, low: int, high: int) -> int:
    """A length between `low` and `high`, as often short as long on a log scale."""
    return int(math.exp(rng.uniform(math.log(low), math.log(high))))


def prose(
    vocab: Vocabulary, rng: random.Random, chars: int, people: list[str], most: int = limits.TEXT
) -> str:
    """About `chars` characters of text (one sentence more, but never over `most`) in
    paragraphs, as a TOML multi-line string."""
    sentences = [vocab.sentence(rng, people)[: most - 1]]
    size = len(sentences[0]) + 1
    while size < chars:
        sentence = vocab.sentence(rng, people)
        if size + len(sentence) + 2 > most:
            break
        sentences.append(sentence)
        size += len(sentence) + 2
    paragraphs = []
    while sentences:
        cut = rng.randint(2, 7)
        paragraphs.append(" ".join(sentences[:cut]))
        sentences = sentences[cut:]
    return '"""\n' + "\n\n".join(paragraphs) + '"""'


def terms(vocab: Vocabulary, rng: random.Random, people: list[str]) -> str:
    """Spoiler terms: words, names and stems (at least four letters before `*`)."""
    found = []
    for _ in range(rng.randint(0, 12)):
        kind = rng.random()
        if kind < 0.4:
            found.append(rng.choice(people).split()[0].lower() + " " + rng.choice(vocab.words))
        elif kind < 0.7:
            found.append(" ".join(vocab.some(rng, 2)))
        else:
            found.append(rng.choice([w for w in vocab.words if len(w) > 5])[:5] + "*")
    # An invented stem can spell a common English word ("would*"), which the reader refuses.
    kept = [t for t in found if not term_problem(normal_term(t))]
    return "[" + ", ".join(f'"{t}"' for t in kept) + "]"


def options(vocab: Vocabulary, rng: random.Random) -> str:
    found = {vocab.title(rng, (1, 3))[: limits.POLL_OPTION_MAX]: None for _ in range(6)}
    return "[" + ", ".join(f'"{o}"' for o in list(found)[: rng.randint(2, 6)]) + "]"


Company = list[tuple[str, str]]


def company(vocab: Vocabulary, rng: random.Random) -> Company:
    """A show's actors and their characters, regulars first: episodes cast from them."""
    return [(vocab.person(rng), vocab.person(rng)) for _ in range(rng.randint(40, 90))]


def episode(
    vocab: Vocabulary, rng: random.Random, show: int, season: int, number: int, regulars: Company
) -> str:
    # 5 to 40 credits: mostly the show's company, regulars most often, plus guests of the week.
    size = rng.randint(5, 40)
    guests = [(vocab.person(rng), vocab.person(rng)) for _ in range(rng.randint(0, size // 4))]
    picked = rng.sample(regulars[: max(size * 2, 10)], size - len(guests))
    credits = sorted(picked, key=regulars.index) + guests
    characters = [character for _, character in credits]
    cast = "".join(
        f'\n[[episodes.cast]]\nactor = "{actor}"\n'
        + (f'character = "{character}"\n' if rng.random() < 0.9 else "")
        for actor, character in credits
    )
    tvmaze = 100_000 + show * 1_000 + season * 50 + number
    links = "".join(
        f'\n[[episodes.links]]\nlabel = "{vocab.title(rng, (1, 3))}"\n'
        f'url = "https://example.org/{show}/{season}/{number}/{i}"\n'
        for i in range(rng.randint(1, 3))
    )
    polls = "".join(
        f'\n[[episodes.polls]]\nquestion = "{vocab.sentence(rng, characters)[:200]}"\n'
        f"options = {options(vocab, rng)}\n"
        for _ in range(rng.randint(0, 3))
    )
    named = characters[:6]
    return f"""
[[episodes]]
season = {season}
number = {number}
title = "{vocab.title(rng)[: limits.TITLE]}"
tvmaze_id = {tvmaze}
runtime = {rng.randint(22, 75)}
air_date = 20{10 + season:02d}-0{1 + number % 9}-{1 + number:02d}
air_time = "21:00"
synopsis = {prose(vocab, rng, spread(rng, 80, 700), named, limits.SYNOPSIS)}
recap = {prose(vocab, rng, spread(rng, 300, 6000), named)}
ending = {prose(vocab, rng, spread(rng, 100, 2000), named)}
spoiler_terms = {terms(vocab, rng, named)}
{cast}{links}{polls}"""


def write_catalog(
    folder: Path,
    shows: int = SHOWS,
    seed: int = SEED,
    seasons: int = SEASONS,
    episodes: int = EPISODES,
) -> int:
    """Writes the data files; returns their total size in bytes. The same seed writes the
    same catalog."""
    rng = random.Random(seed)
    vocab = Vocabulary(rng)
    total = 0
    for s in range(shows):
        title = f"{vocab.title(rng, (1, 3))} {s}"
        parts = [
            f'[show]\nslug = "show-{s}"\ntitle = "{title}"\ngenres = ["Drama"]\n'
            f"tvmaze_id = {s + 1}\nruntime = {{ min = 22, max = 75 }}\n"
            f'network = "{vocab.title(rng, (1, 2))}"\nstatus = "Running"\n'
            f'\n[[show.links]]\nlabel = "TVmaze"\nurl = "https://www.tvmaze.com/shows/{s + 1}"\n'
        ]
        regulars = company(vocab, rng)
        parts += [
            episode(vocab, rng, s, season, number, regulars)
            for season in range(1, seasons + 1)
            for number in range(1, episodes + 1)
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


def cli_import(folder: Path, database: Path) -> tuple[float, float, float]:
    """`python -m bot import` of every file on a fresh database: seconds, the child's CPU
    seconds and its peak RSS."""
    env = {**os.environ, "DATABASE_PATH": str(database), "DATA_DIR": str(folder)}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", "import", *map(str, sorted(folder.glob("*.toml")))],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    took = time.perf_counter() - started
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    return took, child.ru_utime + child.ru_stime, child.ru_maxrss / 1024


async def autocomplete(
    store: Store, wide: bool = False
) -> tuple[tuple[float, float], tuple[float, float]]:
    typed = ["", "n", "ni", "nig", "night", "orb", "zzz", "Station 4"]
    shows = await timed([lambda t=t: show_choices(store, t) for t in typed], rounds=25)
    slugs = (
        [f"wide-{i}" for i in range(0, 1000, 50)]
        if wide
        else [f"show-{i}" for i in range(0, SHOWS, 5)]
    )
    episode_calls = [
        lambda k=k, t=t: episode_choices(store, k, None, t)
        for k in slugs
        for t in ("", "S3E4", "7", "winter", "S10E20")
    ]
    return shows, await timed(episode_calls, rounds=5)


def cpu_seconds() -> float:
    """CPU of this process's threads and of its finished children. The parsing processes are
    not among them: they are children of multiprocessing's fork server, which outlives the
    import, so a large import's parsing is not counted here."""
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + child.ru_utime + child.ru_stime


async def main(wide: bool, quick: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="watchparty-catalog-"))
    (folder / "data").mkdir()
    size = (catalog_wide.write_catalog if wide else write_catalog)(folder / "data")
    files = len(importer.data_files(folder / "data"))
    print(f"Machine: {machine()}")
    store = await Store.open(folder / "cold.db")
    started, cpu = time.perf_counter(), cpu_seconds()
    report = await importer.import_folder(store, folder / "data")
    cold, cold_cpu = time.perf_counter() - started, cpu_seconds() - cpu
    written = report.written_at - started  # every show served; /search's index filled after
    assert len(report.loaded) == files and not report.errors, report.errors
    started = time.perf_counter()
    report = await importer.import_folder(store, folder / "data")
    warm = time.perf_counter() - started
    assert len(report.unchanged) == files
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    (show_p50, show_p99), (ep_p50, ep_p99) = await autocomplete(store, wide)
    await store.close()
    if not quick:
        row_by_row, row_cpu = await cold_row_by_row(folder, files)
        end_to_end, cli_cpu, cli_rss = cli_import(folder / "data", folder / "cli.db")
    shutil.rmtree(folder)  # 130 MB of TOML and three databases
    episodes = await_episodes(wide)
    print(f"catalog import on {platform.machine()}, {os.cpu_count()} cores, {cpu_model()}")
    print(f"  catalog                 {files} shows, {episodes:,} episodes, {size / 1e6:.1f} MB")
    # CPU: every thread of this process (the event loop, aiosqlite's), not the parsing
    # processes (cpu_seconds): on a busy machine it says what the writing costs.
    print(
        f"  cold import_folder      {cold:.2f} s, CPU {cold_cpu:.2f} s"
        f" (search index filled once, after), load average after {os.getloadavg()[0]:.1f}"
    )
    print(f"    of which the rows     {written:.2f} s (every show served), then the index")
    if not quick:
        print_slow(row_by_row, row_cpu, end_to_end, cli_cpu, cli_rss)
    print(f"  restart, nothing new    {warm:.2f} s")
    print(f"  peak RSS (this process) {rss:.0f} MiB")
    print(f"  show choices            p50 {show_p50:.2f} ms  p99 {show_p99:.2f} ms")
    print(f"  episode choices         p50 {ep_p50:.2f} ms  p99 {ep_p99:.2f} ms")


def await_episodes(wide: bool) -> int:
    if wide:
        return catalog_wide.SHOWS * catalog_wide.SEASONS * catalog_wide.EPISODES
    return SHOWS * SEASONS * EPISODES


def print_slow(row_by_row: float, row_cpu: float, cli: float, cli_cpu: float, rss: float) -> None:
    print(
        f"  the same, row by row    {row_by_row:.2f} s, CPU {row_cpu:.2f} s"
        " (search index written by triggers, parsed in a thread)"
    )
    print(f"  cold python -m bot import {cli:.2f} s, CPU {cli_cpu:.2f} s (peak RSS {rss:.0f} MiB)")


async def cold_row_by_row(folder: Path, files: int) -> tuple[float, float]:
    """The same cold import with the search index written row by row, as before 0013."""
    bulk, importer.BULK_IMPORT_BYTES = importer.BULK_IMPORT_BYTES, sys.maxsize
    pool, parsers.POOL_BYTES = parsers.POOL_BYTES, sys.maxsize
    store = await Store.open(folder / "rows.db")
    try:
        started, cpu = time.perf_counter(), cpu_seconds()
        report = await importer.import_folder(store, folder / "data")
        assert len(report.loaded) == files and not report.errors, report.errors
        return time.perf_counter() - started, cpu_seconds() - cpu
    finally:
        importer.BULK_IMPORT_BYTES, parsers.POOL_BYTES = bulk, pool
        await store.close()


def cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or "unknown CPU"
    return next((line.split(":", 1)[1].strip() for line in lines if "model name" in line), "?")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.catalog_import", description=__doc__)
    parser.add_argument("--catalog", choices=["varied", "wide"], default="varied")
    parser.add_argument("--quick", action="store_true", help="only the cold and unchanged imports")
    args = parser.parse_args()
    asyncio.run(main(args.catalog == "wide", args.quick))
