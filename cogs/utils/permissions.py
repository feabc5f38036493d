"""Who may organise (create polls and watch parties) and who may write episode content, as
each server's /config says."""

from __future__ import annotations

import discord

from bot.errors import UserError
from bot.models import Organisers
from bot.store import Store


def is_moderator(interaction: discord.Interaction) -> bool:
    perms = interaction.permissions
    return perms.manage_guild or perms.manage_messages or perms.manage_events or perms.administrator


async def check_organiser(store: Store, interaction: discord.Interaction) -> None:
    """Raise a UserError unless this member may create polls and watch parties here."""
    if interaction.guild_id is None:
        raise UserError("That works inside a server only.")
    settings = await store.servers.settings(interaction.guild_id)
    if settings.organisers is Organisers.EVERYONE or is_moderator(interaction):
        return
    roles = {role.id for role in getattr(interaction.user, "roles", [])}
    if settings.organisers is Organisers.ROLE and settings.organiser_role_id in roles:
        return
    who = (
        f"members with the <@&{settings.organiser_role_id}> role and moderators"
        if settings.organisers is Organisers.ROLE
        else "moderators (Manage Messages, Manage Events or Manage Server)"
    )
    raise UserError(f"In this server, only {who} can create polls and watch parties.")


async def check_editor(store: Store, interaction: discord.Interaction) -> None:
    """Raise a UserError unless this member may write episode content here: Manage Server
    always may, and so may the role /config editors names."""
    if interaction.guild_id is None:
        raise UserError("That works inside a server only.")
    perms = interaction.permissions
    if perms.manage_guild or perms.administrator:
        return
    settings = await store.servers.settings(interaction.guild_id)
    roles = {role.id for role in getattr(interaction.user, "roles", [])}
    if settings.editor_role_id is not None and settings.editor_role_id in roles:
        return
    who = "members with Manage Server"
    if settings.editor_role_id is not None:
        who = f"members with the <@&{settings.editor_role_id}> role and {who}"
    raise UserError(f"In this server, only {who} can write episode content.")


def require_manage_guild(interaction: discord.Interaction) -> None:
    if not (interaction.permissions.manage_guild or interaction.permissions.administrator):
        raise UserError("You need the Manage Server permission to change Watchparty's settings.")
