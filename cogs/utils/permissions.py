"""Who may organise: create polls and watch parties, as each server's /config says."""

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


def require_manage_guild(interaction: discord.Interaction) -> None:
    if not (interaction.permissions.manage_guild or interaction.permissions.administrator):
        raise UserError("You need the Manage Server permission to change Watchparty's settings.")
