"""Syncing slash commands on purpose: when the tree changed, or when asked.

Discord limits command creation (200 a day per guild), and a sync on every start also
makes every client refetch the commands; so the tree's shape is hashed and compared with
the hash of the last sync.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import TYPE_CHECKING

import discord

if TYPE_CHECKING:
    from .app import Watchparty

log = logging.getLogger(__name__)


def tree_hash(bot: Watchparty, guild: discord.abc.Snowflake | None) -> str:
    commands = sorted(
        (command.to_dict(bot.tree) for command in bot.tree.get_commands(guild=guild)),
        key=lambda c: (c.get("type", 1), c["name"]),
    )
    return hashlib.sha256(json.dumps(commands, sort_keys=True).encode()).hexdigest()


async def sync_commands(bot: Watchparty, *, force: bool = False) -> bool:
    """Sync to the development guild when one is set, else globally; True if it synced."""
    guild = discord.Object(bot.settings.dev_guild_id) if bot.settings.dev_guild_id else None
    if guild is not None:
        bot.tree.copy_global_to(guild=guild)
    scope = f"guild:{guild.id}" if guild else "global"
    key = f"commands:{bot.application_id}:{scope}"
    digest = tree_hash(bot, guild)
    if not force and await bot.store.get_meta(key) == digest:
        log.info("Slash commands unchanged since the last sync (%s); not syncing", scope)
        return False
    synced = await bot.tree.sync(guild=guild)
    await bot.store.set_meta(key, digest)
    log.info("Synced %d slash commands (%s)", len(synced), scope)
    return True
