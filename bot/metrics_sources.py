"""The counts discord.py offers no event for, taken from its webhook adapter (interaction
answers) and its log (429s); installed by `serving()` (bot/metrics_server.py) while metrics
are on."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord.webhook.async_ import AsyncWebhookAdapter

from . import metrics


class TimedAdapter(AsyncWebhookAdapter):
    """discord.py's webhook adapter, which sends every initial response (interaction
    callback), noting when Discord accepted each. Installed by `serving()` through discord.py's
    `async_context`, so only while metrics are on; an aiohttp trace would cost every request."""

    async def create_interaction_response(
        self, interaction_id: int, token: str, **options: Any
    ) -> Any:
        try:
            answer = await super().create_interaction_response(interaction_id, token, **options)
        except discord.HTTPException as error:
            counting = metrics.active()
            if counting is not None:
                counting.acked(interaction_id, error.status)
            raise
        counting = metrics.active()
        if counting is not None:
            counting.acked(interaction_id, 200)
        return answer


class RateLimitLog(logging.Handler):
    """Counts Discord's 429s from the warning discord.py logs for each before it retries:
    it has no event for them, and a log record costs nothing until one happens."""

    # discord.http's and discord.webhook.async_'s messages; the global limit's second line
    # ("Global rate limit has been hit") follows one of these, so it is not counted again.
    PREFIXES = ("We are being rate limited.", "Webhook ID %s is rate limited.")

    def emit(self, record: logging.LogRecord) -> None:
        counting = metrics.active()
        if counting is not None and str(record.msg).startswith(self.PREFIXES):
            counting.rate_limited.inc()
