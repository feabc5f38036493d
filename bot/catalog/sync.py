"""Adding and refreshing shows from TVmaze: fetch, write the data file, import it.

The data file stays the one place humans edit, so TVmaze never writes the store directly: it
writes `data/<slug>.toml` (keeping what people wrote) and the file is imported as any other.
The CLI (`python -m bot tvmaze`) and `/catalog` both come through here.

Writing a show and removing one are serialised by the caller's `lock` (the bot holds one):
TVmaze is asked outside it, and a refresh checks under it that its show is still in the
catalog, so a removal that landed meanwhile is never undone by the refresh.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import _
from ..models import ShowDependents
from ..store import Store
from . import datafiles, importer
from .datafiles import DataFileError
from .sources.tvmaze import TvmazeClient, TvmazeError
from .sources.tvmaze.datafile import WriteReport, replace_file, restore, write
from .sources.wikipedia import WikipediaClient, WikipediaError
from .sources.wikipedia.refresh import Outcome, apply, fetch
from .sources.wikipedia.writer import find_file, record_article

log = logging.getLogger(__name__)

# Told what is happening, for a long import: "Fetching episodes from TVmaze…".
Progress = Callable[[str], Awaitable[None]]


async def _quiet(_: str) -> None:
    return None


class ShowRemoved(Exception):
    """The show being refreshed was removed from the catalog meanwhile; nothing was written."""


def _held(lock: asyncio.Lock | None) -> Any:
    return lock if lock is not None else contextlib.nullcontext()


@dataclass(frozen=True)
class Removed:
    """What /catalog remove did: deleted, or hidden because members made `dependents`; and
    where its data file went (None: it had none on disk)."""

    hidden: bool
    dependents: ShowDependents
    moved_to: str | None


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
    *,
    lock: asyncio.Lock | None = None,
    refreshing: str | None = None,
) -> Synced:
    """Write or refresh the data file of the show `query` names, then import it.

    `refreshing`: the slug of the show this refreshes; if it has left the catalog by the time
    TVmaze has answered, ShowRemoved is raised and nothing is written. Raises TvmazeError
    (TVmaze unreachable, no such show) or DataFileError (TVmaze's data does not fit the data
    format): the data file and the store are then left as they were.
    """
    await progress(_("Looking the show up on TVmaze…"))
    show = await client.show(query) if isinstance(query, int) else await client.resolve(query)
    await progress(_("Fetching the episodes of {show} from TVmaze…").format(show=show.name))
    catalog = await client.catalog(show)
    async with _held(lock):
        if refreshing is not None and not await _listed(store, refreshing):
            raise ShowRemoved(refreshing)
        await progress(_("Writing the data file of {show}…").format(show=show.name))
        keep = await store.content.written_in_discord(show.tvmaze_id)
        # tomlkit and the disk are blocking: keep the event loop (and Discord) answering.
        report = await asyncio.to_thread(write, catalog, data_dir, keep)
        await progress(
            _("Importing {count} episodes of {show}…").format(
                count=len(catalog.episodes), show=show.name
            )
        )
        try:
            await importer.import_file(store, report.path, force=True)
        except Exception:
            # The store refused the file (another file claims its slug, say) or was busy: put
            # the old file back, so the file and the catalog agree, as the caller is told.
            await asyncio.to_thread(restore, report)
            raise
    parsed = await asyncio.to_thread(datafiles.load, report.path)
    log.info("TVmaze: %s", report.summary().replace("\n", " "))
    return Synced(report, parsed.show.slug, parsed.show.title, len(parsed.episodes))


async def sync_recaps(
    client: WikipediaClient,
    store: Store,
    data_dir: Path,
    slug: str,
    *,
    article: str | None = None,
    lock: asyncio.Lock | None = None,
) -> Outcome:
    """Take a show's recaps from Wikipedia into its data file, then import the file.

    Wikipedia is asked outside `lock`; the file is matched, written and imported under it. The
    writer leaves people's recaps alone (by digest), and the importer keeps Discord edits over
    the file's text. A named `article` is recorded in the file for later refreshes. Raises
    WikipediaError or DataFileError: the file and store are then as they were.
    """
    found = await fetch(client, data_dir, slug, article)
    async with _held(lock):
        if not await _listed(store, slug):
            raise ShowRemoved(slug)
        before = await asyncio.to_thread(_read_or_none, data_dir, slug)
        outcome = await asyncio.to_thread(
            functools.partial(apply, found, data_dir, slug, record=article is not None)
        )
        if outcome.changed:
            try:
                await importer.import_file(store, outcome.path, force=True)
            except Exception:
                if before is not None:
                    await asyncio.to_thread(replace_file, before[0], before[1])
                raise
    log.info("Wikipedia: %s: %s", slug, "; ".join(outcome.lines))
    return outcome


async def forget_article(
    store: Store, data_dir: Path, slug: str, *, lock: asyncio.Lock | None = None
) -> bool:
    """Take the operator's article out of the show's file (the search decides again)."""
    async with _held(lock):
        path = await asyncio.to_thread(find_file, data_dir, slug)
        if not await asyncio.to_thread(record_article, path, None):
            return False
        await importer.import_file(store, path, force=True)
    return True


def _read_or_none(data_dir: Path, slug: str) -> tuple[Path, str] | None:
    try:
        path = find_file(data_dir, slug)
    except WikipediaError:
        return None
    return path, path.read_text("utf-8")


async def _listed(store: Store, slug: str) -> bool:
    show = await store.catalog.find_show(slug)
    return show is not None and show.slug == slug


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


async def remove_show(
    store: Store, data_dir: Path, slug: str, *, lock: asyncio.Lock | None = None
) -> Removed:
    """Take a show out of the catalog, keeping everything members made; says what happened.

    Nothing members made refers to it: deleted. Otherwise retired (hidden from every command,
    its polls, parties, threads and progress kept). Its data file moves to `removed/` beside
    the others, so the next start does not bring it back and nothing written is lost.
    """
    async with _held(lock):
        return await _remove(store, data_dir, slug)


async def _remove(store: Store, data_dir: Path, slug: str) -> Removed:
    source = await store.catalog.show_source(slug)
    dependents = await store.catalog.dependents(slug)
    if source is None or dependents is None:
        raise DataFileError(slug, "", "no show has this slug")
    hidden = bool(dependents) or not await store.catalog.remove_show(slug)
    if hidden:
        await store.catalog.retire_show(slug)
    path = data_dir / source
    moved_to = None
    if await asyncio.to_thread(path.is_file):
        target = data_dir / "removed" / source
        await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(path.replace, target)
        moved_to = f"removed/{source}"
    return Removed(hidden, dependents, moved_to)


__all__ = [
    "Progress",
    "Removed",
    "ShowRemoved",
    "Synced",
    "TvmazeError",
    "WikipediaError",
    "forget_article",
    "remove_show",
    "sync_recaps",
    "sync_show",
    "tvmaze_id_of",
]
