"""Page buttons that keep working after a restart.

The button's custom_id carries everything needed to draw the page again from the store
("wp:page:recap:12:2"), so nothing about a posted message has to be remembered.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord

from bot.errors import UserError, report
from bot.models import Link
from bot.render import limits
from bot.render.episodes import Page

if TYPE_CHECKING:
    from bot.store import Store

# A pager draws page `n` of the thing `ref` names, with the link buttons that go under it.
Pager = Callable[["Store", str, int], Awaitable[tuple[Page, tuple[Link, ...]]]]
PAGERS: dict[str, Pager] = {}


def pager(kind: str) -> Callable[[Pager], Pager]:
    """Register the function that draws pages of `kind`."""

    def register(function: Pager) -> Pager:
        PAGERS[kind] = function
        return function

    return register


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"wp:page:(?P<kind>[a-z]+):(?P<ref>[0-9a-z.-]+):(?P<page>\d+)",
):
    def __init__(
        self, kind: str, ref: str, page: int, *, label: str, disabled: bool = False
    ) -> None:
        custom_id = f"wp:page:{kind}:{ref}:{page}"
        # custom_ids can only be up to 100 characters long.
        assert len(custom_id) <= limits.CUSTOM_ID, custom_id
        super().__init__(
            discord.ui.Button(
                label=label,
                custom_id=custom_id,
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

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            draw = PAGERS.get(self.kind)
            if draw is None:
                raise UserError("These buttons belong to something I no longer show.")
            store: Store = interaction.client.store  # type: ignore[attr-defined]
            page, links = await draw(store, self.ref, self.page)
            await interaction.response.edit_message(
                embed=page.embed, view=page_view(self.kind, self.ref, page, links)
            )
        except Exception as error:
            await report(interaction, error)


def page_view(kind: str, ref: str, page: Page, links: tuple[Link, ...] = ()) -> discord.ui.View:
    """Previous/next buttons when there is more than one page, then up to five link buttons."""
    view = discord.ui.View(timeout=None)
    if page.total > 1:
        view.add_item(
            PageButton(kind, ref, page.number - 1, label="◀ Previous", disabled=page.number <= 1)
        )
        view.add_item(
            PageButton(
                kind, ref, page.number + 1, label="Next ▶", disabled=page.number >= page.total
            )
        )
    for link in links[: limits.BUTTONS_PER_ROW]:
        view.add_item(
            discord.ui.Button(label=link.label[: limits.BUTTON_LABEL], url=link.url, row=1)
        )
    return view
