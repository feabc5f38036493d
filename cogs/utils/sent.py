"""Finding a message this bot sent when the answer to the send was lost (a crash, a 5xx).

A send carries a nonce, so Discord returns the first message for one repeated within its
memory; after that, the message is looked for in the channel's recent history instead.
"""

from __future__ import annotations

import datetime as dt
import logging

import discord

from bot import limits

log = logging.getLogger(__name__)

# How long Discord recognises a nonce ("the past few minutes"): trusted for four.
NONCE_MEMORY = 240.0


async def find_sent(
    bot: discord.Client, channel: discord.abc.Messageable, since: float, start: str
) -> discord.Message | None:
    """This bot's message starting with `start`, posted here since `since`, if any."""
    me = bot.user
    after = dt.datetime.fromtimestamp(since - 5, dt.UTC)
    try:
        async for message in channel.history(after=after, limit=limits.HISTORY_PAGE):
            mine = me is not None and message.author.id == me.id
            if mine and message.content.startswith(start):
                return message
    except discord.Forbidden:
        log.info("No Read Message History: cannot look for a lost send; sending it")
    return None
