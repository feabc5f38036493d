"""/recap, /cast and /ending: an episode's story, its people, and how it ends."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserError
from bot.models import Episode, Link, Show
from bot.render.episodes import Page, cast_page, cast_scope, ending_page, recap_page

from ._catalog import (
    episode_autocomplete,
    resolve_episode,
    resolve_show,
    season_autocomplete,
    show_autocomplete,
)
from ._paging import PAGERS, PageButton, page_view, pager
from ._spoilers import RevealButton, send_gated

if TYPE_CHECKING:
    from bot.app import Watchparty
    from bot.store import Store

Season = app_commands.Range[int, 0, 9999]
EPISODE_OPTIONS = {
    "show": "The show (start typing its title)",
    "season": "Season number",
    "episode": "Episode: its number, a code like S4E6, or its title",
}


@pager("recap")
async def draw_recap(store: Store, ref: str, page: int) -> tuple[Page, tuple[Link, ...]]:
    show, episode = await _episode_by_ref(store, ref)
    return recap_page(show, episode, page), episode.links + show.links


@pager("ending")
async def draw_ending(store: Store, ref: str, page: int) -> tuple[Page, tuple[Link, ...]]:
    show, episode = await _episode_by_ref(store, ref)
    return ending_page(show, episode, page), ()


@pager("cast")
async def draw_cast(store: Store, ref: str, page: int) -> tuple[Page, tuple[Link, ...]]:
    show_id, season, number = (None if part == "-" else int(part) for part in ref.split("."))
    show = await store.catalog.show_by_id(show_id or 0)
    if show is None:
        raise UserError("That show is no longer in my catalog.")
    episode = None
    if season is not None and number is not None:
        episode = await store.catalog.episode(show.id, season, number)
    credits = await store.catalog.cast(show.id, season, number)
    return cast_page(show, credits, cast_scope(season, episode), page), show.links


async def _episode_by_ref(store: Store, ref: str) -> tuple[Show, Episode]:
    episode = await store.catalog.episode_by_id(int(ref))
    show = await store.catalog.show_by_id(episode.show_id) if episode else None
    if episode is None or show is None:
        raise UserError("That episode is no longer in my catalog.")
    return show, episode


class Episodes(commands.Cog):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store

    async def _send_pages(self, interaction: discord.Interaction, kind: str, ref: str) -> None:
        page, links = await PAGERS[kind](self.store, ref, 1)
        await interaction.response.send_message(
            embed=page.embed, view=page_view(kind, ref, page, links)
        )

    async def _send_episode(
        self, interaction: discord.Interaction, kind: str, show: str, season: int, episode: str
    ) -> None:
        """A recap or an ending: public if the member has watched it, else a private warning."""
        found = await resolve_show(self.store, show)
        chosen = await resolve_episode(self.store, found, season, episode)
        await send_gated(self.store, interaction, kind, str(chosen.id), found, [chosen], kind)

    @app_commands.command()
    @app_commands.describe(**EPISODE_OPTIONS)
    @app_commands.autocomplete(show=show_autocomplete, episode=episode_autocomplete)
    @app_commands.autocomplete(season=season_autocomplete)
    async def recap(
        self, interaction: discord.Interaction, show: str, season: Season, episode: str
    ) -> None:
        """Recap an episode: the spoiler-free set-up, then everything that happens."""
        await self._send_episode(interaction, "recap", show, season, episode)

    @app_commands.command()
    @app_commands.describe(**EPISODE_OPTIONS)
    @app_commands.autocomplete(show=show_autocomplete, episode=episode_autocomplete)
    @app_commands.autocomplete(season=season_autocomplete)
    async def ending(
        self, interaction: discord.Interaction, show: str, season: Season, episode: str
    ) -> None:
        """How an episode ends, explained, behind spoiler tags."""
        await self._send_episode(interaction, "ending", show, season, episode)

    @app_commands.command()
    @app_commands.describe(
        show="The show (start typing its title)",
        season="Only this season's cast",
        episode="Only this episode's cast (a number, S4E6, or a title)",
    )
    @app_commands.autocomplete(show=show_autocomplete, episode=episode_autocomplete)
    @app_commands.autocomplete(season=season_autocomplete)
    async def cast(
        self,
        interaction: discord.Interaction,
        show: str,
        season: Season | None = None,
        episode: str | None = None,
    ) -> None:
        """Who is in a show, a season or an episode."""
        found = await resolve_show(self.store, show)
        number = None
        if episode is not None:
            chosen = await resolve_episode(self.store, found, season, episode)
            season, number = chosen.season, chosen.number
        ref = ".".join("-" if part is None else str(part) for part in (found.id, season, number))
        await self._send_pages(interaction, "cast", ref)


async def setup(bot: Watchparty) -> None:
    bot.add_dynamic_items(PageButton, RevealButton)
    await bot.add_cog(Episodes(bot))
