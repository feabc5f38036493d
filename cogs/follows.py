"""/follow show|list|remove: a member hears when a new episode of a followed show arrives.

"Arrives" means the catalog gained an episode row (an import or a TVmaze refresh): whatever
imports dispatches `catalog_updated`, and the bot checks once after each start too, for
imports made while it was down (`python -m bot import`). The store remembers which episodes
were announced, so each is announced once.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot import limits
from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import _, server, using
from bot.models import Episode, NewEpisodes, Show
from bot.render import airing as render_airing
from bot.render import follows as render
from bot.render.text import escape

from .utils.catalog import ShowArg
from .utils.dms import dm_locale, remember_locale

log = logging.getLogger(__name__)

# How often a process looks for new episodes another process found for its servers.
NEWS_CHECK = 5.0


@app_commands.guild_only()
class Follows(commands.GroupCog, group_name="follow", group_description="Shows you follow"):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store
        # One announcing pass at a time: two imports in a row must not race for the same news.
        self._announcing = asyncio.Lock()
        self._first: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self._first = asyncio.create_task(self._after_start())
        self.waiting_news.start()

    async def cog_unload(self) -> None:
        if self._first is not None:
            self._first.cancel()
        self.waiting_news.cancel()

    @tasks.loop(seconds=NEWS_CHECK)
    async def waiting_news(self) -> None:
        """Announce what another process (another shard's, after its import or refresh) found
        for this process's servers. A read first: most passes find nothing and write nothing."""
        try:
            if await self.store.follows.has_news(self.bot.owned):
                async with self._announcing:
                    await self._announce_waiting()
        except Exception:
            log.exception("Announcing new episodes found by another process failed")

    @waiting_news.before_loop
    async def _ready(self) -> None:
        await self.bot.wait_until_ready()

    @app_commands.command(name="show", extras={"example": "/follow show show:For All Mankind"})
    @app_commands.describe(show="The show to follow")
    async def show(self, interaction: discord.Interaction[Watchparty], show: ShowArg) -> None:
        """Tell me when a new episode of this show arrives."""
        assert interaction.guild_id is not None
        if not await self.store.follows.follow(interaction.guild_id, interaction.user.id, show.id):
            raise UserError(_("You already follow {show}.").format(show=escape(show.title)))
        await remember_locale(interaction)  # the news may come by DM
        settings = await self.store.servers.settings(interaction.guild_id)
        how = (
            _("in {channel}").format(channel=f"<#{settings.follow_channel_id}>")
            if settings.follow_channel_id
            else _("by DM (if your DMs are open to this server)")
        )
        await interaction.response.send_message(
            _("Following **{show}**: I'll tell you {how} when a new episode arrives.").format(
                show=escape(show.title), how=how
            ),
            ephemeral=True,
        )

    @app_commands.command(name="list", extras={"example": "/follow list"})
    async def list_(self, interaction: discord.Interaction[Watchparty]) -> None:
        """The shows you follow in this server."""
        assert interaction.guild_id is not None
        titles = await self.store.follows.shows_of(interaction.guild_id, interaction.user.id)
        text = "\n".join(f"• {escape(t)}" for t in titles) or (
            _("You don't follow any show yet. Try `/follow show`.")
        )
        await interaction.response.send_message(text[: limits.CONTENT], ephemeral=True)

    @app_commands.command(name="remove", extras={"example": "/follow remove show:For All Mankind"})
    @app_commands.describe(show="The show to stop following")
    async def remove(self, interaction: discord.Interaction[Watchparty], show: ShowArg) -> None:
        """Stop hearing about new episodes of a show."""
        assert interaction.guild_id is not None
        if not await self.store.follows.unfollow(
            interaction.guild_id, interaction.user.id, show.id
        ):
            raise UserError(_("You don't follow {show}.").format(show=escape(show.title)))
        await interaction.response.send_message(
            _("You no longer follow {show}.").format(show=escape(show.title)), ephemeral=True
        )

    # --- announcing -----------------------------------------------------------------------

    async def _after_start(self) -> None:
        await self.bot.wait_until_ready()
        try:
            await self.on_catalog_updated()
        except Exception:
            log.exception("Announcing new episodes after start-up failed")

    @commands.Cog.listener()
    async def on_catalog_updated(self) -> None:
        """Find the new episodes of followed shows (once, whichever process does), then
        announce those waiting for this process's servers; other processes' loops announce
        the rest."""
        async with self._announcing:
            await self.store.follows.claim_new_episodes()
            await self._announce_waiting()

    async def _announce_waiting(self) -> None:
        news = await self.store.follows.take_news(self.bot.owned)
        # The same episodes for several servers are one batch: one DM per member across them.
        servers: dict[tuple[int, tuple[int, ...]], set[int]] = defaultdict(set)
        for guild_id, shows in news.items():
            for show_id, ids in shows.items():
                servers[(show_id, tuple(ids))].add(guild_id)
        for (show_id, episode_ids), guild_ids in servers.items():
            batch = await self._batch(show_id, list(episode_ids))
            if batch is not None:
                await self._deliver(batch, guild_ids)

    async def _batch(self, show_id: int, ids: list[int]) -> NewEpisodes | None:
        show = await self.store.catalog.show_by_id(show_id)
        episodes = [await self.store.catalog.episode_by_id(i) for i in ids]
        found = tuple(e for e in episodes if e is not None)
        return NewEpisodes(show, found) if show and found else None

    async def _deliver(self, batch: NewEpisodes, guild_ids: set[int]) -> None:
        """One post per server with a follow channel; one DM per follower elsewhere."""
        by_guild: dict[int, list[int]] = defaultdict(list)
        for guild_id, user_id in await self.store.follows.followers(batch.show.id):
            if guild_id in guild_ids:
                by_guild[guild_id].append(user_id)
        by_dm: dict[int, discord.Guild] = {}
        for guild_id, users in by_guild.items():
            guild = self.bot.get_guild(guild_id)
            if guild is None:
                continue
            settings = await self.store.servers.settings(guild_id)
            channel = guild.get_channel(settings.follow_channel_id or 0)
            if isinstance(channel, discord.TextChannel):
                with server(guild):  # no interaction: the server's language
                    text = render.new_episodes(batch)
                await _post(channel, text)
                continue
            for user_id in users:
                by_dm.setdefault(user_id, guild)  # one DM per member, whatever their servers
        await self._dm_all(lambda: render.new_episodes(batch), by_dm)

    @commands.Cog.listener()
    async def on_episode_thread_opened(
        self, guild_id: int, show: Show, episode: Episode, thread: discord.Thread
    ) -> None:
        """An episode aired and its thread opened (cogs/airing.py): tell its followers there,
        by DM, unless the server posts follow news in a channel."""
        guild = self.bot.get_guild(guild_id)
        settings = await self.store.servers.settings(guild_id)
        if guild is None or settings.follow_channel_id:
            return
        users = [u for g, u in await self.store.follows.followers(show.id) if g == guild_id]
        text = lambda: render_airing.thread_open(show, episode, thread.jump_url)  # noqa: E731
        await self._dm_all(text, dict.fromkeys(users, guild))

    async def _dm_all(self, text: Callable[[], str], members: dict[int, discord.Guild]) -> None:
        """DM each member `text()` and why it came, in the member's language (cogs/utils/dms.py)."""
        closed = 0
        for user_id, guild in members.items():
            try:
                with using(await dm_locale(self.store, user_id, guild)):
                    body = f"{text()}\n{render.follow_footer(guild.name)}"
                dm = await self.bot.create_dm(discord.Object(user_id))
                await dm.send(body)
            except discord.Forbidden:
                closed += 1  # DMs closed: the member's choice
            except discord.HTTPException as error:
                log.warning("A new-episode DM failed: %s", error)
            await asyncio.sleep(limits.DM_INTERVAL)
        if closed:
            log.info("New episodes: %d follower(s) have DMs closed", closed)


async def _post(channel: discord.TextChannel, text: str) -> None:
    try:
        await channel.send(text)
    except discord.HTTPException as error:
        log.warning("Could not post new episodes in #%s: %s", channel.name, error)


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(Follows(bot))
