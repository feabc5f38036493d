"""/discuss: the one discussion thread per episode, whose title says what it spoils."""

from __future__ import annotations

import logging
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import limits
from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import _, public, server
from bot.models import Episode, Show
from bot.render.discussion import pointer, rules, tag_names, thread_title
from bot.render.episodes import safe_card
from bot.render.text import escape

from .utils.catalog import EpisodeArg, ShowArg
from .utils.locks import KeyedLocks
from .utils.spoilers import behind

log = logging.getLogger(__name__)

ARCHIVE_AFTER_MINUTES: Literal[10080] = 10080  # a week: discussion of an episode goes on for days
# How many archived threads of the channel are searched for one an interrupted try made: the
# newest first, and that thread archives a week after its last message at the earliest.
ARCHIVED_LOOKUP = 50


class Discuss(commands.Cog):
    """Provides `bot.threads` (a `ThreadService`) to watch parties."""

    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store
        # One creation at a time per episode and server: asked twice, it makes one thread.
        self._locks: KeyedLocks[tuple[int, int]] = KeyedLocks()

    async def cog_load(self) -> None:
        self.bot.threads = self

    async def cog_unload(self) -> None:
        self.bot.threads = None

    async def ensure_thread(
        self,
        guild: discord.Guild,
        show: Show,
        episode: Episode,
        *,
        fallback: discord.abc.GuildChannel | discord.Thread | None = None,
        party_ending: bool = False,
    ) -> tuple[discord.Thread, bool]:
        """The episode's thread in this server, created if missing; (thread, created).

        A new thread is locked while a watch party of the episode is pending, unless that party
        is the one ending now (`party_ending`); an open one starts with the episode's poll.
        """
        async with self._locks.hold((guild.id, episode.id)):
            existing = await self._existing(guild, episode)
            if existing is not None:
                return existing, False
            locked_until = (
                None if party_ending else await self.store.parties.pending_end(guild.id, episode.id)
            )
            parent = await self._parent(guild, fallback)
            # The thread is the server's to read, whoever opened it: its name, tags and first
            # post are in the server's language.
            with server(guild):
                name = thread_title(show, episode)
                # Claimed before the request, recorded after it: a claim found here is an
                # earlier try cut short (a crash, a busy database) that may have made it.
                thread = None
                if not await self.store.threads.claim(guild.id, episode.id):
                    thread = await self._made_before(guild, parent, name)
                if thread is None:
                    thread = await self._create(parent, name, show, episode, locked_until)
            await self.store.threads.remember(guild.id, episode.id, thread.id, thread.parent_id)
            if locked_until is not None:
                if not thread.locked:
                    await thread.edit(locked=True)
            elif self.bot.polls is not None:
                await self.bot.polls.post_episode_poll(thread, show, episode)
            return thread, True

    async def _made_before(
        self, guild: discord.Guild, parent: discord.TextChannel | discord.ForumChannel, name: str
    ) -> discord.Thread | None:
        """The thread named `name` in `parent`, active or archived, if Discord has one."""
        for thread in await guild.active_threads():
            if thread.parent_id == parent.id and thread.name == name:
                return thread
        async for thread in parent.archived_threads(limit=ARCHIVED_LOOKUP):
            if thread.name == name:
                return thread
        return None

    async def _existing(self, guild: discord.Guild, episode: Episode) -> discord.Thread | None:
        thread_id = await self.store.threads.get(guild.id, episode.id)
        if thread_id is None:
            return None
        thread = guild.get_thread(thread_id)
        if thread is None:
            try:
                channel = await self.bot.fetch_channel(thread_id)
            except discord.NotFound:
                await self.store.threads.forget(thread_id)  # deleted on Discord: make a new one
                return None
            thread = channel if isinstance(channel, discord.Thread) else None
        return thread

    async def _parent(
        self,
        guild: discord.Guild,
        fallback: discord.abc.GuildChannel | discord.Thread | None,
    ) -> discord.TextChannel | discord.ForumChannel:
        """Where the server's discussion threads go: its discussion channel, else `fallback`."""
        settings = await self.store.servers.settings(guild.id)
        parent = guild.get_channel(settings.discussion_channel_id or 0) or fallback
        if isinstance(parent, discord.Thread):
            parent = parent.parent
        if isinstance(parent, discord.TextChannel | discord.ForumChannel):
            return parent
        raise UserError(
            _(
                "I can open discussion threads in a text or forum channel: use this there, or "
                "ask a moderator to pick one with `/config discussion`."
            )
        )

    async def _create(
        self,
        parent: discord.TextChannel | discord.ForumChannel,
        name: str,
        show: Show,
        episode: Episode,
        locked_until: float | None,
    ) -> discord.Thread:
        card, text = safe_card(show, episode), rules(episode, locked_until)
        if isinstance(parent, discord.ForumChannel):
            tags = await self._tags(parent, show, episode)
            created = await parent.create_thread(
                name=name,
                content=text,
                embed=card,
                applied_tags=tags,
                auto_archive_duration=ARCHIVE_AFTER_MINUTES,
            )
            return created.thread
        thread = await parent.create_thread(
            name=name,
            type=discord.ChannelType.public_thread,
            auto_archive_duration=ARCHIVE_AFTER_MINUTES,
        )
        await thread.send(text, embed=card)
        return thread

    async def _tags(
        self, forum: discord.ForumChannel, show: Show, episode: Episode
    ) -> list[discord.ForumTag]:
        """The forum's tags for the show and the season, created if missing and allowed."""
        wanted = tag_names(show, episode)
        existing = {tag.name: tag for tag in forum.available_tags}
        missing = [name for name in wanted if name not in existing]
        # A forum holds at most 20 tags; creating them needs Manage Channels.
        if missing and len(existing) + len(missing) <= limits.FORUM_TAGS:
            try:
                forum = await forum.edit(
                    available_tags=[
                        *forum.available_tags,
                        *(discord.ForumTag(name=n) for n in missing),
                    ]
                )
                existing = {tag.name: tag for tag in forum.available_tags}
            except discord.Forbidden:
                log.info("No permission to add tags to forum %s; posting without them", forum.id)
        return [existing[name] for name in wanted if name in existing]

    @app_commands.command(extras={"example": "/discuss show:For All Mankind episode:S4E6"})
    @app_commands.guild_only()
    @app_commands.describe(show="The show", episode="The episode (e.g. S4E6)")
    async def discuss(
        self, interaction: discord.Interaction[Watchparty], show: ShowArg, episode: EpisodeArg
    ) -> None:
        """Open, or find, the discussion thread for an episode."""
        found, chosen = show, episode
        assert interaction.guild is not None
        ahead = await behind(self.store, interaction.guild_id, interaction.user.id, chosen)
        # Creating a thread takes a few requests: answer Discord within 3 s first.
        await interaction.response.defer(ephemeral=ahead, thinking=True)
        fallback = (
            interaction.channel
            if isinstance(interaction.channel, discord.abc.GuildChannel | discord.Thread)
            else None
        )
        thread, _created = await self.ensure_thread(
            interaction.guild, found, chosen, fallback=fallback
        )
        if not ahead:
            with public():
                text = pointer(found, chosen, thread.id)
            await interaction.followup.send(text)
            return
        view = discord.ui.View()
        view.add_item(discord.ui.Button(label=_("Open it anyway"), url=thread.jump_url))
        await interaction.followup.send(
            _(
                "⚠️ That thread discusses **{episode}**, past how far you've told me you "
                "watched. Set your progress with `/progress set`, or open it anyway."
            ).format(episode=escape(chosen.label)),
            view=view,
            ephemeral=True,
        )


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(Discuss(bot))
