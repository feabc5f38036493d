"""The metrics endpoint: `/metrics` for Prometheus, `/ready` and `/live` for a supervisor.

An aiohttp server on the bot's own event loop (aiohttp comes with discord.py), so no thread
of its own; it listens only while METRICS_ADDR is set. It runs inside `open_bot`, after the
store is open and until before it closes, so "the store is open" holds while it answers.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord
from aiohttp import web
from discord.webhook.async_ import async_context
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from . import metrics
from .errors import StartupError
from .metrics_gateway import readiness
from .metrics_sources import RateLimitLog, TimedAdapter

log = logging.getLogger(__name__)

# Where discord.py logs the 429s it retries: its REST client and its webhook adapter.
RATE_LIMIT_LOGGERS = ("discord.http", "discord.webhook.async_")


def application(bot: discord.Client, registry: CollectorRegistry) -> web.Application:
    async def scrape(request: web.Request) -> web.Response:
        return web.Response(
            body=generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )

    async def ready(request: web.Request) -> web.Response:
        reason = readiness(bot)
        if reason is None:
            return web.Response(text="ready\n")
        return web.Response(status=503, text=f"not ready: {reason}\n")

    async def live(request: web.Request) -> web.Response:
        return web.Response(text="alive\n")

    app = web.Application()
    app.router.add_get("/metrics", scrape)
    app.router.add_get("/ready", ready)
    app.router.add_get("/live", live)
    return app


@asynccontextmanager
async def serving(address: tuple[str, int] | None, bot: discord.Client) -> AsyncIterator[None]:
    """Count metrics and serve them on `address` for the duration; nothing when it is None."""
    if address is None:
        yield
        return
    collected = metrics.Metrics(bot)
    runner = web.AppRunner(application(bot, collected.registry), access_log=None)
    await runner.setup()
    host, port = address
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as error:
        await runner.cleanup()
        raise StartupError(
            f"METRICS_ADDR={host}:{port}: cannot listen there ({error.strerror or error})."
        ) from None
    metrics.activate(collected)
    # Inherited by every task the bot starts from here on (it is started after this).
    adapter = async_context.set(TimedAdapter())
    limits = RateLimitLog()
    for name in RATE_LIMIT_LOGGERS:
        logging.getLogger(name).addHandler(limits)
    log.info("Serving metrics on http://%s:%d/metrics", host, port)
    try:
        yield
    finally:
        metrics.activate(None)
        for name in RATE_LIMIT_LOGGERS:
            logging.getLogger(name).removeHandler(limits)
        with contextlib.suppress(ValueError):  # closed from another task (the tests' runner)
            async_context.reset(adapter)
        await runner.cleanup()
