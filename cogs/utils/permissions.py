"""Who may organise (create polls and watch parties) and who may write episode content, as
each server's /config says."""

from __future__ import annotations

import discord

from bot.errors import UserError
from bot.i18n import _
from bot.models import GuildSettings, Organisers
from bot.store import Store


def is_moderator(interaction: discord.Interaction) -> bool:
    perms = interaction.permissions
    return perms.manage_guild or perms.manage_messages or perms.manage_events or perms.administrator


def _roles(interaction: discord.Interaction) -> set[int]:
    return {role.id for role in getattr(interaction.user, "roles", [])}


def may_organise(settings: GuildSettings, interaction: discord.Interaction) -> bool:
    """Whether this member may create polls and watch parties (what /help lists, too)."""
    if settings.organisers is Organisers.EVERYONE or is_moderator(interaction):
        return True
    return settings.organisers is Organisers.ROLE and settings.organiser_role_id in _roles(
        interaction
    )


def may_edit(settings: GuildSettings, interaction: discord.Interaction) -> bool:
    """Whether this member may write episode content: Manage Server always may, and so may
    the role /config editors names."""
    perms = interaction.permissions
    if perms.manage_guild or perms.administrator:
        return True
    return settings.editor_role_id is not None and settings.editor_role_id in _roles(interaction)


async def check_organiser(store: Store, interaction: discord.Interaction) -> None:
    """Raise a UserError unless this member may create polls and watch parties here."""
    if interaction.guild_id is None:
        raise UserError(_("That works inside a server only."))
    settings = await store.servers.settings(interaction.guild_id)
    if may_organise(settings, interaction):
        return
    if settings.organisers is Organisers.ROLE:
        raise UserError(
            _(
                "In this server, only members with the {role} role and moderators can create "
                "polls and watch parties."
            ).format(role=f"<@&{settings.organiser_role_id}>")
        )
    raise UserError(
        _(
            "In this server, only moderators (Manage Messages, Manage Events or Manage Server) "
            "can create polls and watch parties."
        )
    )


async def check_editor(store: Store, interaction: discord.Interaction) -> None:
    """Raise a UserError unless this member may write episode content here: Manage Server
    always may, and so may the role /config editors names."""
    if interaction.guild_id is None:
        raise UserError(_("That works inside a server only."))
    settings = await store.servers.settings(interaction.guild_id)
    if may_edit(settings, interaction):
        return
    if settings.editor_role_id is not None:
        raise UserError(
            _(
                "In this server, only members with the {role} role and members with Manage "
                "Server can write episode content."
            ).format(role=f"<@&{settings.editor_role_id}>")
        )
    raise UserError(_("In this server, only members with Manage Server can write episode content."))


def require_manage_guild(interaction: discord.Interaction) -> None:
    if not (interaction.permissions.manage_guild or interaction.permissions.administrator):
        raise UserError(_("You need the Manage Server permission to change Watchparty's settings."))


# A command that checks one of these itself, beyond the Discord permissions it declares, says
# which in its extras (`"audience": EDITORS`), so /help lists it only to those who may run it.
EDITORS = "editors"
ORGANISERS = "organisers"
AUDIENCES = {EDITORS: may_edit, ORGANISERS: may_organise}


def in_audience(
    audience: str | None, settings: GuildSettings, interaction: discord.Interaction
) -> bool:
    """Whether this member is in a command's audience (no audience: everyone is)."""
    return audience is None or AUDIENCES[audience](settings, interaction)
