"""Adding and refreshing shows from TVmaze: fetch, write the data file, import it.

The data file stays the one place humans edit, so TVmaze never writes the store directly: it
writes `data/<slug>.toml` (keeping what people wrote) and the file is imported as any other.
The CLI (`python -m bot tvmaze`) and `/catalog` both come through here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from . import datafiles, importer
from .datafiles import DataFileError
from .store import Store
from .tvmaze import TvmazeClient, TvmazeError
from .tvmaze.datafile import WriteReport, write

log = logging.getLogger(__name__)

# Told what is happening, for a long import: "Fetching episodes from TVmaze…".
Progress = Callable[[str], Awaitable[None]]


async def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class Synced:
    """A show written from TVmaze and imported: the file's report and the show's slug."""

    report: WriteReport
    slug: str
    title: str
    episodes: int


async def sync_show(
    client: TvmazeClient,
    store: Store,
    data_dir: Path,
    query: str | int,
    progress: Progress = _quiet,
) -> Synced:
    """Write or refresh the data file of the show `query` names, then import it.

    Raises TvmazeError (TVmaze unreachable, no such show) or DataFileError (the written file
    does not check, which would be a bug: the store is left as it was).
    """
    await progress("Looking the show up on TVmaze…")
    show = await client.show(query) if isinstance(query, int) else await client.resolve(query)
    await progress(f"Fetching the episodes of {show.name} from TVmaze…")
    catalog = await client.catalog(show)
    await progress(f"Writing the data file of {show.name}…")
    # tomlkit and the disk are blocking: keep the event loop (and Discord) answering.
    report = await asyncio.to_thread(write, catalog, data_dir)
    await progress(f"Importing {len(catalog.episodes)} episodes of {show.name}…")
    await importer.import_file(store, report.path, force=True)
    parsed = await asyncio.to_thread(datafiles.load, report.path)
    log.info("TVmaze: %s", report.summary().replace("\n", " "))
    return Synced(report, parsed.show.slug, parsed.show.title, len(parsed.episodes))


async def tvmaze_id_of(store: Store, slug: str, data_dir: Path) -> int | None:
    """The TVmaze id in a show's data file, or None for a hand-written show."""
    source = await store.catalog.show_source(slug)
    if source is None:
        return None
    try:
        parsed = await asyncio.to_thread(datafiles.load, data_dir / source)
    except DataFileError:
        return None
    return parsed.show.tvmaze_id


async def remove_show(store: Store, data_dir: Path, slug: str) -> str:
    """Take a show out of the catalog, keeping everything members made; says what happened.

    Nothing members made refers to it: deleted. Otherwise retired (hidden from every command,
    its polls, parties, threads and progress kept). Its data file moves to `removed/` beside
    the others, so the next start does not bring it back and nothing written is lost.
    """
    source = await store.catalog.show_source(slug)
    dependents = await store.catalog.dependents(slug)
    if source is None or dependents is None:
        raise DataFileError(slug, "", "no show has this slug")
    if dependents or not await store.catalog.remove_show(slug):
        await store.catalog.retire_show(slug)
        done = f"hidden from every command; its {dependents} stay"
    else:
        done = "removed"
    path = data_dir / source
    if await asyncio.to_thread(path.is_file):
        target = data_dir / "removed" / source
        await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(path.replace, target)
        done += f"; its data file is now removed/{source}"
    return done


__all__ = ["Progress", "Synced", "TvmazeError", "remove_show", "sync_show", "tvmaze_id_of"]
