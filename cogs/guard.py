"""The opt-in spoiler guard.

In a channel moderators marked guarded (`/config guard`), for `guard_hours` after an episode's
watch party starts, a member's message naming one of the episode's spoiler terms is reposted
inside spoiler tags under the member's name (through a webhook the bot owns), the original is
removed, and the member is told why by DM. Reading messages needs the privileged Message
Content intent; without it Discord sends blank content and the guard stands down.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import discord
from discord.ext import commands
from discord.utils import MISSING

from bot.app import Watchparty
from bot.i18n import server, using
from bot.models import Episode, Show
from bot.render.guard import explanation_pages, repost_pages, webhook_username
from bot.spoiler_terms import find_term

from .utils.dms import dm_locale
from .utils.locks import KeyedLocks

log = logging.getLogger(__name__)

WEBHOOK_NAME = "Watchparty spoiler guard"
# Replies are ordinary member messages; joins, pins and the like are system messages.
MEMBER_MESSAGES = (discord.MessageType.default, discord.MessageType.reply)
Home = discord.TextChannel | discord.ForumChannel


class FilesTooLarge(Exception):
    """A member may upload more than a bot may: such files cannot be reposted."""


@dataclass(frozen=True)
class Hit:
    term: str
    show: Show
    episode: Episode
    hours: int


class Guard(commands.Cog):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store
        # Webhooks per channel; looked up or created once, so a busy channel costs no extra call.
        self._hooks: dict[int, discord.Webhook] = {}
        # One lock per channel while its webhook is being looked up; pruned once free.
        self._hook_locks: KeyedLocks[int] = KeyedLocks()
        # Channels whose missing permission was logged already: one warning, not one per message.
        self._warned: set[int] = set()

    async def cog_load(self) -> None:
        if self.bot.settings.message_content:
            return
        servers = await self.store.servers.guarded_server_count()
        if servers:
            log.info(
                "Spoiler guard inactive in %d server(s) with guarded channels: enable the "
                "Message Content intent in the Developer Portal and set MESSAGE_CONTENT_INTENT=true",
                servers,
            )

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        hit = await self.spoils(message)
        if hit is not None:
            await self.hide(message, hit)

    @commands.Cog.listener()
    async def on_message_edit(self, before: discord.Message, after: discord.Message) -> None:
        # Editing a spoiler into a harmless message must not slip past the guard. Embeds being
        # filled in also arrive as edits; those leave the content as it was.
        if before.content != after.content:
            await self.on_message(after)

    async def spoils(self, message: discord.Message) -> Hit | None:
        """What the message spoils, or None; cheap for the many messages that spoil nothing."""
        if not self.bot.settings.message_content or message.guild is None:
            return None
        if message.author.bot or message.webhook_id is not None or not message.content:
            return None
        if message.type not in MEMBER_MESSAGES:
            return None
        channel = message.channel
        # A thread is as guarded as the channel it belongs to.
        home_id = channel.parent_id if isinstance(channel, discord.Thread) else channel.id
        guild_id = message.guild.id
        if not await self.store.servers.is_guarded(guild_id, home_id):
            return None
        hours = (await self.store.servers.settings(guild_id)).guard_hours
        for episode_id in await self.store.parties.guarded_episodes(guild_id, time.time(), hours):
            terms = tuple(await self.store.catalog.spoiler_terms(episode_id))
            term = find_term(message.content, terms)
            if term is None:
                continue
            episode = await self.store.catalog.episode_by_id(episode_id)
            show = await self.store.catalog.show_by_id(episode.show_id) if episode else None
            if episode is not None and show is not None:
                return Hit(term, show, episode, hours)
        return None

    async def hide(self, message: discord.Message, hit: Hit) -> None:
        """Repost first, then delete: if either step fails, the text stays shown exactly once."""
        channel = message.channel
        thread = channel if isinstance(channel, discord.Thread) else None
        home = thread.parent if thread is not None else channel
        if not isinstance(home, Home):
            return
        try:
            reposts = await self._repost(home, thread, message, hit)
        except FilesTooLarge:
            log.info(
                "Spoiler guard left a message in #%s: its files are too large to repost", home.name
            )
            return
        except discord.HTTPException as error:
            if home.id not in self._warned:
                self._warned.add(home.id)
                needs = (
                    "it needs Manage Webhooks there" if isinstance(error, discord.Forbidden) else ""
                )
                log.warning(
                    "Spoiler guard cannot repost in #%s (%s) %s; leaving spoiling messages in place",
                    home.name,
                    error,
                    needs,
                )
            return
        try:
            await message.delete()
        except discord.HTTPException as error:
            # Missing Manage Messages, or the author deleted it first: take the repost back so
            # the text is never shown twice (nor brought back after its author removed it).
            log.warning("Spoiler guard cannot delete a message in #%s: %s", home.name, error)
            await _delete_all(reposts)
            return
        await self._explain(message, hit, reposts[0].jump_url)

    async def _repost(
        self, home: Home, thread: discord.Thread | None, message: discord.Message, hit: Hit
    ) -> list[discord.WebhookMessage]:
        hook = await self._webhook(home)
        try:
            return await self._send(hook, thread, message, hit)
        except discord.NotFound:
            # Someone deleted the webhook since it was cached: make a new one, once.
            self._hooks.pop(home.id, None)
            return await self._send(await self._webhook(home), thread, message, hit)

    async def _send(
        self,
        hook: discord.Webhook,
        thread: discord.Thread | None,
        message: discord.Message,
        hit: Hit,
    ) -> list[discord.WebhookMessage]:
        # The repost is the channel's to read: the server's language (no interaction here).
        with server(message.guild):
            pages = repost_pages(message.content, hit.show, hit.episode)
            username = webhook_username(message.author.display_name)
        files = await _spoiler_files(message)
        sent: list[discord.WebhookMessage] = []
        try:
            for number, page in enumerate(pages, start=1):
                sent.append(
                    await hook.send(
                        page,
                        username=username,
                        avatar_url=message.author.display_avatar.url,
                        # The member's own text: it must not ping anyone a second time.
                        allowed_mentions=discord.AllowedMentions.none(),
                        thread=thread or MISSING,
                        files=files if number == len(pages) else MISSING,
                        # A link preview would show what the spoiler tags hide; the original
                        # already notified whoever it should.
                        suppress_embeds=True,
                        silent=True,
                        wait=True,
                    )
                )
        except discord.HTTPException:
            await _delete_all(sent)
            raise
        return sent

    async def _webhook(self, home: Home) -> discord.Webhook:
        """The channel's webhook this bot made, found or created once and then remembered."""
        async with self._hook_locks.hold(home.id):
            hook = self._hooks.get(home.id)
            if hook is None:
                me = self.bot.user.id if self.bot.user else 0
                # A channel holds at most 15 webhooks: reuse ours across restarts.
                mine = [
                    h
                    for h in await home.webhooks()
                    if h.name == WEBHOOK_NAME and h.user and h.user.id == me and h.token
                ]
                hook = mine[0] if mine else await home.create_webhook(name=WEBHOOK_NAME)
                self._hooks[home.id] = hook
            return hook

    async def _explain(self, message: discord.Message, hit: Hit, where: str) -> None:
        text = message.content
        with using(await dm_locale(self.store, message.author.id, message.guild)):
            pages = explanation_pages(text, hit.term, hit.show, hit.episode, hit.hours, where)
        try:
            for page in pages:
                await message.author.send(page)
        except discord.Forbidden:
            pass  # the member closed their DMs; the label on the repost says enough
        except discord.HTTPException as error:
            log.warning("Spoiler guard could not DM member %s: %s", message.author.id, error)


async def _spoiler_files(message: discord.Message) -> list[discord.File]:
    """The message's attachments, marked as spoilers; raises if one cannot be carried over,
    so the message stays rather than losing its files."""
    limit = message.guild.filesize_limit if message.guild else 0
    if any(a.size > limit for a in message.attachments):
        raise FilesTooLarge
    return [await a.to_file(spoiler=True) for a in message.attachments]


async def _delete_all(messages: list[discord.WebhookMessage]) -> None:
    for sent in messages:
        try:
            await sent.delete()
        except discord.HTTPException:
            log.warning("Spoiler guard could not take back repost %s", sent.id)


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(Guard(bot))
