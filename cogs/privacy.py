"""/privacy: what the bot stores about you, as a file, and deleting it; and servers that leave.

Discord's Developer Policy: delete a user's data when they ask, and keep none the bot no
longer needs. The rows themselves are listed in one place, bot/store/privacy.py.
"""

from __future__ import annotations

import contextlib
import io
import logging
import time

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Watchparty
from bot.i18n import N_, _, ngettext
from bot.render import privacy as render

from .utils.alarm import Alarm

log = logging.getLogger(__name__)

DAY = 86_400.0
# The delete asks first in an ephemeral message whose buttons live this long: an ephemeral
# view, not a persistent one, so a restart (or a minute's pause) simply asks again.
CONFIRM_SECONDS = 60.0


class ConfirmDelete(discord.ui.View):
    """ "Delete everything" / "Keep it", for the member who asked and no one else."""

    def __init__(self, cog: Privacy, origin: discord.Interaction[Watchparty]) -> None:
        super().__init__(timeout=CONFIRM_SECONDS)
        self.cog = cog
        self.origin = origin
        self.user_id = origin.user.id
        # The decorators run at import, in no one's language: the labels are set per member.
        self.delete.label = _("Delete everything")
        self.keep.label = _("Keep it")

    async def on_timeout(self) -> None:
        # A click on buttons nobody listens to any more would read "This interaction failed":
        # take them away and say what happened instead.
        with contextlib.suppress(discord.HTTPException):
            await self.origin.edit_original_response(
                content=_("Nothing was deleted: the question expired. Run /privacy delete again."),
                view=None,
            )

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.user_id

    @discord.ui.button(label=N_("Delete everything"), style=discord.ButtonStyle.danger)
    async def delete(
        self, interaction: discord.Interaction[Watchparty], button: discord.ui.Button[ConfirmDelete]
    ) -> None:
        self.stop()
        # Answered only once the delete is committed.
        line = await self.cog.delete_member(self.user_id)
        await interaction.response.edit_message(content=line, view=None)

    @discord.ui.button(label=N_("Keep it"), style=discord.ButtonStyle.secondary)
    async def keep(
        self, interaction: discord.Interaction[Watchparty], button: discord.ui.Button[ConfirmDelete]
    ) -> None:
        self.stop()
        await interaction.response.edit_message(content=_("Nothing was deleted."), view=None)


class Privacy(commands.GroupCog, group_name="privacy", group_description="Your data here"):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store
        self.purger = Alarm(bot, "server purges", self._next_purge, self._purge_due)

    async def cog_load(self) -> None:
        self.purger.start()

    async def cog_unload(self) -> None:
        self.purger.stop()

    @app_commands.command(name="show", extras={"example": "/privacy show"})
    async def show(self, interaction: discord.Interaction[Watchparty]) -> None:
        """What I store about you, here and in every server, with counts."""
        rows = await self.store.privacy.about_user(interaction.user.id)
        await interaction.response.send_message(
            render.summary(rows, interaction.guild_id), ephemeral=True
        )

    @app_commands.command(name="export", extras={"example": "/privacy export"})
    async def export(self, interaction: discord.Interaction[Watchparty]) -> None:
        """Everything I store about you, as a JSON file only you see."""
        rows = await self.store.privacy.about_user(interaction.user.id)
        data = render.export(interaction.user.id, rows)
        await interaction.response.send_message(
            _("Everything I store about you:"),
            file=discord.File(io.BytesIO(data), filename="watchparty-my-data.json"),
            ephemeral=True,
        )

    @app_commands.command(name="delete", extras={"example": "/privacy delete"})
    async def delete(self, interaction: discord.Interaction[Watchparty]) -> None:
        """Delete everything I store about you, in every server (asks first)."""
        rows = await self.store.privacy.about_user(interaction.user.id)
        if not rows:
            await interaction.response.send_message(
                _("I store nothing about you: there is nothing to delete."), ephemeral=True
            )
            return
        await interaction.response.send_message(
            _(
                "Delete your progress, votes, follows, settings and reminder records in every"
                " server? Votes in open polls are withdrawn; closed polls keep only their counts."
            )
            + " "
            + _(render.KEPT_AFTER_DELETE),
            view=ConfirmDelete(self, interaction),
            ephemeral=True,
        )

    async def delete_member(self, user_id: int) -> str:
        """Delete one member's data (also for `python -m bot privacy delete`); the answer line."""
        changed, open_polls = await self.store.privacy.delete_user(user_id)
        if self.bot.polls is not None:
            for poll_id in open_polls:
                self.bot.polls.redraw(poll_id)
        log.info("Deleted the data of a member on request: %d rows", changed)
        gone = ngettext(
            "Deleted: {count} record about you is gone.",
            "Deleted: {count} records about you are gone.",
            changed,
        )
        return gone.format(count=changed) + (" " + _(render.KEPT_AFTER_DELETE))

    # --- servers that leave -------------------------------------------------------------

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        now = time.time()
        purge_at = now + self.bot.settings.guild_data_days * DAY
        await self.store.privacy.depart(guild.id, now, purge_at)
        log.info("Removed from server %s: its data goes at %s unless I return", guild.id, purge_at)
        self.purger.wake()

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self._returned(guild)

    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        await self._returned(guild)

    async def _returned(self, guild: discord.Guild) -> None:
        if await self.store.privacy.returned(guild.id):
            log.info("Back in server %s: its data is kept", guild.id)

    async def _next_purge(self) -> float | None:
        # Another shard's servers are its process's: only it sees them come back.
        return await self.store.privacy.next_purge(self.bot.owned)

    async def _purge_due(self, now: float) -> None:
        for guild_id in await self.store.privacy.due(now, self.bot.owned):
            if self.bot.get_guild(guild_id) is not None:
                # Back in the server (a join this process saw before the record): keep it.
                await self.store.privacy.returned(guild_id)
                continue
            deleted = await self.store.privacy.purge_guild(guild_id)
            log.info("Purged departed server %s: %d rows", guild_id, deleted)


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(Privacy(bot))
