"""The CPU a catalog import spends parsing: each data file read and checked
(`datafiles.parse`) and what follows from it alone (`catalog_import.prepare`: entry digests,
credit names), one file after another in this one process, as a parsing process does it.

Writes bench/catalog_import.py's varied catalog (or bench/catalog_wide.py's) to a temporary
folder and prints the CPU seconds of each step, with rtoml's own share of the parsing (the
floor no Python change lowers). Run: `.venv/bin/python -m bench.parse_cpu [--catalog wide]`.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import rtoml

from bot.catalog import datafiles
from bot.store.catalog_import import prepare

from . import catalog_wide
from .catalog_import import write_catalog
from .load import machine


def measure(folder: Path) -> tuple[float, float, float, int]:
    """CPU seconds of rtoml alone, of parse (rtoml included) and of prepare; episodes."""
    toml = parse = prepared = 0.0
    episodes = 0
    for path in sorted(folder.glob("*.toml")):
        raw = path.read_bytes()
        started = time.process_time()
        rtoml.loads(raw.decode("utf-8"))
        toml += time.process_time() - started
        started = time.process_time()
        data = datafiles.parse(raw, path)
        parse += time.process_time() - started
        started = time.process_time()
        prepare(data)
        prepared += time.process_time() - started
        episodes += len(data.episodes)
    return toml, parse, prepared, episodes


def main(wide: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="watchparty-parse-"))
    try:
        size = (catalog_wide.write_catalog if wide else write_catalog)(folder)
        toml, parse, prepared, episodes = measure(folder)
    finally:
        shutil.rmtree(folder)
    print(f"Machine: {machine()}")
    print(f"  catalog   {'wide' if wide else 'varied'}, {episodes:,} episodes, {size / 1e6:.0f} MB")
    print(f"  parse     {parse:.2f} s CPU (rtoml.loads alone: {toml:.2f} s)")
    print(f"  prepare   {prepared:.2f} s CPU")
    print(f"  together  {parse + prepared:.2f} s CPU")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.parse_cpu", description=__doc__)
    parser.add_argument("--catalog", choices=["varied", "wide"], default="varied")
    main(parser.parse_args().catalog == "wide")
