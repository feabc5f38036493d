"""/progress: how far a member has watched, so nothing shows them more than that."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserError
from bot.render.text import escape

from ._catalog import episode_autocomplete, resolve_episode, resolve_show, show_autocomplete

if TYPE_CHECKING:
    from bot.app import Watchparty


@app_commands.guild_only()
class Progress(
    commands.GroupCog, group_name="progress", group_description="How far you have watched"
):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store

    @app_commands.command(name="set")
    @app_commands.describe(show="The show", episode="The last episode you have watched (e.g. S4E6)")
    @app_commands.autocomplete(show=show_autocomplete, episode=episode_autocomplete)
    async def set_(self, interaction: discord.Interaction, show: str, episode: str) -> None:
        """Tell me the last episode you have watched; I'll warn you before anything past it."""
        found = await resolve_show(self.store, show)
        chosen = await resolve_episode(self.store, found, None, episode)
        assert interaction.guild_id is not None
        await self.store.guilds.set_progress(
            interaction.guild_id, interaction.user.id, found.id, chosen.season, chosen.number
        )
        await interaction.response.send_message(
            f"Got it: you've watched {escape(found.title)} up to **{escape(chosen.label)}**. "
            "I'll warn you before showing you anything past it.",
            ephemeral=True,
        )

    @app_commands.command(name="show")
    async def show(self, interaction: discord.Interaction) -> None:
        """What I know about how far you have watched."""
        assert interaction.guild_id is not None
        rows = await self.store.guilds.all_progress(interaction.guild_id, interaction.user.id)
        settings = await self.store.guilds.settings(interaction.guild_id)
        lines = [
            f"• {escape(title)}: up to **S{season}E{number}**" for title, season, number in rows
        ]
        unset = (
            "For other shows I treat you as caught up (this server's setting)."
            if settings.unset_progress == "caught_up"
            else "For other shows I'll warn you before anything that could spoil them."
        )
        text = "\n".join(lines) if lines else "You haven't set your progress for any show yet."
        await interaction.response.send_message(f"{text}\n{unset}", ephemeral=True)

    @app_commands.command(name="clear")
    @app_commands.describe(show="Only this show (leave empty to clear all)")
    @app_commands.autocomplete(show=show_autocomplete)
    async def clear(self, interaction: discord.Interaction, show: str | None = None) -> None:
        """Forget how far you have watched (one show, or all)."""
        assert interaction.guild_id is not None
        found = await resolve_show(self.store, show) if show else None
        cleared = await self.store.guilds.clear_progress(
            interaction.guild_id, interaction.user.id, found.id if found else None
        )
        if not cleared:
            raise UserError("There was nothing to clear.")
        what = escape(found.title) if found else "every show"
        await interaction.response.send_message(
            f"Cleared your progress for {what}.", ephemeral=True
        )


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(Progress(bot))
