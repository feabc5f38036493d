"""/recap, /cast and /ending: an episode's story, its people, and how it ends."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import N_, _
from bot.models import Episode, Link, Show
from bot.render.episodes import Page, cast_page, cast_scope, ending_page, recap_page
from bot.store import Store

from .utils.catalog import EpisodeArg, SeasonArg, ShowArg
from .utils.paging import send_pages
from .utils.spoilers import send_gated

EPISODE_OPTIONS = {
    "show": "The show (start typing its title)",
    "season": "Season number",
    "episode": "Episode: its number, a code like S4E6, or its title",
}


async def draw_recap(store: Store, ref: str, page: int) -> tuple[Page, tuple[Link, ...]]:
    show, episode = await _episode_by_ref(store, ref)
    return recap_page(show, episode, page), episode.links + show.links


async def draw_ending(store: Store, ref: str, page: int) -> tuple[Page, tuple[Link, ...]]:
    show, episode = await _episode_by_ref(store, ref)
    return ending_page(show, episode, page), ()


async def draw_cast(store: Store, ref: str, page: int) -> tuple[Page, tuple[Link, ...]]:
    show_id, season, number = (None if part == "-" else int(part) for part in ref.split("."))
    show = await store.catalog.show_by_id(show_id or 0)
    if show is None:
        raise UserError(_("That show is no longer in my catalog."))
    episode = None
    if season is not None and number is not None:
        episode = await store.catalog.episode(show.id, season, number)
    credits = await store.catalog.cast(show.id, season, number)
    return cast_page(show, credits, cast_scope(season, episode), page), show.links


async def _episode_by_ref(store: Store, ref: str) -> tuple[Show, Episode]:
    episode = await store.catalog.episode_by_id(int(ref))
    show = await store.catalog.show_by_id(episode.show_id) if episode else None
    if episode is None or show is None:
        raise UserError(_("That episode is no longer in my catalog."))
    return show, episode


class Episodes(commands.Cog):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.pagers.update(recap=draw_recap, ending=draw_ending, cast=draw_cast)

    async def cog_unload(self) -> None:
        for kind in ("recap", "ending", "cast"):
            self.bot.pagers.pop(kind, None)

    @app_commands.command(extras={"example": "/recap show:For All Mankind season:4 episode:S4E6"})
    @app_commands.describe(**EPISODE_OPTIONS)
    async def recap(
        self,
        interaction: discord.Interaction[Watchparty],
        show: ShowArg,
        season: SeasonArg,
        episode: EpisodeArg,
    ) -> None:
        """Recap an episode: the spoiler-free set-up, then everything that happens."""
        # Public if the member has watched it, else a private warning.
        await send_gated(
            interaction, "recap", str(episode.id), show=show, covers=[episode], what=N_("recap")
        )

    @app_commands.command(extras={"example": "/ending show:For All Mankind season:4 episode:6"})
    @app_commands.describe(**EPISODE_OPTIONS)
    async def ending(
        self,
        interaction: discord.Interaction[Watchparty],
        show: ShowArg,
        season: SeasonArg,
        episode: EpisodeArg,
    ) -> None:
        """How an episode ends, explained, behind spoiler tags."""
        await send_gated(
            interaction, "ending", str(episode.id), show=show, covers=[episode], what=N_("ending")
        )

    @app_commands.command(
        extras={"example": "/cast show:For All Mankind season:4 episode:Leningrad"}
    )
    @app_commands.describe(
        show="The show (start typing its title)",
        season="Only this season's cast",
        episode="Only this episode's cast (a number, S4E6, or a title)",
    )
    async def cast(
        self,
        interaction: discord.Interaction[Watchparty],
        show: ShowArg,
        season: SeasonArg | None = None,
        episode: EpisodeArg | None = None,
    ) -> None:
        """Who is in a show, a season or an episode."""
        number = None
        if episode is not None:
            season, number = episode.season, episode.number
        ref = ".".join("-" if part is None else str(part) for part in (show.id, season, number))
        await send_pages(interaction, "cast", ref)


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(Episodes(bot))
