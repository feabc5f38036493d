"""/catalog remove: taking a show out of the catalog, after a confirmation that lists what
members made for it (which is kept, hidden, never deleted)."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.app import Watchparty
from bot.catalog.sync import remove_show
from bot.errors import UserError
from bot.i18n import _, ngettext
from bot.models import Show, ShowDependents
from bot.render.catalog import dependents_text, removed_text
from bot.render.text import escape

from .utils.buttons import ButtonBase, persistent_button
from .utils.permissions import require_manage_guild


def confirmation(show: Show, episodes: int, dependents: ShowDependents) -> str:
    kept = (
        _(
            "Members made {dependents} for it: those are kept, and the show is hidden rather "
            "than deleted."
        ).format(dependents=dependents_text(dependents))
        if dependents
        else _("Nothing members made refers to it, so it is deleted.")
    )
    return _(
        "Remove **{title}** ({episodes}) from the catalog? {kept} Its data file moves to "
        "`data/removed/`, so nothing written is lost."
    ).format(
        title=escape(show.title),
        episodes=ngettext("{count} episode", "{count} episodes", episodes).format(count=episodes),
        kept=kept,
    )


def confirm_view(show: Show) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(CatalogRemoval(show.id, remove=True))
    view.add_item(CatalogRemoval(show.id, remove=False))
    return view


class CatalogRemoval(
    ButtonBase,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"wp:catalog:(?P<action>rm|keep):(?P<show>\d+)",
):
    """The answer to /catalog remove's question; works after a restart like every button."""

    def __init__(self, show_id: int, *, remove: bool) -> None:
        action = "rm" if remove else "keep"
        super().__init__(
            persistent_button(
                f"wp:catalog:{action}:{show_id}",
                label=_("Remove it") if remove else _("Keep it"),
                style=discord.ButtonStyle.danger if remove else discord.ButtonStyle.secondary,
            )
        )
        self.show_id, self.remove = show_id, remove

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CatalogRemoval:
        return cls(int(match["show"]), remove=match["action"] == "rm")

    async def run(self, interaction: discord.Interaction[Watchparty]) -> None:
        require_manage_guild(interaction)
        if not self.remove:
            await interaction.response.edit_message(content=_("Nothing was removed."), view=None)
            return
        bot = interaction.client
        show = await bot.store.catalog.show_by_id(self.show_id)
        if show is None:
            raise UserError(_("That show is no longer in the catalog."))
        if bot.catalog_writing.locked():
            # A data file is being written (a refresh of this show, say) and the removal waits
            # for it: answer Discord within its 3 s first.
            await interaction.response.defer()
        done = await remove_show(
            bot.store, bot.settings.data_dir, show.slug, lock=bot.catalog_writing
        )
        content = removed_text(show.title, done.hidden, done.dependents, done.moved_to)
        if interaction.response.is_done():
            await interaction.edit_original_response(content=content, view=None)
        else:
            await interaction.response.edit_message(content=content, view=None)
