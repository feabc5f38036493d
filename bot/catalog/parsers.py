"""Parsing data files in worker processes, for a large import.

Reading TOML and checking every field is pure Python and CPU-bound, so in a thread it holds
the GIL against the event loop and the database thread's own Python. A large import (the
same threshold as the bulk search index) parses in processes instead, each file whole in one
of them, while the database thread writes the previous file: on two cores the import then
waits for SQLite, not for parsing. Each worker also works out what follows from the file alone
(catalog_import.prepare: entry digests, credit names), so the writer only writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import multiprocessing
import os
from collections.abc import AsyncIterator
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..models import ShowFile
from ..store.import_prepare import Prepared, prepare, without_casts
from . import datafiles

log = logging.getLogger(__name__)

# Data files to import larger than this in all use worker processes (the bulk import's
# threshold: importer.BULK_IMPORT_BYTES): below it, starting them would cost more than it saves.
POOL_BYTES = 5_000_000
# One per core, at most four, beside the writer's thread: parsing a file costs about as much
# CPU as writing it, so on two cores both workers are needed to keep ahead of the writer.
PROCESSES = max(1, min(4, os.cpu_count() or 2))


def parse(raw: bytes, path: Path) -> tuple[ShowFile, Prepared]:
    """One file parsed and checked (raises DataFileError), with what follows from it alone;
    its casts only in that (Prepared.casts), as the import writes them."""
    parsed = datafiles.parse(raw, path)
    prepared = prepare(parsed)
    return without_casts(parsed), prepared


async def parse_in(pool: Executor | None, raw: bytes, path: Path) -> tuple[ShowFile, Prepared]:
    """`parse` in `pool`, or in a thread when there is none or it broke: a worker killed, or
    a program whose main module starts an import unguarded by `if __name__ == "__main__"`
    (each worker imports it again)."""
    if pool is not None:
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, parse, raw, path)
        except BrokenProcessPool:
            if not getattr(pool, "broken_logged", False):
                log.warning("The parsing processes stopped; parsing in a thread instead")
                pool.broken_logged = True  # type: ignore[attr-defined]
    return await asyncio.to_thread(parse, raw, path)


# A parsing process's collector: a young-generation pass after 50,000 new objects, not 700.
# A file makes a few million objects that all live until it is parsed and sent back, so the
# frequent passes free nothing: the rarer ones save ~3 % of its parsing's CPU.
WORKER_GC_THRESHOLD = (50_000, 10, 10)


def _start_worker() -> None:
    gc.set_threshold(*WORKER_GC_THRESHOLD)


def _context() -> multiprocessing.context.BaseContext:
    # A fork server rather than fork: the bot has threads (aiosqlite's, the event loop's
    # executors), and forking them is unsafe. It is started once, clean, with this module
    # loaded, so each worker starts by forking it rather than importing the bot again.
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


@contextlib.asynccontextmanager
async def pool_if_large(size: int) -> AsyncIterator[Executor | None]:
    """Worker processes for an import of `size` bytes of data files, or None (a thread)."""
    if size <= POOL_BYTES:
        yield None
        return
    pool = ProcessPoolExecutor(
        max_workers=PROCESSES, mp_context=_context(), initializer=_start_worker
    )
    try:
        yield pool
    except BaseException:
        # Cancelled or failed: what is still parsing is of no use, and a stopping bot must
        # not wait for it.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    # Every file was parsed: the idle workers exit at once (waited for in a thread).
    await asyncio.to_thread(pool.shutdown)
