"""The sources' subcommands: a show from TVmaze, recaps from Wikipedia, each then imported."""

from __future__ import annotations

import sys

import aiohttp

from ..catalog.datafiles import DataFileError
from ..catalog.sources.tvmaze import TvmazeClient, TvmazeError
from ..catalog.sources.wikipedia import WikipediaClient, WikipediaError
from ..catalog.sources.wikipedia.refresh import refresh
from ..catalog.sync import sync_show
from ..settings import Settings
from ..store import Store
from .catalog import import_files
from .common import fail


async def tvmaze_show(settings: Settings, query: str) -> int:
    """Write or refresh one show's data file from TVmaze and import it; prints what changed."""
    async with aiohttp.ClientSession() as session:
        client = TvmazeClient(session, base_url=settings.tvmaze_api_base)
        store = await Store.open(settings.store_target)
        try:
            synced = await sync_show(client, store, settings.data_dir, query)
        except (TvmazeError, DataFileError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        finally:
            await store.close()
    print(synced.report.summary())
    print(f"imported: {synced.title} ({synced.episodes} episodes) as “{synced.slug}”")
    return 0


async def wikipedia_recaps(settings: Settings, slug: str, article: str | None) -> int:
    """Take a show's recaps from Wikipedia into its data file, then import the file."""
    if not settings.wikipedia_contact:
        return fail(
            "WIKIPEDIA_CONTACT is not set: Wikipedia asks every client for a way to reach its "
            "operator, so put an email address or a URL in .env."
        )
    async with aiohttp.ClientSession() as session:
        client = WikipediaClient(
            session, contact=settings.wikipedia_contact, base_url=settings.wikipedia_api_base
        )
        try:
            outcome = await refresh(client, settings.data_dir, slug, article)
        except (WikipediaError, DataFileError) as error:
            return fail(f"{error} (the data file was not changed)")
    print("\n".join(outcome.lines))
    if outcome.changed:
        return await import_files(settings.store_target, [outcome.path])
    return 0
