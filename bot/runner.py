"""Owning the bot's lifetime: the store opens before the bot and closes after it."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import discord

from .app import EXTENSIONS, Watchparty
from .settings import Settings
from .store import Store


@asynccontextmanager
async def open_bot(
    settings: Settings,
    *,
    force_sync: bool = False,
    extensions: tuple[str, ...] = EXTENSIONS,
    **options: Any,
) -> AsyncIterator[Watchparty]:
    """A bot with its store open; both are closed when the block ends.

    `options` go to discord.py's client (the tests shorten `guild_ready_timeout`).
    """
    if settings.api_base:
        # Every REST call, webhooks and interaction callbacks included, goes through Route.
        discord.http.Route.BASE = settings.api_base
    store = await Store.open(settings.database)
    try:
        async with Watchparty(
            settings, store, force_sync=force_sync, extensions=extensions, **options
        ) as bot:
            yield bot
    finally:
        await store.close()


async def run_bot(settings: Settings, *, force_sync: bool = False) -> None:
    """Run until closed; SIGTERM and SIGINT close the bot cleanly."""
    async with open_bot(settings, force_sync=force_sync) as bot:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, lambda: asyncio.ensure_future(bot.close()))
        await bot.start(settings.token)
