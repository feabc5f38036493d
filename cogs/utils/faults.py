"""Faults that pass: Discord's 5xx, a network error, a time-out, a busy database.

What meets one is worth trying again a little later; anything else (Discord refusing a
request, a bug) is not, and repeating it would only repeat the failure.
"""

from __future__ import annotations

import aiohttp
import discord

from bot.store import StoreBusy

TRANSIENT = (StoreBusy, aiohttp.ClientError, TimeoutError, discord.DiscordServerError)
