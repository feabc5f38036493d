"""Page buttons that keep working after a restart.

The button's custom_id carries everything needed to draw the page again from the store
("wp:page:recap:12:2"), so nothing about a posted message has to be remembered. What each
kind of page is drawn by lives in `bot.pagers`, filled by the cogs that own those pages.

A public page is drawn in the server's language, a private one (/catchup, /suggest list,
/watched, a revealed page) in the language of the member who reads it, on every click.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

import discord

from bot import limits
from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import _, public
from bot.models import Link
from bot.render.episodes import Page

from .buttons import ButtonBase, persistent_button


async def draw(bot: Watchparty, kind: str, ref: str, page: int) -> tuple[Page, tuple[Link, ...]]:
    """Page `page` of what `kind`/`ref` names, and the link buttons that go under it."""
    pager = bot.pagers.get(kind)
    if pager is None:
        raise UserError(_("These buttons belong to something I no longer show."))
    return await pager(bot.store, ref, page)


def pick(embeds: list[discord.Embed], page: int) -> Page:
    """Page `page` of the drawn pages; a list that shrank since its buttons were drawn shows
    its last page."""
    number = min(max(page, 1), len(embeds))
    return Page(embeds[number - 1], number, len(embeds))


def _language(private: bool) -> contextlib.AbstractContextManager[None]:
    # The channel reads a public page: the server's language, not the clicking member's.
    return contextlib.nullcontext() if private else public()


class PageButton(
    ButtonBase,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"wp:page:(?P<kind>[a-z]+):(?P<ref>[0-9a-z.-]+):(?P<page>\d+)",
):
    def __init__(
        self, kind: str, ref: str, page: int, *, label: str, disabled: bool = False
    ) -> None:
        super().__init__(
            persistent_button(
                f"wp:page:{kind}:{ref}:{page}",
                label=label,
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
            )
        )
        self.kind, self.ref, self.page = kind, ref, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PageButton:
        label = getattr(item, "label", None) or ""
        return cls(match["kind"], match["ref"], int(match["page"]), label=label)

    async def run(self, interaction: discord.Interaction[Watchparty]) -> None:
        private = interaction.message is not None and interaction.message.flags.ephemeral
        with _language(private):
            page, links = await draw(interaction.client, self.kind, self.ref, self.page)
            view = page_view(self.kind, self.ref, page, links)
        await interaction.response.edit_message(embed=page.embed, view=view)


def page_view(kind: str, ref: str, page: Page, links: tuple[Link, ...] = ()) -> discord.ui.View:
    """Previous/next buttons when there is more than one page, then up to five link buttons."""
    view = discord.ui.View(timeout=None)
    if page.total > 1:
        view.add_item(
            PageButton(kind, ref, page.number - 1, label=_("◀ Previous"), disabled=page.number <= 1)
        )
        view.add_item(
            PageButton(
                kind, ref, page.number + 1, label=_("Next ▶"), disabled=page.number >= page.total
            )
        )
    for link in links[: limits.LINKS]:
        view.add_item(
            discord.ui.Button(label=link.label[: limits.BUTTON_LABEL], url=link.url, row=1)
        )
    return view


async def send_pages(
    interaction: discord.Interaction[Watchparty], kind: str, ref: str, *, private: bool = False
) -> None:
    """Answer with page 1 of `kind`/`ref` and its buttons: publicly, or to the member alone."""
    with _language(private):
        page, links = await draw(interaction.client, kind, ref, 1)
        view = page_view(kind, ref, page, links)
    await interaction.response.send_message(embed=page.embed, view=view, ephemeral=private)
