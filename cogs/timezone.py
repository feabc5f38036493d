"""/timezone: a member's own time zone, which their watch-party start times are read in."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import limits
from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import _

from .utils.text import TextOption, clean
from .utils.times import known_zone, zone_choices

Zone = app_commands.Transform[str, TextOption("time zone", max_length=limits.CHOICE_VALUE)]


class TimeZone(commands.GroupCog, group_name="timezone", group_description="Your own time zone"):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store

    @app_commands.command(name="set", extras={"example": "/timezone set zone:Europe/Paris"})
    @app_commands.describe(zone="An IANA time zone, e.g. Europe/Paris or America/New_York")
    async def set_(self, interaction: discord.Interaction[Watchparty], zone: Zone) -> None:
        """Read the times you type (e.g. /watchparty schedule start:20:00) in your time zone."""
        name = known_zone(zone)
        await self.store.members.set_time_zone(interaction.user.id, name)
        await interaction.response.send_message(
            _("Saved: times you type are read in **{zone}**, in every server.").format(zone=name),
            ephemeral=True,
        )

    @set_.autocomplete("zone")
    async def _zone_autocomplete(
        self, interaction: discord.Interaction[Watchparty], current: str
    ) -> list[app_commands.Choice[str]]:
        return zone_choices(clean(current))

    @app_commands.command(name="show", extras={"example": "/timezone show"})
    async def show(self, interaction: discord.Interaction[Watchparty]) -> None:
        """The time zone I read your times in."""
        zone = await self.store.members.time_zone(interaction.user.id)
        if zone is not None:
            text = _("Times you type are read in **{zone}** (your own setting).").format(zone=zone)
        elif interaction.guild_id is not None:
            server = (await self.store.servers.settings(interaction.guild_id)).time_zone
            text = _(
                "You have no time zone of your own: times are read in this server's, **{zone}**."
            ).format(zone=server)
        else:
            text = _("You have no time zone of your own: times are read in each server's.")
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="clear", extras={"example": "/timezone clear"})
    async def clear(self, interaction: discord.Interaction[Watchparty]) -> None:
        """Forget your time zone: times are read in each server's again."""
        if not await self.store.members.clear_time_zone(interaction.user.id):
            raise UserError(_("You had no time zone set."))
        await interaction.response.send_message(
            _("Cleared: times you type are read in each server's time zone again."), ephemeral=True
        )


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(TimeZone(bot))
