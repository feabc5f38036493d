"""/progress: how far a member has watched, so nothing shows them more than that."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import _
from bot.models import UnsetProgress
from bot.render.text import escape

from .utils.catalog import ShowArg, WatchedEpisodeArg


@app_commands.guild_only()
class Progress(
    commands.GroupCog, group_name="progress", group_description="How far you have watched"
):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store

    @app_commands.command(
        name="set", extras={"example": "/progress set show:For All Mankind episode:S4E6"}
    )
    @app_commands.describe(show="The show", episode="The last episode you have watched (e.g. S4E6)")
    async def set_(
        self,
        interaction: discord.Interaction[Watchparty],
        show: ShowArg,
        episode: WatchedEpisodeArg,
    ) -> None:
        """Tell me the last episode you have watched; I'll warn you before anything past it."""
        assert interaction.guild_id is not None
        await self.store.progress.set(interaction.guild_id, interaction.user.id, episode)
        await interaction.response.send_message(
            _(
                "Got it: you've watched {show} up to **{episode}**. "
                "I'll warn you before showing you anything past it."
            ).format(show=escape(show.title), episode=escape(episode.label)),
            ephemeral=True,
        )

    @app_commands.command(name="show", extras={"example": "/progress show"})
    async def show(self, interaction: discord.Interaction[Watchparty]) -> None:
        """What I know about how far you have watched."""
        assert interaction.guild_id is not None
        rows = await self.store.progress.of_member(interaction.guild_id, interaction.user.id)
        settings = await self.store.servers.settings(interaction.guild_id)
        lines = [
            _("• {show}: up to **{code}**").format(show=escape(row.title), code=row.watched.code)
            for row in rows
        ]
        unset = (
            _("For other shows I treat you as caught up (this server's setting).")
            if settings.unset_progress is UnsetProgress.CAUGHT_UP
            else _("For other shows I'll warn you before anything that could spoil them.")
        )
        text = "\n".join(lines) if lines else _("You haven't set your progress for any show yet.")
        await interaction.response.send_message(f"{text}\n{unset}", ephemeral=True)

    @app_commands.command(name="clear", extras={"example": "/progress clear show:For All Mankind"})
    @app_commands.describe(show="Only this show (leave empty to clear all)")
    async def clear(
        self, interaction: discord.Interaction[Watchparty], show: ShowArg | None = None
    ) -> None:
        """Forget how far you have watched (one show, or all)."""
        assert interaction.guild_id is not None
        cleared = await self.store.progress.clear(
            interaction.guild_id, interaction.user.id, show.id if show else None
        )
        if not cleared:
            raise UserError(_("There was nothing to clear."))
        what = escape(show.title) if show else _("every show")
        await interaction.response.send_message(
            _("Cleared your progress for {what}.").format(what=what), ephemeral=True
        )

    @app_commands.command(
        name="follow-parties", extras={"example": "/progress follow-parties setting:on"}
    )
    @app_commands.describe(setting="on: a party you took part in moves your progress to it")
    async def follow_parties(
        self, interaction: discord.Interaction[Watchparty], setting: Literal["on", "off"]
    ) -> None:
        """Move your progress to a party's episode when you took part (clicked I'm watching)."""
        assert interaction.guild_id is not None
        on = setting == "on"
        await self.store.together.set_follows_parties(interaction.guild_id, interaction.user.id, on)
        text = (
            _(
                "On: when a watch party you took part in (you clicked **I'm watching** while it "
                "ran) ends, I'll move your progress to its episode if you were behind it, and DM "
                "you with an undo button."
            )
            if on
            else _("Off: watch parties no longer move your progress.")
        )
        await interaction.response.send_message(text, ephemeral=True)


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(Progress(bot))
