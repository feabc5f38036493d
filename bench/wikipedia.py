"""Recaps from the fake Wikipedia (issue 16): one show end to end, and the wikitext parser.

1. A 10-season, 100-episode show whose list transcludes one article per season, fetched
   from harness/fakewikipedia with 50 ms of latency on every request, one request at a time,
   through `refresh` (search, fetch, parse, match, write the data file): wall time and the
   number of requests. Target: under 5 s.
2. Wikitext to plain text for 20,000 generated summaries (~600 characters of markup each):
   wall time. Target: under 10 s.

Run: `.venv/bin/python -m bench.wikipedia` (`--latency 0.05 --summaries 20000` are the
defaults).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import tempfile
import time
from pathlib import Path

import aiohttp

from bot.catalog.sources.wikipedia import WikipediaClient, plain_text
from bot.catalog.sources.wikipedia.refresh import refresh
from harness.fakewikipedia import FakeWikipedia, generated_show
from harness.fakewikipedia.fixtures import generated_summary

NAME, SEASONS, PER_SEASON = "Beacon Watch", 10, 10


def data_file(folder: Path) -> Path:
    lines = ['[show]\nslug = "beacon-watch"\ntitle = "Beacon Watch"\n']
    for season in range(1, SEASONS + 1):
        for i in range(1, PER_SEASON + 1):
            aired = dt.date(2000 + season, 1 + i % 12, 1 + i % 27).isoformat()
            lines.append(
                f"[[episodes]]\nseason = {season}\nnumber = {i}\n"
                f'title = "Chapter {season}-{i}"\nair_date = {aired}\n'
            )
    path = folder / "beacon-watch.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


async def one_show(latency: float) -> tuple[float, int, int, str]:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        data_file(folder)
        pages = generated_show(NAME, SEASONS, PER_SEASON)
        async with (
            FakeWikipedia(pages, latency=latency) as fake,
            aiohttp.ClientSession() as session,
        ):
            client = WikipediaClient(session, contact="bench@example.org", base_url=fake.api_url)
            start = time.perf_counter()
            outcome = await refresh(client, folder, "beacon-watch")
            elapsed = time.perf_counter() - start
            matched = next(line for line in outcome.lines if line.startswith("matched"))
            return elapsed, len(fake.requests), fake.most_in_flight, matched


def summaries(count: int) -> tuple[float, int]:
    texts = [generated_summary(seed) for seed in range(count)]
    start = time.perf_counter()
    chars = sum(len(plain_text(text)) for text in texts)
    return time.perf_counter() - start, chars


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--summaries", type=int, default=20_000)
    args = parser.parse_args()
    print(f"{platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    elapsed, requests, most, matched = asyncio.run(one_show(args.latency))
    print(
        f"{SEASONS} seasons x {PER_SEASON} episodes, {args.latency * 1000:.0f} ms a request: "
        f"{elapsed:.2f} s wall, {requests} requests, at most {most} in flight; {matched}"
    )
    took, chars = summaries(args.summaries)
    print(
        f"wikitext to plain text, {args.summaries:,} summaries: {took:.2f} s wall "
        f"({took / args.summaries * 1e6:.0f} µs each, {chars:,} characters out)"
    )


if __name__ == "__main__":
    main()
