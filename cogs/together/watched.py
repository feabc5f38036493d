"""/watched, and announcing the winner of each vote among suggestions when its poll closes."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot import limits
from bot.app import Watchparty
from bot.i18n import _, public
from bot.models import Link, WatchedTogether
from bot.render import together as render
from bot.render.episodes import Page
from bot.store import Store

from ..utils.paging import pick, send_pages
from .winner import announce

log = logging.getLogger(__name__)


async def draw_watched(store: Store, ref: str, page: int) -> tuple[Page, tuple[Link, ...]]:
    """A page of what the server watched together (`bot.pagers["watched"]`), newest first."""
    items = []
    for party, attendance in await store.together.watched(int(ref), limits.WATCHED_SHOWN):
        episode = await store.catalog.episode_by_id(party.episode_id)
        show = await store.catalog.show_by_id(episode.show_id) if episode else None
        if episode is not None and show is not None:
            items.append(WatchedTogether(party, show, episode, attendance))
    # The button as the parties' public posts label it: in the server's language.
    with public():
        button = _(render.ATTEND)
    return pick(render.watched_pages(items, button), page), ()


class Together(commands.Cog):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store
        self._catching_up: asyncio.Task[None] | None = None
        # Polls being announced now: the start-up catch-up and a closing poll's event may
        # meet on one poll. Each id leaves the set when its announcement is done.
        self._announcing: set[int] = set()

    async def cog_load(self) -> None:
        self.bot.pagers["watched"] = draw_watched
        self._catching_up = asyncio.create_task(self._catch_up(), name="suggestion-winners")

    async def cog_unload(self) -> None:
        self.bot.pagers.pop("watched", None)
        if self._catching_up is not None:
            self._catching_up.cancel()

    async def _catch_up(self) -> None:
        # Votes that closed while the bot was down, or just before a crash, are announced now.
        await self.bot.wait_until_ready()
        for poll_id in await self.store.together.unannounced():
            await self._announce(poll_id)

    @commands.Cog.listener()
    async def on_poll_closed(self, poll_id: int) -> None:
        await self._announce(poll_id)

    async def _announce(self, poll_id: int) -> None:
        if poll_id in self._announcing:
            return
        self._announcing.add(poll_id)
        try:
            await announce(self.bot, poll_id)
        finally:
            self._announcing.discard(poll_id)

    @app_commands.command(name="watched", extras={"example": "/watched"})
    @app_commands.guild_only()
    async def watched(self, interaction: discord.Interaction[Watchparty]) -> None:
        """Parties this server watched; taking part = clicking I'm watching while the party ran."""
        assert interaction.guild_id is not None
        await send_pages(interaction, "watched", str(interaction.guild_id), private=True)
