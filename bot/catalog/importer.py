"""Importing data files into the store: idempotent, one transaction per file.

A show is its slug, not its file name: a renamed file takes its show along. Two files of one
folder claiming one slug is an error naming both. Reading and parsing run in a worker thread,
so a bot importing in the background keeps answering Discord; a large import parses in worker
processes (parsers.py), several files ahead of the one being written.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import logging
import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from ..models import CatalogChange, ShowFile
from ..store import Store
from ..store.episode_match import AmbiguousRenumber
from ..store.import_prepare import Prepared
from . import datafiles, parsers
from .datafiles import DataFileError

log = logging.getLogger(__name__)

# At start-up, data files to import larger than this in all (about 300 episodes with full
# recaps, a tenth of a second's work) are imported in the background, so a large first import
# does not keep the bot offline.
BACKGROUND_IMPORT_BYTES = 1_000_000
# Data files to import larger than this in all (about 1,000 episodes) fill /search's index once
# after their rows rather than row by row (bot/store/search_index.py): a 20,000-episode first
# import then spends a few seconds on the index instead of most of its time. Rebuilding
# reads the whole catalog, so a small change is better indexed row by row.
BULK_IMPORT_BYTES = 5_000_000


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[DataFileError] = field(default_factory=list)
    changes: dict[str, CatalogChange] = field(default_factory=dict)
    # Errors are told by whoever asked (the CLI prints them), not logged here as well.
    told: bool = False
    # When (time.perf_counter) the last file's rows were committed: every show is served from
    # then on; a bulk import's search index is filled after (bench/catalog_import.py times both).
    written_at: float = 0.0


def data_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def _read(path: Path) -> tuple[bytes, str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataFileError(path, "", f"cannot be read ({exc.strerror})") from exc
    return raw, datafiles.digest(raw)


async def pending(
    store: Store, folder: Path, paths: list[Path] | None = None
) -> tuple[list[Path], int]:
    """The data files (of `folder`, or `paths`) whose content differs from what was last
    imported, and their size."""
    out, size = [], 0
    for path in data_files(folder) if paths is None else paths:
        try:
            raw, digest = await asyncio.to_thread(_read, path)
        except DataFileError:
            out.append(path)  # import_folder reports it
            continue
        if await store.catalog.file_digest(path.name) != digest:
            out.append(path)
            size += len(raw)
    return out, size


# A file parsed, its digest, and what follows from it alone (catalog_import.prepare).
Ready = tuple[ShowFile, str, Prepared]


async def import_file(store: Store, path: Path, *, force: bool = False) -> CatalogChange | None:
    """Load one file and say what changed; None when its content was already loaded.

    Raises DataFileError, and then nothing from the file was written."""
    prepared = await _prepare(store, path, force=force)
    return None if prepared is None else await _write(store, path, *prepared)


async def _prepare(
    store: Store, path: Path, *, force: bool = False, pool: Executor | None = None
) -> Ready | None:
    """The file parsed (in `pool`, else a worker thread), with its digest; None when its
    content was already loaded."""
    raw, digest = await asyncio.to_thread(_read, path)
    if not force and await store.catalog.file_digest(path.name) == digest:
        return None
    parsed, prepared = await parsers.parse_in(pool, raw, path)
    return parsed, digest, prepared


async def _check_claim(store: Store, path: Path, parsed: ShowFile) -> None:
    """The slug must not belong to another file of the same folder that still claims it."""
    slug = parsed.show.slug
    owner = await store.catalog.show_source(slug)
    if owner is None or owner == path.name or not await _claims(store, path.parent / owner, slug):
        return  # a new show, the same file, or a renamed one (its old name is gone)
    raise DataFileError(path, "show.slug", f"“{slug}” is already used by {owner}")


async def _claims(store: Store, path: Path, slug: str) -> bool:
    """Whether the data file at `path` still describes the show `slug`."""
    if not await asyncio.to_thread(path.is_file):
        return False
    try:
        raw, digest = await asyncio.to_thread(_read, path)
        if await store.catalog.file_digest(path.name) == digest:
            return True  # as imported, when it claimed the slug
        parsed = await asyncio.to_thread(datafiles.parse, raw, path)
    except DataFileError:
        return True  # a broken file may still be meant for this show: do not take it over
    return parsed.show.slug == slug


async def import_folder(store: Store, folder: Path, paths: list[Path] | None = None) -> LoadReport:
    """Load every data file in `folder` (or those of `paths`); a malformed one is reported and
    leaves the store as it was."""
    paths = data_files(folder) if paths is None else paths
    # Only what changed counts: a restart with nothing new must not rebuild the index.
    _, size = await pending(store, folder, paths)
    report = await _import_all(store, paths, size)
    if report.loaded:
        log.info("Loaded %d data files, %d unchanged", len(report.loaded), len(report.unchanged))
    return report


async def import_files(store: Store, paths: list[Path]) -> LoadReport:
    """Write every file of `paths`, changed or not (the CLI's `import`); as import_folder."""
    size = sum(path.stat().st_size for path in paths if path.is_file())
    report = LoadReport(told=True)
    return await _import_all(store, paths, size, force=True, report=report)


async def _import_all(
    store: Store,
    paths: list[Path],
    size: int,
    force: bool = False,
    report: LoadReport | None = None,
) -> LoadReport:
    report = report or LoadReport()
    async with bulk_if_large(store, size), parsers.pool_if_large(size) as pool:
        await _import_each(store, paths, report, pool, force)
        report.written_at = time.perf_counter()
    return report


def bulk_if_large(store: Store, size: int) -> contextlib.AbstractAsyncContextManager[None]:
    """A bulk import (the search index filled once, after) when `size` bytes of data files
    are to be written."""
    return store.catalog.bulk() if size > BULK_IMPORT_BYTES else contextlib.nullcontext()


async def _import_each(
    store: Store, paths: list[Path], report: LoadReport, pool: Executor | None, force: bool
) -> None:
    """Each file in turn, the next ones read and parsed (in a worker thread, or the pool's
    processes) while this one is written (on the database's thread): parsing never waits for
    SQLite, and SQLite only for the first file."""
    ahead = 1 if pool is None else parsers.PROCESSES + 1
    waiting = iter(paths)
    upcoming: collections.deque[tuple[Path, asyncio.Task[Ready | None]]] = collections.deque()

    def refill() -> None:
        for path in itertools.islice(waiting, ahead - len(upcoming)):
            task = asyncio.create_task(_prepare(store, path, force=force, pool=pool))
            upcoming.append((path, task))

    try:
        refill()
        while upcoming:
            path, current = upcoming.popleft()
            refill()
            await _import_one(store, path, current, report)
    finally:
        for _, task in upcoming:
            task.cancel()  # the import was cancelled or failed


async def _import_one(
    store: Store,
    path: Path,
    prepared: asyncio.Task[Ready | None],
    report: LoadReport,
) -> None:
    try:
        ready = await prepared
        change = None if ready is None else await _write(store, path, *ready)
    except DataFileError as error:
        if not report.told:  # the CLI prints its errors itself
            log.error("Data file not loaded, the previous data stays: %s", error)
        report.errors.append(error)
        return
    if change is None:
        report.unchanged.append(path.name)
    else:
        report.loaded.append(path.name)
        report.changes[path.name] = change
        log.info("Loaded %s: %s", path.name, change)


async def _write(
    store: Store, path: Path, parsed: ShowFile, digest: str, prepared: Prepared
) -> CatalogChange:
    await _check_claim(store, path, parsed)
    try:
        return await store.catalog.import_show(parsed, path.name, digest, prepared)
    except AmbiguousRenumber as error:  # the transaction rolled back: nothing was written
        raise DataFileError(path, error.where, error.problem) from error
