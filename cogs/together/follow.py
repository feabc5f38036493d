"""Progress that follows the party: when a watch party ends, members who took part (clicked
"I'm watching" while it ran) and opted in (`/progress follow-parties on`) are moved to its
episode if they were behind it, never backwards, each told once by DM with an undo button."""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
from discord.ext import commands

from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import _, using
from bot.models import Episode, Party, Show
from bot.render import together as render
from bot.render.text import escape

from ..utils.buttons import ButtonBase, persistent_button
from ..utils.dms import dm_locale
from ._progress import has_watched, progress_at

log = logging.getLogger(__name__)


class PartyProgress(commands.Cog):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store

    @commands.Cog.listener()
    async def on_party_ended(self, party_id: int) -> None:
        party = await self.store.parties.get(party_id)
        episode = await self.store.catalog.episode_by_id(party.episode_id) if party else None
        show = await self.store.catalog.show_by_id(episode.show_id) if episode else None
        if party is None or episode is None or show is None:
            return
        for user_id in await self.store.together.attendees(party.id):
            try:
                await self._follow(party, show, episode, user_id)
            except Exception:  # one member's trouble must not stop the others' moves
                log.exception("Party %d: moving the progress of %d failed", party.id, user_id)

    async def _follow(self, party: Party, show: Show, episode: Episode, user_id: int) -> None:
        if not await self.store.together.follows_parties(party.guild_id, user_id):
            return
        seen = await self.store.progress.watched(party.guild_id, user_id, show.id)
        if has_watched(seen, episode):
            return  # never backwards, and nothing to say to someone already past it
        after = progress_at(episode)
        move_id = await self.store.together.claim_move(party, user_id, show.id, seen, after)
        if move_id is None:
            return  # moved already (a repeated end step after a restart)
        await self.store.progress.set(party.guild_id, user_id, episode)
        try:
            guild = self.bot.get_guild(party.guild_id)
            with using(await dm_locale(self.store, user_id, guild)):
                text, view = render.moved_note(show, episode, seen), undo_view(move_id)
            channel = await self.bot.create_dm(discord.Object(user_id))
            await channel.send(text, view=view)
        except discord.HTTPException as error:
            log.info("Party %d: no DM to %d about their progress (%s)", party.id, user_id, error)


class UndoMove(
    ButtonBase,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"wp:unmove:(?P<move>[0-9]{1,18})",
):
    def __init__(self, move_id: int) -> None:
        super().__init__(
            persistent_button(
                f"wp:unmove:{move_id}", label=_("Undo"), style=discord.ButtonStyle.secondary
            )
        )
        self.move_id = move_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> UndoMove:
        return cls(int(match["move"]))

    async def run(self, interaction: discord.Interaction[Watchparty]) -> None:
        store = interaction.client.store
        move = await store.together.move(self.move_id)
        if move is None or move.user_id != interaction.user.id:
            raise UserError(_("That progress change is not yours to undo."))
        show = await store.catalog.show_by_id(move.show_id)
        title = escape(show.title) if show else _("that show")
        if move.undone_at is not None:
            raise UserError(
                _("Already undone: your progress for {show} was put back.").format(show=title)
            )
        current = await store.progress.watched(move.guild_id, move.user_id, move.show_id)
        if current is None or current.episode_id != move.after.episode_id:
            raise UserError(
                _(
                    "Your progress for {show} changed since the party, so I left it as it is: "
                    "`/progress set` puts it where you want."
                ).format(show=title)
            )
        before = await store.catalog.episode_by_id(move.before.episode_id) if move.before else None
        if before is None:
            await store.progress.clear(move.guild_id, move.user_id, move.show_id)
        else:
            await store.progress.set(move.guild_id, move.user_id, before)
        await store.together.mark_undone(move.id)
        text = (
            _("Undone: your progress for {show} is **{code}** again.")
            if move.before
            else _("Undone: your progress for {show} is not set again.")
        )
        code = move.before.code if move.before else ""
        await interaction.response.send_message(text.format(show=title, code=code), ephemeral=True)


def undo_view(move_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(UndoMove(move_id))
    return view
