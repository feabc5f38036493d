"""Syncing the slash commands on purpose: only when the tree's shape changed, or when asked.

Discord limits command creation (200 a day per guild), and a sync on every start also makes
every client refetch the commands; so the tree's shape is hashed and compared with the hash of
the last sync, kept in the store's meta table.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import discord
from discord import app_commands

from . import i18n
from .store import Store

log = logging.getLogger(__name__)


async def sync(
    tree: app_commands.CommandTree[Any], store: Store, dev_guild_id: int | None, *, force: bool
) -> bool:
    """Sync to the development guild when one is set, else globally; True if it synced."""
    guild = discord.Object(dev_guild_id) if dev_guild_id else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    scope = f"guild:{guild.id}" if guild else "global"
    await _clear_other_scopes(tree.client, store, scope)
    key = f"commands:{tree.client.application_id}:{scope}"
    digest = tree_hash(tree, guild)
    if not force and await store.get_meta(key) == digest:
        log.info("Slash commands unchanged since the last sync (%s); not syncing", scope)
        return False
    synced = await tree.sync(guild=guild)
    await store.set_meta(key, digest)
    log.info("Synced %d slash commands (%s)", len(synced), scope)
    return True


async def _clear_other_scopes(client: discord.Client, store: Store, scope: str) -> None:
    """Commands live in one scope. Moving between DEV_GUILD_ID and global commands removes
    the copies this bot synced to the other scope, so nobody sees each command twice."""
    application_id = client.application_id
    assert application_id is not None  # known once logged in, before setup_hook
    prefix = f"commands:{application_id}:"
    for key in await store.meta_keys(prefix):
        other = key.removeprefix(prefix)
        if other == scope:
            continue
        try:
            if other == "global":
                await client.http.bulk_upsert_global_commands(application_id, [])
            else:
                guild_id = int(other.removeprefix("guild:"))
                await client.http.bulk_upsert_guild_commands(application_id, guild_id, [])
        except discord.HTTPException as error:
            # Left that server, say: nothing of ours is shown there any more either.
            log.info("Could not remove the slash commands in %s (%s)", other, error)
        else:
            log.info("Removed the slash commands synced to %s before (now: %s)", other, scope)
        await store.delete_meta(key)


def tree_hash(tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None) -> str:
    """The commands' shape as Discord would receive it, in every shipped language."""
    commands = sorted(
        (command.to_dict(tree) for command in tree.get_commands(guild=guild)),
        key=lambda c: (c.get("type", 1), c["name"]),
    )
    shape = json.dumps(commands, sort_keys=True) + i18n.digest()
    return hashlib.sha256(shape.encode()).hexdigest()
